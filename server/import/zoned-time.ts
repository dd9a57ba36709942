/**
 * Source times without an offset ("2020-01-01 00:05:00", "02/28/2023 11:45:00 PM") are wall-clock
 * times in the source city's zone; this turns them into instants with the platform's own zone data
 * (Intl), so daylight saving is right on both sides of a change.
 */

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's offset from UTC at `instant`, in ms (e.g. −5 h for New York in winter). */
function offsetAt(instant: number, zone: string): number {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(zone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  const wall = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return wall - Math.floor(instant / 1000) * 1000;
}

/** The instant a wall-clock time in `zone` names (the earlier one in a repeated hour). */
export function zonedInstant(wall: { year: number; month: number; day: number; hour: number; minute: number; second: number; ms?: number }, zone: string): Date {
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second, wall.ms ?? 0);
  let guess = asUtc - offsetAt(asUtc, zone);
  guess = asUtc - offsetAt(guess, zone);
  return new Date(guess);
}

const ISO_WITH_ZONE = /(Z|[+-]\d{2}:?\d{2})$/;

/**
 * Parses the time formats the 311 sources use: ISO with an offset (taken as is), ISO or
 * "YYYY-MM-DD HH:MM:SS" without one, and US "MM/DD/YYYY hh:mm:ss AM" (both in `zone`). Null when
 * empty or not a time.
 */
export function parseSourceTime(text: string | undefined | null, zone: string): Date | null {
  const value = text?.trim();
  if (!value) return null;
  if (/^\d{4}-\d{2}-\d{2}T/.test(value) && ISO_WITH_ZONE.test(value)) {
    const t = Date.parse(value);
    return Number.isNaN(t) ? null : new Date(t);
  }
  let m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?$/.exec(value);
  if (m) {
    const [, y, mo, d, h, mi, s, ms] = m;
    return valid({ year: +y!, month: +mo!, day: +d!, hour: +h!, minute: +mi!, second: +(s ?? 0), ms: ms ? +ms.padEnd(3, '0') : 0 }, zone);
  }
  m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?: (\d{1,2}):(\d{2})(?::(\d{2}))?(?: ?([AP]M))?)?$/i.exec(value);
  if (m) {
    const [, mo, d, y, h = '0', mi = '0', s = '0', ampm] = m;
    let hour = +h;
    if (ampm) hour = (hour % 12) + (ampm.toUpperCase() === 'PM' ? 12 : 0);
    return valid({ year: +y!, month: +mo!, day: +d!, hour, minute: +mi, second: +s }, zone);
  }
  return null;
}

function valid(wall: Parameters<typeof zonedInstant>[0], zone: string): Date | null {
  if (wall.month < 1 || wall.month > 12 || wall.day < 1 || wall.day > 31 || wall.hour > 23 || wall.minute > 59 || wall.second > 59) return null;
  return zonedInstant(wall, zone);
}
