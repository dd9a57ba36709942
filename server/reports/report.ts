/**
 * The reports (周通报、月小结、季分析; RULES REP1–REP3): for a week, month or quarter, intake and
 * resolved with their rates against the period before, the streets, departments and categories
 * ranked, the recurring hotspots early warning raised, the cases that missed a deadline, the cases re-handled
 * after return visits and the community orders. Every figure comes from the same SQL summary as the
 * API (server/stats/summary.ts), so a report never disagrees with the wall.
 */
import { sql } from 'drizzle-orm';
import { maskFreeText } from '../../shared/domain/masking.js';
import type { GroupFigures, Summary } from '../../shared/protocol/payloads.js';
import type { DomainConfig } from '../config.js';
import { queryRows, type Database } from '../db/client.js';
import { computeSummary } from '../stats/summary.js';
import { groupName } from '../stats/group-names.js';
import { periodName, type Period } from './periods.js';

export interface RankRow extends GroupFigures {
  rank: number;
}

export interface Report {
  kind: Period['kind'];
  label: string;
  title: string;
  district: string;
  period: { firstDay: string; lastDay: string; from: string; to: string };
  generatedAt: string;
  /** The log position the figures describe. */
  seq: number;
  totals: Pick<Summary, 'received' | 'resolved' | 'resolutionRate' | 'onTimeRate' | 'satisfactionRate' | 'medianResponseMinutes' | 'rehandled'>;
  previous: { label: string } & Pick<Summary, 'received' | 'resolved' | 'resolutionRate' | 'onTimeRate' | 'satisfactionRate'>;
  streets: RankRow[];
  departments: RankRow[];
  categories: RankRow[];
  hotspots: { raisedAt: string; street: string; streetName: string; caseCount: number; text: string }[];
  /** Cases of the period that missed a deadline (any stage), by stage and by department. */
  breaches: { total: number; byStage: { respond: number; accept: number; resolve: number }; byDepartment: { key: string; name: string; count: number }[] };
  orders: Summary['orders'] & { byDepartmentNamed: { key: string; name: string; summonses: number; due: number; onTime: number; executionRate: number | null }[] };
}

const KIND_NAMES = { weekly: '周通报', monthly: '月小结', quarterly: '季分析' } as const;

const ranked = (rows: readonly GroupFigures[]): RankRow[] => rows.map((row, i) => ({ rank: i + 1, ...row }));

/** Builds the report of `period`; texts are masked unless `masked` is false (officers). */
export async function buildReport(db: Database, config: DomainConfig, period: Period, options: { masked: boolean }): Promise<Report> {
  const window = { from: period.from, to: period.to };
  const previousPeriod = period.previous();
  const [summary, before] = await Promise.all([
    computeSummary(db, config, window),
    computeSummary(db, config, { from: previousPeriod.from, to: previousPeriod.to }),
  ]);
  const from = period.from.toISOString();
  const to = period.to.toISOString();
  const hotspots = await queryRows<{ raised_at: string; street: string | null; case_count: number | null; text: string }>(
    db,
    sql`SELECT raised_at, street, case_count, text FROM alerts
        WHERE kind = 'recurring' AND raised_at >= ${from}::timestamptz AND raised_at < ${to}::timestamptz
        ORDER BY case_count DESC NULLS LAST, raised_at LIMIT 50`,
  );
  // Cases of the period that missed a deadline: handled after it, or still waiting past it as the
  // deadline monitor recorded (its alert), so imported and backfilled history counts too.
  const breached = (stage: 'respond' | 'accept' | 'resolve', done: string, by: string) =>
    sql.raw(`(c.${done} > c.${by} OR (c.${done} IS NULL AND c.status NOT IN ('resolved', 'evaluated', 'closed', 'merged') AND EXISTS (
      SELECT 1 FROM alerts a WHERE a.case_id = c.id AND a.kind = 'sla_breached' AND a.stage = '${stage}' AND a.deadline = c.${by})))`);
  const breaches = await queryRows<{ department: string; respond: number; accept: number; resolve: number; cases: number }>(
    db,
    sql`SELECT c.department,
          count(*) FILTER (WHERE ${breached('respond', 'responded_at', 'respond_by')})::int AS respond,
          count(*) FILTER (WHERE ${breached('accept', 'accepted_at', 'accept_by')})::int AS accept,
          count(*) FILTER (WHERE ${breached('resolve', 'resolved_at', 'resolve_by')})::int AS resolve,
          count(*) FILTER (WHERE ${breached('respond', 'responded_at', 'respond_by')} OR ${breached('accept', 'accepted_at', 'accept_by')}
                           OR ${breached('resolve', 'resolved_at', 'resolve_by')})::int AS cases
        FROM cases c
        WHERE c.received_at >= ${from}::timestamptz AND c.received_at < ${to}::timestamptz AND c.status <> 'merged'
        GROUP BY c.department`,
  );
  const byStage = { respond: 0, accept: 0, resolve: 0 };
  let breachedCases = 0;
  const byDepartment = new Map<string, number>();
  for (const row of breaches) {
    byStage.respond += Number(row.respond);
    byStage.accept += Number(row.accept);
    byStage.resolve += Number(row.resolve);
    breachedCases += Number(row.cases);
    if (Number(row.cases) > 0) byDepartment.set(row.department, Number(row.cases));
  }
  const department = (key: string) => groupName(config, 'department', key);
  const text = (value: string) => (options.masked ? maskFreeText(value) : value);
  return {
    kind: period.kind,
    label: period.label,
    title: `${config.jurisdiction.district.name}民生诉求${KIND_NAMES[period.kind]}（${periodName(period)}）`,
    district: config.jurisdiction.district.name,
    period: { firstDay: period.firstDay, lastDay: period.lastDay, from, to },
    generatedAt: new Date().toISOString(),
    seq: summary.seq,
    totals: {
      received: summary.received,
      resolved: summary.resolved,
      resolutionRate: summary.resolutionRate,
      onTimeRate: summary.onTimeRate,
      satisfactionRate: summary.satisfactionRate,
      medianResponseMinutes: summary.medianResponseMinutes,
      rehandled: summary.rehandled,
    },
    previous: {
      label: previousPeriod.label,
      received: before.received,
      resolved: before.resolved,
      resolutionRate: before.resolutionRate,
      onTimeRate: before.onTimeRate,
      satisfactionRate: before.satisfactionRate,
    },
    streets: ranked(summary.byStreet),
    departments: ranked(summary.byDepartment),
    categories: ranked(summary.byCategory),
    hotspots: hotspots.map((h) => ({
      raisedAt: new Date(h.raised_at).toISOString(),
      street: h.street ?? '',
      streetName: h.street ? groupName(config, 'street', h.street) : config.jurisdiction.district.name,
      caseCount: Number(h.case_count ?? 0),
      text: text(h.text),
    })),
    breaches: {
      total: breachedCases,
      byStage,
      byDepartment: [...byDepartment].map(([key, count]) => ({ key, name: department(key), count })).sort((a, b) => b.count - a.count || a.key.localeCompare(b.key)),
    },
    orders: { ...summary.orders, byDepartmentNamed: summary.orders.byDepartment.map((d) => ({ ...d, name: department(d.key) })) },
  };
}
