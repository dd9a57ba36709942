/**
 * Keeps this node's projections current: starts from the newest checkpoint (if it belongs to this
 * log's epoch and the projection's version), follows the event log by seq, folds each batch into
 * the projection and tells listeners what it touched. It remembers the recent batches' changes so
 * a client resuming from `lastSeq` gets just what it missed, and writes checkpoints now and then so
 * a node with a million cases starts in seconds.
 */
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { queryRows } from '../db/client.js';
import { projectionCheckpoints } from '../db/schema.js';
import { startLogFollower, type LogFollower, type LogGap, type LoggedEvent } from './log-follower.js';
import { Changes, Projection, PROJECTION_VERSION, type ProjectionState } from './projection.js';
import { describeDatabaseError } from '../db/unavailable.js';

const CHECKPOINT_NAME = 'live';

export interface ProjectorOptions {
  db: Database;
  log?: (line: string) => void;
  /** How often a checkpoint is written when the log moved (default 30 s; 0 = never on a timer). */
  checkpointMs?: number;
  /** How far back (in seqs) a resuming client can be served from memory (default 20,000). */
  resumeSpan?: number;
  /** Fold and announce events one at a time (the benchmark's "coalescing off"). */
  oneByOne?: boolean;
  pollMs?: number;
}

export interface Projector {
  readonly projection: Projection;
  readonly epoch: string;
  /** Told after every folded batch (or event, one by one), in seq order. */
  onApplied(listener: (changes: Changes) => void): void;
  /** What changed after `seq`, or null when memory does not reach back that far. */
  changesSince(seq: number): Changes | null;
  wake(): void;
  reached(seq: number): Promise<void>;
  /** A seq the log follower has been waiting for too long (see log-follower.ts), or null. */
  readonly gap: LogGap | null;
  saveCheckpoint(): Promise<void>;
  stop(): Promise<void>;
}

export async function startProjector(options: ProjectorOptions): Promise<Projector> {
  const { db } = options;
  const log = options.log ?? (() => undefined);
  const resumeSpan = options.resumeSpan ?? 20_000;
  const [head] = await queryRows<{ epoch: string }>(db, sql`SELECT epoch FROM log_head WHERE id = 1`);
  const epoch = head?.epoch ?? '';

  const projection = await loadCheckpoint(db, epoch, log);
  const started = Date.now();
  const startSeq = projection.seq;
  const history: Changes[] = [];
  const listeners: ((changes: Changes) => void)[] = [];
  let savedSeq = projection.seq;

  const remember = (changes: Changes) => {
    history.push(changes);
    while (history.length > 1 && projection.seq - history[0]!.fromSeq > resumeSpan) history.shift();
    for (const listener of listeners) {
      try {
        listener(changes);
      } catch (error) {
        log(`live: a listener failed: ${describeDatabaseError(error)}`);
      }
    }
  };
  const onEvents = (events: LoggedEvent[]) => {
    if (options.oneByOne) for (const event of events) remember(projection.apply([event]));
    else remember(projection.apply(events));
  };

  const follower: LogFollower = await startLogFollower({ db, fromSeq: projection.seq, onEvents, pollMs: options.pollMs, log });
  if (projection.seq > startSeq) {
    log(`live: projections at seq ${projection.seq} (${projection.seq - startSeq} events replayed in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }

  const saveCheckpoint = async () => {
    if (projection.seq === savedSeq) return;
    const state = projection.toState();
    await db
      .insert(projectionCheckpoints)
      .values({ name: CHECKPOINT_NAME, seq: state.seq, epoch, version: PROJECTION_VERSION, state })
      .onConflictDoUpdate({
        target: projectionCheckpoints.name,
        set: { seq: state.seq, epoch, version: PROJECTION_VERSION, state, savedAt: sql`now()` },
        setWhere: sql`${projectionCheckpoints.seq} < excluded.seq OR ${projectionCheckpoints.epoch} <> excluded.epoch OR ${projectionCheckpoints.version} <> excluded.version`,
      });
    savedSeq = state.seq;
  };
  let saving: Promise<void> | null = null;
  const checkpointMs = options.checkpointMs ?? 30_000;
  const timer =
    checkpointMs > 0
      ? setInterval(() => {
          saving ??= saveCheckpoint()
            .catch((error: Error) => log(`live: checkpoint not written: ${describeDatabaseError(error)}`))
            .finally(() => (saving = null));
        }, checkpointMs)
      : null;
  timer?.unref();

  return {
    projection,
    epoch,
    onApplied: (listener) => void listeners.push(listener),
    changesSince(seq) {
      if (seq > projection.seq) return null;
      const changes = new Changes(seq);
      changes.toSeq = projection.seq;
      if (seq === projection.seq) return changes;
      const first = history.findIndex((c) => c.toSeq > seq);
      if (first < 0 || history[first]!.fromSeq > seq) return null;
      for (const c of history.slice(first)) changes.absorb(c);
      changes.fromSeq = seq;
      return changes;
    },
    wake: () => follower.wake(),
    reached: (seq) => follower.reached(seq),
    get gap() {
      return follower.gap;
    },
    saveCheckpoint,
    async stop() {
      if (timer) clearInterval(timer);
      await follower.stop();
      await saving;
      await saveCheckpoint().catch((error: Error) => log(`live: checkpoint not written: ${describeDatabaseError(error)}`));
    },
  };
}

/** The newest usable checkpoint, or an empty projection (the log is then replayed from seq 0). */
async function loadCheckpoint(db: Database, epoch: string, log: (line: string) => void): Promise<Projection> {
  const [row] = await db.select().from(projectionCheckpoints).where(sql`${projectionCheckpoints.name} = ${CHECKPOINT_NAME}`);
  if (!row) return new Projection();
  if (row.epoch !== epoch || row.version !== PROJECTION_VERSION) {
    log(`live: ignoring the checkpoint at seq ${row.seq} (epoch or projection version changed); replaying the log`);
    return new Projection();
  }
  try {
    return Projection.fromState(row.state as ProjectionState);
  } catch (error) {
    log(`live: ignoring an unreadable checkpoint (${describeDatabaseError(error)}); replaying the log`);
    return new Projection();
  }
}
