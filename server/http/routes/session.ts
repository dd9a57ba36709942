/**
 * Sessions (server/auth/sessions.ts) over HTTP. A page opened with `?token=` or `?code=` (a
 * one-time wall link) posts it once to /api/session and gets an HttpOnly session cookie holding a
 * random secret, never the token; the page then drops it from its address bar. GET tells the page
 * who it is; DELETE ends the session. Admins list and revoke sessions and make wall links
 * (`POST /api/wall-links`: a code that opens one wall session within minutes). Every session and
 * link made or revoked is in the audit log.
 */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { inArray } from 'drizzle-orm';
import { recordAudit } from '../../audit/audit-log.js';
import { can, PERMISSIONS, ROLES, type Permission, type Role } from '../../auth/roles.js';
import { createWallLink, listSessions, liveWallToken, openSession as startSession, redeemWallLink, revokeSession, WALL_LINK_MINUTES, type SessionVerifier } from '../../auth/sessions.js';
import type { TokenIdentity, TokenVerifier } from '../../auth/tokens.js';
import type { Scope } from '../../auth/scope.js';
import type { Database } from '../../db/client.js';
import { apiTokens } from '../../db/schema.js';
import { ErrorBody } from '../../../shared/protocol/payloads.js';
import { audit } from '../audit.js';
import { clientAddress, refuseToken, requirePermission, type AppEnv } from '../auth.js';
import { errorBody } from '../errors.js';
import type { FailureLimiter } from '../rate-limit.js';
import { json } from '../respond.js';
import { clearSessionCookie, setSessionCookie } from '../session-cookie.js';

type Hook = ConstructorParameters<typeof OpenAPIHono<AppEnv>>[0];

const Who = z.object({
  role: z.enum(ROLES),
  label: z.string(),
  /** What this role may do (server/auth/roles.ts), so a page shows only the controls that will work. */
  permissions: z.array(z.enum(Object.keys(PERMISSIONS) as [Permission, ...Permission[]])),
  /** When the session ends (absent for a bearer token). */
  expiresAt: z.string().optional(),
  /** The departments and streets an officer is bound to (null: any; server/auth/scope.ts). */
  scope: z.object({ departments: z.array(z.string()).nullable(), streets: z.array(z.string()).nullable() }),
});

const who = (identity: { role: Role; label: string; scope: Scope }, expiresAt?: Date) => ({
  role: identity.role,
  label: identity.label,
  scope: { departments: identity.scope.departments ? [...identity.scope.departments] : null, streets: identity.scope.streets ? [...identity.scope.streets] : null },
  permissions: (Object.keys(PERMISSIONS) as Permission[]).filter((p) => can(identity.role, p)),
  ...(expiresAt ? { expiresAt: expiresAt.toISOString() } : {}),
});

const openRoute = createRoute({
  method: 'post',
  path: '/api/session',
  summary: 'Exchange a token, or a one-time wall-link code, for an HttpOnly session cookie',
  request: {
    body: {
      content: { 'application/json': { schema: z.union([z.object({ token: z.string().min(1).max(512) }).strict(), z.object({ code: z.string().min(1).max(512) }).strict()]) } },
      required: true,
    },
  },
  responses: {
    200: { content: { 'application/json': { schema: Who } }, description: 'cookie set' },
    401: { content: { 'application/json': { schema: ErrorBody } }, description: 'not a valid token, or a code unknown, used or expired' },
    429: { content: { 'application/json': { schema: ErrorBody } }, description: 'too many failures' },
  },
});

const whoAmI = createRoute({
  method: 'get',
  path: '/api/session',
  summary: 'The role and label behind the current cookie or bearer token',
  responses: { 200: { content: { 'application/json': { schema: Who } }, description: 'who you are' } },
});

const closeRoute = createRoute({
  method: 'delete',
  path: '/api/session',
  summary: 'End the current session and forget its cookie',
  responses: { 200: { content: { 'application/json': { schema: z.object({ ok: z.boolean() }) } }, description: 'session ended' } },
});

const SessionInfo = z.object({ id: z.string(), tokenId: z.string(), label: z.string().nullable(), role: z.string().nullable(), createdAt: z.string(), expiresAt: z.string(), origin: z.string() });

const listRoute = createRoute({
  method: 'get',
  path: '/api/sessions',
  summary: 'Open sessions (never their secrets)',
  middleware: [requirePermission('tokens:manage')] as const,
  responses: { 200: { content: { 'application/json': { schema: z.object({ sessions: z.array(SessionInfo) }) } }, description: 'open sessions, newest first' } },
});

const revokeRoute = createRoute({
  method: 'delete',
  path: '/api/sessions/{id}',
  summary: 'Revoke one session',
  middleware: [requirePermission('tokens:manage')] as const,
  request: { params: z.object({ id: z.string().min(1).max(64) }) },
  responses: {
    200: { content: { 'application/json': { schema: z.object({ ok: z.boolean() }) } }, description: 'revoked' },
    404: { content: { 'application/json': { schema: ErrorBody } }, description: 'no such session' },
  },
});

