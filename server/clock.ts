/**
 * The node's clock: the one `now()` that everything in a node asks when it needs the time outside
 * SQL (the stream's "today" and hour, the risk map, report periods, order views, Open311's default
 * window, the demo simulator and order drill, the calendar warning). DESIGN.md: periods and
 * deadlines are decided by the database's clock, so a node's clock is its own plus the offset to
 * the database's `now()`, measured when it starts; a node whose clock runs fast cannot call a day
 * or a period over before the database does.
 *
 * boot() makes it and hands it down (composition root); a test passes its own through
 * BootOptions.clock or AppDeps.clock, or fakes the whole process's time with libfaketime
 * (`npm run test:anyhour`), which moves the embedded database's clock with it.
 */
import { sql } from 'drizzle-orm';
import { queryRows, type Database } from './db/client.js';

export interface Clock {
  now(): Date;
}

/** This machine's clock, for tools and tests that have no database to agree with. */
export const systemClock: Clock = { now: () => new Date() };

/** This machine's clock moved by `offsetMs`. */
export function offsetClock(offsetMs: number): Clock {
  return { now: () => new Date(Date.now() + offsetMs) };
}

/** The database's clock as this node reads it: the offset is measured once, half a round trip taken off. */
export async function databaseClock(db: Database): Promise<Clock & { offsetMs: number }> {
  const sent = Date.now();
  const [row] = await queryRows<{ now: string }>(db, sql`SELECT now() AS now`);
  const received = Date.now();
  const offsetMs = row ? Math.round(new Date(row.now).getTime() - (sent + received) / 2) : 0;
  return { ...offsetClock(offsetMs), offsetMs };
}
