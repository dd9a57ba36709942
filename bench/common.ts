/**
 * What the benchmarks share: a realistic intake body spread over the district's communities, and
 * the statistics they report (medians of rounds, percentiles of latencies).
 */
import { GUANGMING } from '../shared/domain/jurisdiction.js';

let counter = 0;

/** A valid case for POST /api/cases, each with its own externalId. */
export function benchCase(): Record<string, unknown> {
  counter += 1;
  const community = GUANGMING.communities[counter % GUANGMING.communities.length]!;
  return {
    channel: 'app',
    externalId: `bench-${process.pid}-${counter}`,
    category: 'city_management',
    title: `基准测试诉求 ${counter}`,
    location: { lat: community.centroid[1] + ((counter % 7) - 3) * 1e-4, lng: community.centroid[0] },
    reporter: { name: '测试', phone: `1380000${String(counter % 10000).padStart(4, '0')}` },
  };
}

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export const percentile = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
