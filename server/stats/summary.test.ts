/**
 * The summary figures (RULES.md F1–F11) against a small hand-counted district, through the API on
 * a real database.
 */
import { DEFAULT_RISK } from '../../shared/domain/risk.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { GUANGMING } from '../../shared/domain/jurisdiction.js';
import { describeEachDatabase } from '../testing/databases.js';
import { createSlaMonitor } from '../live/sla-monitor.js';
import { createTestApp, sampleCase, type TestApp } from '../testing/test-app.js';

const community = GUANGMING.communities[0]!;
const here = { lat: community.centroid[1], lng: community.centroid[0] };
const day = (time: string) => `2026-03-02T${time}+08:00`;
const later = (date: string, time: string) => `2026-03-${date}T${time}+08:00`;

describeEachDatabase('summary figures', (kind) => {
  let t: TestApp;
  let ids: Record<string, string> = {};
  let beforeMonitor: any;

  beforeAll(async () => {
    t = await createTestApp(kind);
    const make = async (key: string, body: Record<string, unknown>) => {
      const res = await t.call('POST', '/api/cases', sampleCase({ location: here, externalId: key, ...body }), 'admin');
      if (res.status !== 201) throw new Error(JSON.stringify(res.body));
      ids[key] = res.body.id;
    };
    // Resolved in time and satisfied.
    await make('c1', {
      channel: 'hotline_12345',
      reportedAt: day('09:00:00'),
      history: [
        { action: 'dispatch', at: day('09:10:00') },
        { action: 'accept', at: day('09:30:00') },
        { action: 'resolve', at: day('10:00:00') },
        { action: 'evaluate', at: day('12:00:00'), satisfaction: 'satisfied' },
        { action: 'close', at: day('12:00:00') },
      ],
    });
    // Resolved late (after 5 working days), unsatisfied: re-handled by the department head (RV1),
    // resolved late again and still unsatisfied.
    await make('c2', {
      channel: 'app',
      reportedAt: day('10:00:00'),
      history: [
        { action: 'dispatch', at: day('10:30:00') },
        { action: 'accept', at: day('11:00:00') },
        { action: 'resolve', at: later('12', '10:00:00') },
        { action: 'evaluate', at: later('12', '12:00:00'), satisfaction: 'unsatisfied' },
        { action: 'resolve', at: later('25', '10:00:00') },
        { action: 'evaluate', at: later('25', '12:00:00'), satisfaction: 'unsatisfied' },
      ],
    });
    // Still open, long past its resolve deadline.
    await make('c3', { channel: 'app', reportedAt: day('11:00:00'), history: [{ action: 'dispatch', at: day('11:05:00') }] });
    // A duplicate: merged, so not counted.
    await make('c4', { channel: 'app', reportedAt: day('12:00:00') });
    // Resolved in time, basically satisfied.
    await make('c6', {
      channel: 'grid',
      reportedAt: day('13:00:00'),
      history: [
        { action: 'dispatch', at: day('13:05:00') },
        { action: 'accept', at: day('13:30:00') },
        { action: 'resolve', at: day('15:00:00') },
        { action: 'evaluate', at: day('16:00:00'), satisfaction: 'basically_satisfied' },
      ],
    });
    // The next day: outside the window, open and breached.
    await make('c5', { channel: 'wechat', reportedAt: later('03', '01:00:00') });
    // Received now: open, nothing due yet.
    await make('c7', { channel: 'wechat' });
    // Without a place, resolved, on another day: counted under street `unknown`.
    const nowhere = await t.call(
      'POST',
      '/api/cases',
      sampleCase({
        location: undefined,
        externalId: 'c8',
        reportedAt: later('05', '09:00:00'),
        history: [
          { action: 'dispatch', at: later('05', '09:20:00') },
          { action: 'accept', at: later('05', '09:40:00') },
          { action: 'resolve', at: later('05', '11:00:00') },
        ],
      }),
      'admin',
    );
    if (nowhere.status !== 201) throw new Error(JSON.stringify(nowhere.body));
    const merged = await t.call('POST', `/api/cases/${ids.c4}/transitions`, { action: 'merge', intoCaseId: ids.c1 }, 'officer');
    if (merged.status !== 200) throw new Error(JSON.stringify(merged.body));
    // Past-deadline facts come from the deadline monitor's alerts in the log (F3, F5).
    beforeMonitor = await summary();
    const monitor = createSlaMonitor({ db: t.database.db, writer: t.writer, evaluationDays: 3, risk: DEFAULT_RISK, intervalMs: 3_600_000 });
    while ((await monitor.runOnce()).length > 0) {
      /* raise all that is due */
    }
    await monitor.stop();
  });
  afterAll(async () => {
    await t?.close();
  });

  const summary = async (more = '') =>
    (
      await t.call(
        'GET',
        `/api/stats/summary?from=${encodeURIComponent(day('00:00:00'))}&to=${encodeURIComponent(later('03', '00:00:00'))}${more}`,
        undefined,
        'wall',
      )
    ).body;

  it('[F1] received counts the cases reported in the window, merged duplicates excluded', async () => {
    expect((await summary()).received).toBe(4);
  });

  it('[F2] resolved counts, of those, the ones resolved; resolution rate = resolved ÷ received', async () => {
    const s = await summary();
    expect(s.resolved).toBe(3);
    expect(s.resolutionRate).toBeCloseTo(0.75, 10);
  });

  it('[F3] on-time = resolved by the deadline ÷ (resolved + open past it)', async () => {
    expect((await summary()).onTimeRate).toBeCloseTo(2 / 4, 10);
  });

  it('[F4] satisfaction = (satisfied + basically satisfied) ÷ evaluated', async () => {
    expect((await summary()).satisfactionRate).toBeCloseTo(2 / 3, 10);
  });

  it('[RV2] re-handled cases of the cohort and how they ended', async () => {
    expect((await summary()).rehandled).toEqual({ cases: 1, resolved: 1, satisfied: 0, unsatisfied: 1 });
  });

  it('[F5] open, at-risk and breached describe open cases now, whatever the window', async () => {
    const s = await summary();
    expect(s.open).toBe(3);
    expect(s.breached).toBe(2);
    expect(s.atRisk).toBe(0);
  });

  it('[F5] a passed deadline counts once the deadline monitor has recorded it in the log', async () => {
    expect(beforeMonitor).toMatchObject({ open: 3, breached: 0, atRisk: 0 });
    expect(beforeMonitor.onTimeRate).toBeCloseTo(2 / 3, 10); // c3 not yet known to be past its deadline
  });

  it('[F9] groups by community, cases without one under unknown', async () => {
    const s = await summary();
    expect(s.byCommunity).toEqual([expect.objectContaining({ key: community.code, name: community.name, received: 4, resolved: 3 })]);
    const other = (await t.call('GET', `/api/stats/summary?from=${encodeURIComponent(later('05', '00:00:00'))}`, undefined, 'wall')).body;
    expect(other.byCommunity).toEqual([expect.objectContaining({ key: 'unknown', name: '位置未知', received: 1 })]);
  });

  it('[F10] median response: the lower median of whole minutes to the first dispatch or accept', async () => {
    // c1 10 min, c2 30, c3 5, c6 5 (the merged c4 does not count): 5, 5, 10, 30 → 5.
    expect((await summary()).medianResponseMinutes).toBe(5);
    const none = (await t.call('GET', '/api/stats/summary?from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z', undefined, 'wall')).body;
    expect(none.medianResponseMinutes).toBeNull();
  });

  it('[F11] a street scope restricts every figure; unknown is the cases without a street; a bad street is a 400', async () => {
    const district = await summary();
    const mine = await summary(`&street=${community.streetCode}`);
    expect(mine).toEqual({ ...district, street: community.streetCode });
    const otherStreet = GUANGMING.streets.find((st) => st.code !== community.streetCode)!.code;
    expect(await summary(`&street=${otherStreet}`)).toMatchObject({ street: otherStreet, received: 0, open: 0, breached: 0, byChannel: [] });
    const unknown = (await t.call('GET', `/api/stats/summary?from=${encodeURIComponent(later('05', '00:00:00'))}&street=unknown`, undefined, 'wall')).body;
    expect(unknown).toMatchObject({ street: 'unknown', received: 1, resolved: 1, open: 0, medianResponseMinutes: 20 });
    const bad = await t.call('GET', '/api/stats/summary?street=nowhere', undefined, 'wall');
    expect(bad.status).toBe(400);
    expect(bad.body.issues[0].path).toBe('street');
  });

  it('[F6] rates are null with a zero denominator', async () => {
    const res = await t.call('GET', '/api/stats/summary?from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z', undefined, 'wall');
    expect(res.body).toMatchObject({ received: 0, resolved: 0, resolutionRate: null, onTimeRate: null, satisfactionRate: null });
  });

  it('[F7] groups by channel, category, street and department add up to the totals', async () => {
    const s = await summary();
    const app = s.byChannel.find((g: { key: string }) => g.key === 'app');
    expect(app).toMatchObject({ received: 2, resolved: 1, name: 'i深圳' });
    for (const groups of [s.byChannel, s.byCategory, s.byStreet, s.byCommunity, s.byDepartment]) {
      expect(groups.reduce((n: number, g: { received: number }) => n + g.received, 0)).toBe(s.received);
      expect(groups.reduce((n: number, g: { resolved: number }) => n + g.resolved, 0)).toBe(s.resolved);
    }
    expect(s.byStreet[0].key).toBe(community.streetCode);
  });

  it('[F8] the summary carries the log seq it describes and defaults to today', async () => {
    const today = (await t.call('GET', '/api/stats/summary', undefined, 'wall')).body;
    // c7 was received "now" when the suite started: today's one case, unless a Shanghai midnight
    // passed since (then today is empty), so the test holds at any hour.
    const c7 = (await t.call('GET', `/api/cases/${ids.c7}`, undefined, 'officer')).body.case;
    const received = Date.parse(c7.receivedAt);
    expect(Date.parse(today.to) - Date.parse(today.from)).toBe(86_400_000);
    expect(new Date(today.from).toISOString()).toMatch(/T16:00:00\.000Z$/); // 00:00 in Shanghai
    expect(today.received).toBe(received >= Date.parse(today.from) && received < Date.parse(today.to) ? 1 : 0);
    expect(Date.parse(today.from)).toBeGreaterThan(received - 86_400_000);
    expect(today.seq).toBeGreaterThan(0);
    const bad = await t.call('GET', '/api/stats/summary?from=2026-03-02', undefined, 'wall');
    expect(bad.status).toBe(400);
    expect(bad.body.issues[0].path).toBe('from');
  });

  // Last: it adds a case (in another street, so the district figures above stay as counted).
  it('[F5] at risk = an at-risk alert on a running stage; once that stage stops the alert no longer counts', async () => {
    const elsewhere = GUANGMING.communities.find((c) => c.streetCode !== community.streetCode)!;
    const scope = `&street=${elsewhere.streetCode}`;
    const reportedAt = new Date(Date.now() - 105 * 60_000).toISOString(); // 105 of its 120 respond minutes gone
    const risky = await t.call(
      'POST',
      '/api/cases',
      sampleCase({ location: { lat: elsewhere.centroid[1], lng: elsewhere.centroid[0] }, externalId: 'c9', reportedAt }),
      'admin',
    );
    expect(risky.status).toBe(201);
    const monitor = createSlaMonitor({ db: t.database.db, writer: t.writer, evaluationDays: 3, risk: DEFAULT_RISK, intervalMs: 3_600_000 });
    await monitor.runOnce();
    await monitor.stop();
    expect(await summary(scope)).toMatchObject({ open: 1, atRisk: 1, breached: 0 });
    const dispatched = await t.call('POST', `/api/cases/${risky.body.id}/transitions`, { action: 'dispatch' }, 'officer');
    expect(dispatched.status).toBe(200);
    expect(await summary(scope)).toMatchObject({ open: 1, atRisk: 0, breached: 0 });
  });
});
