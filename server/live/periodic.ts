/**
 * A pass that runs every few seconds and on demand, never twice at once: the shape of the deadline
 * monitor and the warning monitor. `runOnce` joins a pass in flight; a failed timed pass is logged
 * and the next one tries again; `stop` waits for the pass in flight.
 */
import { describeDatabaseError } from '../db/unavailable.js';

export interface Periodic<T> {
  runOnce(): Promise<T>;
  stop(): Promise<void>;
}

export function startPeriodic<T>(pass: () => Promise<T>, options: { intervalMs: number; name: string; log?: (line: string) => void }): Periodic<T> {
  let running: Promise<T> | null = null;
  const runOnce = () => {
    running ??= pass().finally(() => (running = null));
    return running;
  };
  const timer = setInterval(() => {
    runOnce().catch((error: unknown) => options.log?.(`${options.name}: ${describeDatabaseError(error)}`));
  }, options.intervalMs);
  timer.unref();
  return {
    runOnce,
    async stop() {
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}

/** Whether `promise` has settled yet (true at once without one): a pass's "wait for the backfill". */
export function settledFlag(promise: Promise<unknown> | undefined): () => boolean {
  let settled = promise === undefined;
  promise?.then(
    () => (settled = true),
    () => (settled = true), // a failed backfill leaves what it wrote: go on with that
  );
  return () => settled;
}
