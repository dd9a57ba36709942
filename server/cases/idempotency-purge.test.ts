/**
 * Idempotency records (they hold intake bodies) are deleted after 24 hours (RULES MASK11).
 */
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { queryRows } from '../db/client.js';
import { describeEachDatabase } from '../testing/databases.js';
import { useWriterDatabase } from '../testing/writer-database.js';
import { purgeIdempotency } from './idempotency-purge.js';

describeEachDatabase('idempotency purge', (kind) => {
  const db = useWriterDatabase(kind);

  it('[MASK11] records older than 24 hours are deleted; younger ones stay', async () => {
    const insert = (key: string, hoursAgo: number) =>
      db.handle.db.execute(sql`INSERT INTO idempotency_keys (key, request_hash, status, body, created_at) VALUES (${key}, 'h', 201, '{"row":{"reporterPhone":"13812345678"}}'::jsonb, now() - make_interval(hours => ${hoursAgo}))`);
    await insert('purge:old', 25);
    await insert('purge:young', 23);
    expect(await purgeIdempotency(db.handle.db)).toBe(1);
    const left = await queryRows<{ key: string }>(db.handle.db, sql`SELECT key FROM idempotency_keys WHERE key LIKE 'purge:%' ORDER BY key`);
    expect(left.map((r) => r.key)).toEqual(['purge:young']);
  });
});
