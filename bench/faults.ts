/**
 * `npm run bench:faults`: what faults cost, measured through real HTTP against real server
 * processes on a PostgreSQL cluster of the bench's own (server/testing/private-postgres.ts).
 *
 * 1. PostgreSQL restart: 16 clients post to one node; after WARM_SECONDS (4) PostgreSQL is stopped
 *    (fast), kept down DOWN_SECONDS (2) and started; intake goes on AFTER_SECONDS (4). Printed:
 *    answers by status, the longest time without a 201, cases lost (201 but not stored),
 *    duplicates, node exits, and the time from PostgreSQL being back to /readyz 200 and to the
 *    next 201.
 * 2. SIGTERM under intake: 16 clients post to one node; SIGTERM after WARM_SECONDS. Printed:
 *    answers by status (no answer = refused once the node stopped listening), cases lost, cases
 *    written without a 201, duplicates, the exit code and time to exit, and the time for a new
 *    node on the same database to be ready.
 * 3. Slow walls: NORMAL_WALLS (50) walls that read, with and without STALLED_WALLS (50) sockets
 *    that never read, while RATE (100) cases a second arrive for SLOW_SECONDS (60), one frame per
 *    commit (SLOW_FRAME_MS 0). Printed: the server's RSS growth and the normal walls'
 *    intake→wall latency p50/p99, and their ratio.
 */
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { findPostgresBinaries, startPrivatePostgres, type PrivatePostgres } from '../server/testing/private-postgres.js';
import { startServerProcess, type ServerProcess } from '../server/testing/server-process.js';
import { connectStream, type StreamClient } from '../server/testing/stream-client.js';
import { benchCase, median, percentile } from './common.js';

const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const CLIENTS = 16;
const WARM_SECONDS = num('WARM_SECONDS', 4);
const DOWN_SECONDS = num('DOWN_SECONDS', 2);
const AFTER_SECONDS = num('AFTER_SECONDS', 4);
const NORMAL_WALLS = num('NORMAL_WALLS', 50);
const STALLED_WALLS = num('STALLED_WALLS', 50);
const RATE = num('RATE', 100);
const SLOW_SECONDS = num('SLOW_SECONDS', 60);
/** One frame per commit in the slow-walls runs, so what a stalled socket is sent outgrows the kernel's socket buffers (several MB) within the minute. */
const SLOW_FRAME_MS = process.env.SLOW_FRAME_MS ?? '0';
const TOKENS = { INTAKE_TOKEN: 'bench-intake-token-0123456789', WALL_TOKEN: 'bench-wall-token-0123456789', ADMIN_TOKEN: 'bench-admin-token-0123456789' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const found = findPostgresBinaries();
if (found.bin === null) {
  console.error(found.reason);
  process.exit(1);
}
const bin = found.bin;

/** A fresh cluster and a data folder; removed by `done`. */
async function setUp(): Promise<{ cluster: PrivatePostgres; dir: string; done(): Promise<void> }> {
  const cluster = await startPrivatePostgres(bin);
  const dir = mkdtempSync(join(tmpdir(), 'cp-bench-faults-'));
  return { cluster, dir, done: async () => (await cluster.destroy(), rmSync(dir, { recursive: true, force: true })) };
}

interface Intake {
  answers: Map<string, number | 'no answer'>;
  /** When each 201 came back (ms, performance.now()). */
  created: number[];
  stop(): Promise<void>;
}

/** CLIENTS clients posting one case after another until stopped; a refused connection ends a client. */
function startIntake(url: () => string, prefix: string): Intake {
  const answers = new Map<string, number | 'no answer'>();
  const created: number[] = [];
  let sending = true;
  const clients = Array.from({ length: CLIENTS }, async (_, c) => {
    for (let i = 0; sending; i++) {
      const externalId = `${prefix}-${c}-${i}`;
      try {
        const res = await fetch(`${url()}/api/cases`, {
          method: 'POST',
          headers: { authorization: `Bearer ${TOKENS.INTAKE_TOKEN}`, 'content-type': 'application/json' },
          body: JSON.stringify({ ...benchCase(), externalId }),
          signal: AbortSignal.timeout(30_000),
        });
        await res.text();
        answers.set(externalId, res.status);
        if (res.status === 201) created.push(performance.now());
        else await sleep(Number(res.headers.get('retry-after') ?? 0) > 0 ? 100 : 0);
      } catch {
        answers.set(externalId, 'no answer');
        return;
      }
    }
  });
  return {
    answers,
    created,
    async stop() {
      sending = false;
      await Promise.all(clients);
    },
  };
}

function byStatus(answers: Map<string, number | 'no answer'>): string {
  const counts = new Map<string, number>();
  for (const status of answers.values()) counts.set(String(status), (counts.get(String(status)) ?? 0) + 1);
  return [...counts].sort().map(([status, n]) => `${status} ×${n}`).join(', ');
}

/** What the database holds of `prefix`: lost 201s, writes without a 201, duplicates. */
async function audit(url: string, prefix: string, answers: Map<string, number | 'no answer'>) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const rows = (await client.query('SELECT external_id, count(*)::int AS n FROM cases WHERE external_id LIKE $1 GROUP BY 1', [`${prefix}-%`]).finally(() => client.end())).rows as { external_id: string; n: number }[];
  const stored = new Set(rows.map((r) => r.external_id));
  return {
    lost: [...answers].filter(([id, status]) => status === 201 && !stored.has(id)).length,
    unanswered: [...stored].filter((id) => answers.get(id) !== 201).length,
    duplicates: rows.filter((r) => r.n > 1).length,
  };
}

