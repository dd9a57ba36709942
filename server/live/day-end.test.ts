/**
 * End of day on a real database (RULES DAY2): the cases open at the last 24:00 Asia/Shanghai are
 * graded, the reds become one critical `day_red` alert naming them, raised once whoever grades
 * again, and GET /api/alerts/red-list lists them (masked for walls).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../testing/databases.js';
import { createTestApp, sampleCase, type TestApp } from '../testing/test-app.js';
import { createDayEndGrader, gradeDay } from './day-end.js';

const HOUR = 3_600_000;
/** The last midnight in Shanghai (UTC+8, no daylight saving). */
const lastMidnight = () => {
  const shanghai = Date.now() + 8 * HOUR;
  return new Date(shanghai - (shanghai % (24 * HOUR)) - 8 * HOUR);
};

describeEachDatabase('end of day', (kind) => {
  let t: TestApp;
  const ids: Record<string, string> = {};
  /** The midnight the test grades, fixed once: a midnight passing during the test changes nothing. */
  let midnight: Date;
  beforeAll(async () => {
    t = await createTestApp(kind);
    midnight = lastMidnight();
    const m = midnight.getTime();
    const post = async (name: string, body: Record<string, unknown>) => {
      const res = await t.call('POST', '/api/cases', sampleCase(body), 'admin');
      if (res.status !== 201) throw new Error(JSON.stringify(res.body));
      ids[name] = res.body.id;
    };
    const at = (hours: number) => new Date(m + hours * HOUR).toISOString();
    await post('red', { category: 'labour_wages', peopleInvolved: 40, reportedAt: at(-3) });
    await post('late', { reportedAt: at(-24 * 20) }); // general: 5 working days to resolve, long passed
    await post('green', { reportedAt: at(-1), reporter: { name: '王五', phone: '13700002222' } });
    await post('resolvedBefore', {
      reportedAt: at(-30),
      history: [
        { action: 'dispatch', at: at(-29) },
        { action: 'accept', at: at(-28) },
        { action: 'resolve', at: at(-2) },
      ],
    });
    if (Date.now() - m > 2 * 60_000) await post('afterMidnight', { peopleInvolved: 40, category: 'labour_wages', reportedAt: at(0.01) });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('[DAY2] the reds open at midnight become one day_red alert, raised once; the red list API lists them', async () => {
    const graded = await gradeDay(t.database.db, midnight);
    expect(graded.reds).toEqual([ids.late, ids.red]);
    expect(graded.counts).toMatchObject({ red: 2 });
    expect(graded.counts.green + graded.counts.yellow).toBe(1); // the fresh one; the resolved one is not open

    const grader = createDayEndGrader({ db: t.database.db, writer: t.writer });
    const [alert, ...more] = await grader.gradeIfDue();
    expect(more).toEqual([]);
    expect(alert).toMatchObject({ kind: 'day_red', severity: 'critical', caseIds: [ids.late, ids.red] });
    expect(alert!.text).toMatch(/^日终红色清单 2件 · \d+月\d+日 黄\d+ 绿\d+ · 全区$/);
    expect(await grader.gradeIfDue()).toEqual([]);
    // Another node (or a restart) grades the same day again: nothing new.
    expect(await createDayEndGrader({ db: t.database.db, writer: t.writer }).gradeIfDue()).toEqual([]);

    const wall = await t.call('GET', '/api/alerts/red-list', undefined, 'wall');
    expect(wall.status).toBe(200);
    expect(wall.body.cases.map((c: { id: string }) => c.id)).toEqual([ids.late, ids.red]);
    expect(JSON.stringify(wall.body)).not.toContain('13812345678');
    const other = await t.call('GET', '/api/alerts/red-list?day=2020-01-01', undefined, 'officer');
    expect(other.status).toBe(404);
    expect(other.body.error).toBe('no end-of-day red list for 2020-01-01');
    expect((await t.call('GET', '/api/alerts/red-list?day=yesterday', undefined, 'officer')).status).toBe(400);
  });
});
