/**
 * Deadlines (SLA): which tier a case falls in, when each stage (respond, accept, resolve) is due,
 * and where a pending deadline stands at a given moment.
 *
 * Minute and hour durations run round the clock. Working-day durations count only the time that
 * passes on working days of the holiday calendar (whole Asia/Shanghai civil days, 24 h each):
 *
 *   N working days from t end at the first instant by which N × 24 h of working-day time has
 *   passed since t.
 *
 * Consequences, spelled out (SLA4 in RULES.md):
 * - t on a working day at clock time c (after 00:00): the deadline is c on the N-th following
 *   working day (Fri 15:00 + 1 → the next working day 15:00, a 调休 Sunday included);
 * - t on a non-working day (weekend, holiday) or at 00:00 sharp: the clock starts at 00:00 of the
 *   first working day and the deadline is 24:00 of the N-th working day counted from that one
 *   (shown as 00:00 of the next civil day).
 * Days outside the calendar's covered years count by weekday alone, and the result carries a
 * warning naming the year, for the caller to log and show.
 */
import { isCovered, isWorkingDay, shanghaiDate, type HolidayCalendar } from './calendar.js';
import { TIERS, type Channel, type DeadlineStage, type Tier, type Urgency } from './vocabulary.js';

export type Duration = { minutes: number } | { hours: number } | { workingDays: number };

export interface SlaConfig {
  tiers: Record<Tier, Record<DeadlineStage, Duration>>;
  /** The tier each urgency starts in. */
  urgencyTier: Record<Urgency, Tier>;
  /** Channels whose cases are handled at least at this tier (书记在线 → urgent). */
  channelTier?: Partial<Record<Channel, Tier>>;
  /** Categories (by code) whose cases are handled at least at this tier. */
  categoryTier?: Partial<Record<string, Tier>>;
  /** Share of a deadline's span after which it is "at risk" (0–1). */
  atRiskFraction: number;
}

/** The DESIGN.md table: urgent 10 min / 30 min / 24 h; important 30 min / 2 h / 72 h; general 2 h / 1 / 5 working days. */
export const DEFAULT_SLA: SlaConfig = {
  tiers: {
    urgent: { respond: { minutes: 10 }, accept: { minutes: 30 }, resolve: { hours: 24 } },
    important: { respond: { minutes: 30 }, accept: { hours: 2 }, resolve: { hours: 72 } },
    general: { respond: { hours: 2 }, accept: { workingDays: 1 }, resolve: { workingDays: 5 } },
  },
  urgencyTier: { emergency: 'urgent', urgent: 'important', normal: 'general' },
  channelTier: { secretary_online: 'urgent' },
  categoryTier: {},
  atRiskFraction: 0.8,
};

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** The most urgent of two tiers (TIERS lists the most urgent first). */
function moreUrgent(a: Tier, b: Tier | undefined): Tier {
  if (b === undefined || !TIERS.includes(b)) return a;
  return TIERS.indexOf(b) < TIERS.indexOf(a) ? b : a;
}

/**
 * The tier a case is handled at: the urgency's tier, raised (never lowered) by a channel or
 * category override.
 */
export function tierFor(input: { urgency: Urgency; channel: Channel; category: string }, sla: SlaConfig): Tier {
  const base = sla.urgencyTier[input.urgency];
  if (!TIERS.includes(base)) throw new RangeError(`sla.urgencyTier has no tier for urgency "${input.urgency}"`);
  const byChannel = moreUrgent(base, sla.channelTier?.[input.channel]);
  return moreUrgent(byChannel, sla.categoryTier?.[input.category]);
}

export interface Deadlines {
  respondBy: Date;
  acceptBy: Date;
  resolveBy: Date;
}

export interface DeadlineResult {
  deadlines: Deadlines;
  /** One line per year outside the calendar that a working-day count crossed. */
  warnings: string[];
}

/** All three deadlines of a case, each counted from its received time. */
export function computeDeadlines(receivedAt: Date, tier: Tier, sla: SlaConfig, cal: HolidayCalendar): DeadlineResult {
  const stages = sla.tiers[tier];
  if (!stages) throw new RangeError(`sla.tiers has no tier "${tier}"`);
  const respond = addDuration(receivedAt, stages.respond, cal);
  const accept = addDuration(receivedAt, stages.accept, cal);
  const resolve = addDuration(receivedAt, stages.resolve, cal);
  return {
    deadlines: { respondBy: respond.at, acceptBy: accept.at, resolveBy: resolve.at },
    warnings: [...new Set([...respond.warnings, ...accept.warnings, ...resolve.warnings])],
  };
}

function checkedAmount(value: number, unit: string): number {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`duration: ${unit} must be a finite number ≥ 0, got ${value}`);
  return value;
}

