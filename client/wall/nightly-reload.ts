/**
 * An optional nightly reload for walls that run for weeks (`?reload=03:30`, Asia/Shanghai time): a
 * fresh page drops whatever a long-lived page may have gathered, and picks up a new release.
 */

const SHANGHAI_OFFSET_MS = 8 * 3_600_000; // no daylight saving time

/** Milliseconds from `now` to the next `hh:mm` in Shanghai, or null for a malformed time. */
export function msUntilShanghaiTime(hhmm: string, now: number): number | null {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  if (!match) return null;
  const dayStart = Math.floor((now + SHANGHAI_OFFSET_MS) / 86_400_000) * 86_400_000 - SHANGHAI_OFFSET_MS;
  let at = dayStart + (Number(match[1]) * 60 + Number(match[2])) * 60_000;
  if (at <= now) at += 86_400_000;
  return at - now;
}

export function scheduleNightlyReload(): void {
  const hhmm = new URL(window.location.href).searchParams.get('reload');
  if (!hhmm) return;
  const wait = msUntilShanghaiTime(hhmm, Date.now());
  if (wait === null) {
    console.warn(`?reload=${hhmm} is not a time like 03:30; no nightly reload`);
    return;
  }
  setTimeout(() => window.location.reload(), wait);
}
