/** The risk index of a place (RISK6–RISK7 in RULES.md). */
import { expect, it } from 'vitest';
import { caseRisk, riskLevels } from './risk-index.js';

const NOW = Date.UTC(2026, 11, 1);
const DAY = 86_400_000;

it('[RISK6] a case weighs by grade, halves every 7 days, and counts double once breached', () => {
  expect(caseRisk({ grade: 0, receivedAt: NOW, breached: false }, NOW)).toBe(1);
  expect(caseRisk({ grade: 1, receivedAt: NOW, breached: false }, NOW)).toBe(3);
  expect(caseRisk({ grade: 2, receivedAt: NOW, breached: false }, NOW)).toBe(9);
  expect(caseRisk({ grade: 2, receivedAt: NOW - 7 * DAY, breached: false }, NOW)).toBeCloseTo(4.5);
  expect(caseRisk({ grade: 2, receivedAt: NOW - 14 * DAY, breached: true }, NOW)).toBeCloseTo(4.5);
  expect(caseRisk({ grade: 0, receivedAt: NOW + DAY, breached: false }, NOW)).toBe(1); // a clock ahead does not inflate it
});

it('[RISK7] levels single out the few places far above the median place, never more than 5 % severe and 10 % high', () => {
  // The places with any risk: 2, 4, 4, 4, 10, 40: median 4. One place may be severe, one high.
  expect(riskLevels([0, 2, 4, 4, 4, 10, 40])).toEqual(['none', 'low', 'low', 'low', 'low', 'high', 'severe']);
  // A calm district: twice the median but small is not an alarm.
  expect(riskLevels([1, 1, 2, 0.5])).toEqual(['low', 'low', 'low', 'none']);
  // A busy one where every place is alike: nothing stands out.
  expect(riskLevels([150, 160, 170, 180])).toEqual(['low', 'low', 'low', 'low']);
  expect(riskLevels([])).toEqual([]);
  // 100 ordinary places and 10 far above them: 5 severe (5 % of 110), the other 5 high.
  const levels = riskLevels([...Array<number>(100).fill(10), ...Array<number>(10).fill(100)]);
  expect(levels.filter((l) => l === 'severe').length).toBe(5);
  expect(levels.filter((l) => l === 'high').length).toBe(5);
  expect(levels.slice(100, 105)).toEqual(Array(5).fill('severe')); // ties go to the place listed first
  // Medium from 1.5 times the median, uncapped.
  expect(riskLevels([10, 10, 10, 16, 14])).toEqual(['low', 'low', 'low', 'medium', 'low']);
  // Communities are a fixed set: the usual one may have nothing, and one with thirty stands out.
  expect(riskLevels([0, 0, 0, 0, 30, 2], { usualOf: 'all' })).toEqual(['none', 'none', 'none', 'none', 'severe', 'low']);
  expect(riskLevels([0, 0, 0, 0, 30, 2])).toEqual(['none', 'none', 'none', 'none', 'medium', 'low']);
});
