/**
 * Test support for browser tests: finds Debian's Chromium (or CHROMIUM_PATH), builds the client
 * the server serves, and says clearly why browser tests are skipped when there is no browser
 * (under CI=true a missing browser fails instead).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

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