const longestGap = (times: number[]) => times.slice(1).reduce((most, t, i) => Math.max(most, t - times[i]!), 0);

async function until(test: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < timeoutMs) {
    if (await test().catch(() => false)) return performance.now() - started;
    await sleep(20);
  }
  return Number.POSITIVE_INFINITY;
}

async function postgresRestart(): Promise<void> {
  const { cluster, dir, done } = await setUp();
  const node = await startServerProcess({ ...TOKENS, DATA_DIR: dir, DATABASE_URL: cluster.url });
  try {
    const intake = startIntake(() => node.url, 'restart');
    await sleep(WARM_SECONDS * 1000);
    await cluster.restart(DOWN_SECONDS * 1000);
    const back = performance.now();
    const [ready, firstCreated] = await Promise.all([
      until(async () => (await fetch(`${node.url}/readyz`)).status === 200, 30_000),
      until(async () => intake.created.some((t) => t > back), 30_000),
    ]);
    await sleep(AFTER_SECONDS * 1000);
    await intake.stop();
    const { lost, duplicates } = await audit(cluster.url, 'restart', intake.answers);
    console.log('\n1. PostgreSQL restarted under 16 posting clients (one node)');
    console.log(`   answers: ${byStatus(intake.answers)}`);
    console.log(`   longest time without a 201: ${Math.round(longestGap(intake.created))} ms (PostgreSQL down ${DOWN_SECONDS} s)`);
    console.log(`   cases lost: ${lost}; duplicates: ${duplicates}; process exits: ${node.child.exitCode === null ? 0 : 1}`);
    console.log(`   after PostgreSQL was back: /readyz 200 in ${Math.round(ready)} ms, the next 201 in ${Math.round(firstCreated)} ms`);
    console.log(`   last-resort lines: ${(node.output().match(/LAST RESORT/g) ?? []).length}`);
  } finally {
    await node.stop();
    await done();
  }
}

async function sigterm(): Promise<void> {
  const { cluster, dir, done } = await setUp();
  let node: ServerProcess = await startServerProcess({ ...TOKENS, DATA_DIR: dir, DATABASE_URL: cluster.url });
  try {
    const intake = startIntake(() => node.url, 'term');
    await sleep(WARM_SECONDS * 1000);
    const exited = once(node.child, 'exit') as Promise<[number | null]>;
    const sent = performance.now();
    node.child.kill('SIGTERM');
    const [code] = await exited;
    const exitMs = performance.now() - sent;
    await intake.stop();
    const { lost, unanswered, duplicates } = await audit(cluster.url, 'term', intake.answers);
    const restarted = performance.now();
    node = await startServerProcess({ ...TOKENS, DATA_DIR: dir, DATABASE_URL: cluster.url });
    const ready = (await until(async () => (await fetch(`${node.url}/readyz`)).status === 200, 60_000)) + (performance.now() - restarted);
    console.log('\n2. SIGTERM under 16 posting clients (one node)');
    console.log(`   answers: ${byStatus(intake.answers)} (no answer: refused once the node stopped listening)`);
    console.log(`   cases lost: ${lost}; written without a 201: ${unanswered}; duplicates: ${duplicates}`);
    console.log(`   exit code ${code} after ${Math.round(exitMs)} ms; a new node on the same database ready in ${Math.round(ready)} ms`);
  } finally {
    await node.stop();
    await done();
  }
}

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(line?.replace(/\D/g, '') ?? 0) / 1024;
}

