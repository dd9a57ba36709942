/**
 * GET /api/stats/summary: the figures of RULES.md (F1–F11, RV2, ORD6) for a window, computed by SQL
 * over the cases, orders and alerts tables in one repeatable-read snapshot, so `seq` and every number describe the
 * same log prefix. Past-deadline facts are the deadline monitor's alerts (events in the log), never
 * `now()`, so the live projections (server/live/projection.ts), which keep the same figures
 * incrementally from the log, can equal this query exactly; it is their reference.
 */
import { sql, type SQL } from 'drizzle-orm';
import { startOfShanghaiDay } from '../../shared/domain/calendar.js';
import type { GroupFigures, Summary } from '../../shared/protocol/payloads.js';
import { byReceived, groupFigures, orderFigures, type GroupDimension } from '../../shared/protocol/figures.js';
import type { DomainConfig } from '../config.js';
import { queryRows, type Database } from '../db/client.js';
import { groupName, UNKNOWN_KEY } from './group-names.js';

export interface SummaryWindow {
  from?: Date;
  to?: Date;
  /** One street's figures (`unknown`: cases without a street); absent = the whole district. */
  street?: string;
}

const OPEN = sql.raw(`status NOT IN ('resolved', 'evaluated', 'closed', 'merged')`);

/** The monitor raised `kind` for a stage of case `c` that is still running with that deadline. */
const alertedOnRunningStage = (kind: 'sla_at_risk' | 'sla_breached') =>
  sql.raw(`EXISTS (SELECT 1 FROM alerts a WHERE a.case_id = c.id AND a.kind = '${kind}' AND (
      (a.stage = 'respond' AND c.responded_at IS NULL AND a.deadline = c.respond_by)
   OR (a.stage = 'accept' AND c.accepted_at IS NULL AND a.deadline = c.accept_by)
   OR (a.stage = 'resolve' AND a.deadline = c.resolve_by)))`);

/** Open and past its resolve deadline, as the monitor recorded it (F3). */
const PAST_RESOLVE_DEADLINE = sql.raw(
  `EXISTS (SELECT 1 FROM alerts a WHERE a.case_id = c.id AND a.kind = 'sla_breached' AND a.stage = 'resolve' AND a.deadline = c.resolve_by)`,
);

interface GroupRow {
  grouping: string;
  key: string | null;
  received: number;
  resolved: number;
  resolved_on_time: number;
  open_past_deadline: number;
  evaluated: number;
  satisfied: number;
  open: number;
  rehandled: number;
  rehandled_resolved: number;
  rehandled_satisfied: number;
  rehandled_unsatisfied: number;
  median_response: number | string | null;
}

