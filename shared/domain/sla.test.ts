import { describe, expect, it } from 'vitest';
import { CN_CALENDAR, createCalendar } from './calendar.js';
import { DEFAULT_SLA, addDuration, atRiskAt, computeDeadlines, deadlineState, tierFor, type SlaConfig } from './sla.js';

/** An Asia/Shanghai wall-clock time as an instant: sh('2026-09-18 15:00'). */
function sh(local: string): Date {
  return new Date(`${local.replace(' ', 'T')}:00+08:00`);
}

function iso(d: { at: Date } | Date): string {
  return (d instanceof Date ? d : d.at).toISOString();
}

describe('tiers', () => {
  it('[SLA1] urgency picks the tier: emergency → urgent, urgent → important, normal → general', () => {
    const base = { channel: 'hotline_12345' as const, category: 'city_management' };
    expect(tierFor({ ...base, urgency: 'emergency' }, DEFAULT_SLA)).toBe('urgent');
    expect(tierFor({ ...base, urgency: 'urgent' }, DEFAULT_SLA)).toBe('important');
    expect(tierFor({ ...base, urgency: 'normal' }, DEFAULT_SLA)).toBe('general');
  });

  it('[SLA1] 书记在线 (secretary_online) cases are urgent whatever their urgency', () => {
    expect(tierFor({ urgency: 'normal', channel: 'secretary_online', category: 'disputes' }, DEFAULT_SLA)).toBe('urgent');
  });

  it('[SLA1] channel and category overrides raise a tier, never lower it', () => {
    const sla: SlaConfig = { ...DEFAULT_SLA, channelTier: { hall: 'general' }, categoryTier: { fire_safety: 'important' } };
    expect(tierFor({ urgency: 'emergency', channel: 'hall', category: 'other' }, sla)).toBe('urgent');
    expect(tierFor({ urgency: 'normal', channel: 'app', category: 'fire_safety' }, sla)).toBe('important');
    expect(tierFor({ urgency: 'emergency', channel: 'app', category: 'fire_safety' }, sla)).toBe('urgent');
    expect(tierFor({ urgency: 'normal', channel: 'hall', category: 'water' }, sla)).toBe('general');
  });
});

describe('round-the-clock deadlines', () => {
  it('[SLA2] the default table: urgent 10 min / 30 min / 24 h, important 30 min / 2 h / 72 h, general 2 h / 1 / 5 working days', () => {
    expect(DEFAULT_SLA.tiers).toEqual({
      urgent: { respond: { minutes: 10 }, accept: { minutes: 30 }, resolve: { hours: 24 } },
      important: { respond: { minutes: 30 }, accept: { hours: 2 }, resolve: { hours: 72 } },
      general: { respond: { hours: 2 }, accept: { workingDays: 1 }, resolve: { workingDays: 5 } },
    });
    expect(DEFAULT_SLA.atRiskFraction).toBe(0.8);
  });

  it('[SLA2] urgent deadlines run through a holiday night: 10 min, 30 min, "same day" = 24 h', () => {
    const { deadlines, warnings } = computeDeadlines(sh('2026-02-16 23:55'), 'urgent', DEFAULT_SLA, CN_CALENDAR);
    expect(deadlines.respondBy.toISOString()).toBe('2026-02-16T16:05:00.000Z');
    expect(deadlines.acceptBy.toISOString()).toBe('2026-02-16T16:25:00.000Z');
    expect(deadlines.resolveBy.toISOString()).toBe('2026-02-17T15:55:00.000Z');
    expect(warnings).toEqual([]);
  });

  it('[SLA2] important "3 days" is 72 h round the clock, weekend included', () => {
    const { deadlines } = computeDeadlines(sh('2026-03-13 15:00'), 'important', DEFAULT_SLA, CN_CALENDAR);
    expect(deadlines.respondBy.toISOString()).toBe('2026-03-13T07:30:00.000Z');
    expect(deadlines.acceptBy.toISOString()).toBe('2026-03-13T09:00:00.000Z');
    expect(deadlines.resolveBy.toISOString()).toBe('2026-03-16T07:00:00.000Z'); // Mon 15:00
  });

  it('[SLA2] negative or non-numeric durations are refused', () => {
    expect(() => addDuration(sh('2026-03-13 15:00'), { hours: -1 }, CN_CALENDAR)).toThrow(RangeError);
    expect(() => addDuration(sh('2026-03-13 15:00'), { workingDays: Number.NaN }, CN_CALENDAR)).toThrow(RangeError);
  });
});

