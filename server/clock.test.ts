/**
 * The node's one clock (server/clock.ts, issue 14): by default the database's time; a node booted
 * with another clock shows that clock's day on the stream and in its reports, which is how a test
 * pins "now" without touching the machine.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { boot, type Node } from './boot.js';
import { databaseClock, offsetClock } from './clock.js';
import { readEnv } from './config.js';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from './testing/databases.js';
import { connectStream } from './testing/stream-client.js';
import { TEST_TOKENS } from './testing/test-app.js';

describeEachDatabase('the database clock', (kind) => {
  it('[CLK1] measures the database’s time: on this machine within a second of the node’s', async () => {
    const testDb = await createTestDatabase(kind);
    const handle = await testDb.open();
    try {
      const clock = await databaseClock(handle.db);
      expect(Math.abs(clock.offsetMs)).toBeLessThan(1_000);
      expect(Math.abs(clock.now().getTime() - Date.now() - clock.offsetMs)).toBeLessThan(50);
    } finally {
      await handle.close();
      await testDb.destroy();
    }
  });
});

/** Tuesday 2025-11-18, 15:00 in Shanghai: a day this test chose, not the day it runs on. */
const PINNED = Date.parse('2025-11-18T15:00:00+08:00');

let testDb: TestDatabase;
let node: Node;
beforeAll(async () => {
  testDb = await createTestDatabase('pglite');
  const env = readEnv({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: testDb.dataDir, DATABASE_URL: '', DEMO: '0', WALL_TOKEN: TEST_TOKENS.wall, OFFICER_TOKEN: TEST_TOKENS.officer });
  node = await boot(env, { log: () => undefined, clock: offsetClock(PINNED - Date.now()) });
});
afterAll(async () => {
  await node?.close();
  await testDb?.destroy();
});

it('[CLK2] a node booted with its own clock shows that day on the stream and reports its last complete week', async () => {
  const client = await connectStream(node.url, { auth: { token: TEST_TOKENS.wall } });
  try {
    await client.until((c) => c.state !== null, 10_000, 'a snapshot');
    const snapshot = client.received.find((m) => m.type === 'snapshot')!.body as { at: string; summary: { from: string; to: string } };
    expect(Math.abs(Date.parse(snapshot.at) - PINNED)).toBeLessThan(60_000);
    expect(snapshot.summary.from).toBe('2025-11-17T16:00:00.000Z'); // 00:00 on the 18th in Shanghai
    expect(snapshot.summary.to).toBe('2025-11-18T16:00:00.000Z');
  } finally {
    client.close();
  }
  const res = await fetch(`${node.url}/api/reports/weekly.json`, { headers: { authorization: `Bearer ${TEST_TOKENS.officer}` } });
  expect(res.status).toBe(200);
  expect(((await res.json()) as { label: string }).label).toBe('2025-W46'); // Nov 10–16, the week before the pinned Tuesday
});
