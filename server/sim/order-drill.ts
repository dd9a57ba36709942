/**
 * Demo community orders (社区发令、部门执行): a few a day, seeded per date, issued through the one
 * order write path (OrderWriter) and tagged demo. Communities summon one to three departments with
 * an arrival deadline and a rank; most arrive in time, a few are late (so the order monitor's
 * alert and a rate below 100 % can be seen) or send a lower rank; disputes settle within hours.
 *
 * Plans come from (seed, date, index) alone, and each order carries its plan's externalId, so a
 * restart or a second node re-issues nothing: on start the past weeks are written with their past
 * arrivals (idempotently), then a timer issues today's orders and records arrivals and settlements
 * as their time comes.
 */
import { inArray } from 'drizzle-orm';
import { addCalendarDays, shanghaiDate, shanghaiMidnight } from '../../shared/domain/calendar.js';
import { OFFICIAL_RANKS, type OfficialRank, type OrderRequest } from '../../shared/domain/community-order.js';
import type { Actor } from '../cases/case-writer.js';
import type { DomainConfig } from '../config.js';
import type { Database } from '../db/client.js';
import { communityOrders, orderSummonses } from '../db/schema.js';
import type { OrderWriter } from '../orders/order-writer.js';
import { forKey, type Random } from './random.js';
import { describeDatabaseError } from '../db/unavailable.js';

const ACTOR: Actor = { label: 'simulator', role: 'importer', origin: 'sim' };
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Disputes a community summons departments to, with the departments each needs (first = lead). */
const DISPUTES: readonly { title: string; departments: readonly string[] }[] = [
  { title: '工业园区企业欠薪，数十名工人集体讨薪', departments: ['human_resources', 'public_security', 'street_office'] },
  { title: '工地夜间施工噪音扰民，居民与施工方冲突', departments: ['ecology_env', 'housing', 'urban_management'] },
  { title: '小区物业停车收费调整引发业主聚集', departments: ['housing', 'market_regulation', 'public_security'] },
  { title: '城中村楼上渗漏水邻里纠纷反复', departments: ['housing', 'street_office'] },
  { title: '商铺占道经营与居民通行纠纷', departments: ['urban_management', 'market_regulation'] },
  { title: '老旧小区加装电梯高低层住户意见分歧', departments: ['housing', 'planning', 'street_office'] },
  { title: '租户押金退还纠纷，房东拒不退还', departments: ['housing', 'public_security'] },
  { title: '旧改项目拆迁补偿协商僵持', departments: ['urban_renewal', 'planning', 'street_office'] },
  { title: '河道排污异味，周边居民集体反映', departments: ['water', 'ecology_env'] },
  { title: '校外培训机构停业退费纠纷', departments: ['education', 'market_regulation'] },
];
const RANK_WEIGHTS: readonly [OfficialRank, number][] = [['staff', 20], ['section', 50], ['deputy', 25], ['head', 5]];
const SETTLEMENTS = ['经多部门现场联合调解，双方达成一致', '已依法处置并现场答复群众', '责任方已作出书面承诺并限期整改', '涉事企业已筹款兑付，工人情绪稳定'];

export interface PlannedOrder {
  request: OrderRequest & { externalId: string };
  issuedAt: Date;
  arrivals: { department: string; rank: OfficialRank; at: Date }[];
  resolved: { at: Date; note: string };
}

/** The orders of one civil date (Asia/Shanghai): about four on a working day, fewer at weekends. */
export function planOrders(seed: number, date: string, config: DomainConfig): PlannedOrder[] {
  const rng = forKey(seed, `orders#${date}`);
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  const count = rng.poisson(weekday === 0 || weekday === 6 ? 1.5 : 4);
  const midnight = shanghaiMidnight(date).getTime();
  const plans: PlannedOrder[] = [];
  for (let i = 0; i < count; i++) plans.push(planOrder(forKey(seed, `order#${date}#${i}`), `SIM-ORD-${date}-${i}`, midnight, config));
  return plans.sort((a, b) => a.issuedAt.getTime() - b.issuedAt.getTime());
}

