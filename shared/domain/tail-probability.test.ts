import { describe, expect, it } from 'vitest';
import { logGamma, upperTail } from './tail-probability.js';

describe('upper tails of counts (early warning)', () => {
  it('[EW5] ln Γ matches factorials; the gamma–Poisson tail matches its closed forms', () => {
    expect(logGamma(1)).toBeCloseTo(0, 12);
    expect(logGamma(11)).toBeCloseTo(Math.log(3_628_800), 10);
    expect(logGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
    // Shape 1 is geometric: P(X ≥ n) = (1 − p)^n with p = rate / (rate + exposure).
    expect(upperTail(4, { shape: 1, rate: 3 }, 1)).toBeCloseTo(0.25 ** 4, 12);
    // A very sure rate is Poisson: P(X ≥ 5 | λ = 2) = 1 − e^{−2}(1 + 2 + 2 + 4/3 + 2/3).
    expect(upperTail(5, { shape: 2e7, rate: 1e7 }, 1)).toBeCloseTo(1 - Math.exp(-2) * 7, 6);
    // Not above the mean: not an upper-tail event.
    expect(upperTail(2, { shape: 2, rate: 1 }, 1)).toBe(1);
    expect(upperTail(0, { shape: 2, rate: 1 }, 1)).toBe(1);
  });
});
