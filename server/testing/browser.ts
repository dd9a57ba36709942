/**
 * Test support for browser tests: finds Debian's Chromium (or CHROMIUM_PATH), builds the client
 * the server serves, and says clearly why browser tests are skipped when there is no browser
 * (under CI=true a missing browser fails instead).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
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

/** Builds dist/client (the server serves it); throws with vite's output if the build fails. */
export function buildClient(): void {
  const result = spawnSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: ROOT, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`vite build failed:\n${result.stdout}\n${result.stderr}`);
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
