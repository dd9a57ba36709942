/**
 * Test support: run one suite against every database the project supports. PGlite always (in a
 * temp folder, a copy of the run's migrated template); PostgreSQL when DATABASE_URL is set, each
 * suite in a fresh database of its own, dropped afterwards. Without DATABASE_URL the PostgreSQL
 * run is skipped and says why; under CI=true a missing PostgreSQL fails instead.
 */
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../db/client.js';
import { TEMPLATE_ENV } from './pglite-template.js';

export type DatabaseKind = 'pglite' | 'postgres';

export interface TestDatabase {
  kind: DatabaseKind;
  /** For PostgreSQL, the URL of the suite's own database. */
  url?: string;
  dataDir: string;
  open(): Promise<DatabaseHandle>;
  /** Drops the PostgreSQL database / removes the folder. */
  destroy(): Promise<void>;
}

export function tempDir(prefix = 'civic-pulse-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A fresh, empty database of the given kind. */
export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  const dataDir = tempDir();
  if (kind === 'pglite') {
    // A copy of the run's migrated template (server/testing/pglite-template.ts) when there is one.
    const template = process.env[TEMPLATE_ENV];
    if (template && existsSync(template)) cpSync(template, join(dataDir, 'pglite'), { recursive: true });
    return {
      kind,
      dataDir,
      open: () => openDatabase({ dataDir }),
      destroy: async () => rmSync(dataDir, { recursive: true, force: true }),
    };
  }
  const base = process.env.DATABASE_URL;
  if (!base) throw new Error('DATABASE_URL is not set');
  const name = `cp_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    kind,
    url: url.toString(),
    dataDir,
    open: () => openDatabase({ databaseUrl: url.toString(), dataDir }),
    destroy: async () => {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The kinds this run can test, and a reason for each one it cannot. */
export function availableDatabases(): { kinds: DatabaseKind[]; skipped: string[] } {
  if (process.env.DATABASE_URL) return { kinds: ['pglite', 'postgres'], skipped: [] };
  const reason = 'PostgreSQL tests skipped: DATABASE_URL is not set';
  if (process.env.CI === 'true') throw new Error(`${reason}, and CI=true requires them`);
  return { kinds: ['pglite'], skipped: [reason] };
}

/** `describe` once per available database; a skipped kind shows up as a skipped test naming why. */
export function describeEachDatabase(name: string, suite: (kind: DatabaseKind) => void): void {
  const { kinds, skipped } = availableDatabases();
  for (const kind of kinds) describe(`${name} [${kind}]`, () => suite(kind));
  for (const reason of skipped) {
    describe(`${name} [postgres]`, () => {
      it.skip(reason, () => undefined);
    });
  }
}