const wallLinkRoute = createRoute({
  method: 'post',
  path: '/api/wall-links',
  summary: 'A one-time link that opens a wall session within minutes (the token never goes in a URL)',
  middleware: [requirePermission('tokens:manage')] as const,
  request: {
    body: {
      content: {
        'application/json': {
          schema: z
            .object({
              tokenId: z.string().min(1).max(64).optional().openapi({ description: 'a wall token (GET /api/tokens); the first live wall token when omitted' }),
              minutes: z.number().int().min(1).max(60).default(WALL_LINK_MINUTES),
            })
            .strict(),
        },
      },
      required: true,
    },
  },
  responses: {
    201: { content: { 'application/json': { schema: z.object({ url: z.string(), code: z.string(), expiresAt: z.string() }) } }, description: 'the link, usable once' },
    400: { content: { 'application/json': { schema: ErrorBody } }, description: 'not a live wall token' },
  },
});

interface Deps {
  db: Database;
  tokens: TokenVerifier;
  sessions: SessionVerifier;
  /** PUBLIC_URL, for the links; the request's own origin when unset. */
  publicUrl?: string;
  defaultHook: Hook;
}

/** The routes that need no token yet (the exchange itself). */
export function openSessionRoutes(deps: Deps & { limiter: FailureLimiter }) {
  const app = new OpenAPIHono<AppEnv>(deps.defaultHook);
  app.openapi(openRoute, async (c) => {
    const body = c.req.valid('json');
    let identity: TokenIdentity | null;
    if ('token' in body) identity = await deps.tokens.verify(body.token);
    else {
      const tokenId = await redeemWallLink(deps.db, body.code);
      identity = tokenId ? await deps.tokens.identityOf(tokenId) : null;
    }
    if (!identity) {
      const problem = 'token' in body ? { error: 'invalid or revoked token', path: 'token', message: 'not a valid token' } : { error: 'this wall link was used already, has expired, or never existed: ask for a new one', path: 'code', message: 'not a usable code' };
      return refuseToken(c, deps.limiter, clientAddress(c), errorBody(problem.error, [{ path: problem.path, message: problem.message }])) as never;
    }
    const session = await startSession(deps.db, identity, clientAddress(c));
    await recordAudit(deps.db, { actor: identity.label, role: identity.role, tokenId: identity.id, origin: clientAddress(c) }, { action: 'session.create', subject: session.id, detail: { by: 'token' in body ? 'token' : 'wall link', expiresAt: session.expiresAt.toISOString() } });
    await deps.sessions.refresh();
    setSessionCookie(c, session.secret, session.expiresAt);
    return c.json(who(identity, session.expiresAt), 200);
  });
  return app;
}

/** The routes behind the token check. */
export function sessionRoutes(deps: Deps) {
  const app = new OpenAPIHono<AppEnv>(deps.defaultHook);
  app.openapi(whoAmI, (c) => c.json(who(c.get('identity')), 200));
  app.openapi(closeRoute, async (c) => {
    const { sessionId } = c.get('identity');
    if (sessionId) {
      await revokeSession(deps.db, sessionId);
      await audit(deps.db, c, { action: 'session.revoke', subject: sessionId, detail: { by: 'its own page' } });
      await deps.sessions.refresh();
    }
    clearSessionCookie(c);
    return c.json({ ok: true }, 200);
  });
  app.openapi(listRoute, async (c) => {
    const open = await listSessions(deps.db);
    const ids = [...new Set(open.map((s) => s.tokenId))];
    const tokens = ids.length > 0 ? await deps.db.select().from(apiTokens).where(inArray(apiTokens.id, ids)) : [];
    const byId = new Map(tokens.map((t) => [t.id, t]));
    const view = open.map((s) => ({
      id: s.id,
      tokenId: s.tokenId,
      label: byId.get(s.tokenId)?.label ?? null,
      role: byId.get(s.tokenId)?.role ?? null,
      createdAt: s.createdAt.toISOString(),
      expiresAt: s.expiresAt.toISOString(),
      origin: s.origin,
    }));
    return c.json({ sessions: view }, 200);
  });
  app.openapi(revokeRoute, async (c) => {
    const { id } = c.req.valid('param');
    if (!(await revokeSession(deps.db, id))) return json(c, errorBody(`no session ${id}`, [{ path: 'id', message: 'no such session' }]), 404);
    await audit(deps.db, c, { action: 'session.revoke', subject: id });
    await deps.sessions.refresh();
    return c.json({ ok: true }, 200);
  });
  app.openapi(wallLinkRoute, async (c) => {
    const { tokenId, minutes } = c.req.valid('json');
    const token = await liveWallToken(deps.db, tokenId);
    if (!token) {
      const message = tokenId ? `${tokenId} is not a live wall token` : 'there is no live wall token: make one with POST /api/tokens';
      return json(c, errorBody(message, [{ path: 'tokenId', message }]), 400);
    }
    const link = await createWallLink(deps.db, token.id, c.get('identity').label, minutes);
    await audit(deps.db, c, { action: 'wall-link.create', subject: token.id, detail: { label: token.label, expiresAt: link.expiresAt.toISOString() } });
    const base = deps.publicUrl ?? new URL(c.req.url).origin;
    return c.json({ url: `${base}/?code=${link.code}`, code: link.code, expiresAt: link.expiresAt.toISOString() }, 201);
  });
  return app;
}
