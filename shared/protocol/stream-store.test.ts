/**
 * The client's copy of the stream (STORE1–STORE3 in RULES.md): deltas apply in seq order, a gap
 * is reported instead of guessed over, and group rows arrive as counts and leave at zero.
 */
import { describe, expect, it } from 'vitest';
import type { StreamDelta, StreamSnapshot, SummaryPatch } from './events.js';
import type { Summary } from './payloads.js';
import { applyAcked, applyAlert, applyDelta, fromSnapshot } from './stream-store.js';

const summary = (seq: number): Summary => ({
  seq,
  from: '2026-11-22T16:00:00.000Z',
  to: '2026-11-23T16:00:00.000Z',
  street: null,
  received: 2,
  resolved: 1,
  resolutionRate: 0.5,
  onTimeRate: 1,
  satisfactionRate: null,
  open: 1,
  atRisk: 0,
  breached: 0,
  medianResponseMinutes: 12,
  rehandled: { cases: 0, resolved: 0, satisfied: 0, unsatisfied: 0 },
  orders: { issued: 0, summonses: 0, due: 0, onTime: 0, executionRate: null, byDepartment: [] },
  byChannel: [{ key: 'app', name: 'i深圳', received: 2, resolved: 1, resolutionRate: 0.5, onTimeRate: 1, satisfactionRate: null, open: 1 }],
  byCategory: [],
  byStreet: [],
  byCommunity: [],
  byDepartment: [],
});

const snapshot: StreamSnapshot = {
  protocol: 1,
  epoch: 'e1',
  seq: 10,
  at: '2026-11-23T08:00:00.000Z',
  street: null,
  periodDays: 7,
  summary: summary(10),
  period: summary(10),
  names: { channel: { app: 'i深圳', wechat: '微信' }, category: {}, street: {}, community: {}, department: {} },
  hourly: [],
  latest: [],
  alerts: [],
  activeAlerts: 0,
  points: [],
};

function patch(seq: number, groups: Partial<SummaryPatch['groups']> = {}): SummaryPatch {
  const { byChannel, byCategory, byStreet, byCommunity, byDepartment, ...scalars } = summary(seq);
  return { ...scalars, groups: { channel: [], category: [], street: [], community: [], department: [], ...groups } };
}

function delta(fromSeq: number, toSeq: number, groups: Partial<SummaryPatch['groups']> = {}): StreamDelta {
  return { fromSeq, toSeq, at: '', summary: patch(toSeq, groups), period: patch(toSeq), hourly: [], latest: [], alerts: [], alertsGone: [], activeAlerts: 0, points: [], pointsGone: [] };
}

const alert = (id: string, seq: number, text = '') => ({
  id, kind: 'red_case' as const, severity: 'critical' as const, caseId: 'GM1', stage: null, deadline: null, at: '', seq, text, ackedAt: null, ackedBy: null,
  caseIds: ['GM1'], caseCount: 1, updatedAt: null,
});

describe('stream store', () => {
  it('[STORE1] deltas apply in seq order; an old one is stale; one past a gap is refused as a gap', () => {
    const state = fromSnapshot(snapshot);
    expect(applyDelta(state, delta(10, 12))).toBe('applied');
    expect(state.seq).toBe(12);
    expect(applyDelta(state, delta(8, 12))).toBe('stale');
    expect(applyDelta(state, delta(13, 15))).toBe('gap');
    expect(state.seq).toBe(12);
    expect(applyDelta(state, delta(11, 14))).toBe('applied'); // an overlap carries current values
    expect(state.summary.seq).toBe(14);
  });

  it('[STORE2] group rows arrive as counts, are named from the snapshot, and leave at zero', () => {
    const state = fromSnapshot(snapshot);
    applyDelta(state, delta(10, 11, { channel: [['wechat', 3, 1, 1, 1, 1, 1, 2, 0, 0, 0, 0]] }));
    expect(state.summary.byChannel.map((g) => g.key)).toEqual(['wechat', 'app']);
    expect(state.summary.byChannel[0]).toEqual({ key: 'wechat', name: '微信', received: 3, resolved: 1, resolutionRate: 1 / 3, onTimeRate: 0.5, satisfactionRate: 1, open: 2 });
    applyDelta(state, delta(11, 12, { channel: [['app', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]] }));
    expect(state.summary.byChannel.map((g) => g.key)).toEqual(['wechat']);
  });

  it('[STORE3] alerts are listed once (the latest version), newest first, and leave when acknowledged or gone', () => {
    const state = fromSnapshot(snapshot);
    applyAlert(state, { alert: alert('AL5', 5), reannounced: 0 });
    applyAlert(state, { alert: alert('AL5', 5), reannounced: 1 });
    applyDelta(state, { ...delta(10, 11), alerts: [alert('AL5', 5), alert('AL11', 11)] });
    expect(state.alerts.map((a) => a.id)).toEqual(['AL11', 'AL5']);
    applyAlert(state, { alert: alert('AL5', 5, 'grown to 4 cases'), reannounced: 0 }); // an early warning grew
    expect(state.alerts.map((a) => [a.id, a.text])).toEqual([['AL11', ''], ['AL5', 'grown to 4 cases']]);
    applyAcked(state, { id: 'AL11', ackedBy: 'officer', ackedAt: '', seq: 12 });
    applyDelta(state, { ...delta(11, 13), alertsGone: ['AL5'] });
    expect(state.alerts).toEqual([]);
  });
});
