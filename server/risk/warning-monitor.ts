/**
 * The warning monitor: early warning (shared/domain/early-warning.ts) on this node. On its first
 * pass it learns the cases of the last weeks from the database; after that it follows the log's
 * new `case.created` events by seq, feeds them to the detector and hands the findings to the
 * CaseWriter (the first pass's too: a cluster that formed while the node was down is raised then), which raises each cluster or surge once and grows it as it grows, under the log lock
 * (by subject and shared cases). So monitors on several nodes may race, and a restarted one
 * relearns the same history and raises nothing twice. Judged by the database's clock.
 */
import { sql } from 'drizzle-orm';
import type { WarningCandidate } from '../../shared/domain/alerts.js';
import { DEFAULT_WARNING, EarlyWarning, type Finding, type WarningCase, type WarningSettings } from '../../shared/domain/early-warning.js';
import type { Actor, AlertRow, CaseWriter } from '../cases/case-writer.js';
import type { DomainConfig } from '../config.js';
import { queryRows, type Database } from '../db/client.js';
import { settledFlag, startPeriodic } from '../live/periodic.js';

const ACTOR: Actor = { label: 'early warning', role: 'admin', origin: 'monitor' };
/** Most new cases read per pass; the next pass reads on. */
const PAGE = 5_000;
/** The longest the detector holds the event loop at a time. */
const SLICE_MS = 20;

export interface WarningMonitor {
  /** One pass: learns new cases and raises or grows what they make unusual; resolves with those alerts. */
  runOnce(): Promise<AlertRow[]>;
  stop(): Promise<void>;
}

interface CaseLine {
  id: string;
  category: string;
  street_code: string | null;
  community_code: string | null;
  lng: number | null;
  lat: number | null;
  received_at: string;
}

const COLUMNS = sql`c.id, c.category, c.street_code, c.community_code, c.lng, c.lat,
  to_char(c.received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS received_at`;

function toWarningCase(line: CaseLine): WarningCase {
  return {
    id: line.id,
    category: line.category,
    street: line.street_code,
    community: line.community_code,
    lng: line.lng === null ? null : Number(line.lng),
    lat: line.lat === null ? null : Number(line.lat),
    receivedAt: Date.parse(line.received_at),
  };
}

/** The alert a finding becomes: its subject, cases and a text without personal data. */
export function warningCandidate(finding: Finding, config: DomainConfig, days: number): WarningCandidate {
  const category = (code: string) => config.taxonomy.category(code)?.name ?? code;
  const street = (code: string | null) => (code ? (config.jurisdiction.street(code)?.name ?? code) : '全区');
  const usual = `常态约${finding.expected < 10 ? finding.expected.toFixed(1) : Math.round(finding.expected)}件`;
  if (finding.kind === 'recurring') {
    const place = finding.community ? (config.jurisdiction.community(finding.community)?.name ?? finding.community) : street(finding.street);
    return {
      kind: 'recurring',
      severity: 'warning',
      subject: `recurring|${finding.category}`,
      caseIds: finding.caseIds,
      street: finding.street,
      text: `反复出现 ${finding.caseIds.length}件 · ${days}日内 ${usual} · ${category(finding.category)} · ${place}`,
    };
  }
  const hour = new Date(finding.hour + 8 * 3_600_000).getUTCHours(); // Asia/Shanghai
  const byStreet = finding.dimension === 'street';
  return {
    kind: 'surge',
    severity: 'warning',
    subject: `surge|${finding.dimension}:${finding.group}|${new Date(finding.hour).toISOString()}`,
    caseIds: finding.caseIds,
    street: byStreet ? finding.group : null,
    text: `诉求激增 ${finding.caseIds.length}件 · ${hour}时 ${usual} · ${byStreet ? '全部类别' : category(finding.group)} · ${street(byStreet ? finding.group : null)}`,
  };
}

export function createWarningMonitor(deps: {
  db: Database;
  writer: CaseWriter;
  config: DomainConfig;
  settings?: WarningSettings;
  intervalMs?: number;
  /** Judge only once this settles (e.g. the demo's backfill: judging half a history alarms wrongly). */
  ready?: Promise<unknown>;
  log?: (line: string) => void;
}): WarningMonitor {
  const settings = deps.settings ?? DEFAULT_WARNING;
  const detector = new EarlyWarning(settings);
  const lookBackDays = Math.max(settings.recurring.historyDays + settings.recurring.days, settings.surge.historyWeeks * 7 + 1);
  let cursor: number | null = null;
  const ready = settledFlag(deps.ready);

  const learnHistory = async (): Promise<void> => {
    const started = Date.now();
    const [head] = await queryRows<{ seq: number }>(deps.db, sql`SELECT seq FROM log_head WHERE id = 1`);
    const lines = await queryRows<CaseLine>(
      deps.db,
      sql`SELECT ${COLUMNS} FROM cases c
          WHERE c.received_at > now() - make_interval(days => ${lookBackDays}) AND c.status <> 'merged'`,
    );
    for (const [i, line] of lines.entries()) {
      detector.add(toWarningCase(line));
      if (i % 2_000 === 1_999) await new Promise((resolve) => setImmediate(resolve)); // let the node breathe
    }
    cursor = Number(head?.seq ?? 0);
    deps.log?.(`early warning: learned ${lines.length} cases of the last ${lookBackDays} days in ${Date.now() - started} ms`);
  };

  const learnNew = async (): Promise<void> => {
    const [head] = await queryRows<{ seq: number }>(deps.db, sql`SELECT seq FROM log_head WHERE id = 1`);
    const upTo = Math.min(Number(head?.seq ?? 0), cursor! + PAGE * 20);
    const lines = await queryRows<CaseLine & { seq: number }>(
      deps.db,
      sql`SELECT e.seq, ${COLUMNS} FROM case_events e JOIN cases c ON c.id = e.case_id
          WHERE e.seq > ${cursor} AND e.seq <= ${upTo} AND e.type = 'case.created'
          ORDER BY e.seq LIMIT ${PAGE}`,
    );
    for (const line of lines) detector.add(toWarningCase(line));
    cursor = lines.length === PAGE ? Number(lines[lines.length - 1]!.seq) : upTo;
  };

  const pass = async (): Promise<AlertRow[]> => {
    if (!ready()) return [];
    const first = cursor === null;
    if (first) await learnHistory();
    else await learnNew();
    const [clock] = await queryRows<{ now: string }>(deps.db, sql`SELECT now() AS now`);
    const now = clock ? new Date(clock.now).getTime() : Date.now();
    const judging = Date.now();
    // In slices of ~20 ms, yielding between them: the first pass judges a week of places.
    const findings = detector.findings(now, SLICE_MS);
    while (detector.pending) {
      await new Promise((resolve) => setImmediate(resolve));
      findings.push(...detector.findings(now, SLICE_MS));
    }
    const candidates = findings.map((f) => warningCandidate(f, deps.config, settings.recurring.days));
    if (first) deps.log?.(`early warning: first judgement in ${Date.now() - judging} ms, ${candidates.length} findings`);
    return deps.writer.raiseWarnings(candidates, ACTOR);
  };

  return startPeriodic(pass, { intervalMs: deps.intervalMs ?? 5_000, name: 'early warning', log: deps.log });
}
