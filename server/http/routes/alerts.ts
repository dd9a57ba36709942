/**
 * /api/alerts: the alerts the deadline monitor raised, newest first, and acknowledging one. An
 * acknowledgement is an `alert.acked` event in the log (who and when), written by the CaseWriter.
 */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { and, desc, eq, inArray, isNull, lt, type SQL } from 'drizzle-orm';
import { AlertView, CaseBrief, ErrorBody } from '../../../shared/protocol/payloads.js';
import { toCaseBrief } from '../../cases/case-view.js';
import type { AlertRow, CaseWriter } from '../../cases/case-writer.js';
import type { Database } from '../../db/client.js';
import { alerts, cases } from '../../db/schema.js';
import { toAlertView } from '../../live/alert-view.js';
import { actorOf, outOfScope, requirePermission, scopeOf, seesPersonalData, type AppEnv } from '../auth.js';
import { alertOutOfScope, alertsInScope, caseInScope } from '../../auth/scope.js';
import { errorBody } from '../errors.js';
import { json, NewestFirstQuery } from '../respond.js';

const listRoute = createRoute({
  method: 'get',
  path: '/api/alerts',
  summary: 'Alerts, newest first (unacknowledged only with state=open), paged by `before` seq',
  middleware: [requirePermission('alerts:read')] as const,
  request: {
    query: NewestFirstQuery,
  },
  responses: {
    200: { content: { 'application/json': { schema: z.object({ alerts: z.array(AlertView) }) } }, description: 'alerts' },
    400: { content: { 'application/json': { schema: ErrorBody } }, description: 'bad query' },
  },
});

const ackRoute = createRoute({
  method: 'post',
  path: '/api/alerts/{id}/ack',
  summary: 'Acknowledge an alert (acknowledging again answers the first acknowledgement)',
  middleware: [requirePermission('alerts:ack')] as const,
  request: { params: z.object({ id: z.string().min(1).max(64) }) },
  responses: {
    200: { content: { 'application/json': { schema: AlertView } }, description: 'the alert, acknowledged' },
    404: { content: { 'application/json': { schema: ErrorBody } }, description: 'no such alert' },
  },
});

const redListRoute = createRoute({
  method: 'get',
  path: '/api/alerts/red-list',
  summary: "The leaders' list: the cases graded red at the end of a day (24:00 Asia/Shanghai), the latest day by default",
  description:
    'Every case open at midnight is graded red (risk grade red or resolve deadline passed), yellow or green (RULES.md DAY1); ' +
    'the reds are one `day_red` alert. 404 when a day has no list (nothing was red, or it is not graded yet).',
  middleware: [requirePermission('alerts:read')] as const,
  request: { query: z.object({ day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD').optional() }).strict() },
  responses: {
    200: {
      content: { 'application/json': { schema: z.object({ day: z.string(), alert: AlertView, cases: z.array(CaseBrief) }) } },
      description: "the day's red list, its cases in the order graded (oldest first)",
    },
    400: { content: { 'application/json': { schema: ErrorBody } }, description: 'bad query' },
    404: { content: { 'application/json': { schema: ErrorBody } }, description: 'no red list for that day' },
  },
});

export function alertRoutes(deps: { db: Database; writer: CaseWriter; defaultHook: ConstructorParameters<typeof OpenAPIHono<AppEnv>>[0] }) {
  const app = new OpenAPIHono<AppEnv>(deps.defaultHook);
  app.openapi(listRoute, async (c) => {
    const { state, limit, before } = c.req.valid('query');
    const where: SQL[] = [];
    if (state === 'open') where.push(isNull(alerts.ackedAt));
    if (before) where.push(lt(alerts.seq, before));
    const inScope = alertsInScope(scopeOf(c));
    if (inScope) where.push(inScope);
    const rows = await deps.db.select().from(alerts).where(and(...where)).orderBy(desc(alerts.seq)).limit(limit);
    const masked = !seesPersonalData(c);
    return c.json({ alerts: rows.map((r) => toAlertView(r, { masked })) }, 200);
  });
  app.openapi(redListRoute, async (c) => {
    const { day } = c.req.valid('query');
    const [alert] = await deps.db
      .select()
      .from(alerts)
      .where(day ? eq(alerts.subject, `day_red|${day}`) : eq(alerts.kind, 'day_red'))
      .orderBy(desc(alerts.seq))
      .limit(1);
    if (!alert) {
      const which = day ?? 'any day';
      return json(c, errorBody(`no end-of-day red list for ${which}`, [{ path: 'day', message: `nothing was red at the end of ${which}, or it is not graded yet` }]), 404);
    }
    const masked = !seesPersonalData(c);
    const ids = alert.caseIds ?? [];
    const rows = ids.length > 0 ? await deps.db.select().from(cases).where(inArray(cases.id, ids)) : [];
    const byId = new Map(rows.map((r) => [r.id, r]));
    const scope = scopeOf(c);
    const listed = ids.flatMap((id) => (byId.has(id) && caseInScope(scope, byId.get(id)!) ? [toCaseBrief(byId.get(id)!, { masked })] : []));
    return c.json({ day: alert.subject!.slice('day_red|'.length), alert: toAlertView(alert, { masked }), cases: listed }, 200);
  });
  app.openapi(ackRoute, async (c) => {
    const { id } = c.req.valid('param');
    if (await alertOutOfScope(deps.db, scopeOf(c), id)) return outOfScope(c, `alert ${id}`) as never;
    const answer = await deps.writer.acknowledge(id, actorOf(c));
    if (answer.status === 404) return json(c, errorBody(answer.error, answer.issues), 404);
    return c.json(toAlertView(answer.alert, { masked: false }), 200);
  });
  return app;
}
