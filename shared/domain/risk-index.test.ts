/** The risk index of a place (RISK6–RISK7 in RULES.md). */
import { expect, it } from 'vitest';
import { caseRisk, riskLevel } from './risk-index.js';

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

it('[RISK7] levels: none below 1, low, medium from 5, high from 15, severe from 40', () => {
  expect([0, 0.99, 1, 4.9, 5, 15, 39.9, 40, 500].map(riskLevel)).toEqual(['none', 'none', 'low', 'low', 'medium', 'high', 'high', 'severe', 'severe']);
});
