/**
 * Turns a validated intake into a new case row: received time, place (street, community, out of
 * area), routing by the duty list, deadline tier and deadlines, risk grade. Pure: the database's
 * clock and the reporter's repeat count come in as arguments, so the same intake always makes the
 * same case.
 */
import { createHash } from 'node:crypto';
import { shanghaiDate } from '../../shared/domain/calendar.js';
import { newLifecycle, type LifecycleState } from '../../shared/domain/case.js';
import { gradeRisk } from '../../shared/domain/risk.js';
import { atRiskAt, computeDeadlines, tierFor } from '../../shared/domain/sla.js';
import { routeCase } from '../../shared/domain/taxonomy.js';
import type { CaseIntake } from '../../shared/protocol/payloads.js';
import type { DomainConfig } from '../config.js';
import type { cases } from '../db/schema.js';

export type CaseRow = typeof cases.$inferSelect;

/** How far a source's report time may run ahead of the database clock (clock skew). */
export const FUTURE_SKEW_MS = 5 * 60_000;

export interface FieldIssue {
  path: string;
  message: string;
}

export type NewCaseResult = { ok: true; row: CaseRow; warnings: string[] } | { ok: false; issues: FieldIssue[] };

/** A stable fingerprint of an intake body: a retry with the same body is the same case. */
export function intakeHash(input: CaseIntake): string {
  return createHash('sha256').update(canonicalJson(input)).digest('hex');
}

/** JSON with object keys sorted, so key order never changes a fingerprint. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** Case ids read as 光明 + the Shanghai date received + the seq of their creation: GM20261123-000042. */
export function caseIdFor(receivedAt: Date, seq: number): string {
  return `GM${shanghaiDate(receivedAt).replaceAll('-', '')}-${String(seq).padStart(6, '0')}`;
}

export interface NewCaseContext {
  seq: number;
  /** The database's clock at the start of the transaction. */
  now: Date;
  config: DomainConfig;
  /** Earlier cases from the same reporter in the same category within the repeat window. */
  repeatCount: number;
  demo: boolean;
}

/** When the case counts as received: the source's own report time, never in the future. */
export function receivedTime(reportedAt: string | undefined, now: Date): { at: Date } | { issue: FieldIssue } {
  if (!reportedAt) return { at: now };
  const at = new Date(reportedAt);
  if (at.getTime() > now.getTime() + FUTURE_SKEW_MS) {
    return { issue: { path: 'reportedAt', message: `is in the future (${reportedAt}; server time ${now.toISOString()})` } };
  }
  return { at: at.getTime() > now.getTime() ? now : at };
}

export function buildNewCase(input: CaseIntake, ctx: NewCaseContext): NewCaseResult {
  const { config } = ctx;
  const issues: FieldIssue[] = [];
  const category = config.taxonomy.category(input.category);
  if (!category) {
    const known = config.taxonomy.categories.map((c) => c.code).join(', ');
    issues.push({ path: 'category', message: `unknown category "${input.category}" (one of: ${known})` });
  }
  const received = receivedTime(input.reportedAt, ctx.now);
  if ('issue' in received) issues.push(received.issue);

  const location = input.location ?? {};
  let streetCode: string | null = null;
  let communityCode: string | null = null;
  let outOfArea = false;
  if (location.lat !== undefined && location.lng !== undefined) {
    const placed = config.jurisdiction.locate(location.lat, location.lng);
    ({ streetCode, communityCode, outOfArea } = placed);
  } else if (location.communityCode) {
    const community = config.jurisdiction.community(location.communityCode);
    if (!community) {
      issues.push({ path: 'location.communityCode', message: `no community ${location.communityCode} in ${config.jurisdiction.district.name}` });
    } else {
      communityCode = community.code;
      streetCode = community.streetCode;
    }
  }
  if (issues.length > 0 || !category || 'issue' in received) return { ok: false, issues };

  const receivedAt = received.at;
  const urgency = input.urgency ?? 'normal';
  const tier = tierFor({ urgency, channel: input.channel, category: category.code }, config.sla);
  const { deadlines, warnings } = computeDeadlines(receivedAt, tier, config.sla, config.calendar);
  const route = routeCase(config.taxonomy, category.code, input.item);
  const peopleInvolved = input.peopleInvolved ?? 1;
  const amountCny = input.amountCny ?? 0;
  const risk = gradeRisk(
    { peopleInvolved, amountCny, urgency, category: category.code, repeatCount: ctx.repeatCount },
    config.risk,
  );
  const fraction = config.sla.atRiskFraction;
  const reporter = input.reporter ?? {};
  const extras: Record<string, unknown> = { ...(input.extras ?? {}) };
  if (reporter.email) extras.email = reporter.email;

  const row: CaseRow = {
    id: caseIdFor(receivedAt, ctx.seq),
    channel: input.channel,
    externalId: input.externalId ?? null,
    intakeHash: intakeHash(input),
    category: category.code,
    item: input.item ?? null,
    title: input.title,
    description: input.description ?? null,
    lat: location.lat ?? null,
    lng: location.lng ?? null,
    address: location.address ?? null,
    streetCode,
    communityCode,
    gridCode: location.gridCode ?? null,
    outOfArea,
    reporterName: reporter.name ?? null,
    reporterPhone: reporter.phone ?? null,
    extras: Object.keys(extras).length > 0 ? extras : null,
    peopleInvolved,
    amountCny,
    urgency,
    tier,
    riskReasons: risk.reasons,
    routedBy: route.routedBy,
    demo: ctx.demo,
    receivedAt,
    respondBy: deadlines.respondBy,
    acceptBy: deadlines.acceptBy,
    respondRiskAt: atRiskAt(receivedAt, deadlines.respondBy, fraction),
    acceptRiskAt: atRiskAt(receivedAt, deadlines.acceptBy, fraction),
    resolveRiskAt: atRiskAt(receivedAt, deadlines.resolveBy, fraction),
    ...newLifecycle({
      department: route.department,
      riskGrade: risk.grade,
      resolveStartedAt: receivedAt,
      resolveBy: deadlines.resolveBy,
    }),
    coDepartments: [],
    version: 1,
    lastSeq: ctx.seq,
  };
  return { ok: true, row, warnings };
}

/** The lifecycle part of a row, for the state machine. */
export function lifecycleOf(row: CaseRow): LifecycleState {
  return {
    status: row.status as LifecycleState['status'],
    department: row.department,
    coDepartments: row.coDepartments,
    escalationLevel: row.escalationLevel as LifecycleState['escalationLevel'],
    riskGrade: row.riskGrade as LifecycleState['riskGrade'],
    respondedAt: row.respondedAt,
    acceptedAt: row.acceptedAt,
    resolvedAt: row.resolvedAt,
    evaluatedAt: row.evaluatedAt,
    closedAt: row.closedAt,
    satisfaction: row.satisfaction as LifecycleState['satisfaction'],
    mergedInto: row.mergedInto,
    returnCount: row.returnCount,
    reopenCount: row.reopenCount,
    resolveStartedAt: row.resolveStartedAt,
    resolveBy: row.resolveBy,
    closeReason: row.closeReason as LifecycleState['closeReason'],
  };
}
