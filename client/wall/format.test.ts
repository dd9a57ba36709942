/** How the wall writes figures (the tiles' text is what the browser tests compare with the API). */
import { expect, it } from 'vitest';
import { formatFigure } from './format.js';
import { msUntilShanghaiTime } from './nightly-reload.js';

it('counts get separators, rates one decimal (a whole 100% without), none is a dash', () => {
  expect(formatFigure(12345)).toBe('12,345');
  expect(formatFigure(0.9985, 'rate')).toBe('99.9%');
  expect(formatFigure(1, 'rate')).toBe('100%');
  expect(formatFigure(0, 'rate')).toBe('0.0%');
  expect(formatFigure(null, 'rate')).toBe('—');
});

it('the nightly reload waits until the next hh:mm in Shanghai', () => {
  const now = Date.UTC(2026, 11, 1, 22, 0, 0); // 06:00 on 2 December in Shanghai
  expect(msUntilShanghaiTime('06:30', now)).toBe(30 * 60_000);
  expect(msUntilShanghaiTime('03:30', now)).toBe((21 * 60 + 30) * 60_000);
  expect(msUntilShanghaiTime('06:00', now)).toBe(24 * 3_600_000);
  expect(msUntilShanghaiTime('25:00', now)).toBeNull();
});
