/**
 * Poison input found before it is written (RULES FLT5): NUL and control characters, lone
 * surrogates, nesting and sprawl past the limits, each named by its path; ordinary text
 * (Chinese, emoji, new lines, tabs) passes.
 */
import { describe, expect, it } from 'vitest';
import { findPoison, textProblem } from './poison.js';

const nested = (depth: number) => {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
};

describe('poison input', () => {
  it('[FLT5] ordinary text passes: Chinese, emoji (surrogate pairs), new lines and tabs', () => {
    expect(textProblem('住华夏路12号\t3栋402\r\n邻居每晚装修 😡')).toBeNull();
    expect(findPoison({ title: '噪音扰民', extras: { a: [1, 2, { b: '😀' }], c: null, d: true } })).toBeNull();
  });

  it('[FLT5] NUL, other control characters and lone surrogates are named with their path', () => {
    expect(findPoison({ title: 'a\u0000b' })).toEqual({ path: 'title', message: expect.stringContaining('NUL (U+0000) at character 2') });
    expect(findPoison({ reporter: { name: 'x\u001by' } })).toMatchObject({ path: 'reporter.name', message: expect.stringContaining('U+001B') });
    expect(findPoison({ description: 'bad \ud800 high' })).toMatchObject({ path: 'description', message: expect.stringContaining('lone UTF-16 surrogate') });
    expect(findPoison({ description: 'bad \udc00 low' })).toMatchObject({ path: 'description' });
    expect(findPoison({ extras: { list: ['ok', 'no\u0000'] } })).toMatchObject({ path: 'extras.list.1' });
    expect(findPoison({ extras: { 'k\u0000': 1 } })).toMatchObject({ path: 'extras', message: expect.stringContaining('a key holds NUL') });
    expect(findPoison({ cases: [] }, undefined, 'cases.3')).toBeNull();
    expect(findPoison('x\u0000', undefined, 'cases.3')).toMatchObject({ path: 'cases.3' });
  });

  it('[FLT5] nesting past 16 levels and more than 20,000 values are refused, without recursion', () => {
    expect(findPoison(nested(15))).toBeNull();
    expect(findPoison({ extras: nested(5_000) })).toMatchObject({ message: 'nested deeper than 16 levels' });
    expect(findPoison(nested(1_000_000))).toMatchObject({ message: 'nested deeper than 16 levels' });
    expect(findPoison({ extras: { list: Array(20_001).fill(1) } })).toMatchObject({ message: 'more than 20000 values in all' });
  });
});
