/**
 * How an alert is shown to a reader, from its stored row or from its `alert.raised` event: ISO
 * times, and the text masked for anyone without the right to see personal data (walls).
 */
import { maskFreeText } from '../../shared/domain/masking.js';
import type { AlertView } from '../../shared/protocol/payloads.js';
import type { AlertRow } from '../cases/case-writer.js';

/** A reader sees the first this many of an alert's cases (a surge may name a thousand): the count says how many. */
export const VIEW_NAMED_CASES = 50;

export function toAlertView(row: AlertRow, options: { masked: boolean }): AlertView {
  return {
    id: row.id,
    kind: row.kind as AlertView['kind'],
    severity: row.severity as AlertView['severity'],
    caseId: row.caseId,
    stage: row.stage as AlertView['stage'],
    deadline: row.deadline ? row.deadline.toISOString() : null,
    at: row.raisedAt.toISOString(),
    seq: row.seq,
    text: options.masked ? maskFreeText(row.text) : row.text,
    ackedAt: row.ackedAt ? row.ackedAt.toISOString() : null,
    ackedBy: row.ackedBy,
    caseIds: (row.caseIds ?? [row.caseId]).slice(0, VIEW_NAMED_CASES),
    caseCount: row.caseCount ?? row.caseIds?.length ?? 1,
    updatedAt: row.updatedAt ? row.updatedAt.toISOString() : null,
  };
}

const date = (value: unknown): Date | null => (typeof value === 'string' || value instanceof Date ? new Date(value) : null);

/** An alert row from the JSON its `alert.raised` event carries. */
export function alertRowFromEvent(json: Record<string, unknown>): AlertRow {
  return {
    id: String(json.id),
    key: String(json.key),
    kind: String(json.kind),
    severity: String(json.severity),
    caseId: String(json.caseId),
    stage: (json.stage as string | null) ?? null,
    deadline: date(json.deadline),
    raisedAt: date(json.raisedAt) ?? new Date(0),
    seq: Number(json.seq),
    text: String(json.text ?? ''),
    ackedAt: date(json.ackedAt),
    ackedBy: (json.ackedBy as string | null) ?? null,
    subject: (json.subject as string | null) ?? null,
    caseIds: Array.isArray(json.caseIds) ? json.caseIds.map(String) : null,
    caseCount: typeof json.caseCount === 'number' ? json.caseCount : null,
    street: (json.street as string | null) ?? null,
    updatedAt: date(json.updatedAt),
  };
}
