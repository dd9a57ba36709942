/**
 * The risk index of a place (issue 5, 治未病): its open cases weighted by grade (green 1, yellow 3,
 * red 9), each halving every 7 days of age, a breached one counting double. Pure: the server sums
 * it over a community's open cases from the live projection; its level is what the map colours.
 * Repeat complaints already lift a case's grade (shared/domain/risk.ts), so they raise the index
 * through the grade weight.
 */

export const RISK_INDEX = {
  gradeWeight: [1, 3, 9] as const,
  breachedFactor: 2,
  halfLifeDays: 7,
  /** The lowest index of each level after `none`. */
  levels: [
    ['low', 1],
    ['medium', 5],
    ['high', 15],
    ['severe', 40],
  ] as const,
};

export type RiskLevel = 'none' | (typeof RISK_INDEX.levels)[number][0];

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

export function riskLevel(index: number): RiskLevel {
  let level: RiskLevel = 'none';
  for (const [name, from] of RISK_INDEX.levels) if (index >= from) level = name;
  return level;
}
