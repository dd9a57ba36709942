/**
 * End-of-day grading (DESIGN "End of day", RULES DAY1): at 24:00 Asia/Shanghai every case still
 * open is graded red if its risk grade is red or its resolve deadline has passed, yellow if it is
 * graded yellow or any running deadline is at risk (or past), else green. The reds go to the
 * leaders' list. Pure: the deadline monitor grades the rows open at that midnight.
 */
import type { RiskGrade } from './vocabulary.js';

export type DayGrade = RiskGrade;

/** What grading needs of a case open at midnight. */
export interface DayEndCase {
  riskGrade: RiskGrade;
  respondedAt: Date | null;
  acceptedAt: Date | null;
  respondRiskAt: Date;
  acceptRiskAt: Date;
  resolveRiskAt: Date;
  resolveBy: Date;
}

export function gradeAtDayEnd(c: DayEndCase, midnight: Date): DayGrade {
  const m = midnight.getTime();
  if (c.riskGrade === 'red' || c.resolveBy.getTime() <= m) return 'red';
  const running = (done: Date | null) => done === null || done.getTime() > m;
  const atRisk =
    (running(c.respondedAt) && c.respondRiskAt.getTime() <= m) ||
    (running(c.acceptedAt) && c.acceptRiskAt.getTime() <= m) ||
    c.resolveRiskAt.getTime() <= m;
  return c.riskGrade === 'yellow' || atRisk ? 'yellow' : 'green';
}
