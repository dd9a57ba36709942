/**
 * Community orders in the log (社区发令、部门执行; RULES ORD4–ORD7): issuing an order, a summoned
 * department's arrival (报到), the settlement (化解), and the `order_late` alert for a summons not
 * answered in time. Each write is one transaction that takes the log lock first, as the
 * CaseWriter does, so order events interleave with case events in one seq order; the two order
 * tables are the projection of those events, written in the same transaction.
 */
import { createHash } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import {
  lateSummonsKey,
  rankAtLeast,
  RANK_NAMES,
  summonsState,
  type ArrivalRequest,
  type OfficialRank,
  type OrderRequest,
  type OrderResolution,
} from '../../shared/domain/community-order.js';
import type { OrderView } from '../../shared/protocol/payloads.js';
import type { Actor, AlertRow } from '../cases/case-writer.js';
import { shanghaiIso } from '../../shared/domain/calendar.js';
import { maskFreeText } from '../../shared/domain/masking.js';
import { canonicalJson, FUTURE_SKEW_MS, type FieldIssue } from '../cases/new-case.js';
import type { DomainConfig } from '../config.js';
import { queryRows, type Database } from '../db/client.js';
import { lockLogHead, type Tx } from '../db/log-lock.js';
import { alerts, caseEvents, cases, communityOrders, logHead, orderSummonses } from '../db/schema.js';

export type OrderRow = typeof communityOrders.$inferSelect;
export type SummonsRow = typeof orderSummonses.$inferSelect;
export interface OrderRecord {
  order: OrderRow;
  summonses: SummonsRow[];
}

export type OrderAnswer =
  | { status: 200 | 201; record: OrderRecord }
  | { status: 400 | 404 | 409; error: string; issues: FieldIssue[] };

/** What the simulator may add when it writes an order whose time has passed (never the HTTP API). */
export interface PastOrder {
  at: Date;
  arrivals?: { department: string; rank: OfficialRank; at: Date }[];
  resolved?: { at: Date; note: string };
}

type EventRow = typeof caseEvents.$inferInsert;

const MINUTE = 60_000;
const HOUR = 3_600_000;

function failure(status: 400 | 404 | 409, path: string, message: string): OrderAnswer {
  return { status, error: `${path}: ${message}`, issues: [{ path, message }] };
}

export class OrderWriter {
  constructor(private readonly deps: { db: Database; config: DomainConfig; onCommit?: () => void }) {}

