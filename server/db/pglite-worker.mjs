// PGlite in a worker thread. PGlite executes Postgres (WebAssembly) synchronously in whatever
// thread calls it; in the server's own thread every query would stop HTTP parsing and socket
// traffic until it finished. Here it runs beside the server, which talks to it through
// PgliteWorkerClient (pglite-worker-client.ts; the message types live there).
//
// Plain JavaScript on purpose: a worker thread does not inherit the TypeScript loader the server
// runs under (npm start, vitest), and this file needs nothing but PGlite.
//
// Messages in: query | exec | begin | end (commit or roll back) | close, each with an id; every
// message gets exactly one answer with that id. A transaction stays open, holding PGlite's lock,
// from `begin` until its `end`; queries that name its txId run inside it.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';

const ROLLBACK = Symbol('rollback');
/** @type {Map<number, { tx: import('@electric-sql/pglite').Transaction, finish: (commit: boolean) => void, done: Promise<unknown> }>} */
const open = new Map();
let nextTxId = 1;

function errorFields(error) {
  if (error instanceof Error) {
    const fields = { ...error, message: error.message, name: error.name };
    delete fields.stack;
    return JSON.parse(JSON.stringify(fields));
  }
  return { message: String(error) };
}

/** drizzle passes identity parsers (keep timestamps as text) as functions; rebuild them here. */
function rawParsers(oids) {
  if (!oids || oids.length === 0) return undefined;
  return Object.fromEntries(oids.map((oid) => [oid, (value) => value]));
}

const pg = await PGlite.create(workerData.dataDir);

function target(txId) {
  if (txId === undefined) return pg;
  const entry = open.get(txId);
  if (!entry) throw new Error(`transaction ${txId} is not open`);
  return entry.tx;
}

/** Opens a PGlite transaction that stays open until its `end` message arrives. */
function begin() {
  const txId = nextTxId++;
  return new Promise((started, failed) => {
    let finish = () => undefined;
    const decided = new Promise((resolve) => (finish = resolve));
    const done = pg
      .transaction(async (tx) => {
        open.set(txId, { tx, finish, done });
        started({ txId });
        if (!(await decided)) throw ROLLBACK;
      })
      .catch((error) => {
        if (error !== ROLLBACK) throw error;
      })
      .finally(() => open.delete(txId));
    done.catch(failed);
  });
}

async function handle(request) {
  switch (request.type) {
    case 'query':
      return target(request.txId).query(request.sql, request.params, {
        rowMode: request.rowMode,
        parsers: rawParsers(request.rawOids),
      });
    case 'exec':
      return target(request.txId).exec(request.sql);
    case 'begin':
      return begin();
    case 'end': {
      const entry = open.get(request.txId);
      if (!entry) throw new Error(`transaction ${request.txId} is not open`);
      entry.finish(request.commit);
      await entry.done;
      return null;
    }
    case 'close':
      await pg.close();
      return null;
    default:
      throw new Error(`unknown request type ${String(request.type)}`);
  }
}

parentPort.on('message', (request) => {
  handle(request).then(
    (result) => parentPort.postMessage({ id: request.id, ok: true, result }),
    (error) => parentPort.postMessage({ id: request.id, ok: false, error: errorFields(error) }),
  );
});
parentPort.postMessage({ ready: true });
