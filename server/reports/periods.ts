/**
 * The periods of the reports (周通报、月小结、季分析): an ISO week (Monday to Sunday), a month or a
 * quarter, in Asia/Shanghai civil days, named `2026-W48`, `2026-11` or `2026-Q4`. Pure.
 */
import { addCalendarDays, shanghaiDate, shanghaiMidnight } from '../../shared/domain/calendar.js';

export const REPORT_KINDS = ['weekly', 'monthly', 'quarterly'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

export interface Period {
  kind: ReportKind;
  /** `2026-W48`, `2026-11` or `2026-Q4`. */
  label: string;
  /** First and last civil day (inclusive) and the instants bounding them. */
  firstDay: string;
  lastDay: string;
  from: Date;
  to: Date;
  /** The period just before, for comparison (环比). */
  previous: () => Period;
}

const pad = (n: number) => String(n).padStart(2, '0');
const weekday = (day: string) => (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday 0

function make(kind: ReportKind, label: string, firstDay: string, nextFirstDay: string): Period {
  return {
    kind,
    label,
    firstDay,
    lastDay: addCalendarDays(nextFirstDay, -1),
    from: shanghaiMidnight(firstDay),
    to: shanghaiMidnight(nextFirstDay),
    previous: () => periodContaining(kind, addCalendarDays(firstDay, -1)),
  };
}

/** The ISO week-numbering year and week of a civil day. */
function isoWeek(day: string): { year: number; week: number } {
  const thursday = addCalendarDays(day, 3 - weekday(day));
  const year = Number(thursday.slice(0, 4));
  const firstThursday = addCalendarDays(`${year}-01-04`, 3 - weekday(`${year}-01-04`));
  const week = 1 + Math.round((Date.parse(thursday) - Date.parse(firstThursday)) / (7 * 86_400_000));
  return { year, week };
}

/** The period of `kind` holding civil day `day`. */
export function periodContaining(kind: ReportKind, day: string): Period {
  const [y, m] = [Number(day.slice(0, 4)), Number(day.slice(5, 7))];
  if (kind === 'weekly') {
    const monday = addCalendarDays(day, -weekday(day));
    const { year, week } = isoWeek(day);
    return make(kind, `${year}-W${pad(week)}`, monday, addCalendarDays(monday, 7));
  }
  if (kind === 'monthly') {
    const next = m === 12 ? `${y + 1}-01-01` : `${y}-${pad(m + 1)}-01`;
    return make(kind, `${y}-${pad(m)}`, `${y}-${pad(m)}-01`, next);
  }
  const q = Math.floor((m - 1) / 3);
  const next = q === 3 ? `${y + 1}-01-01` : `${y}-${pad(q * 3 + 4)}-01`;
  return make(kind, `${y}-Q${q + 1}`, `${y}-${pad(q * 3 + 1)}-01`, next);
}

/** The last whole period of `kind` before `now` (what a scheduled report covers). */
export function lastCompletePeriod(kind: ReportKind, now: Date): Period {
  return periodContaining(kind, shanghaiDate(now)).previous();
}

/** A period from its label (`2026-W48`, `2026-11`, `2026-Q4`), or null when the label is not one of `kind`. */
export function parsePeriod(kind: ReportKind, label: string): Period | null {
  let m: RegExpExecArray | null;
  if (kind === 'weekly' && (m = /^(\d{4})-W(\d{2})$/.exec(label))) {
    const [year, week] = [Number(m[1]), Number(m[2])];
    const jan4 = `${year}-01-04`;
    const monday = addCalendarDays(addCalendarDays(jan4, -weekday(jan4)), (week - 1) * 7);
    const period = periodContaining('weekly', monday);
    return week >= 1 && period.label === label ? period : null;
  }
  if (kind === 'monthly' && (m = /^(\d{4})-(\d{2})$/.exec(label))) {
    const month = Number(m[2]);
    return month >= 1 && month <= 12 ? periodContaining('monthly', `${m[1]}-${m[2]}-01`) : null;
  }
  if (kind === 'quarterly' && (m = /^(\d{4})-Q([1-4])$/.exec(label))) {
    return periodContaining('quarterly', `${m[1]}-${pad((Number(m[2]) - 1) * 3 + 1)}-01`);
  }
  return null;
}

/** "2026年第48周（11月23日—11月29日）", "2026年11月", "2026年第四季度". */
export function periodName(period: Period): string {
  const md = (day: string) => `${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`;
  if (period.kind === 'weekly') return `${period.label.slice(0, 4)}年第${Number(period.label.slice(6))}周（${md(period.firstDay)}—${md(period.lastDay)}）`;
  if (period.kind === 'monthly') return `${period.label.slice(0, 4)}年${Number(period.label.slice(5))}月`;
  return `${period.label.slice(0, 4)}年第${'一二三四'[Number(period.label.slice(6)) - 1]}季度`;
}
