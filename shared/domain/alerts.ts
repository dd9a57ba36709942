/**
 * Which alerts a case is due, at a given moment: a running deadline at risk (80 % of its span gone)
 * or breached, and a red case. Pure: the deadline monitor uses it to find alerts, and the writer
 * uses it again inside the transaction to be sure an alert is still due when it is raised.
 * Each alert has a key (case, kind, stage, deadline) so it is raised once, whoever raises it.
 */
import { isOpen, type Status } from './case.js';
import type { DeadlineStage, RiskGrade } from './vocabulary.js';

export const ALERT_KINDS = ['sla_at_risk', 'sla_breached', 'red_case'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

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
}

export interface AlertCandidate {
  key: string;
  kind: AlertKind;
  severity: AlertSeverity;
  caseId: string;
  stage: DeadlineStage | null;
  deadline: Date | null;
}

export function alertKey(caseId: string, kind: AlertKind, stage: DeadlineStage | null, deadline: Date | null): string {
  return [caseId, kind, stage ?? '', deadline ? deadline.toISOString() : ''].join('|');
}

function candidate(caseId: string, kind: AlertKind, stage: DeadlineStage | null, deadline: Date | null): AlertCandidate {
  return { key: alertKey(caseId, kind, stage, deadline), kind, severity: kind === 'sla_at_risk' ? 'warning' : 'critical', caseId, stage, deadline };
}

/**
 * The alerts due for `subject` at `now`. A running deadline past due gives `sla_breached` (and no
 * longer `sla_at_risk`); one at risk gives `sla_at_risk`; an open red case gives `red_case`.
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
  for (const [stage, running, deadline, riskAt] of stages) {
    if (!running) continue;
    if (t > deadline.getTime()) due.push(candidate(subject.id, 'sla_breached', stage, deadline));
    else if (t >= riskAt.getTime()) due.push(candidate(subject.id, 'sla_at_risk', stage, deadline));
  }
  return due;
}
