/**
 * `npm run bench:live`: the live stream under load, through real HTTP and real sockets, with the
 * server as a separate process (PGlite, or PostgreSQL when DATABASE_URL is set).
 *
 * 1. Stream: CLIENTS socket.io-clients (200) hold the stream (each folds every delta into its
 *    store, as a wall does) while cases arrive by POST at RATE per second (200) for SECONDS (20),
 *    ROUNDS times (3). Latency = from sending a POST to a client receiving the first delta that
 *    covers the case's seq, over every client and case. Also messages/s, the server's CPU (utime +
 *    stime from /proc, % of one core) and peak RSS (VmHWM), and this process's own CPU (it shares
 *    the 2 cores with the server). The same with coalescing off (FRAME_MS=0, one event per frame).
 * 2. Snapshot: a database filled with SNAPSHOT_CASES cases (1,000,000; 0 skips) through the
 *    CaseWriter (the product's own write path; closed histories as an import brings them, a few
 *    percent still open), then: replay of the log into projections, start from a checkpoint, and
 *    the time and size of building a snapshot; the projection checked against the SQL summary.
 */
import { readFileSync, rmSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { GUANGMING } from '../shared/domain/jurisdiction.js';
import { shanghaiDate } from '../shared/domain/calendar.js';
import type { CaseIntake } from '../shared/protocol/payloads.js';
import { CaseWriter, type Actor } from '../server/cases/case-writer.js';
import { DEFAULT_DOMAIN } from '../server/config.js';
import { queryRows } from '../server/db/client.js';
import { startProjector } from '../server/live/projector.js';
import { buildSnapshot, type Room } from '../server/live/stream-views.js';
import { computeSummary } from '../server/stats/summary.js';
import { createTestDatabase, tempDir, type DatabaseKind } from '../server/testing/databases.js';
import { startServerProcess } from '../server/testing/server-process.js';
import { connectStream, type StreamClient } from '../server/testing/stream-client.js';
import { benchCase, median, percentile } from './common.js';

const num = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const CLIENTS = num('CLIENTS', 200);
const RATE = num('RATE', 200);
const SECONDS = num('SECONDS', 20);
const ROUNDS = num('ROUNDS', 3);
const SNAPSHOT_CASES = num('SNAPSHOT_CASES', 1_000_000);
const TOKENS = { INTAKE_TOKEN: 'bench-intake-token-0123456789', WALL_TOKEN: 'bench-wall-token-0123456789', ADMIN_TOKEN: 'bench-admin-token-0123456789' };
const kind: DatabaseKind = process.env.DATABASE_URL ? 'postgres' : 'pglite';

/** utime + stime of a process, in seconds. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // fields 14 and 15 of stat, in ticks of 1/100 s
}
function peakRssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmHWM:'));
  return Number(line?.replace(/\D/g, '') ?? 0) / 1024;
}

interface StreamResult {
  latencies: number[];
  /** POST round trips (send → 201). */
  answers: number[];
  /** From the 201 to the covering delta (0 when the delta came first): the stream's own share. */
  afterAnswer: number[];
  posted: number;
  planned: number;
  messagesPerSecond: number;
  serverCpu: number;
  selfCpu: number;
  peakRss: number;
  unreached: number;
  /** Median JSON size of a delta. */
  deltaBytes: number;
}