async function slowWallsRun(stalled: number): Promise<{ p50: number; p99: number; rssGrowth: number; behind: number; dropped: number; frameKb: number; frames: number }> {
  const { cluster, dir, done } = await setUp();
  const node = await startServerProcess({ ...TOKENS, DATA_DIR: dir, DATABASE_URL: cluster.url, MAX_SOCKETS_PER_TOKEN: '1000', FRAME_MS: SLOW_FRAME_MS });
  const walls: StreamClient[] = [];
  try {
    const frames: { at: number[]; seq: number[] }[] = [];
    const bytes: number[] = [];
    for (let i = 0; i < NORMAL_WALLS; i++) {
      const log = { at: [] as number[], seq: [] as number[] };
      frames.push(log);
      const onMessage = (m: Parameters<NonNullable<Parameters<typeof connectStream>[1]>['onMessage'] & {}>[0]) => {
        if (m.type !== 'delta') return;
        log.at.push(performance.now());
        log.seq.push(m.body.toSeq);
        if (i === 0 && bytes.length < 1_000) bytes.push(Buffer.byteLength(JSON.stringify(m.body)));
      };
      walls.push(await connectStream(node.url, { auth: { token: TOKENS.WALL_TOKEN }, keepMessages: false, onMessage }));
    }
    for (let i = 0; i < stalled; i++) {
      const wall = await connectStream(node.url, { auth: { token: TOKENS.WALL_TOKEN }, keepMessages: false });
      (wall.socket.io.engine.transport as unknown as { ws: { _socket: { pause(): void } } }).ws._socket.pause();
      walls.push(wall);
    }
    await sleep(1_000);
    const rss0 = rssMb(node.child.pid!);
    const sent: { at: number; seq: number }[] = [];
    const started = performance.now();
    for (let n = 0; n < RATE * SLOW_SECONDS; n++) {
      const due = started + (n * 1000) / RATE;
      if (due > performance.now()) await sleep(due - performance.now());
      const at = performance.now();
      void fetch(`${node.url}/api/cases`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKENS.INTAKE_TOKEN}`, 'content-type': 'application/json' },
        // Long titles make big frames: what a stalled socket is sent must outgrow the kernel's
        // socket buffers (up to 32 MB each on these machines) for the node's own bound to show.
        body: JSON.stringify({ ...benchCase(), title: `${'华夏路占道经营影响通行'.repeat(17)} ${n % 10}` }),
      }).then(async (res) => {
        const body = (await res.json()) as { seq?: number };
        if (res.status === 201 && body.seq) sent.push({ at, seq: body.seq });
      });
    }
    await sleep(3_000);
    const rssGrowth = rssMb(node.child.pid!) - rss0;
    const health = (await (await fetch(`${node.url}/healthz`)).json()) as { socketsBehind?: number };
    const latencies: number[] = [];
    for (const log of frames) {
      for (const { at, seq } of sent) {
        const i = log.seq.findIndex((s) => s >= seq);
        if (i >= 0) latencies.push(Math.max(0, log.at[i]! - at));
      }
    }
    const dropped = (node.output().match(/read nothing for/g) ?? []).length;
    return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), rssGrowth, behind: health.socketsBehind ?? -1, dropped, frameKb: median(bytes) / 1024, frames: frames[0]!.at.length };
  } finally {
    for (const wall of walls) wall.close();
    await node.stop();
    await done();
  }
}

async function slowWalls(): Promise<void> {
  const alone = await slowWallsRun(0);
  const beside = await slowWallsRun(STALLED_WALLS);
  console.log(`\n3. Slow walls: ${NORMAL_WALLS} reading walls, ${RATE} cases/s for ${SLOW_SECONDS} s, FRAME_MS=${SLOW_FRAME_MS}`);
  console.log(`   alone:                     intake→wall p50 ${Math.round(alone.p50)} ms, p99 ${Math.round(alone.p99)} ms; server RSS grew ${alone.rssGrowth.toFixed(1)} MB`);
  console.log(`   beside ${STALLED_WALLS} that never read: intake→wall p50 ${Math.round(beside.p50)} ms, p99 ${Math.round(beside.p99)} ms; server RSS grew ${beside.rssGrowth.toFixed(1)} MB; at the end ${beside.behind} sockets left out as behind, ${beside.dropped} dropped after 60 s behind`);
  console.log(`   p99 ratio (beside ÷ alone): ${(beside.p99 / alone.p99).toFixed(2)}; a reading wall got ${beside.frames} deltas, median ${beside.frameKb.toFixed(1)} KB`);
}

const only = process.argv[2];
console.log(`bench:faults on a private PostgreSQL cluster (${bin})`);
if (!only || only === 'restart') await postgresRestart();
if (!only || only === 'sigterm') await sigterm();
if (!only || only === 'slow') await slowWalls();
process.exit(0);
