/**
 * A group's figures from its counts (RULES.md F2–F4, F6), in one place: the SQL summary, the live
 * projection and every client holding the stream compute rates with this same arithmetic, so
 * their numbers are equal to the last bit. On the stream a group row travels as its counts alone
 * (`GroupCounts`), and the client names it from the snapshot's `names`.
 */
import type { GroupFigures, OrderFigures } from './payloads.js';

/** The dimensions figures are grouped by (the summary's `byChannel` … `byDepartment`). */
export const GROUP_DIMENSIONS = ['channel', 'category', 'street', 'community', 'department'] as const;
export type GroupDimension = (typeof GROUP_DIMENSIONS)[number];

/**
 * A group row's counts: `[key, received, resolved, resolvedOnTime, openPastDeadline, evaluated,
 * satisfied, open, rehandled, rehandledResolved, rehandledSatisfied, rehandledUnsatisfied]`.
 */
export type GroupCounts = [
  key: string,
  received: number,
  resolved: number,
  resolvedOnTime: number,
  openPastDeadline: number,
  evaluated: number,
  satisfied: number,
  open: number,
  rehandled: number,
  rehandledResolved: number,
  rehandledSatisfied: number,
  rehandledUnsatisfied: number,
];

/** Re-handled cases of a cohort (RULES RV2) from its counts. */
export function rehandledFigures(counts: GroupCounts): { cases: number; resolved: number; satisfied: number; unsatisfied: number } {
  return { cases: counts[8], resolved: counts[9], satisfied: counts[10], unsatisfied: counts[11] };
}

/** A rate on the wire: 0–1, or null when nothing was counted (the wall shows "—"). */
export function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

export function groupFigures([key, received, resolved, onTime, pastDeadline, evaluated, satisfied, open]: GroupCounts, name: string): GroupFigures {
  return {
    key,
    name,
    received,
    resolved,
    resolutionRate: ratio(resolved, received),
    onTimeRate: ratio(onTime, resolved + pastDeadline),
    satisfactionRate: ratio(satisfied, evaluated),
    open,
  };
}

/** Group rows in the order the API lists them: most received first, then by key. */
export function byReceived(a: GroupFigures, b: GroupFigures): number {
  return b.received - a.received || a.key.localeCompare(b.key);
}

/**
 * Community-order figures from per-department sums `[orders, summonses, due, onTime]` (the key ''
 * holds the totals): the same arithmetic for SQL and the projection (RULES ORD2, ORD6).
 */
export function orderFigures(sums: ReadonlyMap<string, readonly number[]>): OrderFigures {
  const [issued = 0, summonses = 0, due = 0, onTime = 0] = sums.get('') ?? [];
  const byDepartment = [...sums]
    .filter(([key, counts]) => key !== '' && (counts[1] ?? 0) > 0)
    .map(([key, [, s = 0, d = 0, o = 0]]) => ({ key, summonses: s, due: d, onTime: o, executionRate: ratio(o, d) }))
    .sort((a, b) => b.summonses - a.summonses || a.key.localeCompare(b.key));
  return { issued, summonses, due, onTime, executionRate: ratio(onTime, due), byDepartment };
}
