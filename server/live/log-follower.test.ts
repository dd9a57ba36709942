/**
 * Following the log by seq on a real database: every event once, in order, from any checkpoint;
 * with concurrent writers on separate connections (PostgreSQL, as several nodes) nothing skipped.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CaseWriter, type Actor } from '../cases/case-writer.js';
import { DEFAULT_DOMAIN } from '../config.js';
import type { DatabaseHandle } from '../db/client.js';
import { availableDatabases, createTestDatabase, describeEachDatabase, type TestDatabase } from '../testing/databases.js';
import { useWriterDatabase } from '../testing/writer-database.js';
import { sampleCase } from '../testing/test-app.js';
import { startLogFollower, type LoggedEvent } from './log-follower.js';

const actor: Actor = { label: 'follower test', role: 'intake', origin: 'test' };
const intakeMany = (writer: CaseWriter, prefix: string, n: number) =>
  Promise.all(Array.from({ length: n }, (_, i) => writer.intake(sampleCase({ externalId: `${prefix}-${i}`, location: undefined }) as never, actor)));

describeEachDatabase('log follower', (kind) => {
  const db = useWriterDatabase(kind);

  it('[FOL1] hands on every event once, in seq order; wake() delivers without waiting for a poll', async () => {
    const seen: number[] = [];
    const follower = await startLogFollower({ db: db.handle.db, fromSeq: 0, pollMs: 60_000, batchSize: 7, onEvents: (e) => void seen.push(...e.map((x) => x.seq)) });
    db.writer.onCommit(() => follower.wake());
    const answers = await intakeMany(db.writer, 'fol1', 40);
    const last = Math.max(...answers.map((a) => ('row' in a ? a.row.lastSeq : 0)));
    await follower.reached(last);
    expect(seen).toEqual(Array.from({ length: last }, (_, i) => i + 1));
    expect(follower.epoch).toMatch(/\S/);
    await follower.stop();
  });

  it('[FOL2] starts after a checkpoint and reads nothing before it', async () => {
    const seen: LoggedEvent[] = [];
    const follower = await startLogFollower({ db: db.handle.db, fromSeq: 30, pollMs: 10, onEvents: (e) => void seen.push(...e) });
    await follower.reached(40);
    expect(seen[0]!.seq).toBe(31);
    expect(seen.every((e, i) => e.seq === 31 + i)).toBe(true);
    await follower.stop();
  });

  it('[FOL4] a seq missing from the log is waited for and reported, never skipped; the follower goes on once it appears', async () => {
    const run = (query: string) => db.handle.db.execute(sql.raw(query));
    await run('CREATE TABLE fol4_held AS SELECT * FROM case_events WHERE seq = 35');
    await run('DELETE FROM case_events WHERE seq = 35');
    const seen: number[] = [];
    const lines: string[] = [];
    const follower = await startLogFollower({
      db: db.handle.db,
      fromSeq: 30,
      pollMs: 5,
      gapPatience: 5,
      onEvents: (e) => void seen.push(...e.map((x) => x.seq)),
      log: (line) => void lines.push(line),
    });
    await expect.poll(() => follower.gap, { timeout: 10_000 }).not.toBeNull();
    expect(follower.gap!.seq).toBe(35);
    expect(seen).toEqual([31, 32, 33, 34]); // stops before the hole, for as long as it lasts
    expect(lines.join('\n')).toMatch(/seq 35 is missing .* never skipping it/);

    await run('INSERT INTO case_events SELECT * FROM fol4_held');
    await run('DROP TABLE fol4_held');
    await follower.reached(40);
    expect(seen.slice(0, 10)).toEqual([31, 32, 33, 34, 35, 36, 37, 38, 39, 40]);
    expect(follower.gap).toBeNull();
    await follower.stop();
  });
});

const { kinds, skipped } = availableDatabases();
describe.runIf(kinds.includes('postgres'))('log follower with writers on several connections [postgres]', () => {
  let testDb: TestDatabase;
  const handles: DatabaseHandle[] = [];
  beforeAll(async () => {
    testDb = await createTestDatabase('postgres');
    for (let i = 0; i < 4; i++) handles.push(await testDb.open());
  });
  afterAll(async () => {
    for (const h of handles) await h.close();
    await testDb?.destroy();
  });

  it('[FOL3] a follower polling every 5 ms while 3 writers append sees 1..N with nothing skipped', async () => {
    const [reader, ...writers] = handles;
    const seen: number[] = [];
    const follower = await startLogFollower({ db: reader!.db, fromSeq: 0, pollMs: 5, onEvents: (e) => void seen.push(...e.map((x) => x.seq)) });
    await Promise.all(writers.map((h, w) => intakeMany(new CaseWriter({ db: h.db, config: DEFAULT_DOMAIN, maxBatch: 5 }), `fol3-${w}`, 100)));
    await follower.reached(300);
    expect(seen).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
    await follower.stop();
  });
});
for (const reason of skipped) {
  describe('log follower with writers on several connections [postgres]', () => {
    it.skip(reason, () => undefined);
  });
}
