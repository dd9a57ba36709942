/**
 * The session cookie: HttpOnly, SameSite=Strict, Path=/, lasting as long as its session; named
 * `__Host-cp_session` and `Secure` when the page came over TLS (PUBLIC_URL is https, or a trusted
 * proxy says so), `cp_session` on plain http (a browser drops Secure cookies there).
 */
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { AppEnv } from './auth.js';

export const SESSION_COOKIE = 'cp_session';
export const SECURE_SESSION_COOKIE = '__Host-cp_session';

/** The cookie's secret, whichever name it was set under. */
export function sessionCookieOf(c: Context<AppEnv>): string | undefined {
  return getCookie(c, SECURE_SESSION_COOKIE) ?? getCookie(c, SESSION_COOKIE);
}

/** The same from a raw Cookie header (the stream's handshake). */
export function sessionCookieIn(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const found = new Map<string, string>();
  for (const part of header.split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key) found.set(key, decodeURIComponent(value.join('=')));
  }
  return found.get(SECURE_SESSION_COOKIE) ?? found.get(SESSION_COOKIE);
}

export function setSessionCookie(c: Context<AppEnv>, secret: string, expiresAt: Date): void {
  const secure = c.get('secure') === true;
  const maxAge = Math.max(1, Math.floor((expiresAt.getTime() - Date.now()) / 1000));
  const options = { httpOnly: true, sameSite: 'Strict', path: '/', secure, maxAge } as const;
  if (secure) setCookie(c, SESSION_COOKIE, secret, { ...options, secure: true, prefix: 'host' }); // → __Host-cp_session
  else setCookie(c, SESSION_COOKIE, secret, options);
}

export function clearSessionCookie(c: Context<AppEnv>): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/' });
  if (c.get('secure')) deleteCookie(c, SESSION_COOKIE, { path: '/', secure: true, prefix: 'host' });
}
