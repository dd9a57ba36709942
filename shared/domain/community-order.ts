/**
 * Community orders (社区发令、部门执行; issue 6, RULES ORD1–ORD3): a community summons departments to
 * a dispute, naming by when each must arrive and the rank of the official who comes ("明确…报到的
 * 时限、到场领导级别和化解时间"). Each summons is executed on time when the department arrived by
 * its deadline with at least that rank; the execution rate is on-time summonses ÷ summonses due
 * (arrived, or past their deadline). Pure: the server records orders and arrivals as events and
 * this module judges them.
 */
import { z } from 'zod';

/** The ranks of the official who comes, lowest first (工作人员, 科级, 副职领导, 主要负责人). */
export const OFFICIAL_RANKS = ['staff', 'section', 'deputy', 'head'] as const;
export type OfficialRank = (typeof OFFICIAL_RANKS)[number];

export const RANK_NAMES: Record<OfficialRank, string> = { staff: '工作人员', section: '科级干部', deputy: '分管领导', head: '主要负责人' };

/** POST /api/orders: the community, the dispute, and who must come, by when, at what rank. */
export const OrderRequest = z
  .object({
    /** The issuing system's own id: the same id with the same body is the same order (a retry). */
    externalId: z.string().trim().min(1).max(128).optional(),
    communityCode: z.string().regex(/^\d{12}$/, 'must be a 12-digit community code'),
    /** The case the dispute is, if it has one. */
    caseId: z.string().min(1).max(64).optional(),
    title: z.string().min(1).max(200),
    summons: z
      .array(
        z
          .object({
            department: z.string().min(1).max(64),
            arriveWithinMinutes: z.number().int().min(5).max(7 * 24 * 60),
            rank: z.enum(OFFICIAL_RANKS),
          })
          .strict(),
      )
      .min(1)
      .max(20)
      .refine((list) => new Set(list.map((s) => s.department)).size === list.length, 'a department is summoned once per order'),
    /** By when the dispute should be settled (化解时间), in hours. */
    resolveWithinHours: z.number().int().min(1).max(30 * 24).optional(),
  })
  .strict();
export type OrderRequest = z.infer<typeof OrderRequest>;

/** One department summoned by one order, and its arrival if it came. */
export interface Summons {
  department: string;
  arriveBy: Date;
  rank: OfficialRank;
  arrival: { at: Date; rank: OfficialRank } | null;
}

export type SummonsState =
  /** Not arrived, deadline still ahead. */
  | 'pending'
  /** Arrived by the deadline with the rank asked for or higher. */
  | 'on_time'
  /** Not arrived and the deadline has passed: an alert. */
  | 'late'
  /** Arrived, but after the deadline or with a lower rank than asked. */
  | 'not_on_time';

export function rankAtLeast(rank: OfficialRank, required: OfficialRank): boolean {
  return OFFICIAL_RANKS.indexOf(rank) >= OFFICIAL_RANKS.indexOf(required);
}

export function summonsState(s: Summons, now: Date): SummonsState {
  if (s.arrival) return s.arrival.at.getTime() <= s.arriveBy.getTime() && rankAtLeast(s.arrival.rank, s.rank) ? 'on_time' : 'not_on_time';
  return now.getTime() > s.arriveBy.getTime() ? 'late' : 'pending';
}

/**
 * On-time summonses ÷ summonses due (arrived, or past their deadline); pending ones are not yet
 * judged. Null with none due (shown as "—").
 */
export function executionRate(summonses: readonly Summons[], now: Date): { onTime: number; due: number; rate: number | null } {
  let onTime = 0;
  let due = 0;
  for (const s of summonses) {
    const state = summonsState(s, now);
    if (state === 'pending') continue;
    due += 1;
    if (state === 'on_time') onTime += 1;
  }
  return { onTime, due, rate: due > 0 ? onTime / due : null };
}

/** POST /api/orders/{id}/arrivals: a summoned department's official is on the spot (报到), now. */
export const ArrivalRequest = z
  .object({
    department: z.string().min(1).max(64),
    rank: z.enum(OFFICIAL_RANKS),
    note: z.string().max(2000).optional(),
  })
  .strict();
export type ArrivalRequest = z.infer<typeof ArrivalRequest>;

/** POST /api/orders/{id}/resolve: the dispute is settled (化解). */
export const OrderResolution = z.object({ note: z.string().trim().min(1, 'say how it was settled').max(2000) }).strict();
export type OrderResolution = z.infer<typeof OrderResolution>;

/** The alert key (and subject) of a summons not arrived by its deadline: raised once. */
export function lateSummonsKey(orderId: string, department: string): string {
  return `order_late|${orderId}|${department}`;
}
