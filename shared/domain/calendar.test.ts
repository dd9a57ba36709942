import { describe, expect, it } from 'vitest';
import calendarData from './calendar-cn.json' with { type: 'json' };
import {
  CN_CALENDAR,
  addCalendarDays,
  createCalendar,
  isCovered,
  isWorkingDay,
  shanghaiDate,
  shanghaiMidnight,
  startOfShanghaiDay,
} from './calendar.js';

function datesIn(year: number, list: ReadonlySet<string>): string[] {
  return [...list].filter((d) => d.startsWith(`${year}-`)).sort();
}

describe('Asia/Shanghai civil dates', () => {
  it('[CAL1] the civil date changes at 16:00 UTC (00:00 in Shanghai)', () => {
    expect(shanghaiDate(new Date('2025-12-31T15:59:59.999Z'))).toBe('2025-12-31');
    expect(shanghaiDate(new Date('2025-12-31T16:00:00.000Z'))).toBe('2026-01-01');
    expect(shanghaiDate(new Date('2026-06-30T23:00:00.000Z'))).toBe('2026-07-01');
  });

  it('[CAL1] startOfShanghaiDay is 00:00 Shanghai of the same civil day', () => {
    expect(startOfShanghaiDay(new Date('2026-03-16T01:30:00Z')).toISOString()).toBe('2026-03-15T16:00:00.000Z');
    expect(startOfShanghaiDay(new Date('2026-03-15T16:00:00Z')).toISOString()).toBe('2026-03-15T16:00:00.000Z');
    expect(startOfShanghaiDay(new Date('2026-03-15T15:59:59.999Z')).toISOString()).toBe('2026-03-14T16:00:00.000Z');
    expect(shanghaiMidnight('2026-10-01').toISOString()).toBe('2026-09-30T16:00:00.000Z');
  });

  it('[CAL1] calendar-day arithmetic crosses months, leap days and years', () => {
    expect(addCalendarDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addCalendarDays('2025-12-31', 1)).toBe('2026-01-01');
    expect(addCalendarDays('2026-03-01', -1)).toBe('2026-02-28');
  });

  it('[CAL1] invalid dates are refused, not guessed', () => {
    expect(() => shanghaiDate(new Date('nonsense'))).toThrow(RangeError);
    expect(() => isWorkingDay('2026-02-30', CN_CALENDAR)).toThrow(/2026-02-30/);
    expect(() => isWorkingDay('2026-9-1', CN_CALENDAR)).toThrow(RangeError);
  });
});

describe('working days', () => {
  it('[CAL2] Monday to Friday work, weekends do not', () => {
    expect(isWorkingDay('2026-03-13', CN_CALENDAR)).toBe(true); // Friday
    expect(isWorkingDay('2026-03-14', CN_CALENDAR)).toBe(false); // Saturday
    expect(isWorkingDay('2026-03-15', CN_CALENDAR)).toBe(false); // Sunday
    expect(isWorkingDay('2026-03-16', CN_CALENDAR)).toBe(true); // Monday
  });

  it('[CAL2] public holidays are days off even on weekdays', () => {
    expect(isWorkingDay('2025-01-28', CN_CALENDAR)).toBe(false); // 除夕, Tuesday
    expect(isWorkingDay('2025-02-04', CN_CALENDAR)).toBe(false); // 初七, Tuesday
    expect(isWorkingDay('2025-10-08', CN_CALENDAR)).toBe(false); // National Day + Mid-Autumn, Wednesday
    expect(isWorkingDay('2026-10-07', CN_CALENDAR)).toBe(false);
    expect(isWorkingDay('2024-06-10', CN_CALENDAR)).toBe(false); // Dragon Boat, Monday
  });

  it('[CAL2] make-up working days (调休上班) are worked although they fall on weekends', () => {
    expect(isWorkingDay('2025-01-26', CN_CALENDAR)).toBe(true); // Sunday
    expect(isWorkingDay('2025-02-08', CN_CALENDAR)).toBe(true); // Saturday
    expect(isWorkingDay('2026-09-20', CN_CALENDAR)).toBe(true); // Sunday
    expect(isWorkingDay('2026-10-10', CN_CALENDAR)).toBe(true); // Saturday
    expect(isWorkingDay('2024-02-18', CN_CALENDAR)).toBe(true); // Sunday
  });

  it('[CAL2] 2024 Spring Festival eve (02-09) is an ordinary working day: the notice only encouraged leave', () => {
    expect(isWorkingDay('2024-02-09', CN_CALENDAR)).toBe(true);
    expect(isWorkingDay('2024-02-10', CN_CALENDAR)).toBe(false);
  });
});

