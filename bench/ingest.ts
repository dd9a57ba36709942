/**
 * `npm run bench:ingest`: intake throughput through real HTTP into a real server process, with
 * production durability settings, on PGlite (and PostgreSQL when DATABASE_URL is set).
 *
 * For each database it measures, in rounds, cases/s for single POSTs from concurrent clients and
 * for 500-case batches, and reports the median; beside them the raw single-row transaction rate
 * of the same database kind measured in this run (case + event, one transaction each, no HTTP),
 * so the ratio says what group commit buys, and how long /healthz takes while batches arrive (the
 * event loop's responsiveness under ingest). Options (env): ROUNDS (3), SECONDS (5 per round),
 * CONCURRENCY (64 single-POST clients), BATCH (500).
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { createTestDatabase, tempDir, type DatabaseKind } from '../server/testing/databases.js';
import { startServerProcess } from '../server/testing/server-process.js';
import { benchCase, median, percentile } from './common.js';

const ROUNDS = Number(process.env.ROUNDS ?? 3);
const SECONDS = Number(process.env.SECONDS ?? 5);
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 64);
const BATCH = Number(process.env.BATCH ?? 500);
const TOKEN = `bench-intake-${randomBytes(8).toString('hex')}`;

async function singlePosts(url: string): Promise<number> {
  const deadline = Date.now() + SECONDS * 1000;
  let created = 0;
  const worker = async () => {
    while (Date.now() < deadline) {
      const res = await fetch(`${url}/api/cases`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(benchCase()),
      });
      if (res.status !== 201) throw new Error(`POST answered ${res.status}: ${await res.text()}`);
      await res.arrayBuffer().catch(() => undefined);
      created++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return created / ((performance.now() - started) / 1000);
}

/** Latency of GET /healthz every 20 ms until `until` resolves: how long the server's event loop is held. */
async function probeResponsiveness(url: string, until: Promise<unknown>): Promise<number[]> {
  const latencies: number[] = [];
  let done = false;
  void until.finally(() => (done = true));
  while (!done) {
    const started = performance.now();
    await fetch(`${url}/healthz`).then((r) => r.arrayBuffer());
    latencies.push(performance.now() - started);
    await new Promise((r) => setTimeout(r, 20));
  }
  return latencies;
}

async function batches(url: string, healthLatencies?: number[]): Promise<number> {
  const deadline = Date.now() + SECONDS * 1000;
  let created = 0;
  const worker = async () => {
    while (Date.now() < deadline) {
      const res = await fetch(`${url}/api/cases/batch`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ cases: Array.from({ length: BATCH }, benchCase) }),
      });
      const body = (await res.json()) as { created: number; failed: number };
      if (res.status !== 200 || body.failed > 0) throw new Error(`batch answered ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
      created += body.created;
    }
  };
  const started = performance.now();
  const work = Promise.all([worker(), worker()]);
  const probe = probeResponsiveness(url, work);
  await work;
  healthLatencies?.push(...(await probe));
  return created / ((performance.now() - started) / 1000);
}

/**
 * Single-row transactions (a case-sized row + an event row) straight into the database with its
 * own driver in this process: no HTTP, no worker, no drizzle. The floor group commit is judged by.
 */
async function rawInsertRate(kind: DatabaseKind): Promise<number> {
  const n = 1500;
  const payload = JSON.stringify(benchCase());
  const ddl = [
    'CREATE TABLE raw_cases (id text PRIMARY KEY, body jsonb NOT NULL, received_at timestamptz NOT NULL)',
    'CREATE TABLE raw_events (seq bigint PRIMARY KEY, case_id text NOT NULL, data jsonb NOT NULL)',
  ];
  const insertCase = 'INSERT INTO raw_cases VALUES ($1, $2::jsonb, now())';
  const insertEvent = 'INSERT INTO raw_events VALUES ($1, $2, $3::jsonb)';
  if (kind === 'pglite') {
    const dir = tempDir();
    const pg = await PGlite.create(dir);
    try {
      for (const statement of ddl) await pg.exec(statement);
      const started = performance.now();
      for (let i = 0; i < n; i++) {
        await pg.transaction(async (tx) => {
          await tx.query(insertCase, [`r${i}`, payload]);
          await tx.query(insertEvent, [i, `r${i}`, payload]);
        });
      }
      return n / ((performance.now() - started) / 1000);
    } finally {
      await pg.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const testDb = await createTestDatabase(kind);
  const client = new pg.Client({ connectionString: testDb.url });
  await client.connect();
  try {
    for (const statement of ddl) await client.query(statement);
    const started = performance.now();
    for (let i = 0; i < n; i++) {
      await client.query('BEGIN');
      await client.query(insertCase, [`r${i}`, payload]);
      await client.query(insertEvent, [i, `r${i}`, payload]);
      await client.query('COMMIT');
    }
    return n / ((performance.now() - started) / 1000);
  } finally {
    await client.end();
    await testDb.destroy();
  }
}

async function benchKind(kind: DatabaseKind) {
  const testDb = await createTestDatabase(kind);
  const dataDir = tempDir();
  const server = await startServerProcess({
    DATA_DIR: dataDir,
    DATABASE_URL: testDb.url ?? '',
    INTAKE_TOKEN: TOKEN,
    DEMO: '0',
  });
  try {
    await singlePosts(server.url); // warm-up: JIT, prepared plans, connection pool
    const single: number[] = [];
    const batched: number[] = [];
    const health: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      single.push(await singlePosts(server.url));
      batched.push(await batches(server.url, health));
    }
    await server.stop();
    const raw = await rawInsertRate(kind);
    return { kind, single, batched, raw, health };
  } finally {
    if (server.child.exitCode === null) await server.stop();
    await testDb.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const kinds: DatabaseKind[] = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
console.log(`bench:ingest — ${ROUNDS} rounds × ${SECONDS} s, ${CONCURRENCY} single-POST clients, batches of ${BATCH} (2 clients)`);
if (!process.env.DATABASE_URL) console.log('PostgreSQL skipped: DATABASE_URL is not set');
const results = [];
for (const kind of kinds) {
  const r = await benchKind(kind);
  results.push(r);
  const fmt = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(', ');
  console.log(`\n${kind}`);
  console.log(`  single POSTs : median ${median(r.single).toFixed(0)} cases/s  (rounds: ${fmt(r.single)})`);
  console.log(`  batches      : median ${median(r.batched).toFixed(0)} cases/s  (rounds: ${fmt(r.batched)})`);
  console.log(`  raw 1-row tx : ${r.raw.toFixed(0)} tx/s (case + event, no HTTP)`);
  console.log(`  /healthz     : p50 ${percentile(r.health, 50).toFixed(1)} ms, p99 ${percentile(r.health, 99).toFixed(1)} ms while batches arrive (${r.health.length} probes)`);
  console.log(`  ratios       : single ÷ raw = ${(median(r.single) / r.raw).toFixed(2)}, batches ÷ raw = ${(median(r.batched) / r.raw).toFixed(2)}`);
}
console.log(`\n${JSON.stringify({ bench: 'ingest', results: results.map((r) => ({ kind: r.kind, singleMedian: Math.round(median(r.single)), batchMedian: Math.round(median(r.batched)), rawTxPerSecond: Math.round(r.raw), healthP99Ms: Math.round(percentile(r.health, 99)) })) })}`);
