/**
 * Civil dates in Asia/Shanghai and the official holiday calendar (国务院办公厅 notices) that
 * working-day deadlines count with.
 *
 * China has one offset all year (UTC+8, no daylight saving), so a civil date is the UTC date of the
 * instant shifted by 8 hours: no time-zone library is needed. A calendar only knows the years whose
 * notices have been published (`coveredYears`); outside them a day counts as a working day when it
 * is Monday to Friday, and callers must warn loudly (`isCovered`) because the real answer may differ.
 */
import calendarData from './calendar-cn.json' with { type: 'json' };

/** A calendar of days off and make-up working days (调休上班), dates as 'YYYY-MM-DD'. */
export interface HolidayCalendar {
  coveredYears: readonly number[];
  holidays: ReadonlySet<string>;
  workdays: ReadonlySet<string>;
}

const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a 'YYYY-MM-DD' civil date; throws a RangeError naming a malformed or impossible date. */
function dayNumber(date: string): number {
  const match = DATE_PATTERN.exec(date);
  if (match) {
    const [, y, m, d] = match;
    const ms = Date.UTC(Number(y), Number(m) - 1, Number(d));
    // Date.UTC rolls 2026-02-30 over to March: a round trip catches impossible dates.
    if (new Date(ms).toISOString().slice(0, 10) === date) return ms / DAY_MS;
  }
  throw new RangeError(`not a calendar date (YYYY-MM-DD): "${date}"`);
}

function yearOf(date: string): number {
  dayNumber(date);
  return Number(date.slice(0, 4));
}

/**
 * Builds a calendar from plain lists (the JSON shipped here, or a CONFIG_FILE's `calendar`).
 * Throws a RangeError naming the first bad date: malformed, outside `coveredYears`, or listed both
 * as a holiday and as a make-up working day.
 */
export function createCalendar(data: { coveredYears: number[]; holidays: string[]; workdays: string[] }): HolidayCalendar {
  const coveredYears = [...new Set(data.coveredYears)].sort((a, b) => a - b);
  for (const year of coveredYears) {
    if (!Number.isInteger(year) || year < 1970 || year > 9999) throw new RangeError(`calendar: bad covered year ${year}`);
  }
  const check = (date: string, list: string): void => {
    const year = yearOf(date);
    if (!coveredYears.includes(year)) {
      throw new RangeError(`calendar: ${list} ${date} lies outside the covered years (${coveredYears.join(', ')})`);
    }
  };
  for (const date of data.holidays) check(date, 'holiday');
  for (const date of data.workdays) check(date, 'make-up workday');
  const holidays = new Set(data.holidays);
  const workdays = new Set(data.workdays);
  for (const date of workdays) {
    if (holidays.has(date)) throw new RangeError(`calendar: ${date} is listed both as a holiday and as a make-up workday`);
  }
  return { coveredYears, holidays, workdays };
}

/** The shipped calendar: 2024, 2025 and 2026 from the State Council notices named in calendar-cn.json. */
export const CN_CALENDAR: HolidayCalendar = createCalendar(calendarData);

/** The civil date ('YYYY-MM-DD') of an instant in Asia/Shanghai. */
export function shanghaiDate(at: Date): string {
  const ms = at.getTime();
  if (Number.isNaN(ms)) throw new RangeError('shanghaiDate: invalid Date');
  return new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** An instant as a W3C date-time to the second in Asia/Shanghai's offset: `2026-11-23T09:30:00+08:00`. */
export function shanghaiIso(at: Date): string {
  return `${new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 19)}+08:00`;
}

/** 00:00 Asia/Shanghai of the day the instant falls on (16:00 UTC of the day before). */
export function startOfShanghaiDay(at: Date): Date {
  const ms = at.getTime();
  if (Number.isNaN(ms)) throw new RangeError('startOfShanghaiDay: invalid Date');
  return new Date(Math.floor((ms + SHANGHAI_OFFSET_MS) / DAY_MS) * DAY_MS - SHANGHAI_OFFSET_MS);
}

/** The instant 00:00 Asia/Shanghai begins on a civil date. */
export function shanghaiMidnight(date: string): Date {
  return new Date(dayNumber(date) * DAY_MS - SHANGHAI_OFFSET_MS);
}

/** The civil date `days` days after (or before, when negative) `date`. */
export function addCalendarDays(date: string, days: number): string {
  return new Date((dayNumber(date) + days) * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Whether people work on that date: a make-up workday always; a holiday never; otherwise Monday to
 * Friday. Outside the covered years this is the weekday rule alone (check `isCovered`).
 */
export function isWorkingDay(date: string, cal: HolidayCalendar): boolean {
  const weekday = new Date(dayNumber(date) * DAY_MS).getUTCDay(); // 0 Sunday … 6 Saturday
  if (cal.workdays.has(date)) return true;
  if (cal.holidays.has(date)) return false;
  return weekday !== 0 && weekday !== 6;
}

/** Whether the calendar knows that date's year; false means `isWorkingDay` guessed by weekday only. */
export function isCovered(date: string, cal: HolidayCalendar): boolean {
  return cal.coveredYears.includes(yearOf(date));
}
