/**
 * Several writers, one truth: with concurrent writers on separate connections (as several nodes
 * would be), the log's seqs are gap-free and become visible in seq order, so a reader following
 * `seq > cursor` never skips one. (PostgreSQL only: PGlite allows one process, one connection.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { DEFAULT_DOMAIN } from '../config.js';
import { queryRows, type DatabaseHandle } from '../db/client.js';
import { availableDatabases, createTestDatabase, type TestDatabase } from '../testing/databases.js';
import { sampleCase } from '../testing/test-app.js';
import { CaseWriter, type Actor } from './case-writer.js';

const WRITERS = 4;
const PER_WRITER = 150;
const actor: Actor = { label: 'log-order test', role: 'intake', origin: 'test' };
const { kinds, skipped } = availableDatabases();

describe.runIf(kinds.includes('postgres'))('event log order with concurrent writers [postgres]', () => {
  let testDb: TestDatabase;
  const handles: DatabaseHandle[] = [];
  beforeAll(async () => {
    testDb = await createTestDatabase('postgres');
    for (let i = 0; i < WRITERS + 1; i++) handles.push(await testDb.open());
  });
  afterAll(async () => {
    for (const h of handles) await h.close();
    await testDb?.destroy();
  });

  it('[LOG1] seqs are gap-free and a seq > cursor reader sees every one, in order', async () => {
    const [reader, ...writerHandles] = handles;
    let cursor = 0;
    const seen: number[] = [];
    let done = false;
    const follow = (async () => {
      while (!done || cursor < WRITERS * PER_WRITER) {
        const rows = await queryRows<{ seq: string }>(reader!.db, sql`SELECT seq FROM case_events WHERE seq > ${cursor} ORDER BY seq LIMIT 1000`);
        for (const row of rows) {
          seen.push(Number(row.seq));
          cursor = Number(row.seq);
        }
        if (rows.length === 0) await new Promise((r) => setTimeout(r, 2));
      }
    })();
    await Promise.all(
      writerHandles.map(async (handle, w) => {
        const writer = new CaseWriter({ db: handle.db, config: DEFAULT_DOMAIN, maxBatch: 7 });
        const answers = await Promise.all(
          Array.from({ length: PER_WRITER }, (_, i) => writer.intake(sampleCase({ externalId: `w${w}-${i}`, location: undefined }) as never, actor)),
        );
        expect(answers.every((a) => a.status === 201)).toBe(true);
      }),
    );
    done = true;
    await follow;
    const total = WRITERS * PER_WRITER;
    expect(seen).toEqual(Array.from({ length: total }, (_, i) => i + 1));
  });
});

for (const reason of skipped) {
  describe('event log order with concurrent writers [postgres]', () => {
    it.skip(reason, () => undefined);
  });
}
