/**
 * Readiness, for a load balancer (GET /readyz): may this node take traffic now? Not while it starts
 * or stops, not while its database cannot be reached (a probe bounded by `probeTimeoutMs`), and not
 * while its log follower is behind: when the log head seen `lagMs` ago or earlier is still ahead
 * of what this node's projections have folded, or the follower is waiting on a missing seq.
 * Liveness (GET /healthz) is separate: a node that is not ready is still alive.
 */
import { sql } from 'drizzle-orm';
import { queryRows, type Database } from './db/client.js';
import { describeDatabaseError } from './db/unavailable.js';
import type { LogGap } from './live/log-follower.js';

export interface ReadinessOptions {
  db: Database;
  /** True between "listening" and "stopping". */
  serving: () => boolean;
  /** The seq this node's projections have folded up to. */
  folded: () => number;
  /** The seq the follower waits for past its patience, if any. */
  gap: () => LogGap | null;
  /** How far behind the log head the node may be before it is not ready (default 5 s). */
  lagMs?: number;
  /** Longest wait for the database's answer (default 2 s). */
  probeTimeoutMs?: number;
  now?: () => number;
}

export interface ReadinessAnswer {
  ready: boolean;
  detail: Record<string, unknown>;
}

export function createReadiness(options: ReadinessOptions): () => Promise<ReadinessAnswer> {
  const lagMs = options.lagMs ?? 5_000;
  const probeTimeoutMs = options.probeTimeoutMs ?? 2_000;
  const now = options.now ?? Date.now;
  /** Log heads seen by earlier probes, oldest first. */
  const seen: { at: number; head: number }[] = [];

  return async () => {
    if (!options.serving()) return { ready: false, detail: { reason: 'starting or stopping' } };
    let head: number;
    try {
      head = await probeHead(options.db, probeTimeoutMs);
    } catch (error) {
      return { ready: false, detail: { reason: 'database unreachable', database: describeDatabaseError(error) } };
    }
    const at = now();
    seen.push({ at, head });
    // Keep the newest head older than lagMs (the one judged) and everything since.
    while (seen.length > 1 && seen[1]!.at <= at - lagMs) seen.shift();
    if (seen.length > 100) seen.splice(1, seen.length - 100);
    const folded = options.folded();
    const gap = options.gap();
    const judged = seen[0]!.at <= at - lagMs ? seen[0]! : null;
    const detail = { head, folded, behind: Math.max(0, head - folded) };
    if (gap) return { ready: false, detail: { ...detail, reason: `the log follower is waiting for missing seq ${gap.seq}`, since: new Date(gap.since).toISOString() } };
    if (judged && judged.head > folded) {
      return { ready: false, detail: { ...detail, reason: `more than ${lagMs / 1000} s behind the log (seq ${judged.head} not yet folded)` } };
    }
    return { ready: true, detail };
  };
}

async function probeHead(db: Database, timeoutMs: number): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const [row] = await Promise.race([queryRows<{ seq: number | string }>(db, sql`SELECT seq FROM log_head WHERE id = 1`), timeout]);
    return Number(row?.seq ?? 0);
  } finally {
    clearTimeout(timer);
  }
}
