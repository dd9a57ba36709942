/**
 * The server's side of PGlite-in-a-worker (pglite-worker.mjs): an object with the part of PGlite's
 * interface that drizzle's pglite driver uses (query, exec, transaction, close), forwarding each
 * call to the worker thread. Answers come back by id; a transaction is held open in the worker
 * between `begin` and `end`.
 */
import { Worker } from 'node:worker_threads';

/** What the worker (pglite-worker.mjs) accepts and answers. */
type WorkerRequest =
  | { id: number; type: 'query'; sql: string; params?: unknown[]; rowMode?: 'array' | 'object'; rawOids?: number[]; txId?: number }
  | { id: number; type: 'exec'; sql: string; txId?: number }
  | { id: number; type: 'begin' }
  | { id: number; type: 'end'; txId: number; commit: boolean }
  | { id: number; type: 'close' };
type WorkerAnswer = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: Record<string, unknown> };

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };
type QueryOptions = { rowMode?: 'array' | 'object'; parsers?: Record<number, unknown> };
type Request = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

const WORKER_FILE = new URL('./pglite-worker.mjs', import.meta.url);

/** The calls a transaction callback receives. */
export interface WorkerTransaction {
  query(sql: string, params?: unknown[], options?: QueryOptions): Promise<unknown>;
  exec(sql: string): Promise<unknown>;
}

export class PgliteWorkerClient {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failure: Error | null = null;
  private closing = false;
  private readonly failureListeners: ((error: Error) => void)[] = [];

  private constructor(worker: Worker) {
    this.worker = worker;
    worker.on('message', (answer: WorkerAnswer) => {
      const pending = this.pending.get(answer.id);
      if (!pending) return;
      this.pending.delete(answer.id);
      if (answer.ok) pending.resolve(answer.result);
      else pending.reject(Object.assign(new Error(String(answer.error.message)), answer.error));
    });
    const fail = (error: Error) => {
      if (this.failure) return;
      this.failure = error;
      for (const pending of this.pending.values()) pending.reject(error);
      this.pending.clear();
      if (!this.closing) for (const listener of this.failureListeners) listener(error);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the PGlite worker exited (code ${code})`)));
  }

  /** Starts the worker on `dataDir` and resolves once PGlite is open. */
  static async start(dataDir: string): Promise<PgliteWorkerClient> {
    const worker = new Worker(WORKER_FILE, { workerData: { dataDir } });
    await new Promise<void>((resolve, reject) => {
      const onMessage = (message: { ready?: boolean }) => {
        if (!message.ready) return;
        worker.off('error', reject);
        worker.off('message', onMessage);
        resolve();
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the PGlite worker exited while opening ${dataDir} (code ${code})`)));
    });
    return new PgliteWorkerClient(worker);
  }

  private send(request: Request): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...request, id });
    });
  }

  query(sql: string, params?: unknown[], options?: QueryOptions, txId?: number): Promise<unknown> {
    const rawOids = options?.parsers ? Object.keys(options.parsers).map(Number) : undefined;
    return this.send({ type: 'query', sql, params, rowMode: options?.rowMode, rawOids, txId });
  }

  exec(sql: string, txId?: number): Promise<unknown> {
    return this.send({ type: 'exec', sql, txId });
  }

  async transaction<T>(callback: (tx: WorkerTransaction) => Promise<T>): Promise<T> {
    const { txId } = (await this.send({ type: 'begin' })) as { txId: number };
    const tx: WorkerTransaction = {
      query: (sql, params, options) => this.query(sql, params, options, txId),
      exec: (sql) => this.exec(sql, txId),
    };
    let result: T;
    try {
      result = await callback(tx);
    } catch (error) {
      await this.send({ type: 'end', txId, commit: false }).catch(() => undefined);
      throw error;
    }
    await this.send({ type: 'end', txId, commit: true });
    return result;
  }

  /** Called once if the worker dies while the database is open: every later query fails. */
  onFailure(listener: (error: Error) => void): void {
    this.failureListeners.push(listener);
  }

  /** Stops the worker abruptly (tests use it to see a failure handled). */
  async crashForTest(): Promise<void> {
    await this.worker.terminate();
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.failure) return;
    await this.send({ type: 'close' }).catch(() => undefined);
    await this.worker.terminate().catch(() => undefined);
  }
}