  /**
   * Issues an order: the community summons each department with its arrival deadline and rank.
   * The same `externalId` with the same order answers the existing one (200); with another, 409.
   */
  async issue(request: OrderRequest, actor: Actor, options: { demo?: boolean; past?: PastOrder } = {}): Promise<OrderAnswer> {
    const { config } = this.deps;
    const community = config.jurisdiction.community(request.communityCode);
    if (!community) return failure(400, 'communityCode', `no community ${request.communityCode} in ${config.jurisdiction.district.name}`);
    for (const [i, s] of request.summons.entries()) {
      if (!config.taxonomy.department(s.department)) return failure(400, `summons.${i}.department`, `unknown department "${s.department}"`);
    }
    const requestHash = createHash('sha256').update(canonicalJson(request)).digest('hex');
    return this.write(async (tx, clock) => {
      if (request.externalId) {
        const [existing] = await tx.select().from(communityOrders).where(eq(communityOrders.externalId, request.externalId));
        if (existing) {
          if (existing.requestHash !== requestHash) {
            return failure(409, 'externalId', `order ${existing.id} already has externalId ${request.externalId} with a different body`);
          }
          return { status: 200, record: await readOrder(tx, existing.id) };
        }
      }
      if (request.caseId) {
        const [found] = await tx.select({ id: cases.id }).from(cases).where(eq(cases.id, request.caseId));
        if (!found) return failure(400, 'caseId', `no case ${request.caseId}`);
      }
      const issuedAt = options.past?.at ?? clock.now;
      if (issuedAt.getTime() > clock.now.getTime() + FUTURE_SKEW_MS) return failure(400, 'at', 'is in the future');
      const seq = clock.next();
      const id = `ORD${seq}`;
      const anchor = request.caseId ?? id;
      const order: OrderRow = {
        id,
        externalId: request.externalId ?? null,
        requestHash,
        communityCode: community.code,
        streetCode: community.streetCode,
        caseId: request.caseId ?? null,
        title: request.title,
        issuedAt,
        issuedBy: actor.label,
        resolveBy: request.resolveWithinHours ? new Date(issuedAt.getTime() + request.resolveWithinHours * HOUR) : null,
        resolvedAt: null,
        resolution: null,
        demo: options.demo ?? false,
        seq,
      };
      const summonses: SummonsRow[] = request.summons.map((s) => ({
        orderId: id,
        department: s.department,
        rank: s.rank,
        arriveBy: new Date(issuedAt.getTime() + s.arriveWithinMinutes * MINUTE),
        arrivedAt: null,
        arrivedRank: null,
        arrivedRecordedBy: null,
        onTime: null,
      }));
      const { requestHash: _hash, ...issued } = order;
      clock.events.push(event(seq, anchor, 'order.issued', issuedAt, actor, null, { ...issued, summonses: summonses.map(({ department, rank, arriveBy }) => ({ department, rank, arriveBy })) }));
      for (const arrival of options.past?.arrivals ?? []) {
        const summons = summonses.find((s) => s.department === arrival.department);
        if (!summons || arrival.at < issuedAt) throw new Error(`simulated arrival of ${arrival.department} does not fit order ${id}`);
        arrive(summons, arrival.rank, arrival.at, actor.label);
        clock.events.push(event(clock.next(), anchor, 'order.arrived', arrival.at, actor, null, arrivalData(order, summons)));
      }
      if (options.past?.resolved) {
        order.resolvedAt = options.past.resolved.at;
        order.resolution = options.past.resolved.note;
        clock.events.push(event(clock.next(), anchor, 'order.resolved', order.resolvedAt, actor, order.resolution, { orderId: id }));
      }
      await tx.insert(communityOrders).values(order);
      await tx.insert(orderSummonses).values(summonses);
      return { status: 201, record: { order, summonses } };
    });
  }

  /** Records that a summoned department's official is on the spot, now (报到). */
  async arrive(orderId: string, request: ArrivalRequest, actor: Actor): Promise<OrderAnswer> {
    return this.write(async (tx, clock) => {
      const record = await findOrder(tx, orderId);
      if (!record) return failure(404, 'id', `no order ${orderId}`);
      const summons = record.summonses.find((s) => s.department === request.department);
      if (!summons) return failure(400, 'department', `order ${orderId} did not summon ${request.department}`);
      if (summons.arrivedAt) return failure(409, 'department', `${request.department} already arrived at ${summons.arrivedAt.toISOString()}`);
      arrive(summons, request.rank, clock.now, actor.label);
      const anchor = record.order.caseId ?? orderId;
      clock.events.push(event(clock.next(), anchor, 'order.arrived', clock.now, actor, request.note ?? null, arrivalData(record.order, summons)));
      await tx
        .update(orderSummonses)
        .set({ arrivedAt: summons.arrivedAt, arrivedRank: summons.arrivedRank, arrivedRecordedBy: summons.arrivedRecordedBy, onTime: summons.onTime })
        .where(and(eq(orderSummonses.orderId, orderId), eq(orderSummonses.department, request.department)));
      return { status: 200, record };
    });
  }

