/**
 * Vitest global setup: one migrated, empty PGlite folder per run, which every PGlite test database
 * starts as a copy of (server/testing/databases.ts). A fresh PGlite runs initdb in WebAssembly
 * (about 2.5 s of CPU); copying the folder takes a tenth of that, and there are dozens of suites.
 * The template holds the schema only: its log head is removed, so each copy gets its own epoch
 * when it is first opened. Startup tests that must see a truly fresh folder use tempDir() instead.
 * A run that is handed a template in CIVIC_PULSE_PGLITE_TEMPLATE (test:anyhour makes one for its
 * sixteen runs) uses it and leaves it in place.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../db/client.js';
import { logHead } from '../db/schema.js';

export const TEMPLATE_ENV = 'CIVIC_PULSE_PGLITE_TEMPLATE';

/** Migrates an empty PGlite in `dataDir`; the template is `<dataDir>/pglite`. */
export async function createPgliteTemplate(dataDir: string): Promise<string> {
  const handle = await openDatabase({ dataDir });
  await handle.db.delete(logHead);
  await handle.close();
  return join(dataDir, 'pglite');
}

export default async function makePgliteTemplate(): Promise<(() => void) | undefined> {
  const given = process.env[TEMPLATE_ENV];
  if (given && existsSync(given)) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'civic-pulse-template-'));
  // Workers are started after global setup, with this process's environment.
  process.env[TEMPLATE_ENV] = await createPgliteTemplate(dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
