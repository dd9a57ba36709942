/** /api/stats/summary: the wall's figures for a window (default: today in Asia/Shanghai). */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { ErrorBody, Summary } from '../../../shared/protocol/payloads.js';
import type { DomainConfig } from '../../config.js';
import type { Database } from '../../db/client.js';
import { UNKNOWN_KEY } from '../../stats/group-names.js';
import { computeSummary } from '../../stats/summary.js';
import { requirePermission, type AppEnv } from '../auth.js';
import { errorBody } from '../errors.js';
import { json } from '../respond.js';

const instant = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 time with a zone' });

const summaryRoute = createRoute({
  method: 'get',
  path: '/api/stats/summary',
  summary: 'Intake, resolution, on-time and satisfaction figures for a window, and the open backlog now',
  description:
    'See RULES.md F1–F11 for each figure. `from` defaults to the start of today (Asia/Shanghai), `to` to a day after `from`. ' +
    '`street` restricts every figure to one street (`unknown`: cases without a street).',
  middleware: [requirePermission('stats:read')] as const,
  request: { query: z.object({ from: instant.optional(), to: instant.optional(), street: z.string().max(32).optional() }).strict() },
  responses: {
    200: { content: { 'application/json': { schema: Summary } }, description: 'the figures' },
    400: { content: { 'application/json': { schema: ErrorBody } }, description: 'bad window or street' },
  },
});

export function statsRoutes(deps: { db: Database; config: DomainConfig; defaultHook: ConstructorParameters<typeof OpenAPIHono<AppEnv>>[0] }) {
  const app = new OpenAPIHono<AppEnv>(deps.defaultHook);
  app.openapi(summaryRoute, async (c) => {
    const query = c.req.valid('query');
    const from = query.from ? new Date(query.from) : undefined;
    const to = query.to ? new Date(query.to) : undefined;
    if (from && to && to <= from) return json(c, errorBody('to must be after from', [{ path: 'to', message: 'must be after from' }]), 400);
    if (!from && to) return json(c, errorBody('to needs from', [{ path: 'from', message: 'required when to is given' }]), 400);
    const street = query.street;
    if (street !== undefined && street !== UNKNOWN_KEY && !deps.config.jurisdiction.street(street)) {
      return json(c, errorBody(`no street ${street}`, [{ path: 'street', message: `not a street of ${deps.config.jurisdiction.district.name}` }]), 400);
    }
    return c.json(await computeSummary(deps.db, deps.config, { from, to, street }), 200);
  });
  return app;
}
