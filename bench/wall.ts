/**
 * `npm run bench:wall`: the wall in Debian's Chromium (playwright-core) against a real server
 * process (PGlite, or PostgreSQL when DATABASE_URL is set), at SIZE (3840x2160).
 *
 * 0. The district starts with SEED cases (500) posted before the page opens, as a wall opens on a
 *    district that already has cases (so the map's shaders compile at load, not mid-run).
 * 1. First load: the JavaScript the page fetched, as transferred (the server gzips it) and raw.
 * 2. Load: cases arrive at RATE per second (200) for SECONDS (60), in batches every 100 ms, with
 *    every tenth case red so markers pulse. The page records every long task (PerformanceObserver
 *    'longtask', > 50 ms) and every animation frame's interval; reported: the longest task, how
 *    many, and the share of frames over 50 ms.
 * 3. Heap: the JS heap after a forced GC, before the load and after HEAP_MINUTES (10) more of
 *    traffic at STEADY_RATE per second (5), so growth shows what a wall keeps that it should not.
 *
 * Headless Chromium draws WebGL in software (SwiftShader), so frame figures are a floor check,
 * not what a wall's GPU would give (DESIGN.md).
 */
import { rmSync } from 'node:fs';
import { chromium, type CDPSession } from 'playwright-core';
import { buildClient, findChromium } from '../server/testing/browser.js';
import { tempDir } from '../server/testing/databases.js';
import { startServerProcess } from '../server/testing/server-process.js';
import { benchCase, percentile } from './common.js';

const [WIDTH, HEIGHT] = (process.env.SIZE ?? '3840x2160').split('x').map(Number) as [number, number];
const RATE = Number(process.env.RATE ?? 200);
const SECONDS = Number(process.env.SECONDS ?? 60);
const HEAP_MINUTES = Number(process.env.HEAP_MINUTES ?? 10);
const STEADY_RATE = Number(process.env.STEADY_RATE ?? 5);
const SEED = Number(process.env.SEED ?? 500);
const PROFILE = process.env.PROFILE === '1';
const TICK_MS = 100;
const TOKENS = { INTAKE_TOKEN: 'bench-intake-token-0123456789', WALL_TOKEN: 'bench-wall-token-0123456789', ADMIN_TOKEN: 'bench-admin-token-0123456789' };

/** Installed before the page's own scripts: long tasks and frame intervals, kept on `window`. */
const RECORDER = `
  window.__bench = { tasks: [], frames: [], recording: false };
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if (window.__bench.recording) window.__bench.tasks.push(e.duration);
  }).observe({ type: 'longtask', buffered: false });
  let last = performance.now();
  const frame = (t) => {
    if (window.__bench.recording) window.__bench.frames.push(t - last);
    last = t;
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
`;

/** With PROFILE=1: the page's main-thread CPU profile under load, its top functions by self time. */
function printProfile(profile: { nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[]; samples?: number[]; timeDeltas?: number[] }) {
  const self = new Map<number, number>();
  profile.samples?.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas?.[i] ?? 0)));
  const byName = new Map<string, number>();
  for (const node of profile.nodes) {
    const f = node.callFrame;
    const name = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
    byName.set(name, (byName.get(name) ?? 0) + (self.get(node.id) ?? 0));
  }
  const total = [...byName.values()].reduce((a, b) => a + b, 0);
  console.log('  profile (self time, top 20):');
  for (const [name, us] of [...byName].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`    ${((100 * us) / total).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(6)} ms  ${name}`);
}

async function heapAfterGc(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  return usedSize;
}

/** Posts `rate` cases a second in batches every TICK_MS until `seconds` have passed. */
async function traffic(url: string, rate: number, seconds: number): Promise<number> {
  const perTick = Math.max(1, Math.round((rate * TICK_MS) / 1000));
  const every = (perTick * 1000) / rate;
  const end = Date.now() + seconds * 1000;
  let posted = 0;
  let n = 0;
  for (let next = Date.now(); next < end; next += every) {
    await new Promise((r) => setTimeout(r, Math.max(0, next - Date.now())));
    const cases = Array.from({ length: perTick }, () => ({ ...benchCase(), ...(++n % 10 === 0 ? { peopleInvolved: 40 } : {}) }));
    const res = await fetch(`${url}/api/cases/batch`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKENS.INTAKE_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ cases }),
    });
    if (res.status >= 300) throw new Error(`batch answered ${res.status}: ${await res.text()}`);
    posted += cases.length;
  }
  return posted;
}

