import { describe, expect, it } from 'vitest';
import { DEFAULT_RISK, gradeRisk, type RiskInput } from './risk.js';

const quiet: RiskInput = { peopleInvolved: 1, amountCny: 0, urgency: 'normal', category: 'city_management', repeatCount: 0 };

function grade(extra: Partial<RiskInput>) {
  return gradeRisk({ ...quiet, ...extra }, DEFAULT_RISK);
}

describe('risk grade', () => {
  it('[RISK1] a single-person, no-money, normal case is green with no reasons', () => {
    expect(grade({})).toEqual({ grade: 'green', reasons: [] });
  });

  it('[RISK2] red at ≥ 30 people or ≥ ¥1,000,000', () => {
    expect(grade({ peopleInvolved: 30 })).toEqual({ grade: 'red', reasons: ['people>=30'] });
    expect(grade({ peopleInvolved: 29 })).toEqual({ grade: 'yellow', reasons: ['people>=5'] });
    expect(grade({ amountCny: 1_000_000 })).toEqual({ grade: 'red', reasons: ['amount>=1000000'] });
    expect(grade({ amountCny: 999_999.99 })).toEqual({ grade: 'yellow', reasons: ['amount>=100000'] });
    expect(grade({ peopleInvolved: 40, amountCny: 2_000_000 })).toEqual({ grade: 'red', reasons: ['people>=30', 'amount>=1000000'] });
  });

  it('[RISK2] an emergency in a safety category is red (safety emergency)', () => {
    expect(grade({ urgency: 'emergency', category: 'fire_safety' })).toEqual({ grade: 'red', reasons: ['safety_emergency'] });
    expect(grade({ urgency: 'emergency', category: 'water' }).grade).toBe('red');
    expect(grade({ urgency: 'urgent', category: 'fire_safety' })).toEqual({ grade: 'yellow', reasons: ['urgent'] });
  });

  it('[RISK3] yellow at ≥ 5 people, ≥ ¥100,000, urgent, or an emergency outside the safety categories', () => {
    expect(grade({ peopleInvolved: 5 })).toEqual({ grade: 'yellow', reasons: ['people>=5'] });
    expect(grade({ peopleInvolved: 4 })).toEqual({ grade: 'green', reasons: [] });
    expect(grade({ amountCny: 100_000 })).toEqual({ grade: 'yellow', reasons: ['amount>=100000'] });
    expect(grade({ amountCny: 99_999 })).toEqual({ grade: 'green', reasons: [] });
    expect(grade({ urgency: 'urgent' })).toEqual({ grade: 'yellow', reasons: ['urgent'] });
    expect(grade({ urgency: 'emergency', category: 'education' })).toEqual({ grade: 'yellow', reasons: ['emergency'] });
  });

  it('[RISK4] sensitive categories (wage arrears, disputes) are never green', () => {
    expect(grade({ category: 'labour_wages' })).toEqual({ grade: 'yellow', reasons: ['sensitive_category'] });
    expect(grade({ category: 'disputes' })).toEqual({ grade: 'yellow', reasons: ['sensitive_category'] });
    expect(grade({ category: 'labour_wages', peopleInvolved: 30 })).toEqual({ grade: 'red', reasons: ['people>=30', 'sensitive_category'] });
  });

  it('[RISK5] repeat complaints at the threshold raise one level: green → yellow, yellow → red', () => {
    expect(DEFAULT_RISK.repeatThreshold).toBe(2);
    expect(grade({ repeatCount: 1 })).toEqual({ grade: 'green', reasons: [] });
    expect(grade({ repeatCount: 2 })).toEqual({ grade: 'yellow', reasons: ['repeat'] });
    expect(grade({ repeatCount: 2, peopleInvolved: 6 })).toEqual({ grade: 'red', reasons: ['people>=5', 'repeat'] });
    expect(grade({ repeatCount: 5, amountCny: 5_000_000 })).toEqual({ grade: 'red', reasons: ['amount>=1000000', 'repeat'] });
  });

  it('[RISK5] a sensitive case that keeps coming back reaches red', () => {
    expect(grade({ category: 'labour_wages', repeatCount: 3 })).toEqual({ grade: 'red', reasons: ['sensitive_category', 'repeat'] });
  });

  it('[RISK1] thresholds and category lists come from the configuration', () => {
    const cfg = { ...DEFAULT_RISK, red: { people: 10, amountCny: 50_000 }, yellow: { people: 2, amountCny: 1_000 }, safetyCategories: ['education'] };
    expect(gradeRisk({ ...quiet, peopleInvolved: 10 }, cfg)).toEqual({ grade: 'red', reasons: ['people>=10'] });
    expect(gradeRisk({ ...quiet, amountCny: 1_000 }, cfg)).toEqual({ grade: 'yellow', reasons: ['amount>=1000'] });
    expect(gradeRisk({ ...quiet, urgency: 'emergency', category: 'education' }, cfg).grade).toBe('red');
    expect(gradeRisk({ ...quiet, urgency: 'emergency', category: 'fire_safety' }, cfg).grade).toBe('yellow');
  });
});