describe('coverage', () => {
  it('[CAL3] the shipped calendar covers 2024–2026 and nothing later', () => {
    expect(CN_CALENDAR.coveredYears).toEqual([2024, 2025, 2026]);
    expect(isCovered('2026-12-31', CN_CALENDAR)).toBe(true);
    expect(isCovered('2027-01-01', CN_CALENDAR)).toBe(false);
    expect(isCovered('2023-12-31', CN_CALENDAR)).toBe(false);
  });

  it('[CAL3] outside the covered years only weekends are days off (2027 is not invented)', () => {
    expect(datesIn(2027, CN_CALENDAR.holidays)).toEqual([]);
    expect(isWorkingDay('2027-01-01', CN_CALENDAR)).toBe(true); // Friday: the 2027 notice is not out
    expect(isWorkingDay('2027-01-02', CN_CALENDAR)).toBe(false); // Saturday
  });
});

describe('the shipped State Council calendars', () => {
  it('[CAL4] 2024 matches 国办发明电〔2023〕7号', () => {
    expect(datesIn(2024, CN_CALENDAR.workdays)).toEqual([
      '2024-02-04', '2024-02-18', '2024-04-07', '2024-04-28', '2024-05-11', '2024-09-14', '2024-09-29', '2024-10-12',
    ]);
    expect(datesIn(2024, CN_CALENDAR.holidays)).toEqual([
      '2024-01-01',
      '2024-02-10', '2024-02-11', '2024-02-12', '2024-02-13', '2024-02-14', '2024-02-15', '2024-02-16', '2024-02-17',
      '2024-04-04', '2024-04-05', '2024-04-06',
      '2024-05-01', '2024-05-02', '2024-05-03', '2024-05-04', '2024-05-05',
      '2024-06-08', '2024-06-09', '2024-06-10',
      '2024-09-15', '2024-09-16', '2024-09-17',
      '2024-10-01', '2024-10-02', '2024-10-03', '2024-10-04', '2024-10-05', '2024-10-06', '2024-10-07',
    ]);
  });

  it('[CAL4] 2025 matches 国办发明电〔2024〕12号', () => {
    expect(datesIn(2025, CN_CALENDAR.workdays)).toEqual(['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11']);
    expect(datesIn(2025, CN_CALENDAR.holidays)).toEqual([
      '2025-01-01',
      '2025-01-28', '2025-01-29', '2025-01-30', '2025-01-31', '2025-02-01', '2025-02-02', '2025-02-03', '2025-02-04',
      '2025-04-04', '2025-04-05', '2025-04-06',
      '2025-05-01', '2025-05-02', '2025-05-03', '2025-05-04', '2025-05-05',
      '2025-05-31', '2025-06-01', '2025-06-02',
      '2025-10-01', '2025-10-02', '2025-10-03', '2025-10-04', '2025-10-05', '2025-10-06', '2025-10-07', '2025-10-08',
    ]);
  });

  it('[CAL4] 2026 matches 国办发明电〔2025〕7号', () => {
    expect(datesIn(2026, CN_CALENDAR.workdays)).toEqual(['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10']);
    expect(datesIn(2026, CN_CALENDAR.holidays)).toEqual([
      '2026-01-01', '2026-01-02', '2026-01-03',
      '2026-02-15', '2026-02-16', '2026-02-17', '2026-02-18', '2026-02-19', '2026-02-20', '2026-02-21', '2026-02-22', '2026-02-23',
      '2026-04-04', '2026-04-05', '2026-04-06',
      '2026-05-01', '2026-05-02', '2026-05-03', '2026-05-04', '2026-05-05',
      '2026-06-19', '2026-06-20', '2026-06-21',
      '2026-09-25', '2026-09-26', '2026-09-27',
      '2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04', '2026-10-05', '2026-10-06', '2026-10-07',
    ]);
  });

  it('[CAL4] every make-up workday is a Saturday or Sunday, and the notices are named', () => {
    for (const date of CN_CALENDAR.workdays) {
      const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
      expect([0, 6], date).toContain(weekday);
    }
    expect(calendarData.source.join(' ')).toContain('国办发明电〔2024〕12号');
    expect(calendarData.source.join(' ')).toContain('国办发明电〔2023〕7号');
    expect(calendarData.source.join(' ')).toContain('国办发明电〔2025〕7号');
  });
});

describe('createCalendar', () => {
  it('[CAL5] builds a calendar from plain lists', () => {
    const cal = createCalendar({ coveredYears: [2030], holidays: ['2030-01-01'], workdays: ['2030-01-05'] });
    expect(isWorkingDay('2030-01-01', cal)).toBe(false);
    expect(isWorkingDay('2030-01-05', cal)).toBe(true); // Saturday made a workday
    expect(isCovered('2030-06-01', cal)).toBe(true);
    expect(isCovered('2026-06-01', cal)).toBe(false);
  });

  it('[CAL5] refuses malformed dates, dates outside the covered years, and a day both off and worked', () => {
    expect(() => createCalendar({ coveredYears: [2030], holidays: ['2030-13-01'], workdays: [] })).toThrow(/2030-13-01/);
    expect(() => createCalendar({ coveredYears: [2030], holidays: ['2031-01-01'], workdays: [] })).toThrow(/2031-01-01.*outside/);
    expect(() => createCalendar({ coveredYears: [2030], holidays: ['2030-01-05'], workdays: ['2030-01-05'] })).toThrow(/both/);
  });
});
