/**
 * How an alert reads on the wall and the console: what happened, the case, its category and its
 * street. Built only from codes and names, so it never carries personal data.
 */
import { isGroupDispute, type AlertCandidate, type AlertSubject } from '../../shared/domain/alerts.js';
import type { RiskConfig } from '../../shared/domain/risk.js';
import type { DomainConfig } from '../config.js';
import type { CaseRow } from '../cases/new-case.js';

const STAGE_NAMES = { respond: '响应', accept: '签收', resolve: '办结' } as const;

export function alertText(alert: AlertCandidate, row: CaseRow, config: DomainConfig): string {
  const what =
    alert.kind === 'red_case'
      ? '红色诉求'
      : alert.kind === 'group_dispute'
        ? `群体性诉求 ${row.peopleInvolved}人`
        : `${STAGE_NAMES[alert.stage ?? 'resolve']}${alert.kind === 'sla_breached' ? '已超期' : '即将超期'}`;
  const category = config.taxonomy.category(row.category)?.name ?? row.category;
  const place = row.streetCode ? (config.jurisdiction.street(row.streetCode)?.name ?? row.streetCode) : row.outOfArea ? '辖区外' : '位置未知';
  return `${what} · ${row.id} · ${category} · ${place}`;
}

/** The group-dispute rule of a risk configuration: its yellow people threshold and sensitive categories. */
export const groupDisputeRule = (risk: RiskConfig) => ({ people: risk.yellow.people, categories: risk.sensitiveCategories });

/** The alert facts of a case row, for `dueAlerts`. */
export function lifecycleSubject(row: CaseRow, risk: RiskConfig): AlertSubject {
  return {
    id: row.id,
    status: row.status as AlertSubject['status'],
    riskGrade: row.riskGrade as AlertSubject['riskGrade'],
    respondedAt: row.respondedAt,
    acceptedAt: row.acceptedAt,
    respondBy: row.respondBy,
    acceptBy: row.acceptBy,
    resolveBy: row.resolveBy,
    respondRiskAt: row.respondRiskAt,
    acceptRiskAt: row.acceptRiskAt,
    resolveRiskAt: row.resolveRiskAt,
    groupDispute: isGroupDispute(row, groupDisputeRule(risk)),
  };
}