async function streamRun(coalesced: boolean): Promise<StreamResult> {
  const testDb = await createTestDatabase(kind);
  const dataDir = tempDir();
  const server = await startServerProcess({
    ...TOKENS,
    DATA_DIR: dataDir,
    DATABASE_URL: testDb.url ?? '',
    DEMO: '0',
    FRAME_MS: coalesced ? '100' : '0',
    STREAM_ONE_BY_ONE: coalesced ? '0' : '1',
  });
  const pid = server.child.pid!;
  const clients: StreamClient[] = [];
  /** Per client: arrival time and toSeq of each delta, in order. */
  const frames: { at: number[]; seq: number[] }[] = [];
  let messages = 0;
  /** Sizes of the deltas one client received (JSON bytes). */
  const deltaBytes: number[] = [];
  try {
    for (let i = 0; i < CLIENTS; i += 20) {
      const batch = await Promise.all(
        Array.from({ length: Math.min(20, CLIENTS - i) }, (_, j) => {
          const log = { at: [] as number[], seq: [] as number[] };
          frames[i + j] = log;
          return connectStream(server.url, {
            auth: { token: TOKENS.WALL_TOKEN },
            keepMessages: false,
            onMessage: (m) => {
              messages++;
              if (m.type === 'delta') {
                log.at.push(performance.now());
                log.seq.push(m.body.toSeq);
                if (i + j === 0) deltaBytes.push(Buffer.byteLength(JSON.stringify(m.body)));
              }
            },
          });
        }),
      );
      clients.push(...batch);
    }
    await new Promise((r) => setTimeout(r, 1000));
    messages = 0;

    const sent: { at: number; seq: number; answered: number }[] = [];
    const cpu0 = cpuSeconds(pid);
    const self0 = process.cpuUsage();
    const started = performance.now();
    const planned = RATE * SECONDS;
    let issued = 0;
    const inFlight = new Set<Promise<void>>();
    while (issued < planned) {
      const due = Math.min(planned, Math.floor(((performance.now() - started) / 1000) * RATE) + 1);
      while (issued < due && inFlight.size < 64) {
        issued++;
        const at = performance.now();
        const p: Promise<void> = fetch(`${server.url}/api/cases`, {
          method: 'POST',
          headers: { authorization: `Bearer ${TOKENS.INTAKE_TOKEN}`, 'content-type': 'application/json' },
          body: JSON.stringify(benchCase()),
        })
          .then(async (res) => {
            const body = (await res.json()) as { seq?: number };
            if (res.status === 201 && body.seq) sent.push({ at, seq: body.seq, answered: performance.now() });
          })
          .finally(() => inFlight.delete(p));
        inFlight.add(p);
      }
      await new Promise((r) => setTimeout(r, 2));
    }
    await Promise.all(inFlight);
    const lastSeq = Math.max(...sent.map((s) => s.seq));
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && clients.some((c) => (c.state?.seq ?? 0) < lastSeq)) await new Promise((r) => setTimeout(r, 50));
    const elapsed = (performance.now() - started) / 1000;
    const health = (await (await fetch(`${server.url}/healthz`)).json()) as { eventLoop?: { p99: number; max: number } };
    console.log(`  (${coalesced ? 'coalesced' : 'off'} run: server event loop held p99 ${health.eventLoop?.p99} ms, max ${health.eventLoop?.max} ms)`);
    const serverCpu = ((cpuSeconds(pid) - cpu0) / elapsed) * 100;
    const self = process.cpuUsage(self0);
    const selfCpu = ((self.user + self.system) / 1e6 / elapsed) * 100;

    const latencies: number[] = [];
    const afterAnswer: number[] = [];
    let unreached = 0;
    for (const log of frames) {
      for (const { at, seq, answered } of sent) {
        // First frame covering seq (toSeqs rise): binary search.
        let lo = 0;
        let hi = log.seq.length;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (log.seq[mid]! >= seq) hi = mid;
          else lo = mid + 1;
        }
        if (lo === log.seq.length) unreached++;
        else {
          latencies.push(log.at[lo]! - at);
          afterAnswer.push(Math.max(0, log.at[lo]! - answered));
        }
      }
    }
    const answers = sent.map((c) => c.answered - c.at);
    return { latencies, answers, afterAnswer, posted: sent.length, planned, messagesPerSecond: messages / elapsed, serverCpu, selfCpu, peakRss: peakRssMb(pid), unreached, deltaBytes: median(deltaBytes) };
  } finally {
    for (const c of clients) c.close();
    await server.stop();
    await testDb.destroy();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function describeStream(label: string, rounds: StreamResult[]) {
  const p50 = rounds.map((r) => percentile(r.latencies, 50));
  const p99 = rounds.map((r) => percentile(r.latencies, 99));
  const fmt = (xs: number[], digits = 0) => xs.map((x) => x.toFixed(digits)).join(', ');
  console.log(`\n${label}`);
  console.log(`  latency p50     : median ${median(p50).toFixed(1)} ms (rounds: ${fmt(p50, 1)})`);
  console.log(`  latency p99     : median ${median(p99).toFixed(1)} ms (rounds: ${fmt(p99, 1)})`);
  const a50 = rounds.map((r) => percentile(r.answers, 50));
  const a99 = rounds.map((r) => percentile(r.answers, 99));
  console.log(`  POST → 201      : p50 ${median(a50).toFixed(1)} ms, p99 ${median(a99).toFixed(1)} ms (the intake's share of the latency)`);
  const s50 = rounds.map((r) => percentile(r.afterAnswer, 50));
  const s99 = rounds.map((r) => percentile(r.afterAnswer, 99));
  console.log(`  201 → delta     : p50 ${median(s50).toFixed(1)} ms, p99 ${median(s99).toFixed(1)} ms (the stream's share; 0 when the delta came first)`);
  console.log(`  latency max     : ${fmt(rounds.map((r) => r.latencies.reduce((m, x) => Math.max(m, x), 0)), 0)} ms`);
  console.log(`  messages/s      : median ${median(rounds.map((r) => r.messagesPerSecond)).toFixed(0)} received by all clients (${(median(rounds.map((r) => r.messagesPerSecond)) / CLIENTS).toFixed(1)} per client)`);
  console.log(`  delta size      : median ${fmt(rounds.map((r) => r.deltaBytes / 1024), 1)} KB of JSON`);
  console.log(`  server CPU      : median ${median(rounds.map((r) => r.serverCpu)).toFixed(0)} % of one core (rounds: ${fmt(rounds.map((r) => r.serverCpu))})`);
  console.log(`  bench CPU       : median ${median(rounds.map((r) => r.selfCpu)).toFixed(0)} % of one core (${CLIENTS} clients + intake, same machine)`);
  console.log(`  server peak RSS : ${fmt(rounds.map((r) => r.peakRss))} MB`);
  console.log(`  cases posted    : ${rounds.map((r) => `${r.posted}/${r.planned}`).join(', ')}; deliveries missing: ${rounds.map((r) => r.unreached).join(', ')}`);
  return { p50: median(p50), p99: median(p99), a99: median(a99), s99: median(s99), mps: median(rounds.map((r) => r.messagesPerSecond)), cpu: median(rounds.map((r) => r.serverCpu)), rss: Math.max(...rounds.map((r) => r.peakRss)) };
}

// ── 2. The snapshot of a large database ─────────────────────────────────────────────────────

const DAY = 86_400_000;
const importer: Actor = { label: 'bench importer', role: 'importer', origin: 'bench' };

/** A historic case as an import brings it: closed with its past steps, or (3 %) still open. */
function historicCase(i: number, now: number): CaseIntake {
  const community = GUANGMING.communities[i % GUANGMING.communities.length]!;
  const categories = DEFAULT_DOMAIN.taxonomy.categories;
  const received = now - 3_600_000 - Math.floor(((i * 7919) % 1000) / 1000 * 400 * DAY);
  const at = (ms: number) => new Date(received + ms).toISOString();
  const open = i % 33 === 0 || received > now - 5 * DAY;
  const history = open
    ? [{ action: 'dispatch', at: at(15 * 60_000) }]
    : [
        { action: 'dispatch', at: at(15 * 60_000) },
        { action: 'accept', at: at(40 * 60_000) },
        { action: 'resolve', at: at(((i % 9) + 1) * 12 * 3_600_000) },
        { action: 'evaluate', at: at(5 * DAY), satisfaction: i % 10 === 0 ? 'unsatisfied' : 'satisfied' },
        { action: 'close', at: at(5 * DAY) },
      ];
  return {
    channel: (['hotline_12345', 'app', 'wechat', 'grid', 'walk_in'] as const)[i % 5]!,
    externalId: `hist-${i}`,
    category: categories[i % categories.length]!.code,
    title: `历史诉求 ${i}`,
    location: { lat: community.centroid[1], lng: community.centroid[0] },
    reporter: { name: '历史', phone: `139${String(i % 100_000_000).padStart(8, '0')}` },
    reportedAt: new Date(received).toISOString(),
    history,
  } as unknown as CaseIntake;
}

async function snapshotBench() {
  const testDb = await createTestDatabase(kind);
  const handle = await testDb.open();
  try {
    const writer = new CaseWriter({ db: handle.db, config: DEFAULT_DOMAIN });
    const now = Date.now();
    const fillStarted = performance.now();
    const CHUNK = 2000;
    for (let i = 0; i < SNAPSHOT_CASES; i += CHUNK) {
      const answers = await Promise.all(
        Array.from({ length: Math.min(CHUNK, SNAPSHOT_CASES - i) }, (_, j) => writer.intake(historicCase(i + j, now), importer)),
      );
      const failed = answers.find((a) => a.status !== 201);
      if (failed) throw new Error(`fill: ${JSON.stringify(failed).slice(0, 300)}`);
      if ((i / CHUNK) % 50 === 0) process.stdout.write(`  filled ${i + CHUNK} cases…\r`);
    }
    const fillSeconds = (performance.now() - fillStarted) / 1000;
    const [counts] = await queryRows<{ cases: number; events: number; open: number }>(
      handle.db,
      sql`SELECT (SELECT count(*) FROM cases)::int AS cases, (SELECT count(*) FROM case_events)::int AS events,
                 (SELECT count(*) FROM cases WHERE status NOT IN ('resolved','evaluated','closed','merged'))::int AS open`,
    );
    console.log(`\nsnapshot of a large database (${kind})`);
    console.log(`  filled          : ${counts!.cases} cases, ${counts!.events} events, ${counts!.open} open, through the CaseWriter in ${fillSeconds.toFixed(0)} s`);

    const replayStarted = performance.now();
    const first = await startProjector({ db: handle.db, checkpointMs: 0 });
    const replaySeconds = (performance.now() - replayStarted) / 1000;
    await first.saveCheckpoint();
    await first.stop();
    const [checkpoint] = await queryRows<{ bytes: number }>(handle.db, sql`SELECT octet_length(state::text)::int AS bytes FROM projection_checkpoints`);
    const restartStarted = performance.now();
    const projector = await startProjector({ db: handle.db, checkpointMs: 0 });
    const restartSeconds = (performance.now() - restartStarted) / 1000;
    console.log(`  replay          : ${counts!.events} events into projections in ${replaySeconds.toFixed(1)} s (${(counts!.events / replaySeconds).toFixed(0)} events/s)`);
    console.log(`  from checkpoint : started in ${restartSeconds.toFixed(2)} s (checkpoint ${(checkpoint!.bytes / 1e6).toFixed(1)} MB, ${projector.projection.heldCases} cases held in memory)`);

    // The projection agrees with the SQL reference (yesterday, and a 30-day window).
    const today = shanghaiDate(new Date(now));
    for (const days of [1, 30]) {
      const fromDay = shanghaiDate(new Date(now - days * DAY));
      const mine = projector.projection.summary(DEFAULT_DOMAIN, 'all', fromDay, days);
      const theirs = await computeSummary(handle.db, DEFAULT_DOMAIN, { from: new Date(mine.from), to: new Date(mine.to) });
      const same = JSON.stringify(mine) === JSON.stringify(theirs);
      console.log(`  check           : ${days}-day window from ${fromDay}: projection ${same ? '=' : '≠'} SQL summary (received ${mine.received}, resolved ${mine.resolved})`);
      const sqlStarted = performance.now();
      await computeSummary(handle.db, DEFAULT_DOMAIN, { from: new Date(mine.from), to: new Date(mine.to) });
      if (days === 30) console.log(`  SQL summary     : ${(performance.now() - sqlStarted).toFixed(0)} ms for the 30-day window (for comparison)`);
    }

    const results = [];
    for (const periodDays of [7, 30]) {
      const room: Room = { key: `all|masked|${periodDays}`, scope: 'all', masked: true, periodDays };
      const options = () => ({ projection: projector.projection, config: DEFAULT_DOMAIN, epoch: projector.epoch, now: Date.now(), alertLimit: 100 });
      for (let i = 0; i < 10; i++) buildSnapshot(options(), room);
      const times: number[] = [];
      let bytes = 0;
      let gzip = 0;
      for (let i = 0; i < 50; i++) {
        const started = performance.now();
        const json = JSON.stringify(buildSnapshot(options(), room));
        times.push(performance.now() - started);
        bytes = Buffer.byteLength(json);
        gzip = gzipSync(json).length;
      }
      results.push({ periodDays, ms: median(times), p99: percentile(times, 99), bytes, gzip });
      console.log(`  snapshot (${String(periodDays).padStart(2)} d) : built and serialised in median ${median(times).toFixed(2)} ms (max ${Math.max(...times).toFixed(2)}), ${(bytes / 1024).toFixed(1)} KB JSON, ${(gzip / 1024).toFixed(1)} KB gzip`);
    }
    await projector.stop();
    await handle.close();

    // A real client of a real server process on that database.
    const dataDir = tempDir();
    const server = await startServerProcess({ ...TOKENS, DATA_DIR: dataDir, DATABASE_URL: testDb.url ?? '', DEMO: '0' }, 600_000);
    try {
      const connectTimes: number[] = [];
      let received = 0;
      for (let i = 0; i < 5; i++) {
        const started = performance.now();
        let size = 0;
        const client = await connectStream(server.url, {
          auth: { token: TOKENS.WALL_TOKEN },
          keepMessages: false,
          onMessage: (m) => (size = m.type === 'snapshot' ? Buffer.byteLength(JSON.stringify(m.body)) : size),
        });
        connectTimes.push(performance.now() - started);
        received = size;
        client.close();
      }
      console.log(`  real client     : connect → snapshot in median ${median(connectTimes).toFixed(1)} ms over 5 connections, ${(received / 1024).toFixed(1)} KB`);
      return { cases: counts!.cases, results, replaySeconds, restartSeconds, connect: median(connectTimes) };
    } finally {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  } finally {
    await handle.close().catch(() => undefined);
    await testDb.destroy();
  }
}

console.log(`bench:live — ${kind}; ${CLIENTS} clients, ${RATE} cases/s for ${SECONDS} s, ${ROUNDS} rounds; snapshot of ${SNAPSHOT_CASES} cases`);
if (kind === 'pglite') console.log('(PostgreSQL skipped: DATABASE_URL is not set)');
const on: StreamResult[] = [];
const off: StreamResult[] = [];
for (let round = 0; round < ROUNDS; round++) {
  on.push(await streamRun(true));
  off.push(await streamRun(false));
}
// ROUNDS=0 runs only the snapshot part.
const streams = ROUNDS > 0 ? [describeStream('coalesced frames (FRAME_MS=100)', on), describeStream('coalescing off (FRAME_MS=0, one event per frame)', off)] : null;
if (streams) {
  const [a, b] = streams;
  console.log(`\n  off ÷ on: latency p99 ×${(b!.p99 / a!.p99).toFixed(2)}, server CPU ×${(b!.cpu / a!.cpu).toFixed(2)}, messages ×${(b!.mps / a!.mps).toFixed(1)}`);
}
const snap = SNAPSHOT_CASES > 0 ? await snapshotBench() : null;

if (streams) {
  const [a, b] = streams;
  console.log('\n| run | clients × cases/s | p50 | p99 | p99 POST → 201 | p99 201 → delta | messages/s (all clients) | server CPU | server peak RSS |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const [label, r] of [['coalesced (100 ms)', a!], ['coalescing off', b!]] as const) {
    console.log(`| ${label} | ${CLIENTS} × ${RATE} | ${r.p50.toFixed(0)} ms | ${r.p99.toFixed(0)} ms | ${r.a99.toFixed(0)} ms | ${r.s99.toFixed(0)} ms | ${r.mps.toFixed(0)} | ${r.cpu.toFixed(0)} % | ${r.rss.toFixed(0)} MB |`);
  }
  console.log(`\ntarget p99 ≤ 250 ms at 200 × 200: ${a!.p99 <= 250 ? 'met' : 'not met'} (${a!.p99.toFixed(0)} ms)`);
}
if (snap) {
  for (const r of snap.results) {
    console.log(`target snapshot ≤ 50 ms and ≤ 200 KB (${snap.cases} cases, ${r.periodDays}-day period): ${r.ms <= 50 && r.bytes <= 200 * 1024 ? 'met' : 'not met'} (${r.ms.toFixed(2)} ms, ${(r.bytes / 1024).toFixed(1)} KB)`);
  }
}
process.exit(0);