  /** Records that the dispute is settled (化解). */
  async resolve(orderId: string, request: OrderResolution, actor: Actor): Promise<OrderAnswer> {
    return this.write(async (tx, clock) => {
      const record = await findOrder(tx, orderId);
      if (!record) return failure(404, 'id', `no order ${orderId}`);
      if (record.order.resolvedAt) return failure(409, 'id', `order ${orderId} was already settled at ${record.order.resolvedAt.toISOString()}`);
      record.order.resolvedAt = clock.now;
      record.order.resolution = request.note;
      clock.events.push(event(clock.next(), record.order.caseId ?? orderId, 'order.resolved', clock.now, actor, request.note, { orderId }));
      await tx.update(communityOrders).set({ resolvedAt: clock.now, resolution: request.note }).where(eq(communityOrders.id, orderId));
      return { status: 200, record };
    });
  }

  /**
   * Raises an `order_late` alert for every summons past its deadline without an arrival, once
   * (its key). A cheap look without the log lock first, so an idle district costs no lock.
   */
  async raiseLate(actor: Actor): Promise<AlertRow[]> {
    const [due] = await queryRows<{ any: boolean }>(this.deps.db, sql`SELECT EXISTS (${lateSummonses(1)}) AS any`);
    if (!due?.any) return [];
    const raised = await this.write(async (tx, clock) => {
      const rows = await queryRows<SummonsRow & { communityCode: string; streetCode: string; caseId: string | null }>(tx, lateSummonses(500));
      const out: AlertRow[] = [];
      for (const row of rows) {
        const seq = clock.next();
        const key = lateSummonsKey(row.orderId, row.department);
        const alert: AlertRow = {
          id: `AL${seq}`,
          key,
          kind: 'order_late',
          severity: 'critical',
          caseId: row.caseId ?? row.orderId,
          stage: null,
          deadline: new Date(row.arriveBy),
          raisedAt: clock.now,
          seq,
          text: this.lateText(row),
          ackedAt: null,
          ackedBy: null,
          subject: key,
          caseIds: row.caseId ? [row.caseId] : [],
          caseCount: row.caseId ? 1 : 0,
          street: row.streetCode,
          updatedAt: null,
        };
        out.push(alert);
        clock.events.push(event(seq, alert.caseId, 'alert.raised', clock.now, actor, null, alert));
      }
      if (out.length > 0) await tx.insert(alerts).values(out);
      return out;
    });
    return raised;
  }

  /**
   * "光明社区发令：城管局 未在 14:30 前报到（要求科级干部）· CO…": codes and names only, never the
   * order's title, which may name the parties to a dispute and their homes.
   */
  private lateText(row: { orderId: string; communityCode: string; department: string; arriveBy: Date | string; rank: string }): string {
    const { config } = this.deps;
    const community = config.jurisdiction.community(row.communityCode)?.name ?? row.communityCode;
    const department = config.taxonomy.department(row.department)?.name ?? row.department;
    const rank = RANK_NAMES[row.rank as OfficialRank] ?? row.rank;
    return `${community}发令：${department} 未在 ${shanghaiIso(new Date(row.arriveBy)).slice(11, 16)} 前报到（要求${rank}）· ${row.orderId}`;
  }

  /** One transaction under the log lock: the work appends events; they and the new head are written last. */
  private async write<T>(work: (tx: Tx, clock: WriteClock) => Promise<T>): Promise<T> {
    const answer = await this.deps.db.transaction(async (tx) => {
      const head = await lockLogHead(tx);
      const clock = new WriteClock(head.seq, head.now);
      const result = await work(tx, clock);
      if (clock.events.length > 0) {
        await tx.insert(caseEvents).values(clock.events.map((e) => ({ ...e, recordedAt: clock.now })));
        await tx.update(logHead).set({ seq: clock.seq }).where(eq(logHead.id, 1));
      }
      return { result, wrote: clock.events.length > 0 };
    });
    if (answer.wrote) this.deps.onCommit?.();
    return answer.result;
  }
}

/** The transaction's clock (the database's `now()`) and the seqs it hands out. */
class WriteClock {
  readonly events: EventRow[] = [];
  constructor(
    public seq: number,
    readonly now: Date,
  ) {}

