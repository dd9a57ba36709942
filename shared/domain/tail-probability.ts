/**
 * Upper-tail probabilities for counts, used by early warning (shared/domain/early-warning.ts) to
 * judge whether a count is far above the usual one.
 *
 * A count of cases in a window is modelled as Poisson with an unknown rate; the rate's uncertainty,
 * learned from the history, is a gamma distribution, so the count's predictive distribution is the
 * negative binomial (the gamma–Poisson mixture). Thin history gives a wide gamma and so a heavier
 * tail: the detector is slower to call a count unusual where it knows little.
 */

// Lanczos approximation of ln Γ(x) (g = 7, nine coefficients), accurate to ~1e-15 for x > 0.
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x); // reflection
  const z = x - 1;
  let sum = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** A gamma distribution of a rate per unit of exposure (shape α, rate β: mean α/β). */
export interface GammaRate {
  shape: number;
  rate: number;
}

/**
 * P(X ≥ n) for the count X over `exposure` units when the rate per unit is `belief`: negative
 * binomial with r = shape and p = rate / (rate + exposure). Exact (summed from n upwards) when n
 * lies above the mean; 1 when it does not, since only upper tails matter here.
 */
export function upperTail(n: number, belief: GammaRate, exposure: number): number {
  if (n <= 0) return 1;
  const r = belief.shape;
  const p = belief.rate / (belief.rate + exposure);
  if (!(r > 0) || !(p > 0)) return 1; // no belief at all: nothing can be called unusual
  if (p >= 1) return 0; // certainty of a zero rate: any case is unusual
  const mean = (r * (1 - p)) / p;
  if (n <= mean) return 1;
  const logQ = Math.log1p(-p);
  let logTerm = logGamma(n + r) - logGamma(r) - logGamma(n + 1) + r * Math.log(p) + n * logQ;
  let sum = 0;
  for (let k = n; k < n + 1_000_000; k++) {
    const term = Math.exp(logTerm);
    sum += term;
    if (term <= sum * 1e-12) break;
    logTerm += Math.log((k + r) / (k + 1)) + logQ;
  }
  return Math.min(1, sum);
}
