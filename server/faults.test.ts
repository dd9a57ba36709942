/**
 * Faults from outside never end a node (issue 15, first part; RULES FLT1–FLT2): PostgreSQL ending
 * the node's connections while 16 clients post, and a handshake while the database refuses
 * connections. The node runs as its own process on a PostgreSQL database of the test's own; the
 * faults are `pg_terminate_backend` and `ALLOW_CONNECTIONS false` on that database only, never
 * the machine's shared server.
 */
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from './testing/databases.js';
import { startServerProcess, type ServerProcess } from './testing/server-process.js';
import { connectStream } from './testing/stream-client.js';
import { sampleCase, TEST_TOKENS } from './testing/test-app.js';

const CLIENTS = 16;
const PER_CLIENT = 40;

describeEachDatabase('faults from outside', (kind) => {
  if (kind !== 'postgres') {
    it.skip('PGlite runs inside the node: these faults are PostgreSQL connections ending', () => undefined);
    return;
  }
  let testDb: TestDatabase;
  let server: ServerProcess;
  let admin: pg.Client;
  const database = () => new URL(testDb.url!).pathname.slice(1);
  const terminate = () => admin.query('SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database()]);
  /** Every answer other than 201 or "503 with Retry-After" (a 500, a hang, a dropped connection). */
  const wrongAnswers: string[] = [];
  const post = async (externalId: string): Promise<number> => {
    const res = await fetch(`${server.url}/api/cases`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_TOKENS.intake}`, 'content-type': 'application/json' },
      body: JSON.stringify(sampleCase({ externalId, location: undefined })),
      signal: AbortSignal.timeout(20_000),
    });
    if (res.status !== 201 && !(res.status === 503 && res.headers.get('retry-after'))) wrongAnswers.push(`${externalId}: ${res.status} ${await res.text()}`);
    return res.status;
  };
  const probe = async (path: string) => {
    const res = await fetch(`${server.url}${path}`, { signal: AbortSignal.timeout(10_000) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  /** Posts until one is answered 201 (the node serves again); resolves with how long it took. */
  const servesAgain = async (prefix: string): Promise<number> => {
    const started = Date.now();
    for (let i = 0; Date.now() - started < 10_000; i++) {
      if ((await post(`${prefix}-${i}`).catch(() => 0)) === 201) return Date.now() - started;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`the node did not serve again within 10 s:\n${server.output().slice(-2000)}`);
  };

  beforeAll(async () => {
    testDb = await createTestDatabase('postgres');
    server = await startServerProcess({ DATA_DIR: testDb.dataDir, DATABASE_URL: testDb.url!, INTAKE_TOKEN: TEST_TOKENS.intake, WALL_TOKEN: TEST_TOKENS.wall });
    admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await admin.connect();
  }, 90_000);
  afterAll(async () => {
    await admin?.query(`ALTER DATABASE ${database()} ALLOW_CONNECTIONS true`).catch(() => undefined);
    await admin?.end();
    await server?.stop();
    await testDb?.destroy();
  });

  it('[FLT1] connections ended under 16 posting clients: the node lives on, every 201 is stored once, it serves again', { timeout: 90_000 }, async () => {
    const answers = new Map<string, number>();
    const clients = Array.from({ length: CLIENTS }, async (_, c) => {
      for (let i = 0; i < PER_CLIENT; i++) {
        const externalId = `flt1-${c}-${i}`;
        answers.set(externalId, await post(externalId).catch(() => 0));
      }
    });
    const storm = (async () => {
      for (let round = 0; round < 3; round++) {
        await new Promise((resolve) => setTimeout(resolve, 300));
        await terminate();
      }
    })();
    await Promise.all([...clients, storm]);

    expect(server.child.exitCode, server.output().slice(-2000)).toBeNull();
    expect(wrongAnswers).toEqual([]); // 201, or 503 with Retry-After: never 500, never a hang
    expect(await servesAgain('flt1-after')).toBeLessThan(5_000);
    const created = [...answers].filter(([, status]) => status === 201).map(([id]) => id);
    expect(created.length).toBeGreaterThan(0);
    const own = new pg.Client({ connectionString: testDb.url });
    await own.connect();
    const stored = await own.query("SELECT external_id, count(*)::int AS n FROM cases WHERE external_id LIKE 'flt1-%' AND external_id NOT LIKE 'flt1-after%' GROUP BY 1").finally(() => own.end());
    const rows = stored.rows as { external_id: string; n: number }[];
    expect(rows.filter((r) => r.n !== 1)).toEqual([]); // no duplicate
    const inDatabase = new Set(rows.map((r) => r.external_id));
    expect(created.filter((id) => !inDatabase.has(id))).toEqual([]); // every 201 was kept
    expect(server.output()).not.toContain('LAST RESORT'); // no fault escaped its handler
  });

  it('[FLT2][FLT3] while the database refuses connections: a handshake is refused as unavailable, a post answers 503 with Retry-After, /readyz 503 and /healthz 200; all well once it is back', { timeout: 60_000 }, async () => {
    expect((await probe('/readyz')).status).toBe(200);
    await admin.query(`ALTER DATABASE ${database()} ALLOW_CONNECTIONS false`);
    await terminate();
    await new Promise((resolve) => setTimeout(resolve, 1_200)); // past the token cache's refresh guard
    await expect(connectStream(server.url, { auth: { token: 'a-token-this-node-has-never-seen' } })).rejects.toMatchObject({ refusal: { code: 'unavailable' } });
    const before = wrongAnswers.length;
    expect(await post('flt2-refused')).toBe(503);
    expect(wrongAnswers.slice(before)).toEqual([]);
    const ready = await probe('/readyz');
    expect(ready).toMatchObject({ status: 503, body: { ready: false, reason: 'database unreachable' } });
    expect((await probe('/healthz')).status).toBe(200); // alive: a supervisor must not restart it
    expect(server.child.exitCode, server.output().slice(-2000)).toBeNull();

    await admin.query(`ALTER DATABASE ${database()} ALLOW_CONNECTIONS true`);
    expect(await servesAgain('flt2-after')).toBeLessThan(5_000);
    expect(await probe('/readyz')).toMatchObject({ status: 200, body: { ready: true } });
    expect(server.output()).not.toContain('LAST RESORT');
    const wall = await connectStream(server.url, { auth: { token: TEST_TOKENS.wall } });
    wall.close();
  });
});
