#!/usr/bin/env node
// `npm run test:anyhour` (issue 14): runs the suites whose outcome could depend on the wall clock
// (the date, the hour, the weekday, a holiday, a period boundary, the demo's daily rhythm) with the
// whole test process believing it is another time: 00:05, 07:00, 12:00 and 23:55 in Shanghai, on
// an ordinary Wednesday, a Saturday, the last day of a quarter (the eve of National Day) and a
// public holiday (National Day): sixteen instants. The suites where the hour and the date both
// matter run at all sixteen, the others at four (see EVERY_INSTANT and SOME_INSTANTS below).
// `npm test` passes only if every run passes.
//
// How the time is faked: libfaketime (Debian's `faketime` package), preloaded into the vitest
// process with a relative offset, so every process it starts shares the same fake clock, the
// embedded database (PGlite runs inside the process) included, so "the database's now()" moves
// with it. The machine's shared PostgreSQL keeps the real time, so these runs use PGlite only; the
// PostgreSQL variants of the same suites run at the real time in `vitest run`. Browser suites are
// left to `vitest run` too (sixteen Chromium runs would cost more than the rest of CI).
//
// Without libfaketime the check says it was skipped and why; under CI=true it fails instead.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** The days: fixed, so a failure found here is found again; all in the shipped holiday calendar. */
const DAYS = [
  { date: '2026-12-09', kind: 'weekday' }, // an ordinary Wednesday
  { date: '2026-12-12', kind: 'saturday' }, // working-day deadlines stand still, weekend traffic
  { date: '2026-09-30', kind: 'quarter-end' }, // the last day of a month and a quarter, the eve of a week of holidays
  { date: '2026-10-01', kind: 'holiday' }, // National Day, on a Thursday
];
const TIMES = ['00:05', '07:00', '12:00', '23:55'];

/**
 * The suites whose outcome could depend on the hour and the date together: "today" and the hour on
 * the wall and in the summary, end of day at midnight, deadlines counted from now across nights,
 * weekends and holidays, a simulated day cut at the current hour. They run at all sixteen instants,
 * with the shared/domain rules (pure and cheap: calendar, deadlines, grades).
 */
const EVERY_INSTANT = [
  'shared/domain/',
  'client/wall/format.test.ts',
  'client/wall/chart-options.test.ts',
  'server/live/projection.test.ts',
  'server/stats/summary.test.ts',
  'server/live/day-end.test.ts',
  'server/live/sla-monitor.test.ts',
  'server/http/cases-api.test.ts',
  'server/http/service-network-api.test.ts',
];

/**
 * Suites that read the clock too, but whose data is pinned to a fixed instant (a node booted with
 * its own clock, the simulator, the reports, the risk map), or that depend on the date rather than
 * the hour (the order drill's and early warning's past weeks, order windows, Open311's 90 days, the
 * alert list), and the two heaviest (the live stream, the importer's replay). They run at four of
 * the instants, one on each day and one at each hour: all sixteen would double the time CI takes.
 */
const SOME_INSTANTS = [
  'server/clock.test.ts',
  'server/sim/simulator.test.ts',
  'server/reports/reports.test.ts',
  'server/risk/risk-map.test.ts',
  'server/sim/order-drill.test.ts',
  'server/risk/warning-monitor.test.ts',
  'server/http/orders-api.test.ts',
  'server/http/alerts-api.test.ts',
  'server/http/open311.test.ts',
  'server/live/stream.test.ts',
  'server/import/import.test.ts',
];
const WITH_SOME = new Set(['weekday-07:00', 'saturday-00:05', 'quarter-end-23:55', 'holiday-12:00']);

/** Where Debian (and a source build) put libfaketime's multi-threaded variant. */
function findLibfaketime() {
  const candidates = [
    process.env.LIBFAKETIME,
    '/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1',
    '/usr/lib/aarch64-linux-gnu/faketime/libfaketimeMT.so.1',
    '/usr/local/lib/faketime/libfaketimeMT.so.1',
  ];
  return candidates.find((path) => path && existsSync(path)) ?? null;
}