export async function computeSummary(db: Database, config: DomainConfig, window: SummaryWindow): Promise<Summary> {
  return db.transaction(
    async (tx) => {
      const [head] = await queryRows<{ now: string; seq: number }>(
        tx,
        sql`SELECT now() AS now, (SELECT seq FROM log_head WHERE id = 1)::bigint AS seq`,
      );
      if (!head) throw new Error('log_head row is missing');
      const now = new Date(head.now);
      const from = window.from ?? startOfShanghaiDay(now);
      const to = window.to ?? new Date(from.getTime() + 86_400_000);
      const street = window.street ?? null;
      const inScope: SQL =
        street === null ? sql`true` : street === UNKNOWN_KEY ? sql`c.street_code IS NULL` : sql`c.street_code = ${street}`;

      const groups = await queryRows<GroupRow>(tx, sql`
        SELECT
          CASE WHEN GROUPING(channel) = 0 THEN 'channel'
               WHEN GROUPING(category) = 0 THEN 'category'
               WHEN GROUPING(street_code) = 0 THEN 'street'
               WHEN GROUPING(community_code) = 0 THEN 'community'
               WHEN GROUPING(department) = 0 THEN 'department'
               ELSE 'all' END AS grouping,
          COALESCE(channel, category, street_code, community_code, department) AS key,
          count(*)::int AS received,
          count(*) FILTER (WHERE resolved_at IS NOT NULL)::int AS resolved,
          count(*) FILTER (WHERE resolved_at IS NOT NULL AND resolved_at <= resolve_by)::int AS resolved_on_time,
          count(*) FILTER (WHERE ${OPEN} AND ${PAST_RESOLVE_DEADLINE})::int AS open_past_deadline,
          count(*) FILTER (WHERE satisfaction IS NOT NULL)::int AS evaluated,
          count(*) FILTER (WHERE satisfaction IN ('satisfied', 'basically_satisfied'))::int AS satisfied,
          count(*) FILTER (WHERE ${OPEN})::int AS open,
          count(*) FILTER (WHERE reopen_count > 0)::int AS rehandled,
          count(*) FILTER (WHERE reopen_count > 0 AND resolved_at IS NOT NULL)::int AS rehandled_resolved,
          count(*) FILTER (WHERE reopen_count > 0 AND satisfaction IN ('satisfied', 'basically_satisfied'))::int AS rehandled_satisfied,
          count(*) FILTER (WHERE reopen_count > 0 AND satisfaction = 'unsatisfied')::int AS rehandled_unsatisfied,
          percentile_disc(0.5) WITHIN GROUP (ORDER BY greatest(0, floor(extract(epoch FROM (responded_at - received_at)) / 60)))
            FILTER (WHERE responded_at IS NOT NULL) AS median_response
        FROM cases c
        WHERE received_at >= ${from.toISOString()}::timestamptz AND received_at < ${to.toISOString()}::timestamptz
          AND status <> 'merged' AND ${inScope}
        GROUP BY GROUPING SETS ((), (channel), (category), (street_code), (community_code), (department))
      `);

      const [live] = await queryRows<{ open: number; at_risk: number; breached: number }>(tx, sql`
        SELECT count(*)::int AS open,
               count(*) FILTER (WHERE breached)::int AS breached,
               count(*) FILTER (WHERE at_risk AND NOT breached)::int AS at_risk
        FROM (
          SELECT ${alertedOnRunningStage('sla_breached')} AS breached, ${alertedOnRunningStage('sla_at_risk')} AS at_risk
          FROM cases c WHERE ${OPEN} AND ${inScope}
        ) pending
      `);

      // Community orders issued in the window; a summons is due once arrived or once the order
      // monitor recorded it late (its `order_late` alert), as the projection counts it (ORD6).
      const orderRows = await queryRows<{ department: string | null; orders: number; summonses: number; due: number; on_time: number }>(tx, sql`
        SELECT s.department,
               count(DISTINCT o.id)::int AS orders,
               count(*)::int AS summonses,
               count(*) FILTER (WHERE s.arrived_at IS NOT NULL OR EXISTS (
                 SELECT 1 FROM alerts a WHERE a.key = 'order_late|' || s.order_id || '|' || s.department))::int AS due,
               count(*) FILTER (WHERE s.on_time)::int AS on_time
        FROM order_summonses s JOIN community_orders o ON o.id = s.order_id
        WHERE o.issued_at >= ${from.toISOString()}::timestamptz AND o.issued_at < ${to.toISOString()}::timestamptz
          AND ${street === null ? sql`true` : sql`o.street_code = ${street}`}
        GROUP BY GROUPING SETS ((), (s.department))
      `);
      const orders = orderFigures(new Map(orderRows.map((r) => [r.department ?? '', [r.orders, r.summonses, r.due, r.on_time].map(Number)])));

      const by = (grouping: GroupDimension): GroupFigures[] =>
        groups
          .filter((r) => r.grouping === grouping)
          .map((r) => {
            const key = r.key ?? UNKNOWN_KEY;
            return figures(r, key, groupName(config, grouping, key));
          })
          .sort(byReceived);
      const total = groups.find((r) => r.grouping === 'all');
      const all = total ? figures(total, 'all', '') : figures(emptyRow(), 'all', '');

      return {
        seq: Number(head.seq),
        from: from.toISOString(),
        to: to.toISOString(),
        street,
        received: all.received,
        resolved: all.resolved,
        resolutionRate: all.resolutionRate,
        onTimeRate: all.onTimeRate,
        satisfactionRate: all.satisfactionRate,
        open: Number(live?.open ?? 0),
        atRisk: Number(live?.at_risk ?? 0),
        breached: Number(live?.breached ?? 0),
        medianResponseMinutes: total?.median_response == null ? null : Number(total.median_response),
        rehandled: {
          cases: Number(total?.rehandled ?? 0),
          resolved: Number(total?.rehandled_resolved ?? 0),
          satisfied: Number(total?.rehandled_satisfied ?? 0),
          unsatisfied: Number(total?.rehandled_unsatisfied ?? 0),
        },
        orders,
        byChannel: by('channel'),
        byCategory: by('category'),
        byStreet: by('street'),
        byCommunity: by('community'),
        byDepartment: by('department'),
      };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

function emptyRow(): GroupRow {
  return { grouping: 'all', key: null, received: 0, resolved: 0, resolved_on_time: 0, open_past_deadline: 0, evaluated: 0, satisfied: 0, open: 0, rehandled: 0, rehandled_resolved: 0, rehandled_satisfied: 0, rehandled_unsatisfied: 0, median_response: null };
}

function figures(r: GroupRow, key: string, name: string): GroupFigures {
  const n = (value: number) => Number(value);
  return groupFigures([key, n(r.received), n(r.resolved), n(r.resolved_on_time), n(r.open_past_deadline), n(r.evaluated), n(r.satisfied), n(r.open), n(r.rehandled), n(r.rehandled_resolved), n(r.rehandled_satisfied), n(r.rehandled_unsatisfied)], name);
}
