import { describe, expect, it } from 'vitest';
import { executionRate, OrderRequest, rankAtLeast, summonsState, type Summons } from './community-order.js';

const T0 = new Date('2026-12-02T02:00:00Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const summons = (extra: Partial<Summons> = {}): Summons => ({ department: 'police', arriveBy: at(30), rank: 'section', arrival: null, ...extra });

describe('community orders (社区发令、部门执行)', () => {
  it('[ORD1] a summons is on time when the department arrives by its deadline with the rank asked or higher', () => {
    expect(summonsState(summons(), at(10))).toBe('pending');
    expect(summonsState(summons(), at(31))).toBe('late');
    expect(summonsState(summons({ arrival: { at: at(25), rank: 'section' } }), at(60))).toBe('on_time');
    expect(summonsState(summons({ arrival: { at: at(25), rank: 'head' } }), at(60))).toBe('on_time');
    expect(summonsState(summons({ arrival: { at: at(25), rank: 'staff' } }), at(60))).toBe('not_on_time');
    expect(summonsState(summons({ arrival: { at: at(45), rank: 'head' } }), at(60))).toBe('not_on_time');
    expect(rankAtLeast('deputy', 'section')).toBe(true);
    expect(rankAtLeast('staff', 'head')).toBe(false);
  });

  it('[ORD2] the execution rate is on-time summonses over those due; pending ones wait; none due is null', () => {
    const list = [
      summons({ arrival: { at: at(20), rank: 'head' } }),
      summons({ department: 'labour', arrival: { at: at(40), rank: 'head' } }),
      summons({ department: 'street_office' }), // late by now
      summons({ department: 'housing', arriveBy: at(120) }), // still pending
    ];
    expect(executionRate(list, at(60))).toEqual({ onTime: 1, due: 3, rate: 1 / 3 });
    expect(executionRate([summons()], at(10))).toEqual({ onTime: 0, due: 0, rate: null });
  });

  it('[ORD3] an order names a community, a dispute and each department once, with a deadline and a rank; bad ones say what is wrong', () => {
    const good = { communityCode: '440311001002', title: '美食节停办商户纠纷', summons: [{ department: 'police', arriveWithinMinutes: 30, rank: 'head' }] };
    expect(OrderRequest.safeParse(good).success).toBe(true);
    const twice = OrderRequest.safeParse({ ...good, summons: [...good.summons, ...good.summons] });
    expect(twice.success).toBe(false);
    expect(twice.error?.issues[0]?.message).toBe('a department is summoned once per order');
    const rank = OrderRequest.safeParse({ ...good, summons: [{ department: 'police', arriveWithinMinutes: 30, rank: 'mayor' }] });
    expect(rank.error?.issues[0]?.path).toEqual(['summons', 0, 'rank']);
    expect(OrderRequest.safeParse({ ...good, communityCode: '123' }).error?.issues[0]?.message).toBe('must be a 12-digit community code');
  });
});
