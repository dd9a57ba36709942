/**
 * Alerts through the API on a real database: listed newest first, masked for walls, acknowledged
 * once by an officer with the acknowledgement in the log.
 */
import { DEFAULT_RISK } from '../../shared/domain/risk.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createSlaMonitor } from '../live/sla-monitor.js';
import { describeEachDatabase } from '../testing/databases.js';
import { createTestApp, sampleCase, type TestApp } from '../testing/test-app.js';

describeEachDatabase('alerts API', (kind) => {
  let t: TestApp;
  let caseId: string;
  beforeAll(async () => {
    t = await createTestApp(kind);
    const late = await t.call('POST', '/api/cases', sampleCase({ location: undefined, reportedAt: new Date(Date.now() - 3 * 3600_000).toISOString() }), 'intake');
    caseId = late.body.id;
    const monitor = createSlaMonitor({ db: t.database.db, writer: t.writer, evaluationDays: 3, risk: DEFAULT_RISK, intervalMs: 3_600_000 });
    await monitor.runOnce();
    await monitor.stop();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('[ALR6] alerts are listed newest first, with the case they are about', async () => {
    const res = await t.call('GET', '/api/alerts?state=open', undefined, 'wall');
    expect(res.status).toBe(200);
    const mine = res.body.alerts.filter((a: { caseId: string }) => a.caseId === caseId);
    expect(mine.map((a: { kind: string; stage: string }) => [a.kind, a.stage])).toEqual([['sla_breached', 'respond']]);
    const seqs = res.body.alerts.map((a: { seq: number }) => a.seq);
    expect(seqs).toEqual([...seqs].sort((a: number, b: number) => b - a));
  });

  it('[ALR7] an officer acknowledges once; the log records who; a wall cannot acknowledge', async () => {
    const list = await t.call('GET', '/api/alerts?state=open', undefined, 'officer');
    const alert = list.body.alerts.find((a: { caseId: string }) => a.caseId === caseId);
    expect((await t.call('POST', `/api/alerts/${alert.id}/ack`, {}, 'wall')).status).toBe(403);
    const acked = await t.call('POST', `/api/alerts/${alert.id}/ack`, {}, 'officer');
    expect(acked.status).toBe(200);
    expect(acked.body).toMatchObject({ id: alert.id, ackedBy: 'officer (env)' });
    const again = await t.call('POST', `/api/alerts/${alert.id}/ack`, {}, 'admin');
    expect(again.body).toEqual(acked.body);
    const open = await t.call('GET', '/api/alerts?state=open', undefined, 'officer');
    expect(open.body.alerts.map((a: { id: string }) => a.id)).not.toContain(alert.id);
    const history = await t.call('GET', `/api/cases/${caseId}`, undefined, 'officer');
    const types = history.body.events.map((e: { type: string }) => e.type);
    expect(types).toEqual(['case.created', 'alert.raised', 'alert.acked']);
    expect((await t.call('POST', '/api/alerts/AL999999/ack', {}, 'officer')).status).toBe(404);
  });
});
