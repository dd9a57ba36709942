/**
 * What one case contributes to the figures (RULES.md F1–F11), as the live projection counts them:
 * the facts of a case it keeps while the case can still change, how an event changes them, and
 * the group rows and counters they add to. The definitions mirror server/stats/summary.ts, which
 * computes the same figures by SQL; the projection tests hold the two equal.
 */
import { isOpen, type Status } from '../../shared/domain/case.js';
import { shanghaiDate } from '../../shared/domain/calendar.js';
import type { GroupDimension } from '../../shared/protocol/figures.js';
import { GRADE_CODES, type GradeCode } from '../../shared/protocol/map-points.js';
import { snapCoordinate } from '../cases/case-view.js';
import { UNKNOWN_KEY } from '../stats/group-names.js';

/** The counters kept per group row, in this order. */
export const COUNTS = [
  'received',
  'resolved',
  'resolvedOnTime',
  'openPastDeadline',
  'evaluated',
  'satisfied',
  'open',
  // Re-handled by the department head after an unsatisfied return visit (RV2), and how that ended.
  'rehandled',
  'rehandledResolved',
  'rehandledSatisfied',
  'rehandledUnsatisfied',
] as const;
export type Counts = number[];

/** The facts of a case that figures depend on; kept while the case can still change. */
export interface CaseFacts {
  id: string;
  /** Received day (Asia/Shanghai), the cohort it belongs to. */
  day: string;
  receivedAt: number;
  channel: string;
  category: string;
  street: string;
  community: string;
  department: string;
  status: Status;
  respondedAt: number | null;
  acceptedAt: number | null;
  resolvedAt: number | null;
  respondBy: number;
  acceptBy: number;
  resolveBy: number;
  satisfaction: string | null;
  /** Times reopened (一把手重办 after an unsatisfied return visit, or by an officer). */
  reopenCount: number;
  /** Where it is, snapped to about 100 m (null when unknown), and its risk grade: for the map. */
  lng: number | null;
  lat: number | null;
  grade: GradeCode;
  /** Deadline alerts raised on it, as `kind|stage|deadline ms`. */
  deadlineAlerts: string[];
  /** Its alerts still active (unacknowledged while the case is open). */
  activeAlerts: string[];
}

/** A group row's dimension: the total, or one of the group lists. */
export type RowDimension = 'total' | GroupDimension;

export interface Contribution {
  /** `[dimension, key]` rows the case counts in, with its counts (null for a merged case). */
  rows: [RowDimension, string][];
  counts: Counts | null;
  /** Minutes from receipt to the first handling action, when it happened. */
  responseMinutes: number | null;
  /** Open now, at risk now, breached now (by the monitor's alerts). */
  live: [open: number, atRisk: number, breached: number];
}

const SATISFIED = new Set(['satisfied', 'basically_satisfied']);

const time = (value: unknown): number | null => (typeof value === 'string' || value instanceof Date ? new Date(value).getTime() : null);
const text = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** The facts of a just-created case, from its `case.created` event (the whole row). */
export function factsFromCreated(data: Record<string, unknown>): CaseFacts {
  const receivedAt = time(data.receivedAt) ?? 0;
  return {
    id: String(data.id),
    day: shanghaiDate(new Date(receivedAt)),
    receivedAt,
    channel: String(data.channel),
    category: String(data.category),
    street: text(data.streetCode) ?? UNKNOWN_KEY,
    community: text(data.communityCode) ?? UNKNOWN_KEY,
    department: String(data.department),
    status: data.status as Status,
    respondedAt: time(data.respondedAt),
    acceptedAt: time(data.acceptedAt),
    resolvedAt: time(data.resolvedAt),
    respondBy: time(data.respondBy) ?? 0,
    acceptBy: time(data.acceptBy) ?? 0,
    resolveBy: time(data.resolveBy) ?? 0,
    satisfaction: text(data.satisfaction),
    reopenCount: typeof data.reopenCount === 'number' ? data.reopenCount : 0,
    lng: typeof data.lng === 'number' ? snapCoordinate(data.lng) : null,
    lat: typeof data.lat === 'number' ? snapCoordinate(data.lat) : null,
    grade: GRADE_CODES[data.riskGrade as keyof typeof GRADE_CODES] ?? 0,
    deadlineAlerts: [],
    activeAlerts: [],
  };
}

