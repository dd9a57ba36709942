/**
 * Test support: hand-made rows of the event log, to feed a Projection without a database. Each
 * `eventLog()` numbers its events from seq 1; `created` is a plain green case in 光明街道 with a
 * place, 1 h / 2 h / 5 days to respond / accept / resolve, overridable field by field.
 */
import type { LoggedEvent } from '../live/log-follower.js';

const HOUR = 3_600_000;

export function eventLog() {
  let seq = 0;
  const event = (caseId: string, at: number, type: string, action: string | null, data: Record<string, unknown>): LoggedEvent => ({
    seq: ++seq,
    caseId,
    type,
    action,
    at: new Date(at),
    recordedAt: new Date(at),
    actor: 'test',
    origin: 'test',
    note: null,
    data,
  });
  const created = (id: string, at: number, extra: Record<string, unknown> = {}): LoggedEvent =>
    event(id, at, 'case.created', null, {
      id,
      receivedAt: new Date(at).toISOString(),
      channel: 'hotline_12345',
      category: 'environment',
      streetCode: '440311001',
      communityCode: null,
      department: 'urban_management',
      status: 'received',
      riskGrade: 'green',
      respondBy: new Date(at + HOUR).toISOString(),
      acceptBy: new Date(at + 2 * HOUR).toISOString(),
      resolveBy: new Date(at + 120 * HOUR).toISOString(),
      lng: 113.93512,
      lat: 22.74871,
      ...extra,
    });
  return { created, event };
}
