/**
 * GET /api/stats/summary: the figures of RULES.md (F1–F8) for a window, computed by SQL over the
 * cases table in one repeatable-read snapshot, so `seq` and every number describe the same log
 * prefix. (The live stream keeps the same figures incrementally; this query is their reference.)
 */
import { sql } from 'drizzle-orm';
import { startOfShanghaiDay } from '../../shared/domain/calendar.js';
import { CHANNEL_NAMES, type Channel } from '../../shared/domain/vocabulary.js';
import type { GroupFigures, Summary } from '../../shared/protocol/payloads.js';
import type { DomainConfig } from '../config.js';
import { queryRows, type Database } from '../db/client.js';

/** A rate on the wire: 0–1, or null when nothing was counted (the wall shows "—"). */
export function ratio(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : numerator / denominator;
}

export interface SummaryWindow {
  from?: Date;
  to?: Date;
}

const OPEN = sql.raw(`status NOT IN ('resolved', 'evaluated', 'closed', 'merged')`);

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

      const groups = await queryRows<GroupRow>(tx, sql`
        SELECT
          CASE WHEN GROUPING(channel) = 0 THEN 'channel'
               WHEN GROUPING(category) = 0 THEN 'category'
               WHEN GROUPING(street_code) = 0 THEN 'street'
               WHEN GROUPING(department) = 0 THEN 'department'
               ELSE 'all' END AS grouping,
          COALESCE(channel, category, street_code, department) AS key,
          count(*)::int AS received,
          count(*) FILTER (WHERE resolved_at IS NOT NULL)::int AS resolved,
          count(*) FILTER (WHERE resolved_at IS NOT NULL AND resolved_at <= resolve_by)::int AS resolved_on_time,
          count(*) FILTER (WHERE ${OPEN} AND resolve_by < now())::int AS open_past_deadline,
          count(*) FILTER (WHERE satisfaction IS NOT NULL)::int AS evaluated,
          count(*) FILTER (WHERE satisfaction IN ('satisfied', 'basically_satisfied'))::int AS satisfied,
          count(*) FILTER (WHERE ${OPEN})::int AS open
        FROM cases
        WHERE received_at >= ${from.toISOString()}::timestamptz AND received_at < ${to.toISOString()}::timestamptz
          AND status <> 'merged'
        GROUP BY GROUPING SETS ((), (channel), (category), (street_code), (department))
      `);

      const [live] = await queryRows<{ open: number; at_risk: number; breached: number }>(tx, sql`
        SELECT count(*)::int AS open,
               count(*) FILTER (WHERE breached)::int AS breached,
               count(*) FILTER (WHERE at_risk AND NOT breached)::int AS at_risk
        FROM (
          SELECT (responded_at IS NULL AND respond_by < now())
              OR (accepted_at IS NULL AND accept_by < now())
              OR resolve_by < now() AS breached,
                 (responded_at IS NULL AND respond_risk_at <= now())
              OR (accepted_at IS NULL AND accept_risk_at <= now())
              OR resolve_risk_at <= now() AS at_risk
          FROM cases WHERE ${OPEN}
        ) pending
      `);

      const names = groupNames(config);
      const by = (grouping: string): GroupFigures[] =>
        groups
          .filter((r) => r.grouping === grouping)
          .map((r) => figures(r, r.key ?? 'unknown', names(grouping, r.key)))
          .sort((a, b) => b.received - a.received || a.key.localeCompare(b.key));
      const total = groups.find((r) => r.grouping === 'all');
      const all = total ? figures(total, 'all', '') : figures(emptyRow(), 'all', '');

      return {
        seq: Number(head.seq),
        from: from.toISOString(),
        to: to.toISOString(),
        received: all.received,
        resolved: all.resolved,
        resolutionRate: all.resolutionRate,
        onTimeRate: all.onTimeRate,
        satisfactionRate: all.satisfactionRate,
        open: Number(live?.open ?? 0),
        atRisk: Number(live?.at_risk ?? 0),
        breached: Number(live?.breached ?? 0),
        byChannel: by('channel'),
        byCategory: by('category'),
        byStreet: by('street'),
        byDepartment: by('department'),
      };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

function emptyRow(): GroupRow {
  return { grouping: 'all', key: null, received: 0, resolved: 0, resolved_on_time: 0, open_past_deadline: 0, evaluated: 0, satisfied: 0, open: 0 };
}

function figures(r: GroupRow, key: string, name: string): GroupFigures {
  const received = Number(r.received);
  const resolved = Number(r.resolved);
  return {
    key,
    name,
    received,
    resolved,
    resolutionRate: ratio(resolved, received),
    onTimeRate: ratio(Number(r.resolved_on_time), resolved + Number(r.open_past_deadline)),
    satisfactionRate: ratio(Number(r.satisfied), Number(r.evaluated)),
    open: Number(r.open),
  };
}

function groupNames(config: DomainConfig) {
  return (grouping: string, key: string | null): string => {
    if (key === null) return grouping === 'street' ? '位置未知' : '—';
    switch (grouping) {
      case 'channel':
        return CHANNEL_NAMES[key as Channel]?.zh ?? key;
      case 'category':
        return config.taxonomy.category(key)?.name ?? key;
      case 'street':
        return config.jurisdiction.street(key)?.name ?? key;
      case 'department':
        return config.taxonomy.department(key)?.name ?? key;
      default:
        return key;
    }
  };
}
