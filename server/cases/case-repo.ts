/**
 * Reads of cases and their event history. Writes never come here: they go through CaseWriter.
 * Lists are paged by an opaque cursor over (receivedAt, id), newest first, so pages stay stable
 * while new cases arrive.
 */
import { and, asc, desc, eq, gt, gte, ilike, lt, or, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Database } from '../db/client.js';
import { caseEvents, cases } from '../db/schema.js';
import { maskFreeText } from '../../shared/domain/masking.js';
import { casesInScope, type Scope } from '../auth/scope.js';
import type { CaseRow } from './new-case.js';

export const MAX_PAGE = 200;

export const CaseListQuery = z
  .object({
    status: z.string().optional(),
    channel: z.string().optional(),
    category: z.string().optional(),
    department: z.string().optional(),
    streetCode: z.string().optional(),
    communityCode: z.string().optional(),
    riskGrade: z.enum(['green', 'yellow', 'red']).optional(),
    /** true: only cases re-handled after a reopen (一把手重办, RV1); false: only the others. */
    rehandled: z.enum(['true', 'false']).optional(),
    from: z.iso.datetime({ offset: true }).optional(),
    to: z.iso.datetime({ offset: true }).optional(),
    /**
     * Search: a case id exactly, or words in the title or description (case-insensitive). A reader
     * without personal-data rights searches the texts as it is shown them, masked.
     */
    q: z.string().trim().min(1).max(100).optional(),
    limit: z.coerce.number().int().min(1).max(MAX_PAGE).default(50),
    cursor: z.string().max(200).optional(),
  })
  .strict();
export type CaseListQuery = z.infer<typeof CaseListQuery>;

interface Cursor {
  receivedAt: string;
  id: string;
}

export function encodeCursor(row: Pick<CaseRow, 'receivedAt' | 'id'>): string {
  return Buffer.from(JSON.stringify({ receivedAt: row.receivedAt.toISOString(), id: row.id })).toString('base64url');
}

export function decodeCursor(cursor: string): Cursor | null {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Cursor;
    if (typeof parsed.id !== 'string' || Number.isNaN(Date.parse(parsed.receivedAt))) return null;
    return parsed;
  } catch {
    return null;
  }
}

export async function getCase(db: Database, id: string) {
  const [row] = await db.select().from(cases).where(eq(cases.id, id));
  if (!row) return null;
  const events = await db.select().from(caseEvents).where(eq(caseEvents.caseId, id)).orderBy(asc(caseEvents.seq));
  return { row, events };
}

/** The most rows one masked search looks through before it answers with a cursor to go on. */
export const MASKED_SEARCH_SCAN = 2_000;

/**
 * A page of cases, newest first. With `masked`, `q` matches the title and description as a wall
 * is shown them (shared/domain/masking.ts): the database narrows by the clear text, then each row
 * is kept only if its masked text still holds `q`, so a search can never confirm what the mask
 * hides (a phone's middle digits, a neighbour's given name, a room number).
 */
export interface CasePage {
  rows: CaseRow[];
  nextCursor: string | null;
}

export async function listCases(db: Database, query: CaseListQuery, cursor: Cursor | null, options: { masked: boolean; scope?: Scope; narrowing?: boolean } = { masked: false }): Promise<CasePage> {
  if (options.masked && query.q && !options.narrowing) return listMaskedMatches(db, query, cursor, options.scope);
  const where: SQL[] = [];
  const inScope = options.scope ? casesInScope(options.scope) : undefined;
  if (inScope) where.push(inScope);
  const equal = [
    [cases.status, query.status],
    [cases.channel, query.channel],
    [cases.category, query.category],
    [cases.department, query.department],
    [cases.streetCode, query.streetCode],
    [cases.communityCode, query.communityCode],
    [cases.riskGrade, query.riskGrade],
  ] as const;
  for (const [column, value] of equal) if (value !== undefined) where.push(eq(column, value));
  if (query.rehandled) where.push(query.rehandled === 'true' ? gt(cases.reopenCount, 0) : eq(cases.reopenCount, 0));
  if (query.from) where.push(gte(cases.receivedAt, new Date(query.from)));
  if (query.to) where.push(lt(cases.receivedAt, new Date(query.to)));
  if (query.q) {
    // A masked reader's words may hold the mask's own signs: * stands for one hidden character, … for the rest.
    const literal = query.q.replace(/[\\%_]/g, (c) => `\\${c}`);
    const pattern = `%${options.masked ? literal.replaceAll('*', '_').replaceAll('…', '%') : literal}%`;
    where.push(or(eq(cases.id, query.q), ilike(cases.title, pattern), ilike(cases.description, pattern))!);
  }
  return pageOf(db, where, query.limit, cursor);
}

async function listMaskedMatches(db: Database, query: CaseListQuery, cursor: Cursor | null, scope?: Scope): Promise<CasePage> {
  const q = query.q!.toLowerCase();
  const shown = (row: CaseRow) => {
    if (row.id === query.q) return true;
    const known = { name: row.reporterName, address: row.address };
    return [row.title, row.description].some((text) => text !== null && maskFreeText(text, known).toLowerCase().includes(q));
  };
  const found: CaseRow[] = [];
  let scanned = 0;
  let at = cursor;
  let goOn: string | null = null;
  while (found.length <= query.limit && scanned < MASKED_SEARCH_SCAN) {
    const batch: CasePage = await listCases(db, { ...query, limit: MAX_PAGE }, at, { masked: true, scope, narrowing: true });
    for (const row of batch.rows) {
      scanned += 1;
      if (shown(row)) found.push(row);
      if (found.length > query.limit) break;
    }
    if (!batch.nextCursor) return { rows: found.slice(0, query.limit), nextCursor: found.length > query.limit ? encodeCursor(found[query.limit - 1]!) : null };
    goOn = batch.nextCursor;
    at = decodeCursor(batch.nextCursor);
  }
  // A full page, or the scan's bound: the cursor goes on from the last row looked at or shown.
  const rows = found.slice(0, query.limit);
  const last = found.length > query.limit ? rows.at(-1)! : null;
  return { rows, nextCursor: last ? encodeCursor(last) : goOn };
}

async function pageOf(db: Database, where: SQL[], limit: number, cursor: Cursor | null): Promise<CasePage> {
  if (cursor) {
    const at = new Date(cursor.receivedAt);
    where.push(or(lt(cases.receivedAt, at), and(eq(cases.receivedAt, at), lt(cases.id, cursor.id)))!);
  }
  const rows = await db
    .select()
    .from(cases)
    .where(and(...where))
    .orderBy(desc(cases.receivedAt), desc(cases.id))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { rows: page, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}
