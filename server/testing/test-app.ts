/**
 * Test support: the real Hono app over a real (fresh) database, with one known token per role,
 * for `app.request()` tests. Nothing is stubbed: the writer, verifier and SQL are the ones that run
 * in production.
 */
import { seedTokens, TokenVerifier } from '../auth/tokens.js';
import { CaseWriter } from '../cases/case-writer.js';
import { DEFAULT_DOMAIN, type DomainConfig } from '../config.js';
import type { DatabaseHandle } from '../db/client.js';
import { createApp, type AppDeps } from '../http/app.js';
import { FailureLimiter } from '../http/rate-limit.js';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from './databases.js';

export const TEST_TOKENS = {
  admin: 'test-admin-token-0123456789',
  officer: 'test-officer-token-0123456789',
  wall: 'test-wall-token-0123456789',
  intake: 'test-intake-token-0123456789',
} as const;

export interface TestApp {
  app: ReturnType<typeof createApp>;
  database: DatabaseHandle;
  writer: CaseWriter;
  testDb: TestDatabase;
  /** JSON request helper: `call('POST', '/api/cases', body, 'intake')`. */
  call(method: string, path: string, body?: unknown, role?: keyof typeof TEST_TOKENS | null, headers?: Record<string, string>): Promise<{ status: number; body: any; headers: Headers }>;
  close(): Promise<void>;
}

export async function createTestApp(kind: DatabaseKind, config: DomainConfig = DEFAULT_DOMAIN, extra: Partial<AppDeps> = {}): Promise<TestApp> {
  const testDb = await createTestDatabase(kind);
  const database = await testDb.open();
  await seedTokens(database.db, TEST_TOKENS, testDb.dataDir);
  const writer = new CaseWriter({ db: database.db, config });
  const app = createApp({
    db: database.db,
    config,
    writer,
    tokens: new TokenVerifier(database.db),
    demo: false,
    limiter: new FailureLimiter(1000),
    ...extra,
  });
  return {
    app,
    database,
    writer,
    testDb,
    async call(method, path, body, role = 'admin', headers = {}) {
      const init: RequestInit = { method, headers: { ...headers } };
      const h = init.headers as Record<string, string>;
      if (role) h.authorization = `Bearer ${TEST_TOKENS[role]}`;
      if (body !== undefined) {
        h['content-type'] ??= 'application/json';
        init.body = typeof body === 'string' ? body : JSON.stringify(body);
      }
      const res = await app.request(path, init);
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        /* not JSON */
      }
      return { status: res.status, body: parsed, headers: res.headers };
    },
    async close() {
      await writer.drained();
      await database.close();
      await testDb.destroy();
    },
  };
}

/** A valid intake body to start from in tests: a point in 光明街道. */
export function sampleCase(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    channel: 'hotline_12345',
    category: 'city_management',
    title: '华夏路占道经营影响通行',
    description: '市民张先生13812345678反映华夏路夜市摊贩占道',
    location: { lat: 22.7485, lng: 113.9405, address: '光明区华夏路12号' },
    reporter: { name: '张三', phone: '13812345678' },
    ...overrides,
  };
}
