/**
 * The projection's map points and "usual for this weekday", on hand-made events (no database): what
 * enters the map and when it leaves (PRJ4), and the usual intake for an hour of the week (PRJ5).
 */
import { describe, expect, it } from 'vitest';
import { eventLog } from '../testing/logged-events.js';
import type { LoggedEvent } from './log-follower.js';
import { Changes, DISTRICT, Projection } from './projection.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 10, 2, 2, 0, 0); // Monday 2026-11-02 10:00 in Shanghai
const { created, event } = eventLog();

describe('map points and the usual hour', () => {
  it('[PRJ4] recent cases are heat points for 24 hours; open red and breached cases stay as markers until done', () => {
    const p = new Projection();
    p.apply([
      created('plain', T0),
      created('red', T0, { riskGrade: 'red' }),
      created('nowhere', T0, { lng: null, lat: null }),
      created('late', T0 + 10 * 60_000),
    ]);
    const ids = () => p.pointsOf(DISTRICT).map((pt) => pt[0]).sort();
    expect(ids()).toEqual(['late', 'plain', 'red']);
    const red = p.pointsOf(DISTRICT).find((pt) => pt[0] === 'red')!;
    expect(red).toEqual(['red', 113.935, 22.749, T0 / 1000, 2, 1]); // snapped to ~100 m

    // 'late' is breached; then a case 25 hours on moves the map's window past the first hour.
    p.apply([event('late', T0 + 3 * HOUR, 'alert.raised', null, { id: 'a1', caseId: 'late', kind: 'sla_breached', stage: 'respond', deadline: new Date(T0 + 10 * 60_000 + HOUR).toISOString(), severity: 'critical' })]);
    expect(p.pointsOf(DISTRICT).find((pt) => pt[0] === 'late')![5]).toBe(2);
    const changes = p.apply([created('next-day', T0 + 25 * HOUR)]);
    expect(ids()).toEqual(['late', 'next-day', 'red']);
    expect(p.pointsPatch(DISTRICT, changes)).toEqual({ points: [p.pointsOf(DISTRICT).find((pt) => pt[0] === 'next-day')], gone: ['plain'] });

    // Resolving the red case takes its marker off once it is older than the window.
    const resolved = p.apply([event('red', T0 + 26 * HOUR, 'case.transitioned', 'resolve', { status: 'resolved', resolvedAt: new Date(T0 + 26 * HOUR).toISOString() })]);
    expect(ids()).toEqual(['late', 'next-day']);
    expect(p.pointsPatch(DISTRICT, resolved).gone).toEqual(['red']);
    expect(p.pointsPatch('440311002', changes)).toEqual({ points: [], gone: [] }); // another street hears nothing

    // A checkpoint keeps them.
    expect(Projection.fromState(JSON.parse(JSON.stringify(p.toState()))).pointsOf(DISTRICT)).toEqual(p.pointsOf(DISTRICT));
  });

  it('[PRJ5] the usual intake for an hour is the mean of that hour of the week in the weeks held', () => {
    const p = new Projection();
    const events: LoggedEvent[] = [];
    // Three weeks back: 2, 4 and 6 cases at 10:00 on Mondays; this Monday 5.
    for (const [week, n] of [[3, 2], [2, 4], [1, 6], [0, 5]] as const) {
      for (let i = 0; i < n; i++) events.push(created(`w${week}-${i}`, T0 + 21 * DAY - week * 7 * DAY + i * 60_000));
    }
    p.apply(events, new Changes(0));
    const now = T0 + 21 * DAY + 30 * 60_000;
    const last = p.hourly(DISTRICT, now).at(-1)!;
    expect(last).toMatchObject({ hour: new Date(T0 + 21 * DAY).toISOString(), received: 5, usual: 4 });
    // An hour before the first case has no history: null, not zero.
    const first = new Projection();
    first.apply([created('only', T0)]);
    expect(first.hourly(DISTRICT, T0).at(-1)!.usual).toBeNull();
    // An hour of the week with history but no cases then is a usual of 0.
    expect(p.hourly(DISTRICT, now).at(-2)!.usual).toBe(0);
  });
});
