/**
 * GET /api/audit (admins): who read citizens' personal data and who made or revoked tokens,
 * sessions and wall links (server/audit/audit-log.ts), newest first, filtered and paged.
 */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { AUDIT_ACTIONS, listAudit } from '../../audit/audit-log.js';
import type { Database } from '../../db/client.js';
import { requirePermission, type AppEnv } from '../auth.js';

const AuditEntry = z.object({
  id: z.number(),
  at: z.string(),
  actor: z.string(),
  role: z.string(),
  tokenId: z.string().nullable(),
  action: z.enum(AUDIT_ACTIONS),
  subject: z.string().nullable(),
  detail: z.record(z.string(), z.unknown()).nullable(),
  origin: z.string(),
});

const auditRoute = createRoute({
  method: 'get',
  path: '/api/audit',
  summary: 'The audit log: reads of personal data, tokens, sessions and wall links made or revoked',
  middleware: [requirePermission('audit:read')] as const,
  request: {
    query: z
      .object({
        action: z.enum(AUDIT_ACTIONS).optional(),
        actor: z.string().min(1).max(100).optional(),
        subject: z.string().min(1).max(200).optional(),
        from: z.iso.datetime({ offset: true }).optional(),
        to: z.iso.datetime({ offset: true }).optional(),
        before: z.coerce.number().int().min(1).optional(),
        limit: z.coerce.number().int().min(1).max(500).default(100),
      })
      .strict(),
  },
  responses: {
    200: { content: { 'application/json': { schema: z.object({ entries: z.array(AuditEntry), next: z.number().nullable() }) } }, description: 'newest first; `next` is the `before` of the next page' },
  },
});

export function auditRoutes(deps: { db: Database; defaultHook: ConstructorParameters<typeof OpenAPIHono<AppEnv>>[0] }) {
  const app = new OpenAPIHono<AppEnv>(deps.defaultHook);
  app.openapi(auditRoute, async (c) => c.json((await listAudit(deps.db, c.req.valid('query'))) as never, 200));
  return app;
}
