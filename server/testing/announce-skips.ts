/**
 * Vitest global setup: says once, at the top of the run, which suites will be skipped and why
 * (a fresh machine without PostgreSQL or Chromium still passes `npm test`), and fails at once under CI=true
 * when a service the tests need is missing.
 */
import { findChromium } from './browser.js';

export default function announceSkips(): void {
  const browser = findChromium(); // throws under CI=true when there is none
  if (browser.path === null) console.log(`\n  NOTE: ${browser.reason}\n`);
  if (process.env.DATABASE_URL) return;
  const reason = 'PostgreSQL suites skipped: DATABASE_URL is not set (they run on PGlite only).';
  if (process.env.CI === 'true') throw new Error(`${reason} CI=true requires them: set DATABASE_URL.`);
  console.log(`\n  NOTE: ${reason}\n`);
}
