/**
 * Test support: a whole node (boot) in this process on a test database, with the known token of
 * each role and no demo traffic, for tests that need the stream, the monitors and the API together;
 * and `nodeApi`, JSON calls to such a node as one of those roles.
 */
import { boot, type Node } from '../boot.js';
import { readEnv } from '../config.js';
import type { TestDatabase } from './databases.js';
import { TEST_TOKENS } from './test-app.js';

/** `api('POST', '/api/cases', body, 'intake')` against the node `node()` names (read at each call: a test may restart it). */
export function nodeApi(node: () => { url: string }) {
  return async (method: string, path: string, body?: unknown, role: keyof typeof TEST_TOKENS = 'admin') => {
    const res = await fetch(`${node().url}${path}`, {
      method,
      headers: { authorization: `Bearer ${TEST_TOKENS[role]}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as any };
  };
}

export async function bootTestNode(testDb: TestDatabase, env: Record<string, string | undefined> = {}): Promise<Node> {
  return boot(
    readEnv({
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: testDb.dataDir,
      DATABASE_URL: testDb.url ?? '',
      DEMO: '0',
      ADMIN_TOKEN: TEST_TOKENS.admin,
      OFFICER_TOKEN: TEST_TOKENS.officer,
      WALL_TOKEN: TEST_TOKENS.wall,
      INTAKE_TOKEN: TEST_TOKENS.intake,
      ...env,
    }),
    { log: () => undefined },
  );
}
