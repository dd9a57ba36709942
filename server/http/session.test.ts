/**
 * Sessions and wall links through the real app (RULES SES1–SES4): the cookie holds an opaque,
 * expiring secret (never the token), Secure and __Host- behind TLS, revocable one by one and with
 * its token; a wall link's code opens one session, once, within minutes; a cookie from before
 * sessions is swapped for a session.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sessions, wallLinks } from '../db/schema.js';
import { describeEachDatabase } from '../testing/databases.js';
import { createTestApp, TEST_TOKENS, type TestApp } from '../testing/test-app.js';
import { SessionVerifier } from '../auth/sessions.js';
import { TokenVerifier } from '../auth/tokens.js';
import { DEFAULT_DOMAIN } from '../config.js';
import { createApp } from './app.js';
import { parseTrustedProxies } from './client-address.js';

describeEachDatabase('sessions and wall links', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind, undefined, { trustedProxies: parseTrustedProxies('10.0.0.0/8') });
  });
  afterAll(async () => {
    await t?.close();
  });

  /** POST /api/session from a peer (a trusted proxy when 10.x), with extra headers. */
  const open = (body: unknown, headers: Record<string, string> = {}, peer = '192.0.2.10') =>
    t.app.request('/api/session', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }, { incoming: { socket: { remoteAddress: peer } } });
  const withCookie = (path: string, cookie: string, init: RequestInit = {}) => t.app.request(path, { ...init, headers: { ...(init.headers ?? {}), cookie } });
  const cookieOf = (res: Response) => {
    const header = res.headers.get('set-cookie') ?? '';
    const [pair] = header.split(';');
    return { header, pair: pair!, value: pair!.slice(pair!.indexOf('=') + 1) };
  };

  it('[SES1] a token opens a session: an opaque, HttpOnly, Strict cookie lasting 30 days for a wall, 12 hours for an officer', async () => {
    const wall = await open({ token: TEST_TOKENS.wall });
    expect(wall.status).toBe(200);
    const cookie = cookieOf(wall);
    expect(cookie.pair.startsWith('cp_session=')).toBe(true);
    expect(cookie.value).not.toContain(TEST_TOKENS.wall);
    expect(cookie.header).toMatch(/HttpOnly/);
    expect(cookie.header).toMatch(/SameSite=Strict/);
    expect(cookie.header).toMatch(/Path=\//);
    expect(cookie.header).not.toMatch(/Secure/);
    const maxAge = Number(/Max-Age=(\d+)/.exec(cookie.header)![1]);
    expect(maxAge).toBeGreaterThan(30 * 86_400 - 60);
    expect(maxAge).toBeLessThanOrEqual(30 * 86_400);
    const me = await withCookie('/api/session', cookie.pair);
    expect(await me.json()).toMatchObject({ role: 'wall' });
    const officer = cookieOf(await open({ token: TEST_TOKENS.officer }));
    expect(Number(/Max-Age=(\d+)/.exec(officer.header)![1])).toBeLessThanOrEqual(12 * 3600);
    // The database holds the secret's hash only.
    const stored = await t.database.db.select().from(sessions);
    expect(JSON.stringify(stored)).not.toContain(cookie.value);
    expect(stored.length).toBeGreaterThanOrEqual(2);
  });

  it('[SES2] behind a trusted TLS proxy the cookie is Secure and named __Host-; a forged X-Forwarded-Proto changes nothing', async () => {
    const proxied = cookieOf(await open({ token: TEST_TOKENS.wall }, { 'x-forwarded-proto': 'https' }, '10.0.0.5'));
    expect(proxied.pair.startsWith('__Host-cp_session=')).toBe(true);
    expect(proxied.header).toMatch(/Secure/);
    expect((await (await withCookie('/api/session', proxied.pair)).json()).role).toBe('wall');
    const forged = cookieOf(await open({ token: TEST_TOKENS.wall }, { 'x-forwarded-proto': 'https' }, '198.51.100.7'));
    expect(forged.pair.startsWith('cp_session=')).toBe(true);
  });

  it('[SES3] a wall link opens one wall session, once, within its minutes; only admins make them, only for wall tokens', async () => {
    const made = await t.call('POST', '/api/wall-links', {}, 'admin');
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body.url).toMatch(/\/\?code=w_/);
    expect(made.body.url).not.toContain(TEST_TOKENS.wall);
    expect(Date.parse(made.body.expiresAt) - Date.now()).toBeLessThanOrEqual(15 * 60_000);
    const first = await open({ code: made.body.code });
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({ role: 'wall' });
    expect((await open({ code: made.body.code })).status).toBe(401); // used
    const late = await t.call('POST', '/api/wall-links', { minutes: 1 }, 'admin');
    await t.database.db.update(wallLinks).set({ expiresAt: sql`now() - interval '1 second'` }).where(sql`${wallLinks.usedAt} IS NULL`);
    const expired = await open({ code: late.body.code });
    expect(expired.status).toBe(401);
    expect((await expired.json()).error).toMatch(/used already, has expired/);
    expect((await t.call('POST', '/api/wall-links', {}, 'officer')).status).toBe(403);
    const officerToken = (await t.call('GET', '/api/tokens', undefined, 'admin')).body.tokens.find((x: { role: string }) => x.role === 'officer').id;
    expect((await t.call('POST', '/api/wall-links', { tokenId: officerToken }, 'admin')).status).toBe(400);
    const actions = (await t.call('GET', '/api/audit?limit=500', undefined, 'admin')).body.entries.map((e: { action: string }) => e.action);
    expect(actions).toContain('wall-link.create');
    expect(actions).toContain('session.create');
  });

  it('[SES4] a session ends when revoked, when its page ends it, and with its token; a cookie from before sessions becomes one', async () => {
    const cookie = cookieOf(await open({ token: TEST_TOKENS.wall })).pair;
    const me = () => withCookie('/api/session', cookie);
    expect((await me()).status).toBe(200);
    const listed = (await t.call('GET', '/api/sessions', undefined, 'admin')).body.sessions as { id: string; label: string }[];
    const mine = listed[0]!;
    expect(mine.label).toBe('wall (env)');
    expect(JSON.stringify(listed)).not.toContain(cookie.slice(cookie.indexOf('=') + 1));
    expect((await t.call('DELETE', `/api/sessions/${mine.id}`, undefined, 'admin')).status).toBe(200);
    expect((await me()).status).toBe(401);

    const ended = cookieOf(await open({ token: TEST_TOKENS.officer })).pair;
    expect((await withCookie('/api/session', ended, { method: 'DELETE' })).status).toBe(200);
    expect((await withCookie('/api/session', ended)).status).toBe(401);

    const made = await t.call('POST', '/api/tokens', { role: 'wall', label: '西墙' }, 'admin');
    const its = cookieOf(await open({ token: made.body.token })).pair;
    expect((await withCookie('/api/session', its)).status).toBe(200);
    expect((await t.call('DELETE', `/api/tokens/${made.body.id}`, undefined, 'admin')).status).toBe(200);
    expect((await withCookie('/api/session', its)).status).toBe(401);

    // A wall that kept its old cookie (the token itself) across the upgrade gets a session for it.
    const legacy = await withCookie('/api/session', `cp_session=${TEST_TOKENS.wall}`);
    expect(legacy.status).toBe(200);
    const swapped = cookieOf(legacy);
    expect(swapped.pair.startsWith('cp_session=s_')).toBe(true);
    expect((await withCookie('/api/session', swapped.pair)).status).toBe(200);
  });

  it('[SES6] a session in use past half its life is renewed for a whole one; the cookie follows', async () => {
    // An app whose session cache is never older than the request (the default keeps it 5 s).
    const { db } = t.database;
    const tokens = new TokenVerifier(db);
    const app = createApp({ db, config: DEFAULT_DOMAIN, writer: t.writer, tokens, sessions: new SessionVerifier(db, tokens, 0), demo: false });
    const get = (cookie: string) => app.request('/api/session', { headers: { cookie } });
    const cookie = cookieOf(await open({ token: TEST_TOKENS.wall })).pair;
    const secret = cookie.slice(cookie.indexOf('=') + 1);
    const fresh = await get(cookie);
    expect(fresh.status).toBe(200);
    expect(fresh.headers.get('set-cookie')).toBeNull(); // young: nothing to renew
    await db.update(sessions).set({ expiresAt: sql`now() + interval '2 days'` }).where(sql`${sessions.origin} IS NOT NULL`);
    const renewed = await get(cookie);
    expect(renewed.status).toBe(200);
    const again = cookieOf(renewed);
    expect(again.value).toBe(secret);
    expect(Number(/Max-Age=(\d+)/.exec(again.header)![1])).toBeGreaterThan(29 * 86_400);
    const rows = await t.database.db.select().from(sessions);
    const longest = Math.max(...rows.map((r) => r.expiresAt.getTime()));
    expect(longest - Date.now()).toBeGreaterThan(29 * 86_400_000);
  });
});
