/**
 * The deadline monitor on a real database: alerts for deadlines at risk or breached and for red
 * cases are appended to the log once — across passes, restarts and racing monitors.
 */
import { DEFAULT_RISK } from '../../shared/domain/risk.js';
import { expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { GUANGMING } from '../../shared/domain/jurisdiction.js';
import { CaseWriter, type Actor } from '../cases/case-writer.js';
import { DEFAULT_DOMAIN } from '../config.js';
import { alerts, caseEvents, cases } from '../db/schema.js';
import { describeEachDatabase } from '../testing/databases.js';
import { useWriterDatabase } from '../testing/writer-database.js';
import { sampleCase } from '../testing/test-app.js';
import { createSlaMonitor } from './sla-monitor.js';

const actor: Actor = { label: 'test', role: 'admin', origin: 'test' };
const community = GUANGMING.communities[0]!;
const here = { lat: community.centroid[1], lng: community.centroid[0] };
const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

describeEachDatabase('deadline monitor', (kind) => {
  const db = useWriterDatabase(kind);

  const intake = async (body: Record<string, unknown>) => {
    const answer = await db.writer.intake(sampleCase({ location: here, ...body }) as never, actor);
    if (!('row' in answer)) throw new Error(answer.error);
    return answer.row;
  };
  const monitor = () => createSlaMonitor({ db: db.handle.db, writer: db.writer, evaluationDays: 3, risk: DEFAULT_RISK, intervalMs: 3_600_000 });

  it('[MON1] a breached deadline raises one critical alert, appended to the log; the next pass raises nothing', async () => {
    const late = await intake({ reportedAt: ago(150) }); // general: respond within 2 h
    const m = monitor();
    const raised = await m.runOnce();
    const mine = raised.filter((a) => a.caseId === late.id);
    expect(mine.map((a) => [a.kind, a.stage, a.severity])).toEqual([['sla_breached', 'respond', 'critical']]);
    expect(mine[0]!.text).toContain(late.id);
    const [event] = await db.handle.db.select().from(caseEvents).where(eq(caseEvents.seq, mine[0]!.seq));
    expect(event).toMatchObject({ type: 'alert.raised', caseId: late.id });
    expect(await m.runOnce()).toEqual([]);
    await m.stop();
  });

  it('[MON2] at 80 % of a deadline the alert is a warning; a red case raises a red_case alert at once', async () => {
    const risky = await intake({ reportedAt: ago(105) }); // 105 of 120 minutes gone
    const red = await intake({ peopleInvolved: 50, category: 'labour_wages' });
    const m = monitor();
    const raised = await m.runOnce();
    expect(raised.filter((a) => a.caseId === risky.id).map((a) => [a.kind, a.severity])).toEqual([['sla_at_risk', 'warning']]);
    expect(raised.filter((a) => a.caseId === red.id).map((a) => a.kind)).toEqual(['red_case']);
    await m.stop();
  });

  it('[MON3] a case handled in time raises nothing; one already past due when it arrives raises at once', async () => {
    const handled = await intake({ reportedAt: ago(110) });
    await db.writer.transition(handled.id, { action: 'dispatch' }, actor);
    const m = monitor();
    const raised = await m.runOnce();
    expect(raised.filter((a) => a.caseId === handled.id)).toEqual([]);
    const arrivesLate = await intake({ reportedAt: ago(60 * 24 * 30) }); // a month old: every deadline passed
    expect((await m.runOnce()).filter((a) => a.caseId === arrivesLate.id).map((a) => a.stage).sort()).toEqual(['accept', 'resolve', 'respond']);
    await m.stop();
  });

  it('[MON4] after a restart and with monitors racing, every alert exists exactly once', async () => {
    await intake({ reportedAt: ago(200) });
    await intake({ reportedAt: ago(300), urgency: 'emergency' });
    const restartedWriter = new CaseWriter({ db: db.handle.db, config: DEFAULT_DOMAIN });
    const a = createSlaMonitor({ db: db.handle.db, writer: db.writer, evaluationDays: 3, risk: DEFAULT_RISK, intervalMs: 3_600_000 });
    const b = createSlaMonitor({ db: db.handle.db, writer: restartedWriter, evaluationDays: 3, risk: DEFAULT_RISK, intervalMs: 3_600_000 });
    await Promise.all([a.runOnce(), b.runOnce(), a.runOnce(), b.runOnce()]);
    const rows = await db.handle.db.select().from(alerts);
    expect(new Set(rows.map((r) => r.key)).size).toBe(rows.length);
    const events = await db.handle.db.select().from(caseEvents).where(eq(caseEvents.type, 'alert.raised'));
    expect(events).toHaveLength(rows.length);
    expect(await a.runOnce()).toEqual([]);
    await a.stop();
    await b.stop();
  });

  it('[MON5] a resolved case not evaluated within 3 days closes as not evaluated; a fresher one stays', async () => {
    const history = (resolvedDaysAgo: number) => [
      { action: 'dispatch', at: ago(60 * 24 * 10 - 10) },
      { action: 'accept', at: ago(60 * 24 * 10 - 20) },
      { action: 'resolve', at: ago(60 * 24 * resolvedDaysAgo) },
    ];
    const old = await intake({ reportedAt: ago(60 * 24 * 10), history: history(4) });
    const fresh = await intake({ reportedAt: ago(60 * 24 * 10), history: history(2) });
    const m = monitor();
    await m.runOnce();
    const [closed] = await db.handle.db.select().from(cases).where(eq(cases.id, old.id));
    const [kept] = await db.handle.db.select().from(cases).where(eq(cases.id, fresh.id));
    expect(closed).toMatchObject({ status: 'closed', closeReason: 'not_evaluated' });
    expect(kept).toMatchObject({ status: 'resolved' });
    const events = await db.handle.db.select().from(caseEvents).where(eq(caseEvents.caseId, old.id));
    expect(events.at(-1)).toMatchObject({ action: 'close', actor: 'deadline monitor' });
    await m.stop();
  });

  it('[MON6] a group dispute (12 workers unpaid) raises one critical group_dispute alert at once', async () => {
    const group = await intake({ category: 'labour_wages', peopleInvolved: 12, reporter: { name: '李四', phone: '13900001111' } });
    const m = monitor();
    const mine = (await m.runOnce()).filter((a) => a.caseId === group.id);
    expect(mine.map((a) => [a.kind, a.severity])).toEqual([['group_dispute', 'critical']]);
    expect(mine[0]!.text).toMatch(/^群体性诉求 12人 · /);
    expect((await m.runOnce()).filter((a) => a.caseId === group.id)).toEqual([]);
    await m.stop();
  });
});
