/**
 * End of day (DESIGN "End of day", RULES DAY1–DAY2): once the database's clock has passed 24:00
 * Asia/Shanghai, the cases open at that midnight are graded (shared/domain/day-grade.ts) and the
 * reds become the leaders' list: one critical `day_red` alert naming them, raised through the
 * writer once per day (its subject is the day), so racing nodes and restarts grade a day once.
 * The deadline monitor calls it on each pass; it looks at the database only when a day has ended.
 */
import { sql } from 'drizzle-orm';
import { gradeAtDayEnd, type DayEndCase } from '../../shared/domain/day-grade.js';
import type { RiskGrade } from '../../shared/domain/vocabulary.js';
import type { Actor, AlertRow, CaseWriter } from '../cases/case-writer.js';
import { queryRows, type Database } from '../db/client.js';

const ACTOR: Actor = { label: 'end of day', role: 'admin', origin: 'monitor' };

const ts = (column: string) => sql.raw(`to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

interface OpenRow {
  id: string;
  risk_grade: RiskGrade;
  responded_at: string | null;
  accepted_at: string | null;
  respond_risk_at: string;
  accept_risk_at: string;
  resolve_risk_at: string;
  resolve_by: string;
}

const date = (value: string | null) => (value === null ? null : new Date(value));

function toDayEndCase(row: OpenRow): DayEndCase {
  return {
    riskGrade: row.risk_grade,
    respondedAt: date(row.responded_at),
    acceptedAt: date(row.accepted_at),
    respondRiskAt: new Date(row.respond_risk_at),
    acceptRiskAt: new Date(row.accept_risk_at),
    resolveRiskAt: new Date(row.resolve_risk_at),
    resolveBy: new Date(row.resolve_by),
  };
}

/** The grading of the day that ended at `midnight`: counts by grade and the red cases, oldest first. */
export async function gradeDay(db: Database, midnight: Date): Promise<{ counts: Record<RiskGrade, number>; reds: string[] }> {
  const m = midnight.toISOString();
  const rows = await queryRows<OpenRow>(
    db,
    sql`SELECT id, risk_grade, ${ts('responded_at')} AS responded_at, ${ts('accepted_at')} AS accepted_at,
          ${ts('respond_risk_at')} AS respond_risk_at, ${ts('accept_risk_at')} AS accept_risk_at,
          ${ts('resolve_risk_at')} AS resolve_risk_at, ${ts('resolve_by')} AS resolve_by
        FROM cases
        WHERE received_at < ${m}::timestamptz AND status <> 'merged'
          AND (resolved_at IS NULL OR resolved_at >= ${m}::timestamptz)
        ORDER BY received_at, id`,
  );
  const counts: Record<RiskGrade, number> = { green: 0, yellow: 0, red: 0 };
  const reds: string[] = [];
  for (const row of rows) {
    const grade = gradeAtDayEnd(toDayEndCase(row), midnight);
    counts[grade] += 1;
    if (grade === 'red') reds.push(row.id);
  }
  return { counts, reds };
}

export interface DayEndGrader {
  /** Grades the day that ended last, if this node has not yet; resolves with the alert raised (if any). */
  gradeIfDue(): Promise<AlertRow[]>;
}

export function createDayEndGrader(deps: { db: Database; writer: CaseWriter; log?: (line: string) => void }): DayEndGrader {
  let graded: string | null = null;
  return {
    async gradeIfDue() {
      const [clock] = await queryRows<{ midnight: string; day: string }>(
        deps.db,
        sql`SELECT ${ts('m')} AS midnight, to_char((m AT TIME ZONE 'Asia/Shanghai') - interval '1 day', 'YYYY-MM-DD') AS day
            FROM (SELECT date_trunc('day', now() AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai' AS m) t`,
      );
      if (!clock || graded === clock.day) return [];
      const { counts, reds } = await gradeDay(deps.db, new Date(clock.midnight));
      graded = clock.day;
      deps.log?.(`end of day ${clock.day}: red ${counts.red}, yellow ${counts.yellow}, green ${counts.green}`);
      if (reds.length === 0) return [];
      const [, month, day] = clock.day.split('-').map(Number);
      const text = `日终红色清单 ${counts.red}件 · ${month}月${day}日 黄${counts.yellow} 绿${counts.green} · 全区`;
      return deps.writer.raiseWarnings([{ kind: 'day_red', severity: 'critical', subject: `day_red|${clock.day}`, caseIds: reds, street: null, text }], ACTOR);
    },
  };
}
