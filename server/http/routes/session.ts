/**
 * /api/session: a wall opened with `?token=` exchanges it once for an HttpOnly, SameSite=Strict
 * cookie (the page then removes the token from its address bar), so the token never stays in a
 * URL, a history entry or a log. GET tells the page who it is; DELETE forgets the cookie.
 */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { deleteCookie, setCookie } from 'hono/cookie';
import { can, PERMISSIONS, ROLES, type Permission, type Role } from '../../auth/roles.js';
import type { TokenVerifier } from '../../auth/tokens.js';
import { ErrorBody } from '../../../shared/protocol/payloads.js';
import { clientAddress, refuseToken, SESSION_COOKIE, type AppEnv } from '../auth.js';
import { errorBody } from '../errors.js';
import type { FailureLimiter } from '../rate-limit.js';
import { json } from '../respond.js';

const Who = z.object({
  role: z.enum(ROLES),
  label: z.string(),
  /** What this role may do (server/auth/roles.ts), so a page shows only the controls that will work. */
  permissions: z.array(z.enum(Object.keys(PERMISSIONS) as [Permission, ...Permission[]])),
});

const who = (identity: { role: Role; label: string }) => ({
  role: identity.role,
  label: identity.label,
  permissions: (Object.keys(PERMISSIONS) as Permission[]).filter((p) => can(identity.role, p)),
});

const openSession = createRoute({
  method: 'post',
  path: '/api/session',
  summary: 'Exchange a token for an HttpOnly session cookie',
  request: { body: { content: { 'application/json': { schema: z.object({ token: z.string().min(1).max(512) }).strict() } }, required: true } },
  responses: {
    200: { content: { 'application/json': { schema: Who } }, description: 'cookie set' },
    401: { content: { 'application/json': { schema: ErrorBody } }, description: 'not a valid token' },
    429: { content: { 'application/json': { schema: ErrorBody } }, description: 'too many failures' },
  },
});

const whoAmI = createRoute({
  method: 'get',
  path: '/api/session',
  summary: 'The role and label behind the current cookie or bearer token',
  responses: { 200: { content: { 'application/json': { schema: Who } }, description: 'who you are' } },
});

const closeSession = createRoute({
  method: 'delete',
  path: '/api/session',
  summary: 'Forget the session cookie',
  responses: { 200: { content: { 'application/json': { schema: z.object({ ok: z.boolean() }) } }, description: 'cookie cleared' } },
});

/** The routes that need no token yet (the exchange itself). */
export function openSessionRoutes(deps: { tokens: TokenVerifier; limiter: FailureLimiter; defaultHook: ConstructorParameters<typeof OpenAPIHono<AppEnv>>[0] }) {
  const app = new OpenAPIHono<AppEnv>(deps.defaultHook);
  app.openapi(openSession, async (c) => {
    const { token } = c.req.valid('json');
    const identity = await deps.tokens.verify(token);
    if (!identity) return refuseToken(c, deps.limiter, clientAddress(c), errorBody('invalid or revoked token', [{ path: 'token', message: 'not a valid token' }])) as never;
    setCookie(c, SESSION_COOKIE, token, {
      httpOnly: true,
      sameSite: 'Strict',
      path: '/',
      secure: new URL(c.req.url).protocol === 'https:',
      maxAge: 60 * 60 * 24 * 365,
    });
    return c.json(who(identity), 200);
  });
  return app;
}

/** The routes behind the token check. */
export function sessionRoutes(deps: { defaultHook: ConstructorParameters<typeof OpenAPIHono<AppEnv>>[0] }) {
  const app = new OpenAPIHono<AppEnv>(deps.defaultHook);
  app.openapi(whoAmI, (c) => {
    return c.json(who(c.get('identity')), 200);
  });
  app.openapi(closeSession, (c) => {
    deleteCookie(c, SESSION_COOKIE, { path: '/' });
    return c.json({ ok: true }, 200);
  });
  return app;
}
