/**
 * /api/tokens (admin): name a token for an officer, a department, a leader or an importer. The
 * secret is shown once in the 201 answer and stored only as a hash; revoking takes effect on
 * every node within the verifier's refresh interval.
 */
import { randomUUID } from 'node:crypto';
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { eq, sql } from 'drizzle-orm';
import { ROLES } from '../../auth/roles.js';
import { generateToken, hashToken, type TokenVerifier } from '../../auth/tokens.js';
import type { DomainConfig } from '../../config.js';
import type { Database } from '../../db/client.js';
import { apiTokens } from '../../db/schema.js';
import { ErrorBody } from '../../../shared/protocol/payloads.js';
import { requirePermission, type AppEnv } from '../auth.js';
import { errorBody } from '../errors.js';
import { json } from '../respond.js';
import { audit } from '../audit.js';

const TokenInfo = z.object({
  id: z.string(),
  role: z.enum(ROLES),
  label: z.string(),
  /** The departments and streets an officer token is bound to; null: any. */
  departments: z.array(z.string()).nullable(),
  streets: z.array(z.string()).nullable(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
});

const Codes = z.array(z.string().trim().min(1).max(40)).min(1).max(100);
const CreateToken = z
  .object({
    role: z.enum(ROLES),
    label: z.string().trim().min(1).max(100),
    departments: Codes.optional().openapi({ description: 'officer tokens only: the departments (codes) whose cases it may see and act on' }),
    streets: Codes.optional().openapi({ description: 'officer tokens only: the streets (codes) whose cases it may see and act on' }),
  })
  .strict();

const createTokenRoute = createRoute({
  method: 'post',
  path: '/api/tokens',
  summary: 'Create a named token (the secret is in this answer only); an officer token may be bound to departments and/or streets',
  middleware: [requirePermission('tokens:manage')] as const,
  request: {
    body: {
      content: { 'application/json': { schema: CreateToken } },
      required: true,
    },
  },
  responses: {
    201: { content: { 'application/json': { schema: TokenInfo.extend({ token: z.string() }) } }, description: 'created' },
    400: { content: { 'application/json': { schema: ErrorBody } }, description: 'bad input' },
  },
});

const listTokensRoute = createRoute({
  method: 'get',
  path: '/api/tokens',
  summary: 'List tokens (never their secrets)',
  middleware: [requirePermission('tokens:manage')] as const,
  responses: { 200: { content: { 'application/json': { schema: z.object({ tokens: z.array(TokenInfo) }) } }, description: 'tokens' } },
});

const revokeTokenRoute = createRoute({
  method: 'delete',
  path: '/api/tokens/{id}',
  summary: 'Revoke a token',
  middleware: [requirePermission('tokens:manage')] as const,
  request: { params: z.object({ id: z.string().min(1).max(64) }) },
  responses: {
    200: { content: { 'application/json': { schema: TokenInfo } }, description: 'revoked' },
    404: { content: { 'application/json': { schema: ErrorBody } }, description: 'no such token' },
  },
});

type TokenRow = typeof apiTokens.$inferSelect;
const info = (row: TokenRow) => ({
  id: row.id,
  role: row.role as (typeof ROLES)[number],
  label: row.label,
  departments: row.departments ?? null,
  streets: row.streets ?? null,
  createdAt: row.createdAt.toISOString(),
  revokedAt: row.revokedAt ? row.revokedAt.toISOString() : null,
});

/** What is wrong with a token's scope: only officers are scoped, to codes the district knows. */
function scopeProblems(config: DomainConfig, role: string, departments?: string[], streets?: string[]) {
  const problems: { path: string; message: string }[] = [];
  if ((departments || streets) && role !== 'officer') problems.push({ path: departments ? 'departments' : 'streets', message: `only officer tokens are scoped (this one is ${role})` });
  departments?.forEach((code, i) => {
    if (!config.taxonomy.department(code)) problems.push({ path: `departments.${i}`, message: `no department ${code}` });
  });
  streets?.forEach((code, i) => {
    if (!config.jurisdiction.street(code)) problems.push({ path: `streets.${i}`, message: `no street ${code} in ${config.jurisdiction.district.name}` });
  });
  return problems;
}

export function tokenRoutes(deps: { db: Database; config: DomainConfig; tokens: TokenVerifier; defaultHook: ConstructorParameters<typeof OpenAPIHono<AppEnv>>[0] }) {
  const app = new OpenAPIHono<AppEnv>(deps.defaultHook);
  app.openapi(createTokenRoute, async (c) => {
    const { role, label, departments, streets } = c.req.valid('json');
    const problems = scopeProblems(deps.config, role, departments, streets);
    if (problems.length > 0) return json(c, errorBody(`bad scope: ${problems.map((p) => p.message).join('; ')}`, problems), 400);
    const token = generateToken();
    const values = { id: randomUUID(), hash: hashToken(token), role, label, departments: departments ?? null, streets: streets ?? null };
    const [row] = await deps.db.insert(apiTokens).values(values).returning();
    await audit(deps.db, c, { action: 'token.create', subject: row!.id, detail: { role, label, departments: values.departments, streets: values.streets } });
    await deps.tokens.refresh();
    return c.json({ ...info(row!), token }, 201);
  });
  app.openapi(listTokensRoute, async (c) => {
    const rows = await deps.db.select().from(apiTokens).orderBy(apiTokens.createdAt);
    return c.json({ tokens: rows.map(info) }, 200);
  });
  app.openapi(revokeTokenRoute, async (c) => {
    const { id } = c.req.valid('param');
    const [row] = await deps.db.update(apiTokens).set({ revokedAt: sql`coalesce(${apiTokens.revokedAt}, now())` }).where(eq(apiTokens.id, id)).returning();
    if (!row) return json(c, errorBody(`no token ${id}`, [{ path: 'id', message: 'no such token' }]), 404);
    await audit(deps.db, c, { action: 'token.revoke', subject: row.id, detail: { role: row.role, label: row.label } });
    await deps.tokens.refresh();
    return c.json(info(row), 200);
  });
  return app;
}
