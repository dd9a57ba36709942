/**
 * The warning monitor on a real database (RULES EW4): a recurring cluster and a surge become
 * alerts in the log once, a growing cluster grows its alert instead of raising another, a
 * restarted monitor relearns the history and raises nothing twice, and acknowledging works as for
 * every alert.
 */
import { and, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { CaseWriter, type Actor } from '../cases/case-writer.js';
import { DEFAULT_DOMAIN } from '../config.js';
import { alerts, caseEvents } from '../db/schema.js';
import { describeEachDatabase } from '../testing/databases.js';
import { sampleCase } from '../testing/test-app.js';
import { useWriterDatabase } from '../testing/writer-database.js';
import { toAlertView } from '../live/alert-view.js';
import { createWarningMonitor } from './warning-monitor.js';

const actor: Actor = { label: 'test', role: 'admin', origin: 'test' };
const HOUR = 3_600_000;
const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
/** A quiet corner of 凤凰 (Fenghuang) for the cluster, and elsewhere for the history. */
const spot = { lat: 22.7702, lng: 113.9563 };
const nameOf = (category: string) => DEFAULT_DOMAIN.taxonomy.category(category)!.name;
const near = (dx: number) => ({ lat: spot.lat + dx * 0.0003, lng: spot.lng + dx * 0.0003 });

describeEachDatabase('warning monitor', (kind) => {
  const db = useWriterDatabase(kind);

  const intake = async (body: Record<string, unknown>) => {
    const answer = await db.writer.intake(sampleCase({ reporter: undefined, description: '同一问题多次反映', ...body }) as never, actor);
    if (!('row' in answer)) throw new Error(answer.error);
    return answer.row;
  };
  const monitor = (writer = db.writer) => createWarningMonitor({ db: db.handle.db, writer, config: DEFAULT_DOMAIN, intervalMs: 3_600_000 });

  it('[EW4] a recurring problem is raised once naming its cases, grows as it grows, and survives a restart', async () => {
    // Two months of history elsewhere, so the detector knows what is usual.
    await intake({ category: 'transport', location: { lat: 22.73, lng: 113.91 }, reportedAt: ago(60 * 24 * HOUR) });
    const first = [];
    for (const [i, hoursAgo] of [40, 30, 5].entries()) first.push(await intake({ category: 'water', location: near(i * 0.2), reportedAt: ago(hoursAgo * HOUR) }));
    const m = monitor();
    const raised = (await m.runOnce()).filter((a) => a.kind === 'recurring');
    expect(raised).toHaveLength(1);
    const alert = raised[0]!;
    expect(alert).toMatchObject({ severity: 'warning', subject: 'recurring|water', caseIds: first.map((c) => c.id), caseId: first[2]!.id });
    expect(alert.text).toMatch(new RegExp(`^反复出现 3件 · 7日内 常态约[\\d.]+件 · ${nameOf('water')} · `));
    expect(alert.text).not.toContain('138'); // no personal data

    const fourth = await intake({ category: 'water', location: near(0.5), reportedAt: ago(HOUR) });
    const grown = (await m.runOnce()).filter((a) => a.kind === 'recurring');
    expect(grown.map((a) => [a.id, a.caseIds])).toEqual([[alert.id, [...first.map((c) => c.id), fourth.id]]]);
    expect(grown[0]!.text).toMatch(/^反复出现 4件/);
    expect(await m.runOnce()).toEqual([]);
    await m.stop();

    // A restarted node (new writer, new monitor) relearns the history and raises nothing again.
    const restarted = monitor(new CaseWriter({ db: db.handle.db, config: DEFAULT_DOMAIN }));
    expect(await restarted.runOnce()).toEqual([]);
    await restarted.stop();
    const rows = await db.handle.db.select().from(alerts).where(eq(alerts.kind, 'recurring'));
    expect(rows.map((r) => [r.id, r.caseIds?.length])).toEqual([[alert.id, 4]]);
    const events = await db.handle.db.select().from(caseEvents).where(eq(caseEvents.type, 'alert.updated'));
    expect(events.map((e) => e.data.alertId)).toEqual([alert.id]);

    const acked = await db.writer.acknowledge(alert.id, { ...actor, label: 'duty officer' });
    expect(acked).toMatchObject({ status: 200, alert: { id: alert.id, ackedBy: 'duty officer' } });
  });

  it('[EW4] a surge in one hour is raised once per category and hour, with its cases', async () => {
    // Twelve cases of one category within one hour that usually sees none (history began two months ago).
    const now = Date.now();
    const intoHour = now % HOUR;
    const base = intoHour > 3 * 60_000 ? now - intoHour + 60_000 : now - intoHour - HOUR + 60_000;
    const burst = [];
    for (let i = 0; i < 12; i++) {
      const at = new Date(base + i * 10_000).toISOString();
      burst.push(await intake({ category: 'culture_tourism', location: { lat: 22.75 + i * 0.01, lng: 113.88 + (i % 3) * 0.02 }, reportedAt: at }));
    }
    const m = monitor();
    const surges = (await m.runOnce()).filter((a) => a.kind === 'surge' && a.subject?.startsWith('surge|category:culture_tourism|'));
    expect(surges).toHaveLength(1);
    expect(surges[0]!.caseIds).toEqual(burst.map((c) => c.id));
    expect(surges[0]!.text).toMatch(new RegExp(`^诉求激增 12件 · \\d+时 常态约[\\d.]+件 · ${nameOf('culture_tourism')} · 全区$`));
    expect(await m.runOnce()).toEqual([]);
    await m.stop();
    const rows = await db.handle.db
      .select()
      .from(alerts)
      .where(and(eq(alerts.kind, 'surge'), eq(alerts.subject, surges[0]!.subject!)));
    expect(rows).toHaveLength(1);
  });

  it('[EW6] a big cluster grows in steps of a fifth and names its first 1,000 cases; readers see 50 and the count', async () => {
    const ids = Array.from({ length: 1_500 }, (_, i) => `SURGE-${String(i).padStart(5, '0')}`);
    const surge = (n: number) => ({ kind: 'surge' as const, severity: 'warning' as const, subject: 'surge|category:water|2026-12-02T01:00:00.000Z', caseIds: ids.slice(0, n), street: null, text: `诉求激增 ${n}件` });
    const [raised] = await db.writer.raiseWarnings([surge(30)], actor);
    expect(raised).toMatchObject({ caseCount: 30 });
    expect(await db.writer.raiseWarnings([surge(35)], actor)).toEqual([]); // 5 more: under a fifth of 30
    const [grown] = await db.writer.raiseWarnings([surge(36)], actor);
    expect(grown).toMatchObject({ id: raised!.id, caseCount: 36, text: '诉求激增 36件' });
    const [big] = await db.writer.raiseWarnings([surge(1_500)], actor);
    expect(big!.caseCount).toBe(1_500);
    expect(big!.caseIds).toEqual(ids.slice(0, 1_000));
    const view = toAlertView(big!, { masked: true });
    expect(view.caseIds).toEqual(ids.slice(0, 50));
    expect(view.caseCount).toBe(1_500);
  });
});
