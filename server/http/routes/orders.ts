/**
 * /api/orders: community orders (社区发令、部门执行). A community summons departments to a dispute
 * with an arrival deadline and the rank of the official who comes; departments record their
 * arrival (报到) and the community the settlement (化解). Writes go through the OrderWriter, so
 * every step is an event in the log; reads come from the order tables.
 */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { and, desc, inArray, isNull, lt, type SQL } from 'drizzle-orm';
import { ArrivalRequest, OrderRequest, OrderResolution } from '../../../shared/domain/community-order.js';
import { ErrorBody, OrderView } from '../../../shared/protocol/payloads.js';
import type { DomainConfig } from '../../config.js';
import type { Database } from '../../db/client.js';
import { communityOrders, orderSummonses } from '../../db/schema.js';
import { findOrder, toOrderView, type OrderAnswer, type OrderRecord, type OrderWriter } from '../../orders/order-writer.js';
import { actorOf, outOfScope, requirePermission, scopeOf, seesPersonalData, type AppEnv } from '../auth.js';
import { orderInScope, ordersInScope } from '../../auth/scope.js';
import { errorBody } from '../errors.js';
import { json, NewestFirstQuery } from '../respond.js';
import type { Clock } from '../../clock.js';

const errors = {
  400: { content: { 'application/json': { schema: ErrorBody } }, description: 'bad input, naming the field' },
  401: { content: { 'application/json': { schema: ErrorBody } }, description: 'missing or invalid token' },
  403: { content: { 'application/json': { schema: ErrorBody } }, description: 'the token’s role may not do this' },
  404: { content: { 'application/json': { schema: ErrorBody } }, description: 'no such order' },
  409: { content: { 'application/json': { schema: ErrorBody } }, description: 'conflict, with the reason' },
} as const;
const orderAnswer = (description: string) => ({ content: { 'application/json': { schema: OrderView } }, description });
const OrderId = z.object({ id: z.string().min(1).max(64).openapi({ param: { name: 'id', in: 'path' }, example: 'ORD1042' }) });

const issueRoute = createRoute({
  method: 'post',
  path: '/api/orders',
  summary: 'A community summons departments to a dispute (社区发令)',
  description:
    'Each summoned department must arrive within `arriveWithinMinutes` with an official of `rank` or higher ' +
    '(staff < section < deputy < head). A summons not answered in time raises an `order_late` alert. ' +
    'The same `externalId` with the same body answers the existing order (200); with another body, 409.',
  middleware: [requirePermission('orders:write')] as const,
  request: { body: { content: { 'application/json': { schema: OrderRequest } }, required: true } },
  responses: { 201: orderAnswer('the order issued'), 200: orderAnswer('the order this externalId already issued'), ...errors },
});

const arrivalRoute = createRoute({
  method: 'post',
  path: '/api/orders/{id}/arrivals',
  summary: 'A summoned department’s official is on the spot now (报到)',
  description: 'On time when now is by the deadline and the rank is at least the one asked for (RULES ORD1). Once per department.',
  middleware: [requirePermission('orders:write')] as const,
  request: { params: OrderId, body: { content: { 'application/json': { schema: ArrivalRequest } }, required: true } },
  responses: { 200: orderAnswer('the order with the arrival'), ...errors },
});

const resolveRoute = createRoute({
  method: 'post',
  path: '/api/orders/{id}/resolve',
  summary: 'The dispute is settled (化解)',
  middleware: [requirePermission('orders:write')] as const,
  request: { params: OrderId, body: { content: { 'application/json': { schema: OrderResolution } }, required: true } },
  responses: { 200: orderAnswer('the order, settled'), ...errors },
});

const getRoute = createRoute({
  method: 'get',
  path: '/api/orders/{id}',
  summary: 'An order with its summonses and their states',
  middleware: [requirePermission('orders:read')] as const,
  request: { params: OrderId },
  responses: { 200: orderAnswer('the order'), ...errors },
});

const listRoute = createRoute({
  method: 'get',
  path: '/api/orders',
  summary: 'Orders, newest first; state=open: not yet settled',
  middleware: [requirePermission('orders:read')] as const,
  request: {
    query: NewestFirstQuery,
  },
  responses: { 200: { content: { 'application/json': { schema: z.object({ orders: z.array(OrderView) }) } }, description: 'orders' }, ...errors },
});

