/**
 * Spreadsheet cells that would run as formulas are neutralised (RULES REP4): a title or note that
 * begins with = + - @, a tab or a carriage return is written with a leading apostrophe.
 */
import { describe, expect, it } from 'vitest';
import { neutralise } from './export.js';

describe('spreadsheet cells', () => {
  it('[REP4] formula-like text gets an apostrophe; other text and numbers stay as they are', () => {
    for (const hostile of ['=HYPERLINK("http://x","点我")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1']) expect(neutralise(hostile)).toBe(`'${hostile}`);
    expect(neutralise('华夏路占道经营')).toBe('华夏路占道经营');
    expect(neutralise('96.7%')).toBe('96.7%');
    expect(neutralise(-3)).toBe(-3);
    expect(neutralise(null)).toBeNull();
  });
});
