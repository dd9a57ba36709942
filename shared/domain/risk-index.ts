/**
 * The risk index of a place (issue 5, 治未病): its open cases weighted by grade (green 1, yellow 3,
 * red 9), each halving every 7 days of age, a breached one counting double. Pure: the server sums
 * it over a community's open cases from the live projection; its level is what the map colours.
 * Repeat complaints already lift a case's grade (shared/domain/risk.ts), so they raise the index
 * through the grade weight. Levels compare a place with the district's usual place (`riskLevels`).
 */

export const RISK_INDEX = {
  gradeWeight: [1, 3, 9] as const,
  breachedFactor: 2,
  halfLifeDays: 7,
};

export type RiskLevel = 'none' | 'low' | 'medium' | 'high' | 'severe';

export interface RiskCase {
  /** 0 green, 1 yellow, 2 red. */
  grade: 0 | 1 | 2;
  receivedAt: number;
  breached: boolean;
}

const DAY_MS = 86_400_000;

/** One open case's contribution at `now`. */
export function caseRisk(c: RiskCase, now: number): number {
  const ageDays = Math.max(0, now - c.receivedAt) / DAY_MS;
  return RISK_INDEX.gradeWeight[c.grade] * (c.breached ? RISK_INDEX.breachedFactor : 1) * 0.5 ** (ageDays / RISK_INDEX.halfLifeDays);
}

/**
 * Each place's level, against the district's usual place (the median index of the places with any
 * risk), so the map shows where trouble gathers whatever the district's volume: none below 1; severe
 * from twice the median and at least 15; high from 1.5 times and at least 5; medium from 0.75
 * times; else low. The floors keep a calm district's small differences from reading as alarms.
 */
export function riskLevels(indices: readonly number[]): RiskLevel[] {
  const positive = indices.filter((i) => i >= 1).sort((a, b) => a - b);
  const m = positive.length;
  const median = m === 0 ? 0 : m % 2 ? positive[(m - 1) / 2]! : (positive[m / 2 - 1]! + positive[m / 2]!) / 2;
  return indices.map((index) => {
    if (index < 1) return 'none';
    const ratio = index / median;
    if (ratio >= 2 && index >= 15) return 'severe';
    if (ratio >= 1.5 && index >= 5) return 'high';
    if (ratio >= 0.75) return 'medium';
    return 'low';
  });
}
