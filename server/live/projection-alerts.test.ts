/**
 * Early-warning alerts in the live projection (RULES PRJ6): about a place or a group, so they stay
 * active when their cases close, take the new cases and text when they grow (and the delta says
 * so), leave when acknowledged, survive a checkpoint, and show in their street's scope.
 */
import { expect, it } from 'vitest';
import { eventLog } from '../testing/logged-events.js';
import { DISTRICT, Projection } from './projection.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 30, 2);
const { created, event } = eventLog();

it('[PRJ6] a recurring alert outlives its cases, grows in place, survives a checkpoint and leaves when acknowledged', () => {
  const p = new Projection();
  p.apply([created('a', T0), created('b', T0 + HOUR), created('c', T0 + 2 * HOUR)]);
  const row = {
    id: 'AL9', key: 'recurring|water|a', kind: 'recurring', severity: 'warning', caseId: 'c', stage: null, deadline: null,
    raisedAt: new Date(T0 + 2 * HOUR).toISOString(), seq: 4, text: '反复出现 3件', ackedAt: null, ackedBy: null,
    subject: 'recurring|water', caseIds: ['a', 'b', 'c'], street: '440311001', updatedAt: null,
  };
  const raised = p.apply([event('c', T0 + 2 * HOUR, 'alert.raised', null, row)]);
  expect(raised.raised).toEqual(['AL9']);
  expect(p.activeAlerts('440311001', 10).alerts.map((a) => a.id)).toEqual(['AL9']);
  expect(p.activeAlerts('440311002', 10).total).toBe(0);

  p.apply([event('c', T0 + 3 * HOUR, 'case.transitioned', 'resolve', { status: 'resolved', resolvedAt: new Date(T0 + 3 * HOUR).toISOString() })]);
  expect(p.activeAlerts(DISTRICT, 10).total).toBe(1);

  p.apply([created('d', T0 + 4 * HOUR)]);
  const grown = p.apply([event('d', T0 + 4 * HOUR, 'alert.updated', null, { alertId: 'AL9', caseIds: ['a', 'b', 'c', 'd'], text: '反复出现 4件', updatedAt: new Date(T0 + 4 * HOUR).toISOString() })]);
  expect(grown.raised).toEqual(['AL9']);
  expect(p.activeAlert('AL9')?.row).toMatchObject({ caseIds: ['a', 'b', 'c', 'd'], text: '反复出现 4件', seq: 4 });

  const restored = Projection.fromState(JSON.parse(JSON.stringify(p.toState())));
  expect(restored.activeAlert('AL9')?.row).toMatchObject({ caseIds: ['a', 'b', 'c', 'd'] });

  const acked = restored.apply([event('d', T0 + 5 * HOUR, 'alert.acked', null, { alertId: 'AL9', ackedBy: 'officer' })]);
  expect([...acked.gone]).toEqual(['AL9']);
  expect(restored.activeAlerts(DISTRICT, 10).total).toBe(0);
  // Growing after the acknowledgement does not bring it back.
  restored.apply([event('d', T0 + 6 * HOUR, 'alert.updated', null, { alertId: 'AL9', caseIds: ['a', 'b', 'c', 'd', 'e'], text: '5件', updatedAt: null })]);
  expect(restored.activeAlerts(DISTRICT, 10).total).toBe(0);
});
