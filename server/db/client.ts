/**
 * Opens the database: PGlite in DATA_DIR by default (embedded Postgres, one process per folder,
 * run in a worker thread so queries never stall the server's event loop),
 * or PostgreSQL when DATABASE_URL is set. Both get the same drizzle schema and migrations, and
 * both hand back the same `Database` type so nothing above this file knows which one it has.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import { sql, type SQL } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { lockDataDir } from './data-dir-lock.js';
import { PgliteWorkerClient } from './pglite-worker-client.js';
import * as schema from './schema.js';

export type Schema = typeof schema;
export type Database = PgDatabase<PgQueryResultHKT, Schema>;

/** Raw SQL through drizzle on either driver; both answer with `{ rows }`. */
export async function queryRows<T>(db: Pick<Database, 'execute'>, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

export interface DatabaseHandle {
  db: Database;
  kind: 'pglite' | 'postgres';
  /** Called if the database becomes unusable for good (the PGlite worker died). */
  onFailure(listener: (error: Error) => void): void;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** PostgreSQL connection string; when absent, PGlite in `dataDir`. */
  databaseUrl?: string;
  dataDir: string;
  /** PostgreSQL pool size (ignored for PGlite, which has one connection). */
  poolSize?: number;
  /** PostgreSQL's timeouts (ignored for PGlite); POSTGRES_TIMEOUTS when absent. */
  timeouts?: PostgresTimeouts;
}

/**
 * Bounds on every PostgreSQL connection, so a database that is gone or stuck fails a request
 * (503) instead of hanging it: connecting, one statement, waiting for a lock, and a transaction
 * left idle by a stalled node (which would otherwise hold the log head's lock for everyone).
 */
export interface PostgresTimeouts {
  connectMs: number;
  statementMs: number;
  lockMs: number;
  idleInTransactionMs: number;
}
export const POSTGRES_TIMEOUTS: PostgresTimeouts = { connectMs: 5_000, statementMs: 60_000, lockMs: 10_000, idleInTransactionMs: 60_000 };

const MIGRATIONS = fileURLToPath(new URL('./migrations', import.meta.url));
/** Advisory lock key that serialises migrations when several nodes start at once. */
const MIGRATION_LOCK = 7_261_001;

export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  const handle = options.databaseUrl
    ? await openPostgres(options.databaseUrl, options.poolSize ?? 8, options.timeouts ?? POSTGRES_TIMEOUTS)
    : await openPglite(options.dataDir);
  await handle.db
    .insert(schema.logHead)
    .values({ id: 1, seq: 0, epoch: randomUUID() })
    .onConflictDoNothing();
  return handle;
}

async function openPglite(dataDir: string): Promise<DatabaseHandle> {
  const unlock = lockDataDir(dataDir);
  try {
    const client = await PgliteWorkerClient.start(join(dataDir, 'pglite'));
    const db = drizzlePglite({ client: client as unknown as PGlite, schema });
    try {
      await migratePglite(db, { migrationsFolder: MIGRATIONS });
    } catch (error) {
      await client.close();
      throw error;
    }
    return {
      db: db as unknown as Database,
      kind: 'pglite',
      onFailure: (listener) => client.onFailure(listener),
      async close() {
        await client.close();
        unlock();
      },
    };
  } catch (error) {
    unlock();
    throw error;
  }
}

async function openPostgres(url: string, poolSize: number, timeouts: PostgresTimeouts): Promise<DatabaseHandle> {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: timeouts.connectMs,
    statement_timeout: timeouts.statementMs,
    lock_timeout: timeouts.lockMs,
    idle_in_transaction_session_timeout: timeouts.idleInTransactionMs,
    // The server's own statement_timeout cannot fire on a network that went silent: this one can.
    query_timeout: timeouts.statementMs + timeouts.connectMs,
  });
  // A connection lost while idle in the pool, and one lost while checked out (a backend ended by
  // a restart or pg_terminate_backend between a transaction's statements): without a listener on
  // the client itself the second is an unhandled 'error' event and ends the process. The query in
  // flight fails and is answered; the pool drops the broken client and connects anew.
  let lastLogged = 0;
  const lost = (error: Error) => {
    if (Date.now() - lastLogged < 10_000) return;
    lastLogged = Date.now();
    console.error(`postgres: a connection was lost (${(error as Error & { code?: string }).code ?? 'no code'}: ${error.message}); the pool reconnects`);
  };
  pool.on('error', lost);
  pool.on('connect', (client) => client.on('error', lost));
  const migrationClient = await pool.connect();
  try {
    // Waiting for another node's migration, and a migration itself, may take longer than a request.
    await migrationClient.query('SET statement_timeout = 0; SET lock_timeout = 0');
    await migrationClient.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await migrateNodePg(drizzleNodePg({ client: migrationClient, schema }), { migrationsFolder: MIGRATIONS });
  } finally {
    await migrationClient.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await migrationClient.query('RESET statement_timeout; RESET lock_timeout').catch(() => undefined);
    migrationClient.release();
  }
  const db = drizzleNodePg({ client: pool, schema });
  await db.execute(sql`SELECT 1`);
  // A lost PostgreSQL connection is not fatal: the pool reconnects on the next query.
  return { db: db as unknown as Database, kind: 'postgres', onFailure: () => undefined, close: () => pool.end() };
}
