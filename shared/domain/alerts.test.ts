import { describe, expect, it } from 'vitest';
import { alertKey, dueAlerts, isGroupDispute, type AlertSubject } from './alerts.js';

const H = 3600_000;
const received = new Date('2026-11-23T01:00:00Z');
const subject = (extra: Partial<AlertSubject> = {}): AlertSubject => ({
  id: 'GM20261123-000001',
  status: 'received',
  riskGrade: 'green',
  respondedAt: null,
  acceptedAt: null,
  respondBy: new Date(received.getTime() + 2 * H),
  acceptBy: new Date(received.getTime() + 24 * H),
  resolveBy: new Date(received.getTime() + 120 * H),
  respondRiskAt: new Date(received.getTime() + 1.6 * H),
  acceptRiskAt: new Date(received.getTime() + 19.2 * H),
  resolveRiskAt: new Date(received.getTime() + 96 * H),
  groupDispute: false,
  ...extra,
});
const at = (hours: number) => new Date(received.getTime() + hours * H);

describe('alerts due', () => {
  it('[ALR1] nothing is due before 80 % of a running deadline', () => {
    expect(dueAlerts(subject(), at(1))).toEqual([]);
  });

  it('[ALR2] at 80 % a deadline is at risk (warning); past it, breached (critical) and no longer at risk', () => {
    expect(dueAlerts(subject(), at(1.7)).map((a) => [a.kind, a.stage, a.severity])).toEqual([['sla_at_risk', 'respond', 'warning']]);
    expect(dueAlerts(subject(), at(2.5)).map((a) => [a.kind, a.stage, a.severity])).toEqual([['sla_breached', 'respond', 'critical']]);
  });

  it('[ALR3] a stage stops once its action happened; a done case is due nothing', () => {
    expect(dueAlerts(subject({ respondedAt: at(0.5), status: 'dispatched' }), at(2.5))).toEqual([]);
    expect(dueAlerts(subject({ status: 'resolved' }), at(200))).toEqual([]);
  });

  it('[ALR4] an open red case is due a red_case alert, once per case', () => {
    const due = dueAlerts(subject({ riskGrade: 'red' }), at(0.1));
    expect(due).toEqual([expect.objectContaining({ kind: 'red_case', severity: 'critical', key: 'GM20261123-000001|red_case||' })]);
  });

  it('[ALR5] the key names case, kind, stage and deadline, so a reopened deadline is a new alert', () => {
    const before = alertKey('X', 'sla_breached', 'resolve', at(120));
    const after = alertKey('X', 'sla_breached', 'resolve', at(200));
    expect(before).not.toBe(after);
    expect(before).toBe(`X|sla_breached|resolve|${at(120).toISOString()}`);
  });

  it('[ALR8] a group dispute (≥ 5 people, sensitive category) is due a critical alert at once, unless it is already red', () => {
    const rule = { people: 5, categories: ['labour_wages', 'disputes'] };
    expect(isGroupDispute({ peopleInvolved: 5, category: 'disputes' }, rule)).toBe(true);
    expect(isGroupDispute({ peopleInvolved: 4, category: 'disputes' }, rule)).toBe(false);
    expect(isGroupDispute({ peopleInvolved: 40, category: 'water' }, rule)).toBe(false);
    expect(dueAlerts(subject({ groupDispute: true }), at(0.1))).toEqual([
      expect.objectContaining({ kind: 'group_dispute', severity: 'critical', key: 'GM20261123-000001|group_dispute||' }),
    ]);
    expect(dueAlerts(subject({ groupDispute: true, riskGrade: 'red' }), at(0.1)).map((a) => a.kind)).toEqual(['red_case']);
    expect(dueAlerts(subject({ groupDispute: true, status: 'resolved' }), at(0.1))).toEqual([]);
  });
});