function planOrder(rng: Random, externalId: string, midnight: number, config: DomainConfig): PlannedOrder {
  const community = rng.pick(config.jurisdiction.communities);
  const dispute = rng.pick(DISPUTES);
  const known = dispute.departments.filter((d) => config.taxonomy.department(d));
  const departments = (known.length > 0 ? known : config.taxonomy.departments.map((d) => d.code)).slice(0, rng.int(1, Math.min(3, Math.max(1, known.length))));
  const issuedAt = new Date(midnight + rng.uniform(8.5, 21) * HOUR);
  const summons = departments.map((department) => ({ department, arriveWithinMinutes: rng.pick([30, 60, 60, 120]), rank: rng.weighted(RANK_WEIGHTS) }));
  const arrivals = summons.map((s) => {
    const window = s.arriveWithinMinutes * MINUTE;
    const outcome = rng.weighted<'on_time' | 'late' | 'lower_rank'>([['on_time', 95], ['late', 3], ['lower_rank', 2]]);
    const at = new Date(issuedAt.getTime() + window * (outcome === 'late' ? rng.uniform(1.1, 1.8) : rng.uniform(0.3, 0.92)));
    const lower = OFFICIAL_RANKS[Math.max(0, OFFICIAL_RANKS.indexOf(s.rank) - 1)]!;
    return { department: s.department, rank: outcome === 'lower_rank' && lower !== s.rank ? lower : s.rank, at };
  });
  const lastArrival = Math.max(...arrivals.map((a) => a.at.getTime()));
  return {
    request: { externalId, communityCode: community.code, title: dispute.title, summons, resolveWithinHours: 48 },
    issuedAt,
    arrivals,
    resolved: { at: new Date(lastArrival + rng.logNormal(5, 0.8) * HOUR), note: rng.pick(SETTLEMENTS) },
  };
}

export interface OrderDrill {
  stop(): Promise<void>;
  /** One pass: issue what is due, record arrivals and settlements whose time has come. */
  runOnce(): Promise<void>;
}

export function startOrderDrill(deps: {
  db: Database;
  orders: OrderWriter;
  config: DomainConfig;
  seed: number;
  /** Days of history before today (default 56, as the case simulator). */
  backfillDays?: number;
  now?: () => Date;
  tickMs?: number;
  log?: (line: string) => void;
}): OrderDrill {
  const now = deps.now ?? (() => new Date());
  let firstPass = true;
  let running: Promise<void> | null = null;

  /** Writes the plans of `dates` that are due by `at`: new orders with their past, then what came due since. */
  async function pass(): Promise<void> {
    const at = now();
    const today = shanghaiDate(at);
    const from = firstPass ? addCalendarDays(today, -(deps.backfillDays ?? 56)) : addCalendarDays(today, -2);
    const plans: PlannedOrder[] = [];
    for (let d = from; d <= today; d = addCalendarDays(d, 1)) plans.push(...planOrders(deps.seed, d, deps.config).filter((p) => p.issuedAt <= at));
    if (plans.length === 0) return;
    const rows = await deps.db.select().from(communityOrders).where(inArray(communityOrders.externalId, plans.map((p) => p.request.externalId)));
    const byExternal = new Map(rows.map((r) => [r.externalId!, r]));
    const summonses = rows.length > 0 ? await deps.db.select().from(orderSummonses).where(inArray(orderSummonses.orderId, rows.map((r) => r.id))) : [];
    let issued = 0;
    for (const plan of plans) {
      const row = byExternal.get(plan.request.externalId);
      if (!row) {
        const past = { at: plan.issuedAt, arrivals: plan.arrivals.filter((a) => a.at <= at), resolved: plan.resolved.at <= at ? plan.resolved : undefined };
        const answer = await deps.orders.issue(plan.request, ACTOR, { demo: true, past });
        if (answer.status === 201) issued++;
        else if ('error' in answer) deps.log?.(`order drill: ${plan.request.externalId} refused: ${answer.error}`);
        continue;
      }
      for (const arrival of plan.arrivals) {
        const summons = summonses.find((s) => s.orderId === row.id && s.department === arrival.department);
        if (summons && !summons.arrivedAt && arrival.at <= at) await deps.orders.arrive(row.id, { department: arrival.department, rank: arrival.rank }, ACTOR);
      }
      if (!row.resolvedAt && plan.resolved.at <= at) await deps.orders.resolve(row.id, { note: plan.resolved.note }, ACTOR);
    }
    if (firstPass && issued > 0) deps.log?.(`order drill: ${issued} community orders written since ${from}`);
    firstPass = false;
  }

  const runOnce = () => (running ??= pass().finally(() => (running = null)));
  const timer = setInterval(() => {
    runOnce().catch((error: unknown) => deps.log?.(`order drill: ${describeDatabaseError(error)}`));
  }, deps.tickMs ?? 15_000);
  timer.unref();
  void runOnce().catch((error: unknown) => deps.log?.(`order drill: ${describeDatabaseError(error)}`));
  return {
    runOnce,
    async stop() {
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
