/** /api/config: the district's configuration as the server uses it (jurisdiction, duty list, SLA, risk). */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { CHANNELS, CHANNEL_NAMES } from '../../../shared/domain/vocabulary.js';
import type { DomainConfig } from '../../config.js';
import { requirePermission, type AppEnv } from '../auth.js';

const configRoute = createRoute({
  method: 'get',
  path: '/api/config',
  summary: 'Jurisdiction, taxonomy (duty list), channels, deadline and risk settings',
  middleware: [requirePermission('config:read')] as const,
  responses: { 200: { content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } }, description: 'the configuration' } },
});

export function configRoutes(deps: { config: DomainConfig; demo: boolean; defaultHook: ConstructorParameters<typeof OpenAPIHono<AppEnv>>[0] }) {
  const app = new OpenAPIHono<AppEnv>(deps.defaultHook);
  const { config } = deps;
  const body = {
    jurisdiction: {
      district: config.jurisdiction.district,
      streets: config.jurisdiction.streets,
      communities: config.jurisdiction.communities,
      bbox: config.jurisdiction.bbox,
      boundariesApproximate: true,
    },
    taxonomy: { categories: config.taxonomy.categories, departments: config.taxonomy.departments },
    channels: CHANNELS.map((code) => ({ code, name: CHANNEL_NAMES[code].zh, nameEn: CHANNEL_NAMES[code].en })),
    sla: config.sla,
    risk: config.risk,
    calendar: { coveredYears: config.calendar.coveredYears },
    evaluationDays: config.evaluationDays,
    demo: deps.demo,
  };
  app.openapi(configRoute, (c) => c.json(body, 200));
  return app;
}
