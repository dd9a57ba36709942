/**
 * Test support for browser tests: finds Debian's Chromium (or CHROMIUM_PATH), builds the client
 * the server serves, and says clearly why browser tests are skipped when there is no browser
 * (under CI=true a missing browser fails instead).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** The browser to drive, or null with the reason browser tests are skipped. */
export function findChromium(): { path: string } | { path: null; reason: string } {
  const path = [process.env.CHROMIUM_PATH, ...CANDIDATES].find((p): p is string => Boolean(p && existsSync(p)));
  if (path) return { path };
  const reason = `browser tests skipped: no Chromium at ${CANDIDATES.join(', ')} (install Debian's chromium, or set CHROMIUM_PATH)`;
  if (process.env.CI === 'true') throw new Error(`${reason}, and CI=true requires them`);
  return { path: null, reason };
}

/**
 * Builds the client into a new temporary folder and returns it (a server started with
 * CLIENT_DIR=<it> serves it); throws with vite's output if the build fails. Each caller gets its
 * own folder: browser suites run in parallel, and one suite's build emptying a shared dist/client
 * while another suite's server starts would leave that server without pages.
 */
export function buildClient(): string {
  const outDir = mkdtempSync(join(tmpdir(), 'civic-pulse-client-'));
  const vite = join(ROOT, 'node_modules/vite/bin/vite.js');
  const result = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn', '--outDir', outDir, '--emptyOutDir'], { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`vite build failed:\n${result.stdout}\n${result.stderr}`);
  return outDir;
}

/** Where browser tests leave their screenshots (ignored by git). */
export function artifactsDir(): string {
  const dir = join(ROOT, 'test-artifacts');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Waits until every chart on the page has painted (a pixel on each ECharts canvas that is not
 * transparent), up to `timeoutMs`: a test waits for the drawing itself, never for a fixed time.
 */
export async function waitForPaintedCharts(page: Page, timeoutMs = 20_000): Promise<void> {
  await page.waitForFunction(
    () => {
      const canvases = [...document.querySelectorAll<HTMLCanvasElement>('[data-chart] canvas')];
      return (
        canvases.length > 0 &&
        canvases.every((canvas) => {
          const context = canvas.getContext('2d');
          if (!context || canvas.width === 0 || canvas.height === 0) return false;
          const pixels = context.getImageData(0, 0, canvas.width, canvas.height).data;
          for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) return true;
          return false;
        })
      );
    },
    undefined,
    { timeout: timeoutMs, polling: 200 },
  );
}

/**
 * Keeps what a page did on the wire that could explain a page that never goes live: API answers
 * other than 2xx, failed requests, and the Socket.IO frames of the live connection (a refusal
 * arrives as a `44{...}` frame). Attach before `page.goto`.
 */
export function recordTraffic(page: Page): string[] {
  const seen: string[] = [];
  const at = () => new Date().toISOString().slice(11, 23);
  page.on('response', (res) => void (res.status() >= 300 && seen.push(`${at()} ${res.status()} ${res.request().method()} ${new URL(res.url()).pathname}`)));
  page.on('requestfailed', (req) => void seen.push(`${at()} failed ${req.method()} ${new URL(req.url()).pathname}: ${req.failure()?.errorText}`));
  page.on('websocket', (ws) => {
    seen.push(`${at()} websocket open`);
    ws.on('framereceived', (frame) => void (typeof frame.payload === 'string' && frame.payload.length < 300 && seen.push(`${at()} ws< ${frame.payload}`)));
    ws.on('socketerror', (error) => void seen.push(`${at()} websocket error ${error}`));
    ws.on('close', () => void seen.push(`${at()} websocket closed`));
  });
  return seen;
}

/**
 * Waits until the page says its live connection is up. If it never does, the error says what the
 * page showed, what it did on the wire (recordTraffic) and what the server printed, and a
 * screenshot is left in test-artifacts: a failure in CI must explain itself.
 */
export async function waitForLive(page: Page, options: { timeoutMs?: number; traffic?: string[]; serverOutput?: () => string } = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  try {
    await page.waitForSelector('[data-connection="live"]', { timeout: timeoutMs });
  } catch {
    const shown = await page
      .evaluate(() => `connection=${document.querySelector('[data-connection]')?.getAttribute('data-connection') ?? 'none'} text=${document.body.innerText.replace(/\s+/g, ' ').slice(0, 300)}`)
      .catch((error: Error) => `page unreadable: ${error.message}`);
    const shot = join(artifactsDir(), `not-live-${Date.now()}.png`);
    await page.screenshot({ path: shot }).catch(() => undefined);
    throw new Error(
      [
        `the page ${page.url()} did not go live within ${timeoutMs} ms (screenshot ${shot})`,
        `shown: ${shown}`,
        `traffic:\n  ${(options.traffic ?? ['(not recorded)']).slice(-40).join('\n  ')}`,
        `server output (last 2000 characters):\n${(options.serverOutput?.() ?? '(not given)').slice(-2000)}`,
      ].join('\n'),
    );
  }
}

/**
 * The page's console errors and uncaught exceptions, each with where it came from (a bare "Error"
 * in a failure report says nothing). Attach before `page.goto`.
 */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const { url, lineNumber } = m.location();
    errors.push(url ? `${m.text()} (at ${url.replace(/^https?:\/\/[^/]+/, '')}:${lineNumber})` : m.text());
  });
  page.on('pageerror', (e) => void errors.push(`${e.message}${e.stack ? `\n${e.stack.split('\n').slice(0, 4).join('\n')}` : ''}`));
  return errors;
}
