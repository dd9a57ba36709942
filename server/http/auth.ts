/**
 * Authentication and authorisation for /api: `Authorization: Bearer <token>` (or the wall's
 * session cookie), checked against hashed tokens; each route names the permission it needs
 * (server/auth/roles.ts). Missing or unknown token → 401, wrong role → 403; a wrong token from a
 * client with too many recent failures → 429 with Retry-After (a valid one always passes).
 */
import type { Context, MiddlewareHandler } from 'hono';
import { can, type Permission } from '../auth/roles.js';
import type { TokenIdentity, TokenVerifier } from '../auth/tokens.js';
import { describeScope, type Scope } from '../auth/scope.js';
import type { Actor } from '../cases/case-writer.js';
import { needsRenewal, openSession, renewSession, type SessionVerifier } from '../auth/sessions.js';
import type { Database } from '../db/client.js';
import { errorBody } from './errors.js';
import { sessionCookieOf, setSessionCookie } from './session-cookie.js';
import type { FailureLimiter } from './rate-limit.js';

export interface AuthVariables {
  /** Who is calling; `sessionId` when it came by a session cookie rather than a bearer token. */
  identity: TokenIdentity & { sessionId?: string; sessionExpiresAt?: Date };
  /** The client's address (server/http/client-address.ts), set for every request by the app. */
  client: string;
  /** Whether the request came over TLS (the session cookie is then Secure and __Host-). */
  secure: boolean;
}

export type AppEnv = { Variables: AuthVariables; Bindings: { incoming?: { socket?: { remoteAddress?: string } } } };

/** The socket's peer address (before any X-Forwarded-For is considered). */
export function peerAddress(c: Context): string | undefined {
  const env = c.env as AppEnv['Bindings'] | undefined;
  return env?.incoming?.socket?.remoteAddress;
}

export function clientAddress(c: Context): string {
  return (c.get('client') as string | undefined) ?? peerAddress(c) ?? 'unknown';
}

/** The answer to a wrong token: 401, or 429 with Retry-After once its client has failed too often. */
export function refuseToken(c: Context, limiter: FailureLimiter, address: string, body: ReturnType<typeof errorBody>) {
  const wait = limiter.retryAfter(address);
  if (wait > 0) {
    c.header('Retry-After', String(wait));
    return c.json(errorBody('too many failed token attempts; try again later', [{ path: 'Authorization', message: `retry after ${wait} s` }]), 429);
  }
  limiter.recordFailure(address);
  return c.json(body, 401);
}

export function actorOf(c: Context<AppEnv>): Actor {
  const identity = c.get('identity');
  return { label: identity.label, role: identity.role, origin: `http:${clientAddress(c)}`, tokenId: identity.id };
}

function bearer(c: Context): string | undefined {
  const header = c.req.header('authorization');
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1] ?? '';
}

/**
 * Who is calling: a bearer token, or else the session cookie. A cookie from before sessions
 * (it held the token itself) still works once: it is swapped for a session on the spot, so walls
 * keep running across the upgrade.
 */
export function authenticate(tokens: TokenVerifier, sessions: SessionVerifier, limiter: FailureLimiter, db: Database): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const token = bearer(c);
    const cookie = token === undefined ? sessionCookieOf(c) : undefined;
    if (!token && !cookie) {
      return c.json(errorBody('missing token: send Authorization: Bearer <token>', [{ path: 'Authorization', message: 'missing' }]), 401);
    }
    let identity: AuthVariables['identity'] | null = token ? await tokens.verify(token) : await sessions.verify(cookie!);
    if (identity?.sessionExpiresAt && needsRenewal(identity.role, identity.sessionExpiresAt)) {
      const expiresAt = await renewSession(db, identity.sessionId!, identity.role);
      sessions.renewed(cookie!, expiresAt);
      setSessionCookie(c, cookie!, expiresAt);
    }
    if (!identity && cookie) {
      identity = await tokens.verify(cookie);
      if (identity) {
        const session = await openSession(db, identity, clientAddress(c));
        setSessionCookie(c, session.secret, session.expiresAt);
        identity = { ...identity, sessionId: session.id };
      }
    }
    if (!identity) {
      const what = token ? 'invalid or revoked token' : 'the session expired or was revoked: open the wall link again';
      return refuseToken(c, limiter, clientAddress(c), errorBody(what, [{ path: token ? 'Authorization' : 'Cookie', message: token ? 'not a valid token' : 'no such session' }]));
    }
    c.set('identity', identity);
    await next();
  };
}

export function requirePermission(permission: Permission): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const identity = c.get('identity');
    if (!can(identity.role, permission)) {
      return c.json(
        errorBody(`role ${identity.role} may not ${permission}`, [{ path: 'Authorization', message: `needs permission ${permission}` }]),
        403,
      );
    }
    await next();
  };
}

/** Whether the caller may see personal data unmasked. */
export function seesPersonalData(c: Context<AppEnv>): boolean {
  return can(c.get('identity').role, 'personal-data:read');
}

/** The departments and streets the caller is bound to (the whole district for most tokens). */
export function scopeOf(c: Context<AppEnv>): Scope {
  return c.get('identity').scope;
}

/** The 403 for a case, alert or order outside the caller's scope, naming both. */
export function outOfScope(c: Context<AppEnv>, what: string) {
  const scope = scopeOf(c);
  return c.json(errorBody(`${what} is outside this token's scope (${describeScope(scope)})`, [{ path: 'Authorization', message: 'out of scope' }]), 403);
}