export function orderRoutes(deps: { db: Database; config: DomainConfig; orders: OrderWriter; clock: Clock; defaultHook: ConstructorParameters<typeof OpenAPIHono<AppEnv>>[0] }) {
  const app = new OpenAPIHono<AppEnv>(deps.defaultHook);
  const answer = (c: Parameters<typeof json>[0], result: OrderAnswer) => {
    if ('record' in result) return json(c, toOrderView(result.record, deps.config, deps.clock.now(), { masked: !seesPersonalData(c) }), result.status);
    return json(c, errorBody(result.error, result.issues), result.status);
  };
  /** Whether the caller's scope reaches an order: its street, the departments it summons. */
  const reaches = (c: Parameters<typeof scopeOf>[0], record: OrderRecord) =>
    orderInScope(scopeOf(c), { streetCode: record.order.streetCode, departments: record.summonses.map((s) => s.department) });
  /** The order if it exists outside the caller's scope (a missing one is the writer's 404 to give). */
  const outside = async (c: Parameters<typeof scopeOf>[0], id: string) => {
    const record = await findOrder(deps.db, id);
    return record !== null && !reaches(c, record);
  };
  app.openapi(issueRoute, async (c) => {
    const request = c.req.valid('json');
    const streetCode = deps.config.jurisdiction.community(request.communityCode)?.streetCode ?? null;
    if (!orderInScope(scopeOf(c), { streetCode, departments: request.summons.map((s) => s.department) })) return outOfScope(c, `an order of community ${request.communityCode}`) as never;
    return answer(c, await deps.orders.issue(request, actorOf(c))) as never;
  });
  app.openapi(arrivalRoute, async (c) => {
    const { id } = c.req.valid('param');
    const request = c.req.valid('json');
    // A department's token records its own arrival only: the execution rates are the departments' own.
    const departments = scopeOf(c).departments;
    if (departments && !departments.includes(request.department)) return outOfScope(c, `the arrival of ${request.department}`) as never;
    if (await outside(c, id)) return outOfScope(c, `order ${id}`) as never;
    return answer(c, await deps.orders.arrive(id, request, actorOf(c))) as never;
  });
  app.openapi(resolveRoute, async (c) => {
    const { id } = c.req.valid('param');
    if (await outside(c, id)) return outOfScope(c, `order ${id}`) as never;
    return answer(c, await deps.orders.resolve(id, c.req.valid('json'), actorOf(c))) as never;
  });
  app.openapi(getRoute, async (c) => {
    const { id } = c.req.valid('param');
    const record = await findOrder(deps.db, id);
    if (!record) return json(c, errorBody(`no order ${id}`, [{ path: 'id', message: `no order ${id}` }]), 404) as never;
    if (!reaches(c, record)) return outOfScope(c, `order ${id}`) as never;
    return c.json(toOrderView(record, deps.config, deps.clock.now(), { masked: !seesPersonalData(c) }), 200);
  });
  app.openapi(listRoute, async (c) => {
    const { state, limit, before } = c.req.valid('query');
    const where: SQL[] = [];
    if (state === 'open') where.push(isNull(communityOrders.resolvedAt));
    if (before) where.push(lt(communityOrders.seq, before));
    const inScope = ordersInScope(scopeOf(c));
    if (inScope) where.push(inScope);
    const orders = await deps.db.select().from(communityOrders).where(and(...where)).orderBy(desc(communityOrders.seq)).limit(limit);
    const ids = orders.map((o) => o.id);
    const summonses = ids.length > 0 ? await deps.db.select().from(orderSummonses).where(inArray(orderSummonses.orderId, ids)) : [];
    const now = deps.clock.now();
    const masked = !seesPersonalData(c);
    const views = orders.map((order) =>
      toOrderView({ order, summonses: summonses.filter((s) => s.orderId === order.id).sort((a, b) => a.arriveBy.getTime() - b.arriveBy.getTime()) }, deps.config, now, { masked }),
    );
    return c.json({ orders: views }, 200);
  });
  return app;
}
