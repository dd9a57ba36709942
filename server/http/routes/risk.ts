/** /api/risk/map: the communities' risk index as GeoJSON (server/risk/risk-map.ts). */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { Projection } from '../../live/projection.js';
import { buildRiskMap, loadCommunityShapes } from '../../risk/risk-map.js';
import { requirePermission, type AppEnv } from '../auth.js';
import type { Clock } from '../../clock.js';

const RiskFeature = z.object({
  type: z.literal('Feature'),
  id: z.string(),
  geometry: z.object({ type: z.enum(['Polygon', 'MultiPolygon']), coordinates: z.array(z.any()) }),
  properties: z.object({
    layer: z.enum(['community', 'cell']),
    code: z.string(),
    name: z.string(),
    nameEn: z.string().nullable(),
    riskIndex: z.number(),
    riskLevel: z.enum(['none', 'low', 'medium', 'high', 'severe']),
    open: z.number().int(),
    red: z.number().int(),
    breached: z.number().int(),
  }),
});

const RiskMapBody = z.object({
  type: z.literal('FeatureCollection'),
  seq: z.number().int(),
  at: z.string(),
  unplaced: z.number().int(),
  features: z.array(RiskFeature),
});

const riskMapRoute = createRoute({
  method: 'get',
  path: '/api/risk/map',
  summary: "The communities' and map cells' risk index now, as a GeoJSON FeatureCollection (RFC 7946, WGS-84)",
  description:
    'Each community (`layer: community`) and each H3 cell of resolution 8 holding open cases (`layer: cell`, id `h3:<cell>`): ' +
    'the sum over its open cases of grade weight (green 1, yellow 3, red 9) × 2 if breached × ½ per 7 days of age, ' +
    'and its level against the median of its layer with any risk (RULES.md RISK7). `seq` is the log position it reflects; ' +
    'the live stream sends the features that change as `risk` messages.',
  middleware: [requirePermission('stats:read')] as const,
  responses: { 200: { content: { 'application/json': { schema: RiskMapBody } }, description: 'the risk map (GeoJSON)' } },
});

export function riskRoutes(deps: { projection: () => Projection; clock: Clock; defaultHook: ConstructorParameters<typeof OpenAPIHono<AppEnv>>[0] }) {
  const app = new OpenAPIHono<AppEnv>(deps.defaultHook);
  const shapes = loadCommunityShapes();
  app.openapi(riskMapRoute, (c) => {
    return c.json(buildRiskMap(deps.projection(), shapes, deps.clock.now().getTime()), 200);
  });
  return app;
}
