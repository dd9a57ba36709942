/**
 * The projections are a pure function of the log (PRJ1–PRJ3 in RULES.md): on two long simulated
 * days and today so far — seeded backfill with histories, the deadline monitor's alerts,
 * acknowledgements, live transitions of every kind — the live projection that followed the log
 * batch by batch, a fresh replay of the whole log, a projection restored from a checkpoint and then
 * followed, and the SQL summary all give the same numbers.
 *
 * Any hour (issue 14): the two earlier days are whole whatever the clock says, so the test's own
 * sanity checks hold at 00:05 on a Monday as at 16:00 on a Wednesday; today may be nearly empty.
 */
import { DEFAULT_RISK } from '../../shared/domain/risk.js';
import { expect, it } from 'vitest';
import { asc, gt, sql } from 'drizzle-orm';
import { addCalendarDays, shanghaiDate } from '../../shared/domain/calendar.js';
import { isOpen, LEGAL_FROM, type Action, type Status } from '../../shared/domain/case.js';
import { GRADE_CODES } from '../../shared/protocol/map-points.js';
import { snapCoordinate } from '../cases/case-view.js';
import type { Actor } from '../cases/case-writer.js';
import { DEFAULT_DOMAIN } from '../config.js';
import { queryRows } from '../db/client.js';
import { caseEvents } from '../db/schema.js';
import { startSimulator } from '../sim/simulator.js';
import { startOrderDrill } from '../sim/order-drill.js';
import { OrderWriter } from '../orders/order-writer.js';
import { computeSummary } from '../stats/summary.js';
import { describeEachDatabase } from '../testing/databases.js';
import { sampleCase } from '../testing/test-app.js';
import { useWriterDatabase } from '../testing/writer-database.js';
import { DISTRICT, Projection, type ProjectionState } from './projection.js';
import { startProjector } from './projector.js';
import { createSlaMonitor } from './sla-monitor.js';

/** The simulated volume of an ordinary working day (weekends get about 65 %, holidays 60 %). */
const CASES_PER_DAY = 1200;
const officer: Actor = { label: 'duty officer', role: 'officer', origin: 'test' };
const SCOPES = [DISTRICT, ...DEFAULT_DOMAIN.jurisdiction.streets.map((s) => s.code), 'unknown'];

/** Every view the stream serves, for every scope, as plain data. */
function views(p: Projection, now: number) {
  const today = shanghaiDate(new Date(now));
  return SCOPES.map((scope) => ({
    scope,
    today: p.summary(DEFAULT_DOMAIN, scope, today, 1),
    twoDays: p.summary(DEFAULT_DOMAIN, scope, addCalendarDays(today, -1), 2),
    week: p.summary(DEFAULT_DOMAIN, scope, addCalendarDays(today, -6), 7),
    hourly: p.hourly(scope, now),
    latest: p.latestRowsOf(scope),
    alerts: p.activeAlerts(scope, 10_000),
    points: p.pointsOf(scope),
  }));
}

/** A legal next move for a case in `status`, cycling through the kinds of action. */
function moveFor(status: Status, turn: number): { action: Action; extra: Record<string, unknown> } | null {
  const preferences: Action[] =
    turn % 5 === 0 ? ['return', 'reopen', 'escalate', 'resolve'] : turn % 3 === 0 ? ['merge', 'evaluate', 'accept'] : ['resolve', 'evaluate', 'accept', 'dispatch', 'close'];
  for (const action of preferences) {
    if (!LEGAL_FROM[action].includes(status)) continue;
    const extra: Record<string, unknown> =
      action === 'return' ? { note: '不属于本单位' }
      : action === 'escalate' ? { level: 'street' }
      : action === 'evaluate' ? { satisfaction: turn % 2 === 0 ? 'satisfied' : 'unsatisfied' }
      : action === 'dispatch' ? { department: 'urban_management' }
      : {};
    return { action, extra };
  }
  return null;
}