async function main() {
  const found = findChromium();
  if (found.path === null) throw new Error(found.reason);
  const clientDir = buildClient();
  const dataDir = tempDir('bench-wall-');
  const server = await startServerProcess({ DATA_DIR: dataDir, DATABASE_URL: process.env.DATABASE_URL ?? '', CLIENT_DIR: clientDir, ...TOKENS });
  const browser = await chromium.launch({ executablePath: found.path, args: ['--no-sandbox', '--enable-unsafe-swiftshader', '--use-angle=swiftshader'] });
  try {
    const page = await browser.newPage({ viewport: { width: WIDTH, height: HEIGHT } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
    await page.addInitScript(RECORDER);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    const scripts = new Map<string, { transferred: number; raw: number }>();
    cdp.on('Network.responseReceived', (e) => {
      if (e.type === 'Script') scripts.set(e.requestId, { transferred: 0, raw: 0 });
    });
    cdp.on('Network.dataReceived', (e) => {
      const s = scripts.get(e.requestId);
      if (s) s.raw += e.dataLength;
    });
    cdp.on('Network.loadingFinished', (e) => {
      const s = scripts.get(e.requestId);
      if (s) s.transferred = e.encodedDataLength;
    });

    if (SEED > 0) await traffic(server.url, SEED, 1);
    await page.goto(`${server.url}/?token=${TOKENS.WALL_TOKEN}`);
    await page.waitForSelector('[data-connection="live"]', { timeout: 30_000 });
    await page.waitForSelector('.maplibregl-canvas', { state: 'attached', timeout: 30_000 });
    await page.waitForTimeout(5000);
    const js = [...scripts.values()].reduce((a, s) => ({ transferred: a.transferred + s.transferred, raw: a.raw + s.raw }), { transferred: 0, raw: 0 });
    const heapBefore = await heapAfterGc(cdp);

    console.log(`bench:wall at ${WIDTH}x${HEIGHT}, ${SEED} cases before the page opens, ${RATE} cases/s for ${SECONDS} s, then ${HEAP_MINUTES} min at ${STEADY_RATE}/s (Chromium ${browser.version()}, server ${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`);
    console.log(`  first load JS   : ${(js.transferred / 1024).toFixed(0)} KB transferred (gzip), ${(js.raw / 1024).toFixed(0)} KB raw, ${scripts.size} files`);

    await page.evaluate(() => ((window as any).__bench.recording = true));
    if (PROFILE) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
    }
    const posted = await traffic(server.url, RATE, SECONDS);
    await page.evaluate(() => ((window as any).__bench.recording = false));
    if (PROFILE) printProfile((await cdp.send('Profiler.stop')).profile);
    const { tasks, frames } = (await page.evaluate(() => (window as any).__bench)) as { tasks: number[]; frames: number[] };
    const received = await page.textContent('[data-kpi="received"]');
    const slow = frames.filter((f) => f > 50).length;
    console.log(`  under load      : ${posted} cases posted; the wall shows received = ${received}`);
    console.log(`  long tasks      : ${tasks.length}, longest ${tasks.length ? Math.max(...tasks).toFixed(0) : 0} ms, p50 ${tasks.length ? percentile(tasks, 50).toFixed(0) : 0} ms (target: none over 100 ms)`);
    console.log(`  frames          : ${frames.length} (${(frames.length / SECONDS).toFixed(1)}/s), over 50 ms: ${slow} = ${((100 * slow) / Math.max(1, frames.length)).toFixed(1)} %, p50 interval ${percentile(frames, 50).toFixed(1)} ms, p99 ${percentile(frames, 99).toFixed(1)} ms`);

    if (HEAP_MINUTES > 0) await traffic(server.url, STEADY_RATE, HEAP_MINUTES * 60);
    const heapAfter = await heapAfterGc(cdp);
    const mb = (b: number) => (b / 1024 / 1024).toFixed(1);
    console.log(`  JS heap         : ${mb(heapBefore)} MB before, ${mb(heapAfter)} MB after ${SECONDS} s + ${HEAP_MINUTES} min: growth ${mb(heapAfter - heapBefore)} MB (target ≤ 20 MB)`);
    console.log(`  console errors  : ${errors.length}${errors.length ? `: ${errors.slice(0, 3).join(' | ')}` : ''}`);
  } finally {
    await browser.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(clientDir, { recursive: true, force: true });
  }
}

await main();
