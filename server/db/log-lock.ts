/**
 * The lock that orders every append to the event log, and the one clock every writer agrees on:
 * a transaction that appends events takes the `log_head` row first (CaseWriter, OrderWriter), so
 * events become visible in exactly seq order even with several writers on several nodes.
 */
import { eq, sql } from 'drizzle-orm';
import type { Database } from './client.js';
import { logHead } from './schema.js';

export type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];

/** Locks the log head inside `tx`: the last seq handed out and the database's `now()`. */
export async function lockLogHead(tx: Tx): Promise<{ seq: number; now: Date }> {
  const [head] = await tx
    .update(logHead)
    .set({ seq: sql`${logHead.seq}` })
    .where(eq(logHead.id, 1))
    .returning({ seq: logHead.seq, now: sql<string>`now()` });
  if (!head) throw new Error('log_head row is missing');
  return { seq: head.seq, now: new Date(head.now) };
}
