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
 * How levels single out the unusual (RULES RISK7): severe and high are the few places far above
 * the usual place (the median index of the places with any risk), and never more than a set share
 * of them, so a busy district's map stays mostly calm and the two or three places that need a
 * leader stand out.
 */
export const RISK_LEVELS = {
  /** Severe: at most this share of the places with any risk (at least one place)… */
  severeShare: 0.05,
  /** …each at least this many times the median, and at least this index. */
  severeRatio: 3,
  severeFloor: 15,
  /** High: at most this share more… */
  highShare: 0.1,
  /** …each at least this many times the median, and at least this index. */
  highRatio: 2,
  highFloor: 5,
  /** Medium: from this many times the median and at least this index; below it, low. */
  mediumRatio: 1.5,
  mediumFloor: 3,
};

/**
 * Each place's level among its layer: none below 1; then, by index from the highest, severe for
 * the first places (at most 5 % of those with any risk, and at least one) that are at least three
 * times the usual place and at least 15; high for the next (at most 10 % more) that are at least
 * twice the usual place and at least 5; medium from 1.5 times the usual place and at least 3; else
 * low. Ties at a cap go to the place listed first. A district where no place stands out shows no
 * severe and no high at all. The usual place is the median index (at least 1) of the places with
 * any risk, or, for a fixed set of places such as communities (`usualOf: 'all'`), of all of them:
 * a community with thirty when the others have nothing stands out.
 */
export function riskLevels(indices: readonly number[], options: { usualOf?: 'positive' | 'all' } = {}): RiskLevel[] {
  const positive = indices.filter((i) => i >= 1);
  const pool = [...(options.usualOf === 'all' ? indices : positive)].sort((a, b) => a - b);
  const m = positive.length;
  const n = pool.length;
  const middle = n === 0 ? 0 : n % 2 ? pool[(n - 1) / 2]! : (pool[n / 2 - 1]! + pool[n / 2]!) / 2;
  const median = Math.max(1, middle);
  const rules = RISK_LEVELS;
  const severeCap = Math.max(1, Math.floor(rules.severeShare * m));
  const highCap = Math.max(1, Math.floor(rules.highShare * m));
  const levels: RiskLevel[] = indices.map((index) => (index < 1 ? 'none' : index >= rules.mediumRatio * median && index >= rules.mediumFloor ? 'medium' : 'low'));
  const ranked = indices.map((index, at) => ({ index, at })).filter((p) => p.index >= 1).sort((a, b) => b.index - a.index || a.at - b.at);
  let severe = 0;
  let high = 0;
  for (const { index, at } of ranked) {
    if (severe < severeCap && index >= rules.severeRatio * median && index >= rules.severeFloor) {
      levels[at] = 'severe';
      severe += 1;
    } else if (high < highCap && index >= rules.highRatio * median && index >= rules.highFloor) {
      levels[at] = 'high';
      high += 1;
    } else if (index < rules.highRatio * median) break; // the rest are below high: medium or low as set
  }
  return levels;
}
