/**
 * The deadline monitor: every few seconds it asks the database (by the database's clock, so nodes
 * with skewed clocks agree) which open cases are due an alert not yet raised — a running deadline
 * at risk or breached, a red case or a group dispute — and hands them to the CaseWriter, which raises each once
 * (checked again under the log lock, by the alert's unique key). After a restart it raises what
 * fell due while it was down; several monitors on several nodes may race without doubling anything.
 * The same pass closes resolved cases left unevaluated past `evaluationDays` (DESIGN, end of day)
 * and, once a day has ended, grades it (server/live/day-end.ts).
 */
import { sql } from 'drizzle-orm';
import { dueAlerts, type AlertCandidate } from '../../shared/domain/alerts.js';
import type { Actor, AlertRow, CaseWriter } from '../cases/case-writer.js';
import type { CaseRow } from '../cases/new-case.js';
import { queryRows, type Database } from '../db/client.js';
import { fromColumnJson } from '../db/json-rows.js';
import { cases } from '../db/schema.js';
import type { RiskConfig } from '../../shared/domain/risk.js';
import { groupDisputeRule, lifecycleSubject } from './alert-text.js';
import type { DayEndGrader } from './day-end.js';
import { settledFlag, startPeriodic } from './periodic.js';

const ACTOR: Actor = { label: 'deadline monitor', role: 'admin', origin: 'monitor' };
/** Most cases examined per pass; the next pass takes the rest. */
const PAGE = 500;

export interface SlaMonitor {
  /** One pass: raises what is due now and closes cases left unevaluated; resolves with the alerts raised. */
  runOnce(): Promise<AlertRow[]>;
  stop(): Promise<void>;
}

/** ISO text of a timestamptz in SQL, exactly as JavaScript's toISOString() writes it. */
const iso = (column: string) => sql.raw(`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

/**
 * Open cases with at least one alert due now whose key is not in `alerts` yet. The keys are built
 * as alertKey() builds them (shared/domain/alerts.ts), so raised alerts drop out of the next pass.
 */
function dueCasesQuery(risk: RiskConfig) {
  const group = groupDisputeRule(risk);
  return sql`
    SELECT row_to_json(c) AS row FROM cases c
    WHERE c.status NOT IN ('resolved', 'evaluated', 'closed', 'merged')
      AND EXISTS (
        SELECT 1 FROM (VALUES
          ('respond', c.responded_at IS NULL, c.respond_by, c.respond_risk_at),
          ('accept', c.accepted_at IS NULL, c.accept_by, c.accept_risk_at),
          ('resolve', true, c.resolve_by, c.resolve_risk_at)
        ) AS s(stage, running, deadline, risk_at)
        WHERE s.running AND s.risk_at <= now()
          AND NOT EXISTS (SELECT 1 FROM alerts a WHERE a.key =
            c.id || '|' || CASE WHEN now() > s.deadline THEN 'sla_breached' ELSE 'sla_at_risk' END
            || '|' || s.stage || '|' || ${iso('s.deadline')})
        UNION ALL
        SELECT 1 WHERE c.risk_grade = 'red'
          AND NOT EXISTS (SELECT 1 FROM alerts a WHERE a.key = c.id || '|red_case||')
        UNION ALL
        SELECT 1 WHERE c.risk_grade <> 'red' AND c.people_involved >= ${group.people}
          AND c.category IN (SELECT jsonb_array_elements_text(${JSON.stringify(group.categories)}::jsonb))
          AND NOT EXISTS (SELECT 1 FROM alerts a WHERE a.key = c.id || '|group_dispute||')
      )
    ORDER BY c.received_at
    LIMIT ${PAGE}`;
}

/**
 * DESIGN "End of day": a resolved case not evaluated within `evaluationDays` closes as "not
 * evaluated". By the database's clock; the version guards against a racing evaluation.
 */
async function closeUnevaluated(db: Database, writer: CaseWriter, evaluationDays: number): Promise<number> {
  const rows = await queryRows<{ id: string; version: number }>(
    db,
    sql`SELECT id, version FROM cases
        WHERE status = 'resolved' AND resolved_at < now() - make_interval(days => ${evaluationDays})
        ORDER BY resolved_at LIMIT ${PAGE}`,
  );
  const note = `${evaluationDays}日内未回访评价，自动归档 (not evaluated within ${evaluationDays} days)`;
  const answers = await Promise.all(
    rows.map((r) => writer.transition(r.id, { action: 'close', note, version: Number(r.version) }, ACTOR)),
  );
  return answers.filter((a) => a.status === 200).length;
}

export function createSlaMonitor(deps: {
  db: Database;
  writer: CaseWriter;
  evaluationDays: number;
  risk: RiskConfig;
  /** Grades each ended day (server/live/day-end.ts) once `ready` settles (the demo's backfill). */
  endOfDay?: { grader: DayEndGrader; ready?: Promise<unknown> };
  intervalMs?: number;
  log?: (line: string) => void;
}): SlaMonitor {
  const intervalMs = deps.intervalMs ?? 2_000;
  const gradingReady = settledFlag(deps.endOfDay?.ready);

  const pass = async (): Promise<AlertRow[]> => {
    const [{ now } = { now: new Date().toISOString() }] = await queryRows<{ now: string }>(deps.db, sql`SELECT now() AS now`);
    const rows = await queryRows<{ row: Record<string, unknown> | string }>(deps.db, dueCasesQuery(deps.risk));
    const candidates: AlertCandidate[] = [];
    for (const { row } of rows) {
      const parsed = fromColumnJson<CaseRow>(cases, typeof row === 'string' ? (JSON.parse(row) as Record<string, unknown>) : row);
      candidates.push(...dueAlerts(lifecycleSubject(parsed, deps.risk), new Date(now)));
    }
    const raised = await deps.writer.raiseAlerts(candidates, ACTOR);
    await closeUnevaluated(deps.db, deps.writer, deps.evaluationDays);
    if (deps.endOfDay && gradingReady()) raised.push(...(await deps.endOfDay.grader.gradeIfDue()));
    return raised;
  };

  return startPeriodic(pass, { intervalMs, name: 'deadline monitor', log: deps.log });
}
