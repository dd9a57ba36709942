/**
 * Demo community orders (RULES SIM11): seeded plans that fit the district, mostly executed on
 * time, written once however often the drill runs.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { addCalendarDays } from '../../shared/domain/calendar.js';
import { DEFAULT_DOMAIN } from '../config.js';
import { queryRows } from '../db/client.js';
import { OrderWriter } from '../orders/order-writer.js';
import { describeEachDatabase } from '../testing/databases.js';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import { planOrders, startOrderDrill } from './order-drill.js';

const DATES = Array.from({ length: 28 }, (_, i) => addCalendarDays('2026-11-02', i));

it('[SIM11] order plans are seeded, fit the district and are mostly executed on time', () => {
  expect(planOrders(1, '2026-11-23', DEFAULT_DOMAIN)).toEqual(planOrders(1, '2026-11-23', DEFAULT_DOMAIN));
  const plans = DATES.flatMap((d) => planOrders(1, d, DEFAULT_DOMAIN));
  expect(plans.length).toBeGreaterThan(60);
  expect(plans.length).toBeLessThan(130);
  let onTime = 0;
  let summonses = 0;
  for (const p of plans) {
    expect(DEFAULT_DOMAIN.jurisdiction.community(p.request.communityCode)).toBeDefined();
    for (const [i, s] of p.request.summons.entries()) {
      expect(DEFAULT_DOMAIN.taxonomy.department(s.department)).toBeDefined();
      const arrival = p.arrivals[i]!;
      expect(arrival.department).toBe(s.department);
      summonses++;
      if (arrival.at.getTime() <= p.issuedAt.getTime() + s.arriveWithinMinutes * 60_000 && arrival.rank === s.rank) onTime++;
    }
    expect(p.resolved.at.getTime()).toBeGreaterThan(Math.max(...p.arrivals.map((a) => a.at.getTime())));
  }
  expect(onTime / summonses).toBeGreaterThan(0.88);
  expect(onTime / summonses).toBeLessThan(1);
});

describeEachDatabase('order drill', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('[SIM11] the drill writes the past weeks once, with their arrivals, tagged demo', async () => {
    const orders = new OrderWriter({ db: t.database.db, config: DEFAULT_DOMAIN });
    const count = async () => (await queryRows<{ n: number; arrived: number; demo: number }>(t.database.db, sql`
      SELECT (SELECT count(*) FROM community_orders)::int AS n,
             (SELECT count(*) FROM order_summonses WHERE arrived_at IS NOT NULL)::int AS arrived,
             (SELECT count(*) FROM community_orders WHERE demo)::int AS demo`))[0]!;
    const run = async () => {
      const drill = startOrderDrill({ db: t.database.db, orders, config: DEFAULT_DOMAIN, seed: 3, backfillDays: 14, tickMs: 3_600_000 });
      await drill.runOnce();
      await drill.stop();
    };
    await run();
    const first = await count();
    expect(first.n).toBeGreaterThan(20);
    expect(first.demo).toBe(first.n);
    expect(first.arrived).toBeGreaterThan(first.n);
    await run();
    expect((await count()).n).toBe(first.n);
  });
});
