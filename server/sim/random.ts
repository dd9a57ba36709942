/**
 * A small seeded pseudo-random generator for the demo simulator.
 *
 * The simulator must produce the same history on every run (so re-running the backfill is a
 * no-op), and each case must be reproducible on its own (so the live loop can regenerate one
 * case's plan from its external id alone). Hence `forKey(seed, key)`: an independent stream per
 * (day, index), not one long stream whose position depends on everything drawn before.
 *
 * The core is mulberry32 (32-bit state, period 2^32): plenty for a few thousand draws per case,
 * tiny, fast and identical on every platform because it only uses 32-bit integer maths.
 */

/** A weighted choice: the value and its (non-negative, not necessarily normalised) weight. */
export type WeightedEntry<T> = readonly [value: T, weight: number];

export class Random {
  private state: number;
  /** The second value of the last Box–Muller pair, kept for the next `normal()`. */
  private spareNormal: number | null = null;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** An integer in [min, max], both ends included. */
  int(min: number, max: number): number {
    if (max < min) throw new RangeError(`int(${min}, ${max}): max is below min`);
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** A float in [min, max). */
  uniform(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element of a non-empty array, uniformly. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick() from an empty array');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** One value, with probability proportional to its weight. */
  weighted<T>(entries: readonly WeightedEntry<T>[]): T {
    let total = 0;
    for (const [, weight] of entries) total += Math.max(0, weight);
    if (entries.length === 0 || total <= 0) throw new RangeError('weighted() needs at least one positive weight');
    let target = this.next() * total;
    for (const [value, weight] of entries) {
      target -= Math.max(0, weight);
      if (target < 0) return value;
    }
    // Floating-point leftovers: the last entry with a positive weight.
    for (let i = entries.length - 1; i >= 0; i--) {
      const entry = entries[i]!;
      if (entry[1] > 0) return entry[0];
    }
    throw new RangeError('unreachable');
  }

  /** A standard normal deviate (mean 0, standard deviation 1), by Box–Muller. */
  normal(): number {
    if (this.spareNormal !== null) {
      const spare = this.spareNormal;
      this.spareNormal = null;
      return spare;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const radius = Math.sqrt(-2 * Math.log(u));
    this.spareNormal = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  }

  /**
   * A log-normal duration: half the draws fall below `median`, and `sigma` is the standard
   * deviation of its logarithm (0.5 ≈ most within ×/÷ 2.7, 1 ≈ a long tail).
   */
  logNormal(median: number, sigma: number): number {
    return median * Math.exp(sigma * this.normal());
  }

  /** A Poisson count with mean `lambda` (Knuth for small means, a rounded normal for large). */
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda > 50) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.normal()));
    const limit = Math.exp(-lambda);
    let count = 0;
    let product = this.next();
    while (product > limit) {
      count += 1;
      product *= this.next();
    }
    return count;
  }

  /** The array's elements in a random order (a new array). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [out[i], out[j]] = [out[j] as T, out[i] as T];
    }
    return out;
  }
}

/** A 32-bit hash of a string (FNV-1a, then an avalanche so near keys give far seeds). */
export function hashString(text: string, basis = 0x811c9dc5): number {
  let h = basis >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A generator for `seed`. */
export function seeded(seed: number): Random {
  return new Random(hashString(String(seed)));
}

/** An independent stream for one key under a seed, e.g. forKey(seed, '2026-11-23#42'). */
export function forKey(seed: number, key: string): Random {
  return new Random(hashString(key, hashString(String(seed))));
}
