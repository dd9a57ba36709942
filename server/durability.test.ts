/**
 * A 201 is a promise: kill -9 the server process right after the answers and every case is there
 * after a restart, with its event. Also: a second process on the same PGlite folder refuses.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase, createTestDatabase, type TestDatabase } from './testing/databases.js';
import { runToExit, startServerProcess } from './testing/server-process.js';
import { sampleCase, TEST_TOKENS } from './testing/test-app.js';

const tokenEnv = {
  ADMIN_TOKEN: TEST_TOKENS.admin,
  OFFICER_TOKEN: TEST_TOKENS.officer,
  WALL_TOKEN: TEST_TOKENS.wall,
  INTAKE_TOKEN: TEST_TOKENS.intake,
};

describeEachDatabase('durability', (kind) => {
  let testDb: TestDatabase;
  let env: Record<string, string>;
  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    env = { ...tokenEnv, DATA_DIR: testDb.dataDir, ...(testDb.url ? { DATABASE_URL: testDb.url } : { DATABASE_URL: '' }) };
  });
  afterAll(async () => {
    await testDb?.destroy();
  });

  it('[DUR1] cases answered 201 survive kill -9 and a restart, with their events', async () => {
    const first = await startServerProcess(env);
    const post = (i: number) =>
      fetch(`${first.url}/api/cases`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_TOKENS.intake}`, 'content-type': 'application/json' },
        body: JSON.stringify(sampleCase({ externalId: `dur-${i}`, location: undefined })),
      });
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => post(i)));
    const bodies = (await Promise.all(answers.map((r) => r.json()))) as { id: string; seq: number }[];
    await first.kill9();
    expect(answers.map((r) => r.status)).toEqual(Array(40).fill(201));

    const second = await startServerProcess(env);
    try {
      for (const body of bodies) {
        const res = await fetch(`${second.url}/api/cases/${body.id}`, { headers: { authorization: `Bearer ${TEST_TOKENS.officer}` } });
        expect(res.status).toBe(200);
        const read = (await res.json()) as { events: { seq: number; type: string }[] };
        expect(read.events[0]).toMatchObject({ seq: body.seq, type: 'case.created' });
      }
      const seqs = bodies.map((b) => b.seq).sort((a, b) => a - b);
      expect(new Set(seqs).size).toBe(40);
    } finally {
      await second.stop();
    }
  });

  if (kind === 'pglite') {
    it('[DUR2] a second process on the same DATA_DIR refuses with a clear message', async () => {
      const holder = await startServerProcess(env);
      try {
        const second = await runToExit(env);
        expect(second.code).toBe(1);
        expect(second.output).toContain(`is in use by process ${holder.child.pid}`);
      } finally {
        await holder.stop();
      }
    });
  }
});
