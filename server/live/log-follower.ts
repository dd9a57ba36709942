/**
 * Follows the event log by seq: every node reads `case_events WHERE seq > cursor` in order and
 * hands each batch to its own projections, so any node can serve any client and nothing a wall
 * shows lives only in one node's memory. Polling is the data path (it keeps working with Redis or
 * NOTIFY gone); `wake()` is only a fast path, e.g. after this node's own commit.
 *
 * Visibility order equals seq order (every append holds the log_head lock), so a gap means "not
 * visible yet": the follower waits for it, and never jumps over it (a skipped seq is a silently
 * wrong wall). A gap that lasts `gapPatience` polls is reported loudly instead: a log line, and
 * `gap` (which /readyz reads, so a load balancer takes the node out until it is filled).
 */
import { asc, eq, gt } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { caseEvents, logHead } from '../db/schema.js';
import { describeDatabaseError } from '../db/unavailable.js';

export type LoggedEvent = typeof caseEvents.$inferSelect;

export interface LogFollowerOptions {
  db: Database;
  /** Start after this seq (a checkpoint, or 0 for the whole log). */
  fromSeq: number;
  /** Called with each batch in seq order; the next batch waits for it. */
  onEvents: (events: LoggedEvent[]) => void | Promise<void>;
  pollMs?: number;
  batchSize?: number;
  /** Polls a gap may last before it is reported (it is waited for either way). */
  gapPatience?: number;
  log?: (line: string) => void;
}

/** A seq the follower is waiting for, and since when (ms). */
export interface LogGap {
  seq: number;
  since: number;
}

export interface LogFollower {
  /** The last seq handed on. */
  readonly cursor: number;
  /** The log's epoch (changes only if the log is ever reset). */
  readonly epoch: string;
  /** The seq it has waited for past its patience, or null. */
  readonly gap: LogGap | null;
  /** Poll now instead of at the next tick. */
  wake(): void;
  /** Resolves once everything up to `seq` has been handed on. */
  reached(seq: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startLogFollower(options: LogFollowerOptions): Promise<LogFollower> {
  const { db, onEvents } = options;
  const pollMs = options.pollMs ?? 100;
  const batchSize = options.batchSize ?? 1000;
  const gapPatience = options.gapPatience ?? 50;
  const [head] = await db.select({ epoch: logHead.epoch }).from(logHead).where(eq(logHead.id, 1));
  const epoch = head?.epoch ?? '';

  let cursor = options.fromSeq;
  let stopped = false;
  let polling: Promise<void> | null = null;
  let again = false;
  let gapPolls = 0;
  let gap: LogGap | null = null;
  let gapLogged = 0;
  let lastError = '';
  let lastErrorAt = 0;
  const waiters: { seq: number; resolve: () => void }[] = [];

  const settleWaiters = () => {
    for (let i = waiters.length - 1; i >= 0; i--) {
      if (waiters[i]!.seq <= cursor) waiters.splice(i, 1)[0]!.resolve();
    }
  };

  const pollOnce = async (): Promise<boolean> => {
    const rows = await db.select().from(caseEvents).where(gt(caseEvents.seq, cursor)).orderBy(asc(caseEvents.seq)).limit(batchSize);
    if (rows.length === 0) return false;
    let take = rows.length;
    for (let i = 0; i < rows.length; i++) {
      if (rows[i]!.seq !== cursor + 1 + i) {
        take = i;
        break;
      }
    }
    if (take === 0) {
      if (++gapPolls >= gapPatience) {
        gap ??= { seq: cursor + 1, since: Date.now() };
        if (Date.now() - gapLogged > 60_000) {
          gapLogged = Date.now();
          options.log?.(
            `ERROR: log follower: seq ${cursor + 1} is missing from the log (seq ${rows[0]!.seq} is there) for ${gapPolls} polls; ` +
              'waiting for it, never skipping it. The figures stand still and /readyz answers 503 until it appears',
          );
        }
      }
      return false;
    }
    if (gap) options.log?.(`log follower: seq ${gap.seq} appeared after ${((Date.now() - gap.since) / 1000).toFixed(1)} s; following again`);
    gap = null;
    gapPolls = 0;
    const batch = rows.slice(0, take);
    await onEvents(batch);
    cursor = batch.at(-1)!.seq;
    settleWaiters();
    return take === batchSize;
  };

  const poll = () => {
    if (polling) {
      again = true;
      return polling;
    }
    polling = (async () => {
      try {
        do {
          again = false;
          while (!stopped && (await pollOnce())) {
            /* a full batch: read on */
          }
        } while (again && !stopped);
      } catch (error) {
        // It polls ten times a second: during an outage, one line per 10 s says enough.
        const line = `log follower: ${describeDatabaseError(error)}; polling on`;
        if (line !== lastError || Date.now() - lastErrorAt > 10_000) {
          options.log?.(line);
          lastError = line;
          lastErrorAt = Date.now();
        }
      } finally {
        polling = null;
      }
    })();
    return polling;
  };

  const timer = setInterval(() => void poll(), pollMs);
  timer.unref();
  await poll();

  return {
    get cursor() {
      return cursor;
    },
    epoch,
    get gap() {
      return gap;
    },
    wake: () => void poll(),
    reached(seq: number) {
      if (seq <= cursor) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ seq, resolve }));
    },
    async stop() {
      stopped = true;
      clearInterval(timer);
      await polling;
    },
  };
}
