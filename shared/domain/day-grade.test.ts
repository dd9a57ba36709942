import { describe, expect, it } from 'vitest';
import { gradeAtDayEnd, type DayEndCase } from './day-grade.js';

const H = 3_600_000;
const midnight = new Date('2026-12-01T16:00:00Z'); // 24:00 of 1 December in Shanghai
const at = (hoursFromMidnight: number) => new Date(midnight.getTime() + hoursFromMidnight * H);
const open = (extra: Partial<DayEndCase> = {}): DayEndCase => ({
  riskGrade: 'green',
  respondedAt: at(-20),
  acceptedAt: at(-19),
  respondRiskAt: at(-22),
  acceptRiskAt: at(-5),
  resolveRiskAt: at(50),
  resolveBy: at(70),
  ...extra,
});

describe('end-of-day grading', () => {
  it('[DAY1] red if graded red or past its resolve deadline; yellow if graded yellow or a running deadline is at risk; else green', () => {
    expect(gradeAtDayEnd(open(), midnight)).toBe('green');
    expect(gradeAtDayEnd(open({ riskGrade: 'red' }), midnight)).toBe('red');
    expect(gradeAtDayEnd(open({ resolveBy: at(0) }), midnight)).toBe('red');
    expect(gradeAtDayEnd(open({ riskGrade: 'yellow' }), midnight)).toBe('yellow');
    expect(gradeAtDayEnd(open({ resolveRiskAt: at(-1) }), midnight)).toBe('yellow');
    // A stage done before midnight no longer counts; one done after it was still running then.
    expect(gradeAtDayEnd(open({ acceptedAt: at(-1) }), midnight)).toBe('green');
    expect(gradeAtDayEnd(open({ acceptedAt: at(2) }), midnight)).toBe('yellow');
  });
});