describe('working-day deadlines', () => {
  it('[SLA3] received on a working day: same clock time on the N-th following working day, weekend skipped', () => {
    const { deadlines } = computeDeadlines(sh('2026-03-13 15:00'), 'general', DEFAULT_SLA, CN_CALENDAR); // Friday
    expect(deadlines.respondBy.toISOString()).toBe('2026-03-13T09:00:00.000Z');
    expect(deadlines.acceptBy.toISOString()).toBe('2026-03-16T07:00:00.000Z'); // Mon 15:00
    expect(deadlines.resolveBy.toISOString()).toBe('2026-03-20T07:00:00.000Z'); // Fri 15:00
  });

  it('[SLA3] a make-up Sunday counts: Fri 2026-09-18 15:00 → accept Sun 09-20 15:00, resolve before Mid-Autumn', () => {
    const { deadlines } = computeDeadlines(sh('2026-09-18 15:00'), 'general', DEFAULT_SLA, CN_CALENDAR);
    expect(deadlines.acceptBy.toISOString()).toBe('2026-09-20T07:00:00.000Z');
    // 09-20 (Sun, 调休), 21, 22, 23, 24 → Thu 09-24 15:00; 09-25..27 are the Mid-Autumn holiday
    expect(deadlines.resolveBy.toISOString()).toBe('2026-09-24T07:00:00.000Z');
  });

  it('[SLA3] working-day deadlines skip the National Day holiday and count its make-up Saturday', () => {
    const { deadlines, warnings } = computeDeadlines(sh('2026-09-30 10:00'), 'general', DEFAULT_SLA, CN_CALENDAR);
    expect(deadlines.respondBy.toISOString()).toBe('2026-09-30T04:00:00.000Z');
    expect(deadlines.acceptBy.toISOString()).toBe('2026-10-08T02:00:00.000Z'); // Thu 10-08 10:00
    // 10-08, 10-09, 10-10 (Sat, 调休), 10-12, 10-13 → Tue 10-13 10:00
    expect(deadlines.resolveBy.toISOString()).toBe('2026-10-13T02:00:00.000Z');
    expect(warnings).toEqual([]);
  });

  it('[SLA3] the 2025 Spring Festival (01-28..02-04) is skipped and its make-up days 01-26 and 02-08 count', () => {
    const beforeEve = computeDeadlines(sh('2025-01-27 09:30'), 'general', DEFAULT_SLA, CN_CALENDAR).deadlines;
    expect(beforeEve.acceptBy.toISOString()).toBe('2025-02-05T01:30:00.000Z');
    // 02-05, 06, 07, 08 (Sat, 调休), 10 → Mon 02-10 09:30
    expect(beforeEve.resolveBy.toISOString()).toBe('2025-02-10T01:30:00.000Z');

    const onMakeUpSunday = computeDeadlines(sh('2025-01-26 14:00'), 'general', DEFAULT_SLA, CN_CALENDAR).deadlines;
    expect(onMakeUpSunday.acceptBy.toISOString()).toBe('2025-01-27T06:00:00.000Z');
    // 01-27, 02-05, 02-06, 02-07, 02-08 → Sat 02-08 14:00
    expect(onMakeUpSunday.resolveBy.toISOString()).toBe('2025-02-08T06:00:00.000Z');
  });

  it('[SLA3] year boundaries: New Year holidays are skipped on both sides', () => {
    // Wed 2025-12-31 16:00; 2026-01-01..03 off; Sun 01-04 is a make-up workday
    const { deadlines } = computeDeadlines(sh('2025-12-31 16:00'), 'general', DEFAULT_SLA, CN_CALENDAR);
    expect(deadlines.acceptBy.toISOString()).toBe('2026-01-04T08:00:00.000Z');
    expect(deadlines.resolveBy.toISOString()).toBe('2026-01-08T08:00:00.000Z'); // 01-04, 05, 06, 07, 08
    // Tue 2024-12-31 17:00; 2025-01-01 is a holiday
    expect(iso(addDuration(sh('2024-12-31 17:00'), { workingDays: 1 }, CN_CALENDAR))).toBe('2025-01-02T09:00:00.000Z');
  });
});

