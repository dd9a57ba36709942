/**
 * Which alerts a case is due, at a given moment: a running deadline at risk (80 % of its span gone)
 * or breached, a red case, and a group dispute (many people in a sensitive category). Pure: the deadline monitor uses it to find alerts, and the writer
 * uses it again inside the transaction to be sure an alert is still due when it is raised.
 * Each alert has a key (case, kind, stage, deadline) so it is raised once, whoever raises it.
 */
import { isOpen, type Status } from './case.js';
import type { DeadlineStage, RiskGrade } from './vocabulary.js';

export const ALERT_KINDS = ['sla_at_risk', 'sla_breached', 'red_case', 'group_dispute', 'recurring', 'surge', 'day_red', 'order_late'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
/**
 * Alerts about a place, a group, a day or a community order rather than one case's deadlines:
 * early warnings (shared/domain/early-warning.ts), the end-of-day red list (day-grade.ts) and a
 * summoned department not arrived in time (community-order.ts). They name their cases (if any)
 * and stay active until acknowledged.
 */
export const WARNING_KINDS: readonly AlertKind[] = ['recurring', 'surge', 'day_red', 'order_late'];
export const isWarningKind = (kind: string): boolean => (WARNING_KINDS as readonly string[]).includes(kind);

export const ALERT_SEVERITIES = ['warning', 'critical'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/** The deadline facts of a case that alerts depend on. */
export interface AlertSubject {
  id: string;
  status: Status;
  riskGrade: RiskGrade;
  respondedAt: Date | null;
  acceptedAt: Date | null;
  respondBy: Date;
  acceptBy: Date;
  resolveBy: Date;
  respondRiskAt: Date;
  acceptRiskAt: Date;
  resolveRiskAt: Date;
  /** Many people in a sensitive category (群体性诉求): see `isGroupDispute`. */
  groupDispute: boolean;
}

/**
 * A group dispute (RULES ALR8): at least `people` involved (the yellow threshold of the risk
 * grade, 5 by default) in a sensitive category (wage arrears, disputes). A red one is already a
 * red case and is not announced twice.
 */
export function isGroupDispute(c: { peopleInvolved: number; category: string }, rule: { people: number; categories: readonly string[] }): boolean {
  return c.peopleInvolved >= rule.people && rule.categories.includes(c.category);
}

export interface AlertCandidate {
  key: string;
  kind: AlertKind;
  severity: AlertSeverity;
  caseId: string;
  stage: DeadlineStage | null;
  deadline: Date | null;
}

/** An alert about a place, group or day as a monitor proposes it (server/risk/warning-monitor.ts, server/live/day-end.ts). */
export interface WarningCandidate {
  kind: 'recurring' | 'surge' | 'day_red';
  severity: AlertSeverity;
  /** What it is about: `recurring|<category>`, `surge|<dimension>:<group>|<hour ISO>` or `day_red|<date>`. */
  subject: string;
  /** The cases, oldest first; the newest anchors the alert. */
  caseIds: string[];
  /** The street it belongs to; null for the whole district. */
  street: string | null;
  text: string;
}

export function alertKey(caseId: string, kind: AlertKind, stage: DeadlineStage | null, deadline: Date | null): string {
  return [caseId, kind, stage ?? '', deadline ? deadline.toISOString() : ''].join('|');
}

function candidate(caseId: string, kind: AlertKind, stage: DeadlineStage | null, deadline: Date | null): AlertCandidate {
  return { key: alertKey(caseId, kind, stage, deadline), kind, severity: kind === 'sla_at_risk' ? 'warning' : 'critical', caseId, stage, deadline };
}


/**
 * The alerts due for `subject` at `now`. A running deadline past due gives `sla_breached` (and no
 * longer `sla_at_risk`); one at risk gives `sla_at_risk`; an open red case gives `red_case`, an
 * open group dispute that is not red `group_dispute`.
 * A done case is due nothing.
 */
export function dueAlerts(subject: AlertSubject, now: Date): AlertCandidate[] {
  if (!isOpen(subject.status)) return [];
  const t = now.getTime();
  const stages: [DeadlineStage, boolean, Date, Date][] = [
    ['respond', subject.respondedAt === null, subject.respondBy, subject.respondRiskAt],
    ['accept', subject.acceptedAt === null, subject.acceptBy, subject.acceptRiskAt],
    ['resolve', true, subject.resolveBy, subject.resolveRiskAt],
  ];
  const due: AlertCandidate[] = [];
  if (subject.riskGrade === 'red') due.push(candidate(subject.id, 'red_case', null, null));
  else if (subject.groupDispute) due.push(candidate(subject.id, 'group_dispute', null, null));
  for (const [stage, running, deadline, riskAt] of stages) {
    if (!running) continue;
    if (t > deadline.getTime()) due.push(candidate(subject.id, 'sla_breached', stage, deadline));
    else if (t >= riskAt.getTime()) due.push(candidate(subject.id, 'sla_at_risk', stage, deadline));
  }
  return due;
}
