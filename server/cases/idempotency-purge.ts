/**
 * Idempotency records hold whole intake bodies (names, phones, addresses): they are kept only as
 * long as a client may reasonably retry, 24 hours by the database's clock, then deleted. Every
 * node runs the purge hourly (the delete is the same on any node).
 */
import { sql } from 'drizzle-orm';
import { queryRows, type Database } from '../db/client.js';
import { startPeriodic, type Periodic } from '../live/periodic.js';

export const IDEMPOTENCY_KEEP_HOURS = 24;

/** Deletes the records older than `hours`; resolves with how many went. */
export async function purgeIdempotency(db: Database, hours = IDEMPOTENCY_KEEP_HOURS): Promise<number> {
  const rows = await queryRows<{ n: number | string }>(
    db,
    sql`WITH gone AS (DELETE FROM idempotency_keys WHERE created_at < now() - make_interval(hours => ${hours}) RETURNING 1) SELECT count(*) AS n FROM gone`,
  );
  return Number(rows[0]?.n ?? 0);
}

export function startIdempotencyPurge(db: Database, log?: (line: string) => void): Periodic<number> {
  const purge = startPeriodic(() => purgeIdempotency(db), { intervalMs: 60 * 60_000, name: 'idempotency purge', log });
  void purge.runOnce().catch(() => undefined); // and once at start
  return purge;
}