describeEachDatabase('live projections', (kind) => {
  const db = useWriterDatabase(kind);

  it('[PRJ1][PRJ2][PRJ3] live = fresh replay = checkpoint + replay = SQL, on long simulated days', { timeout: 240_000 }, async () => {
    const { db: database } = db.handle;
    const projector = await startProjector({ db: database, checkpointMs: 0, pollMs: 20 });
    try {
      const simulator = startSimulator({ db: database, writer: db.writer, config: DEFAULT_DOMAIN, log: () => undefined, casesPerDay: CASES_PER_DAY, backfillDays: 2, tickMs: 3_600_000 });
      await simulator.backfilled;
      await simulator.stop();
      // Cases long past their deadlines, whatever the weekday: after a weekend or a holiday the
      // simulated days alone may have none breached yet.
      for (let i = 0; i < 3; i++) {
        const overdue = sampleCase({ externalId: `overdue-${i}`, reportedAt: new Date(Date.now() - (20 + i) * 86_400_000).toISOString() });
        expect((await db.writer.intake(overdue as never, officer)).status).toBe(201);
      }
      const monitor = createSlaMonitor({ db: database, writer: db.writer, evaluationDays: 3, risk: DEFAULT_RISK, intervalMs: 3_600_000 });
      while ((await monitor.runOnce()).length > 0) {
        /* raise everything due */
      }
      // Community orders: three days of demo orders with their arrivals, and one never answered.
      const orders = new OrderWriter({ db: database, config: DEFAULT_DOMAIN });
      const drill = startOrderDrill({ db: database, orders, config: DEFAULT_DOMAIN, seed: 7, backfillDays: 3, tickMs: 3_600_000 });
      await drill.runOnce();
      await drill.stop();
      const unanswered = { communityCode: DEFAULT_DOMAIN.jurisdiction.communities[0]!.code, title: '欠薪讨薪', summons: [{ department: 'human_resources', arriveWithinMinutes: 30, rank: 'deputy' as const }] };
      await orders.issue(unanswered, officer, { past: { at: new Date(Date.now() - 2 * 3_600_000) } });
      expect((await orders.raiseLate(officer)).length).toBeGreaterThan(0);

      // A checkpoint half-way, as a node would write it.
      const [head] = await queryRows<{ seq: number }>(database, sql`SELECT seq FROM log_head WHERE id = 1`);
      await projector.reached(Number(head!.seq));
      const checkpoint = JSON.parse(JSON.stringify(projector.projection.toState())) as ProjectionState;

      // Officers at work: moves of every kind, a merge, acknowledgements.
      const open = await queryRows<{ id: string; status: Status; version: number }>(
        database,
        sql`SELECT id, status, version FROM cases WHERE status NOT IN ('closed', 'merged') ORDER BY id LIMIT 400`,
      );
      let moved = 0;
      for (const [i, c] of open.entries()) {
        const move = moveFor(c.status, i);
        if (!move) continue;
        const intoCaseId = move.action === 'merge' ? open.find((o) => o.id !== c.id && o.status === 'received')?.id : undefined;
        if (move.action === 'merge' && !intoCaseId) continue;
        const answer = await db.writer.transition(c.id, { action: move.action, ...move.extra, ...(intoCaseId ? { intoCaseId } : {}) } as never, officer);
        if (answer.status === 200) moved++;
      }
      expect(moved).toBeGreaterThan(200);
      const active = projector.projection.activeAlerts(DISTRICT, 50).alerts;
      for (const alert of active.slice(0, 25)) await db.writer.acknowledge(String(alert.id), officer);
      while ((await monitor.runOnce()).length > 0) {
        /* alerts due after the moves */
      }
      await monitor.stop();

      const [end] = await queryRows<{ seq: number; now: string }>(database, sql`SELECT seq, now() AS now FROM log_head WHERE id = 1`);
      const endSeq = Number(end!.seq);
      await projector.reached(endSeq);
      const live = projector.projection;
      expect(live.orphans).toBe(0);

      // A fresh replay of the whole log, read in pages.
      const readAfter = async (after: number) => {
        const events = [];
        for (let cursor = after; ; ) {
          const page = await database.select().from(caseEvents).where(gt(caseEvents.seq, cursor)).orderBy(asc(caseEvents.seq)).limit(5000);
          if (page.length === 0) break;
          events.push(...page);
          cursor = page.at(-1)!.seq;
        }
        return events;
      };
      const fresh = new Projection();
      fresh.apply(await readAfter(0));
      const restored = Projection.fromState(checkpoint);
      restored.apply(await readAfter(checkpoint.seq));

      const now = new Date(end!.now).getTime();
      const expected = views(live, now);
      expect(fresh.seq).toBe(endSeq);
      expect(views(fresh, now)).toEqual(expected);
      expect(views(restored, now)).toEqual(expected);
      // The days really were long and varied: two whole earlier days (a holiday's 60 % of 1,200
      // cases each at the least), whatever the hour.
      const district = expected[0]!;
      expect(district.twoDays.received).toBeGreaterThan(500);
      expect(district.week.received).toBeGreaterThan(1000);
      expect(district.week.resolved).toBeGreaterThan(300);
      expect(district.today.atRisk + district.today.breached).toBeGreaterThan(0);
      expect(district.alerts.total).toBeGreaterThan(0);
      expect(district.week.orders.issued).toBeGreaterThan(3);
      expect(district.twoDays.orders.due).toBeGreaterThan(0);

      // The SQL summary (GET /api/stats/summary) agrees, for the district and every street.
      const today = shanghaiDate(new Date(now));
      for (const { scope, ...windows } of expected) {
        const street = scope === DISTRICT ? undefined : scope;
        for (const window of ['today', 'twoDays', 'week'] as const) {
          const mine = windows[window];
          const sqlFigures = await computeSummary(database, DEFAULT_DOMAIN, { street, from: new Date(mine.from), to: new Date(mine.to) });
          expect(sqlFigures, `${window}, ${scope}`).toEqual(mine);
        }
      }
      expect(today).toBe(shanghaiDate(new Date(expected[0]!.today.from)));

      // The map: each point is its case, snapped to ~100 m; markers are open cases, and every open
      // red case with a place is one.
      const points = district.points;
      const rows = await queryRows<{ id: string; lng: number; lat: number; status: Status; risk_grade: string }>(
        database,
        sql`SELECT id, lng, lat, status, risk_grade FROM cases WHERE lng IS NOT NULL AND lat IS NOT NULL`,
      );
      const byId = new Map(rows.map((r) => [r.id, r]));
      expect(points.length).toBeGreaterThan(100);
      for (const [id, lng, lat, , grade, state] of points) {
        const row = byId.get(id)!;
        expect([lng, lat, grade, state > 0]).toEqual([snapCoordinate(row.lng), snapCoordinate(row.lat), GRADE_CODES[row.risk_grade as 'red'], isOpen(row.status)]);
      }
      const openRed = rows.filter((r) => r.risk_grade === 'red' && isOpen(r.status)).map((r) => r.id);
      expect(openRed.length).toBeGreaterThan(0);
      expect(points.filter((p) => p[4] === 2 && p[5] > 0).map((p) => p[0]).sort()).toEqual(openRed.sort());
      const breachedPoints = points.filter((p) => p[5] === 2).length;
      expect(breachedPoints).toBeGreaterThan(0);
      expect(breachedPoints).toBeLessThanOrEqual(district.today.breached);
    } finally {
      await projector.stop();
    }
  });
});
