/**
 * /api/service-network: the halls and stations of "1+6+31+N" (shared/domain/service-network.ts)
 * with their 500 m circle, and how many of today's cases (Asia/Shanghai) arose inside a circle —
 * the reach of 500米诉求服务圈. Counted from the cases table: a day's cases are a few thousand.
 */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { sql } from 'drizzle-orm';
import { SERVICE_RADIUS_M, withinService, type ServiceSite } from '../../../shared/domain/service-network.js';
import { queryRows, type Database } from '../../db/client.js';
import { requirePermission, type AppEnv } from '../auth.js';

const Site = z.object({
  id: z.string(),
  level: z.enum(['district', 'street', 'community', 'station']),
  name: z.string(),
  lng: z.number(),
  lat: z.number(),
});

const ServiceNetworkBody = z.object({
  radiusM: z.number(),
  sites: z.array(Site),
  today: z.object({
    /** Today's cases (not merged), those with a place, and of those the ones within a circle. */
    received: z.number().int(),
    placed: z.number().int(),
    inside: z.number().int(),
    /** inside ÷ placed; null with no placed case. */
    share: z.number().nullable(),
  }),
});

const route = createRoute({
  method: 'get',
  path: '/api/service-network',
  summary: 'The service halls and stations with their 500 m circles, and the share of today’s cases inside one',
  description:
    'Halls stand at representative points (community centroids; a street hall at the mean of its communities; the district hall at the mean of the street halls); ' +
    'stations come from CONFIG_FILE `serviceStations` (the demo puts one at each of its places where people gather).',
  middleware: [requirePermission('stats:read')] as const,
  responses: { 200: { content: { 'application/json': { schema: ServiceNetworkBody } }, description: 'the service network' } },
});

export function serviceNetworkRoutes(deps: { db: Database; sites: readonly ServiceSite[]; defaultHook: ConstructorParameters<typeof OpenAPIHono<AppEnv>>[0] }) {
  const app = new OpenAPIHono<AppEnv>(deps.defaultHook);
  app.openapi(route, async (c) => {
    const rows = await queryRows<{ lng: number | null; lat: number | null }>(
      deps.db,
      sql`SELECT lng, lat FROM cases
          WHERE received_at >= date_trunc('day', now() AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai'
            AND status <> 'merged'`,
    );
    let placed = 0;
    let inside = 0;
    for (const row of rows) {
      if (row.lng === null || row.lat === null) continue;
      placed += 1;
      if (withinService(deps.sites, { lng: Number(row.lng), lat: Number(row.lat) })) inside += 1;
    }
    const today = { received: rows.length, placed, inside, share: placed > 0 ? inside / placed : null };
    return c.json({ radiusM: SERVICE_RADIUS_M, sites: [...deps.sites], today }, 200);
  });
  return app;
}