describe('working days counted from a day off', () => {
  it('[SLA4] received on a Saturday: the clock starts Monday 00:00, one working day ends Monday 24:00', () => {
    const { deadlines } = computeDeadlines(sh('2026-03-14 10:00'), 'general', DEFAULT_SLA, CN_CALENDAR);
    expect(deadlines.respondBy.toISOString()).toBe('2026-03-14T04:00:00.000Z'); // hours still run at weekends
    expect(deadlines.acceptBy.toISOString()).toBe('2026-03-16T16:00:00.000Z'); // Mon 24:00 = Tue 00:00
    expect(deadlines.resolveBy.toISOString()).toBe('2026-03-20T16:00:00.000Z'); // Fri 24:00
  });

  it('[SLA4] received during the Spring Festival: the count starts on the first working day after it', () => {
    const { deadlines } = computeDeadlines(sh('2025-01-30 11:00'), 'general', DEFAULT_SLA, CN_CALENDAR);
    expect(deadlines.acceptBy.toISOString()).toBe('2025-02-05T16:00:00.000Z'); // Wed 02-05 24:00
    expect(deadlines.resolveBy.toISOString()).toBe('2025-02-10T16:00:00.000Z'); // 02-05, 06, 07, 08, 10 → Mon 24:00
  });

  it('[SLA4] received at 00:00 sharp on a working day: one working day is that whole day', () => {
    expect(iso(addDuration(sh('2026-03-16 00:00'), { workingDays: 1 }, CN_CALENDAR))).toBe('2026-03-16T16:00:00.000Z');
    expect(iso(addDuration(sh('2026-03-20 00:00'), { workingDays: 1 }, CN_CALENDAR))).toBe('2026-03-20T16:00:00.000Z'); // Fri 24:00, not Mon
  });

  it('[SLA4] zero and fractional working days', () => {
    expect(iso(addDuration(sh('2026-03-14 10:00'), { workingDays: 0 }, CN_CALENDAR))).toBe('2026-03-14T02:00:00.000Z');
    // half a working day (12 h) from Fri 15:00: 9 h on Friday, 3 h on Monday
    expect(iso(addDuration(sh('2026-03-13 15:00'), { workingDays: 0.5 }, CN_CALENDAR))).toBe('2026-03-15T19:00:00.000Z');
  });
});

describe('outside the calendar', () => {
  it('[SLA5] a count reaching into 2027 uses weekends only and warns, naming the year', () => {
    const { deadlines, warnings } = computeDeadlines(sh('2026-12-31 10:00'), 'general', DEFAULT_SLA, CN_CALENDAR);
    expect(deadlines.acceptBy.toISOString()).toBe('2027-01-01T02:00:00.000Z'); // Fri 2027-01-01 counted as a working day
    expect(deadlines.resolveBy.toISOString()).toBe('2027-01-07T02:00:00.000Z'); // 01-01, 04, 05, 06, 07
    expect(warnings).toHaveLength(1); // accept and resolve both crossed 2027: one warning
    expect(warnings[0]).toMatch(/2027/);
  });

  it('[SLA5] minute and hour deadlines and counts inside the covered years never warn', () => {
    expect(computeDeadlines(sh('2026-12-31 23:00'), 'urgent', DEFAULT_SLA, CN_CALENDAR).warnings).toEqual([]);
    expect(addDuration(sh('2026-12-30 10:00'), { workingDays: 1 }, CN_CALENDAR).warnings).toEqual([]);
  });

  it('[SLA5] every uncovered year crossed is named once', () => {
    const cal = createCalendar({ coveredYears: [2026], holidays: [], workdays: [] });
    const { at, warnings } = addDuration(sh('2024-12-30 09:00'), { workingDays: 5 }, cal);
    expect(at.toISOString()).toBe('2025-01-06T01:00:00.000Z'); // 12-31, 01-01, 02, 03, 06 (no holidays known)
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/2024/);
    expect(warnings[1]).toMatch(/2025/);
  });
});

describe('at risk and breached', () => {
  const start = new Date('2026-03-13T02:00:00.000Z');
  const deadline = new Date('2026-03-13T02:30:00.000Z');

  it('[SLA6] a deadline is at risk once 80 % of its span has passed', () => {
    expect(atRiskAt(start, deadline, 0.8).toISOString()).toBe('2026-03-13T02:24:00.000Z');
    expect(deadlineState(new Date('2026-03-13T02:23:59.999Z'), start, deadline, 0.8)).toBe('ok');
    expect(deadlineState(new Date('2026-03-13T02:24:00.000Z'), start, deadline, 0.8)).toBe('at_risk');
  });

  it('[SLA6] breached only after the deadline; at the deadline itself it is still at risk', () => {
    expect(deadlineState(deadline, start, deadline, 0.8)).toBe('at_risk');
    expect(deadlineState(new Date('2026-03-13T02:30:00.001Z'), start, deadline, 0.8)).toBe('breached');
  });

  it('[SLA6] a working-day deadline is at risk at 80 % of its wall-clock span', () => {
    const received = sh('2026-03-13 15:00');
    const acceptBy = addDuration(received, { workingDays: 1 }, CN_CALENDAR).at; // Mon 15:00, 72 h later
    expect(atRiskAt(received, acceptBy, 0.8).toISOString()).toBe('2026-03-15T16:36:00.000Z'); // Mon 00:36
  });

  it('[SLA6] a deadline already at or before its start is at risk from the deadline, then breached', () => {
    const late = new Date('2026-03-13T01:00:00.000Z');
    expect(atRiskAt(start, late, 0.8).toISOString()).toBe('2026-03-13T01:00:00.000Z');
    expect(deadlineState(start, start, late, 0.8)).toBe('breached');
  });

  it('[SLA6] a fraction outside 0..1 is a configuration error', () => {
    expect(() => atRiskAt(start, deadline, 1.5)).toThrow(/atRiskFraction/);
    expect(() => deadlineState(start, start, deadline, -0.1)).toThrow(/atRiskFraction/);
  });
});
