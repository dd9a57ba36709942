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

it('[RISK7] levels against the median place: none below 1, then low, medium, high, severe with floors', () => {
  // The places with any risk: 2, 4, 4, 4, 10, 40: median 4.
  expect(riskLevels([0, 2, 4, 4, 4, 10, 40])).toEqual(['none', 'low', 'medium', 'medium', 'medium', 'high', 'severe']);
  // A calm district: twice the median but small is not an alarm.
  expect(riskLevels([1, 1, 2, 0.5])).toEqual(['medium', 'medium', 'medium', 'none']);
  // A busy one where every place is alike: all medium, none severe.
  expect(riskLevels([150, 160, 170, 180])).toEqual(['medium', 'medium', 'medium', 'medium']);
  expect(riskLevels([])).toEqual([]);
});
