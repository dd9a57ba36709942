/**
 * The audit log: every read of a citizen's personal data (a case opened with its reporter, a
 * list or search over clear texts, an export with personal data) and every token, session or wall
 * link made or revoked, with who (the token's label), when, what and from where. A read is
 * recorded before it is answered: if the record cannot be written, the read fails (503) rather
 * than go unrecorded. Rows older than the retention (AUDIT_RETENTION_DAYS, 180 by default) are
 * deleted hourly.
 */
import { and, desc, eq, gte, lt, sql, type SQL } from 'drizzle-orm';
import { queryRows, type Database } from '../db/client.js';
import { auditLog } from '../db/schema.js';
import { startPeriodic, type Periodic } from '../live/periodic.js';

export const AUDIT_ACTIONS = [
  'case.read',
  'cases.list',
  'cases.search',
  'report.export',
  'token.create',
  'token.revoke',
  'session.create',
  'session.revoke',
  'wall-link.create',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const DEFAULT_AUDIT_RETENTION_DAYS = 180;

export interface AuditEntry {
  action: AuditAction;
  subject?: string | null;
  detail?: Record<string, unknown> | null;
}

export async function recordAudit(
  db: Database,
  who: { actor: string; role: string; tokenId: string | null; origin: string },
  entry: AuditEntry,
): Promise<void> {
  await db.insert(auditLog).values({ ...who, action: entry.action, subject: entry.subject ?? null, detail: entry.detail ?? null });
}

export interface AuditQuery {
  action?: AuditAction;
  actor?: string;
  subject?: string;
  from?: string;
  to?: string;
  /** Rows with an id below this one (the previous page's `next`). */
  before?: number;
  limit: number;
}

export async function listAudit(db: Database, query: AuditQuery) {
  const where: SQL[] = [];
  if (query.action) where.push(eq(auditLog.action, query.action));
  if (query.actor) where.push(eq(auditLog.actor, query.actor));
  if (query.subject) where.push(eq(auditLog.subject, query.subject));
  if (query.from) where.push(gte(auditLog.at, new Date(query.from)));
  if (query.to) where.push(lt(auditLog.at, new Date(query.to)));
  if (query.before) where.push(lt(auditLog.id, query.before));
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(...where))
    .orderBy(desc(auditLog.id))
    .limit(query.limit + 1);
  const page = rows.slice(0, query.limit);
  return {
    entries: page.map((row) => ({ ...row, at: row.at.toISOString() })),
    next: rows.length > query.limit ? page.at(-1)!.id : null,
  };
}

/** Deletes the rows older than `days`; resolves with how many went. */
export async function purgeAudit(db: Database, days: number): Promise<number> {
  const rows = await queryRows<{ n: number | string }>(
    db,
    sql`WITH gone AS (DELETE FROM audit_log WHERE at < now() - make_interval(days => ${days}) RETURNING 1) SELECT count(*) AS n FROM gone`,
  );
  return Number(rows[0]?.n ?? 0);
}

export function startAuditPurge(db: Database, days: number, log?: (line: string) => void): Periodic<number> {
  const purge = startPeriodic(() => purgeAudit(db, days), { intervalMs: 60 * 60_000, name: 'audit purge', log });
  void purge.runOnce().catch(() => undefined); // and once at start
  return purge;
}