/** `from` plus a duration: minutes and hours round the clock, working days by the calendar (module header). */
export function addDuration(from: Date, d: Duration, cal: HolidayCalendar): { at: Date; warnings: string[] } {
  const start = from.getTime();
  if (Number.isNaN(start)) throw new RangeError('addDuration: invalid Date');
  if ('minutes' in d) return { at: new Date(start + checkedAmount(d.minutes, 'minutes') * MINUTE_MS), warnings: [] };
  if ('hours' in d) return { at: new Date(start + checkedAmount(d.hours, 'hours') * HOUR_MS), warnings: [] };
  if ('workingDays' in d) return addWorkingDays(from, checkedAmount(d.workingDays, 'workingDays'), cal);
  throw new RangeError(`duration needs minutes, hours or workingDays: ${JSON.stringify(d)}`);
}

/** Whether each Shanghai civil day (by day number) is a working day and covered: computed once per calendar. */
const dayFacts = new WeakMap<HolidayCalendar, Map<number, { working: boolean; year: number; covered: boolean }>>();
const SHANGHAI_OFFSET_MS = 8 * HOUR_MS;

function factsOf(dayNumber: number, cal: HolidayCalendar) {
  let facts = dayFacts.get(cal);
  if (!facts) dayFacts.set(cal, (facts = new Map()));
  let fact = facts.get(dayNumber);
  if (!fact) {
    const date = shanghaiDate(new Date(dayNumber * DAY_MS - SHANGHAI_OFFSET_MS));
    fact = { working: isWorkingDay(date, cal), year: Number(date.slice(0, 4)), covered: isCovered(date, cal) };
    facts.set(dayNumber, fact);
  }
  return fact;
}

/** Walks civil day by civil day, spending the working time only on working days. */
function addWorkingDays(from: Date, days: number, cal: HolidayCalendar): { at: Date; warnings: string[] } {
  if (days === 0) return { at: new Date(from.getTime()), warnings: [] };
  let remaining = Math.round(days * DAY_MS);
  let cursor = from.getTime();
  const uncovered = new Set<number>();
  // Each loop step ends a civil day; a year has ≥ 250 working days, so this bound is never the exit.
  for (let step = 0; step < 4 * 366 + days * 7; step++) {
    const dayNumber = Math.floor((cursor + SHANGHAI_OFFSET_MS) / DAY_MS);
    const fact = factsOf(dayNumber, cal);
    if (!fact.covered) uncovered.add(fact.year);
    const dayEnd = (dayNumber + 1) * DAY_MS - SHANGHAI_OFFSET_MS;
    if (fact.working) {
      const available = dayEnd - cursor;
      if (remaining <= available) return { at: new Date(cursor + remaining), warnings: coverageWarnings(uncovered, cal) };
      remaining -= available;
    }
    cursor = dayEnd;
  }
  throw new RangeError(`addDuration: no end found for ${days} working days from ${from.toISOString()}`);
}

function coverageWarnings(years: ReadonlySet<number>, cal: HolidayCalendar): string[] {
  const covered = cal.coveredYears.join(', ') || 'none';
  return [...years]
    .sort((a, b) => a - b)
    .map(
      (year) =>
        `holiday calendar does not cover ${year} (covered: ${covered}): working days in ${year} were counted Monday to Friday only; add the ${year} State Council holiday notice`,
    );
}

function checkedFraction(atRiskFraction: number): number {
  if (!Number.isFinite(atRiskFraction) || atRiskFraction < 0 || atRiskFraction > 1) {
    throw new RangeError(`atRiskFraction must lie in 0..1, got ${atRiskFraction}`);
  }
  return atRiskFraction;
}

/**
 * When a deadline becomes at risk: `atRiskFraction` of the way from its start to it (rounded to the
 * millisecond). A deadline at or before its start is at risk from the deadline itself.
 */
export function atRiskAt(startedAt: Date, deadline: Date, atRiskFraction: number): Date {
  const start = startedAt.getTime();
  const end = deadline.getTime();
  if (Number.isNaN(start) || Number.isNaN(end)) throw new RangeError('atRiskAt: invalid Date');
  const fraction = checkedFraction(atRiskFraction);
  if (end <= start) return new Date(end);
  return new Date(start + Math.round((end - start) * fraction));
}

/**
 * Where a pending deadline stands at `now`: 'ok' | 'at_risk' (≥ atRiskFraction of the span from
 * start to deadline elapsed) | 'breached' (now > deadline). At the deadline itself it is at risk,
 * not yet breached.
 */
export function deadlineState(now: Date, startedAt: Date, deadline: Date, atRiskFraction: number): 'ok' | 'at_risk' | 'breached' {
  const riskFrom = atRiskAt(startedAt, deadline, atRiskFraction).getTime();
  const t = now.getTime();
  if (Number.isNaN(t)) throw new RangeError('deadlineState: invalid Date');
  if (t > deadline.getTime()) return 'breached';
  if (t >= riskFrom) return 'at_risk';
  return 'ok';
}