/** Runs one vitest process at `instant` (a Shanghai wall-clock time); resolves with its exit code and log. */
function runAt(instant, library, logDir, template) {
  const target = Date.parse(`${instant.date}T${instant.time}:00+08:00`);
  const offsetSeconds = Math.round((target - Date.now()) / 1000);
  const env = { ...process.env };
  // The shared PostgreSQL keeps the real clock: run the embedded database only (see the header).
  delete env.DATABASE_URL;
  delete env.CI;
  Object.assign(env, {
    LD_PRELOAD: [library, env.LD_PRELOAD].filter(Boolean).join(' '),
    FAKETIME: `${offsetSeconds >= 0 ? '+' : ''}${offsetSeconds}`,
    FAKETIME_DONT_FAKE_MONOTONIC: '1',
    CIVIC_PULSE_PGLITE_TEMPLATE: template,
  });
  // The check that cannot pass by accident: the faked process must really see the instant.
  const seen = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(Date.now()))'], { env, encoding: 'utf8' });
  const drift = Math.abs(Number(seen.stdout) - target);
  if (!(drift < 60_000)) {
    return Promise.resolve({ code: 1, log: `libfaketime did not take: a faked process saw ${seen.stdout || seen.stderr}, expected ${target}` });
  }
  const logFile = join(logDir, `${instant.kind}-${instant.time.replace(':', '')}.log`);
  const suites = [...EVERY_INSTANT, ...(WITH_SOME.has(instant.label) ? SOME_INSTANTS : [])];
  return new Promise((resolve) => {
    // --no-isolate: a worker keeps its loaded modules from one suite to the next, which takes a
    // third off each run (the suites share no state but their modules).
    const child = spawn(process.execPath, [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '--no-isolate', ...suites], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const chunks = [];
    child.stdout.on('data', (c) => chunks.push(c));
    child.stderr.on('data', (c) => chunks.push(c));
    child.on('close', (code) => {
      const log = Buffer.concat(chunks).toString('utf8');
      writeFileSync(logFile, log);
      resolve({ code: code ?? 1, log, logFile });
    });
  });
}

/** The vitest summary lines of a log, without colours. */
function summaryOf(log) {
  const plain = log.replace(/\x1b\[[0-9;]*m/g, '');
  const tests = plain.match(/^\s*Tests\s+(.*)$/m)?.[1] ?? 'no summary';
  const duration = plain.match(/^\s*Duration\s+([\d.]+m?s)/m)?.[1] ?? '?';
  const failed = [...plain.matchAll(/^\s*(?:FAIL|×)\s+(.*)$/gm)].map((m) => m[1].trim());
  return { tests, duration, failed: [...new Set(failed)] };
}

async function main() {
  const library = findLibfaketime();
  if (!library) {
    const reason = 'test:anyhour skipped: libfaketime not found (apt-get install faketime, or set LIBFAKETIME)';
    if (process.env.CI === 'true') {
      console.error(`${reason}, and CI=true requires it`);
      process.exit(1);
    }
    console.log(`\n  NOTE: ${reason}\n`);
    return;
  }
  const only = process.argv.slice(2); // e.g. `npm run test:anyhour -- holiday-23:55`
  const instants = DAYS.flatMap((day) => TIMES.map((time) => ({ ...day, time, label: `${day.kind}-${time}` }))).filter(
    (i) => only.length === 0 || only.some((o) => i.label.includes(o)),
  );
  const logDir = mkdtempSync(join(tmpdir(), 'civic-pulse-anyhour-'));
  console.log(
    `test:anyhour: ${EVERY_INSTANT.length} suites at ${instants.length} Shanghai times and ${SOME_INSTANTS.length} more at ` +
      `${instants.filter((i) => WITH_SOME.has(i.label)).length} of them, on PGlite, clock faked by ${library}; logs in ${logDir}`,
  );
  // One migrated PGlite template for all sixteen runs (server/testing/pglite-template.ts).
  const made = spawnSync(
    process.execPath,
    ['--import', 'tsx', '-e', "const m = await import('./server/testing/pglite-template.ts'); process.stdout.write(await m.createPgliteTemplate(process.argv[1]))", join(logDir, 'template')],
    { cwd: ROOT, encoding: 'utf8' },
  );
  if (made.status !== 0) {
    console.error(`test:anyhour: could not make the PGlite template:\n${made.stderr}`);
    process.exit(1);
  }
  const template = made.stdout;
  const failures = [];
  const started = Date.now();
  for (const instant of instants) {
    const { code, log, logFile } = await runAt(instant, library, logDir, template);
    const { tests, duration, failed } = summaryOf(log);
    const mark = code === 0 ? 'ok  ' : 'FAIL';
    console.log(`  ${mark} ${instant.date} ${instant.time} (${instant.kind}): ${tests} in ${duration}`);
    for (const line of failed) console.log(`         × ${line}`);
    if (code !== 0) failures.push({ instant, log, logFile });
  }
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  if (failures.length === 0) {
    console.log(`test:anyhour: passed at all ${instants.length} times in ${minutes} min`);
    return;
  }
  for (const { instant, log, logFile } of failures) {
    console.log(`\n---- ${instant.label} (${instant.date} ${instant.time} Shanghai), full log in ${logFile ?? '(none)'} ----`);
    console.log(log.split('\n').slice(-80).join('\n'));
  }
  console.log(`test:anyhour: FAILED at ${failures.length} of ${instants.length} times (${failures.map((f) => f.instant.label).join(', ')})`);
  process.exit(1);
}

await main();
