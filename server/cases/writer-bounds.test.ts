/**
 * The case writer's bounds (RULES FLT4): past its queue limit an intake is refused at once, and an
 * operation that waited past its time is refused before it is written; either answers 503 and
 * nothing of it is stored. A batch that fails because the database is away is answered at once,
 * not retried one by one.
 */
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { DEFAULT_DOMAIN } from '../config.js';
import { queryRows } from '../db/client.js';
import { DatabaseBusyError, isDatabaseUnavailable } from '../db/unavailable.js';
import { describeEachDatabase } from '../testing/databases.js';
import { sampleCase } from '../testing/test-app.js';
import { useWriterDatabase } from '../testing/writer-database.js';
import { CaseWriter, type Actor } from './case-writer.js';

const actor: Actor = { label: 'bounds test', role: 'intake', origin: 'test' };
const intake = (writer: CaseWriter, externalId: string) => writer.intake(sampleCase({ externalId, location: undefined }) as never, actor);
const stored = async (db: Parameters<typeof queryRows>[0], prefix: string) =>
  Number((await queryRows<{ n: number | string }>(db, sql`SELECT count(*) AS n FROM cases WHERE external_id LIKE ${`${prefix}%`}`))[0]!.n);

describeEachDatabase('case writer bounds', (kind) => {
  const db = useWriterDatabase(kind);

  it('[FLT4] past maxQueue an intake is refused at once as busy (503), and only the queued ones are written', async () => {
    const writer = new CaseWriter({ db: db.handle.db, config: DEFAULT_DOMAIN, maxQueue: 3 });
    const answers = await Promise.allSettled(Array.from({ length: 8 }, (_, i) => intake(writer, `bound-q-${i}`)));
    expect(answers.map((a) => a.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', ...Array(5).fill('rejected')]);
    for (const refused of answers.slice(3)) {
      const reason = (refused as PromiseRejectedResult).reason;
      expect(reason).toBeInstanceOf(DatabaseBusyError);
      expect(isDatabaseUnavailable(reason)).toBe(true);
    }
    expect(await stored(db.handle.db, 'bound-q-')).toBe(3);
  });

  it('[FLT4] an operation that waited longer than maxWaitMs is refused unwritten', async () => {
    const writer = new CaseWriter({ db: db.handle.db, config: DEFAULT_DOMAIN, maxWaitMs: 1 });
    const pending = Array.from({ length: 4 }, (_, i) => intake(writer, `bound-w-${i}`));
    const until = Date.now() + 10;
    while (Date.now() < until) {
      /* hold the event loop: the queue's first batch is taken after this */
    }
    const answers = await Promise.allSettled(pending);
    expect(answers.every((a) => a.status === 'rejected' && a.reason instanceof DatabaseBusyError)).toBe(true);
    expect(await stored(db.handle.db, 'bound-w-')).toBe(0);
    expect((await intake(writer, 'bound-w-fresh')).status).toBe(201); // a fresh one goes through
  });
});