/** Folds a `case.transitioned` event's changed fields into the facts. */
export function applyChanges(facts: CaseFacts, changes: Record<string, unknown>): void {
  if ('status' in changes) facts.status = changes.status as Status;
  if ('department' in changes) facts.department = String(changes.department);
  if ('respondedAt' in changes) facts.respondedAt = time(changes.respondedAt);
  if ('acceptedAt' in changes) facts.acceptedAt = time(changes.acceptedAt);
  if ('resolvedAt' in changes) facts.resolvedAt = time(changes.resolvedAt);
  if ('resolveBy' in changes) facts.resolveBy = time(changes.resolveBy) ?? facts.resolveBy;
  if ('satisfaction' in changes) facts.satisfaction = text(changes.satisfaction);
  if ('reopenCount' in changes) facts.reopenCount = Number(changes.reopenCount);
  if ('riskGrade' in changes) facts.grade = GRADE_CODES[changes.riskGrade as keyof typeof GRADE_CODES] ?? facts.grade;
}

export function deadlineAlertKey(kind: string, stage: string | null, deadline: unknown): string {
  return `${kind}|${stage ?? ''}|${time(deadline) ?? ''}`;
}

/** Whether the monitor has raised `kind` for a stage that is still running with that same deadline. */
function alertedOnRunningStage(f: CaseFacts, kind: 'sla_at_risk' | 'sla_breached'): boolean {
  const has = (stage: string, deadline: number) => f.deadlineAlerts.includes(`${kind}|${stage}|${deadline}`);
  return (
    (f.respondedAt === null && has('respond', f.respondBy)) ||
    (f.acceptedAt === null && has('accept', f.acceptBy)) ||
    has('resolve', f.resolveBy)
  );
}

export function contributionOf(f: CaseFacts): Contribution {
  const rows: [RowDimension, string][] = [
    ['total', ''],
    ['channel', f.channel],
    ['category', f.category],
    ['street', f.street],
    ['community', f.community],
    ['department', f.department],
  ];
  const open = isOpen(f.status);
  const breached = open && alertedOnRunningStage(f, 'sla_breached');
  const atRisk = open && !breached && alertedOnRunningStage(f, 'sla_at_risk');
  const live: Contribution['live'] = [open ? 1 : 0, atRisk ? 1 : 0, breached ? 1 : 0];
  if (f.status === 'merged') return { rows, counts: null, responseMinutes: null, live };
  const resolved = f.resolvedAt !== null;
  const rehandled = f.reopenCount > 0;
  const counts = [
    1,
    resolved ? 1 : 0,
    resolved && f.resolvedAt! <= f.resolveBy ? 1 : 0,
    open && f.deadlineAlerts.includes(`sla_breached|resolve|${f.resolveBy}`) ? 1 : 0,
    f.satisfaction !== null ? 1 : 0,
    f.satisfaction !== null && SATISFIED.has(f.satisfaction) ? 1 : 0,
    open ? 1 : 0,
    rehandled ? 1 : 0,
    rehandled && resolved ? 1 : 0,
    rehandled && f.satisfaction !== null && SATISFIED.has(f.satisfaction) ? 1 : 0,
    rehandled && f.satisfaction === 'unsatisfied' ? 1 : 0,
  ];
  const responseMinutes = f.respondedAt === null ? null : Math.max(0, Math.floor((f.respondedAt - f.receivedAt) / 60_000));
  return { rows, counts, responseMinutes, live };
}

/** A case that can no longer change leaves the projection's memory (its counts stay). */
export function isFinal(status: Status): boolean {
  return status === 'closed' || status === 'merged';
}