  next(): number {
    this.seq += 1;
    return this.seq;
  }
}

function event(seq: number, caseId: string, type: string, at: Date, actor: Actor, note: string | null, data: object): EventRow {
  return { seq, caseId, type, action: null, at, actor: actor.label, origin: actor.origin, note, data: data as Record<string, unknown> };
}

function arrive(summons: SummonsRow, rank: OfficialRank, at: Date, by: string): void {
  summons.arrivedAt = at;
  summons.arrivedRank = rank;
  summons.arrivedRecordedBy = by;
  summons.onTime = at.getTime() <= summons.arriveBy.getTime() && rankAtLeast(rank, summons.rank as OfficialRank);
}

function arrivalData(order: OrderRow, summons: SummonsRow): Record<string, unknown> {
  return { orderId: order.id, department: summons.department, rank: summons.arrivedRank, onTime: summons.onTime, arriveBy: summons.arriveBy };
}

/** Summonses past their deadline, not arrived, without their alert yet. */
function lateSummonses(limit: number) {
  return sql`SELECT s.order_id AS "orderId", s.department, s.rank, s.arrive_by AS "arriveBy",
      o.community_code AS "communityCode", o.street_code AS "streetCode", o.case_id AS "caseId"
    FROM order_summonses s JOIN community_orders o ON o.id = s.order_id
    WHERE s.arrived_at IS NULL AND s.arrive_by < now()
      AND NOT EXISTS (SELECT 1 FROM alerts a WHERE a.key = 'order_late|' || s.order_id || '|' || s.department)
    ORDER BY s.arrive_by LIMIT ${limit}`;
}

export async function findOrder(tx: Tx | Database, id: string): Promise<OrderRecord | null> {
  const [order] = await tx.select().from(communityOrders).where(eq(communityOrders.id, id));
  if (!order) return null;
  const summonses = await tx.select().from(orderSummonses).where(eq(orderSummonses.orderId, id)).orderBy(orderSummonses.arriveBy, orderSummonses.department);
  return { order, summonses };
}

async function readOrder(tx: Tx | Database, id: string): Promise<OrderRecord> {
  const record = await findOrder(tx, id);
  if (!record) throw new Error(`order ${id} vanished`);
  return record;
}

/**
 * An order as the API shows it; summons states are judged at `now` (ORD1). Its free texts (the
 * dispute, how it was settled) are masked for readers without personal-data rights, as a case's are.
 */
export function toOrderView(record: OrderRecord, config: DomainConfig, now: Date, options: { masked: boolean }): OrderView {
  const { order } = record;
  const text = (value: string) => (options.masked ? maskFreeText(value) : value);
  return {
    id: order.id,
    externalId: order.externalId,
    communityCode: order.communityCode,
    communityName: config.jurisdiction.community(order.communityCode)?.name ?? order.communityCode,
    streetCode: order.streetCode,
    caseId: order.caseId,
    title: text(order.title),
    issuedAt: order.issuedAt.toISOString(),
    issuedBy: order.issuedBy,
    resolveBy: order.resolveBy?.toISOString() ?? null,
    resolvedAt: order.resolvedAt?.toISOString() ?? null,
    resolution: order.resolution === null ? null : text(order.resolution),
    demo: order.demo,
    summonses: record.summonses.map((s) => ({
      department: s.department,
      departmentName: config.taxonomy.department(s.department)?.name ?? s.department,
      rank: s.rank,
      arriveBy: s.arriveBy.toISOString(),
      arrivedAt: s.arrivedAt?.toISOString() ?? null,
      arrivedRank: s.arrivedRank,
      state: summonsState(
        { department: s.department, arriveBy: s.arriveBy, rank: s.rank as OfficialRank, arrival: s.arrivedAt ? { at: s.arrivedAt, rank: s.arrivedRank as OfficialRank } : null },
        now,
      ),
    })),
  };
}
