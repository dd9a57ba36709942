/**
 * `npm run bench:hostile`: the hostile-input property (server/http/hostile-input.test.ts, RULES
 * FLT5) at full size, 50,000 generated requests per database with a fresh seed, where `npm test`
 * runs 300 with a fixed one. Prints, per database, the answers by status and the cases created;
 * any 5xx or a case count that moved by anything but the accepted cases fails it (exit 1).
 * HOSTILE_RUNS overrides the count; DATABASE_URL adds PostgreSQL.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const runs = process.env.HOSTILE_RUNS ?? '50000';
console.log(`bench:hostile: ${runs} generated requests per database${process.env.DATABASE_URL ? ' (PGlite and PostgreSQL)' : ' (PGlite; set DATABASE_URL for PostgreSQL too)'}`);
const result = spawnSync(process.execPath, [`${root}node_modules/vitest/vitest.mjs`, 'run', 'server/http/hostile-input.test.ts'], {
  cwd: root,
  env: { ...process.env, HOSTILE_RUNS: runs, HOSTILE_SEED: process.env.HOSTILE_SEED ?? 'random' },
  encoding: 'utf8',
});
const output = `${result.stdout}\n${result.stderr}`.replace(/\x1b\[[0-9;]*m/g, '');
for (const line of output.split('\n').map((l) => l.trim())) if (/^hostile input \[|Counterexample|answered 5\d\d|^Tests /.test(line)) console.log(line);
process.exit(result.status ?? 1);
