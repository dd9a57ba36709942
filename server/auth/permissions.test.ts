/**
 * Role × route, walked in full through the real app: every route answers each role exactly as
 * server/auth/roles.ts says (401 without a token, 403 for a role without the permission).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDatabase } from '../testing/databases.js';
import { createTestApp, sampleCase, TEST_TOKENS, type TestApp } from '../testing/test-app.js';
import { can, PERMISSIONS, type Permission, type Role } from './roles.js';

const ROUTES: { method: string; path: string; permission: Permission; body?: unknown }[] = [
  { method: 'POST', path: '/api/cases', permission: 'cases:create', body: sampleCase({ location: undefined }) },
  { method: 'POST', path: '/api/cases/batch', permission: 'cases:create', body: { cases: [sampleCase({ location: undefined })] } },
  { method: 'GET', path: '/api/cases', permission: 'cases:read' },
  { method: 'GET', path: '/api/cases/GM20260101-000001', permission: 'cases:read' },
  { method: 'POST', path: '/api/cases/GM20260101-000001/transitions', permission: 'cases:transition', body: { action: 'dispatch' } },
  { method: 'GET', path: '/api/alerts', permission: 'alerts:read' },
  { method: 'POST', path: '/api/alerts/AL1/ack', permission: 'alerts:ack', body: {} },
  { method: 'GET', path: '/api/alerts/red-list', permission: 'alerts:read' },
  { method: 'GET', path: '/api/service-network', permission: 'stats:read' },
  { method: 'GET', path: '/api/orders', permission: 'orders:read' },
  { method: 'GET', path: '/api/orders/ORD1', permission: 'orders:read' },
  { method: 'POST', path: '/api/orders', permission: 'orders:write', body: { communityCode: '440311001001', title: '噪音纠纷', summons: [{ department: 'urban_management', arriveWithinMinutes: 30, rank: 'section' }] } },
  { method: 'POST', path: '/api/orders/ORD1/arrivals', permission: 'orders:write', body: { department: 'urban_management', rank: 'section' } },
  { method: 'POST', path: '/api/orders/ORD1/resolve', permission: 'orders:write', body: { note: '已化解' } },
  { method: 'GET', path: '/api/stats/summary', permission: 'stats:read' },
  { method: 'GET', path: '/api/reports/weekly.json', permission: 'stats:read' },
  { method: 'GET', path: '/api/config', permission: 'config:read' },
  { method: 'GET', path: '/api/audit', permission: 'audit:read' },
  { method: 'GET', path: '/api/tokens', permission: 'tokens:manage' },
  { method: 'POST', path: '/api/tokens', permission: 'tokens:manage', body: { role: 'officer', label: 'matrix' } },
  { method: 'DELETE', path: '/api/tokens/nope', permission: 'tokens:manage' },
];

describeEachDatabase('role × route', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind);
  });
  afterAll(async () => {
    await t?.close();
  });

  for (const route of ROUTES) {
    it(`[AUTH1] ${route.method} ${route.path} without a token → 401`, async () => {
      expect((await t.call(route.method, route.path, route.body, null)).status).toBe(401);
    });
    for (const role of Object.keys(TEST_TOKENS) as (keyof typeof TEST_TOKENS)[]) {
      const allowed = can(role as Role, route.permission);
      it(`[AUTH2] ${route.method} ${route.path} as ${role} → ${allowed ? 'allowed' : '403'}`, async () => {
        const res = await t.call(route.method, route.path, route.body, role);
        if (allowed) expect([200, 201, 404]).toContain(res.status);
        else expect(res.status).toBe(403);
      });
    }
  }

  it('[AUTH5] GET /api/session tells each role what it may do, as the table says', async () => {
    for (const role of Object.keys(TEST_TOKENS) as (keyof typeof TEST_TOKENS)[]) {
      const res = await t.call('GET', '/api/session', undefined, role);
      expect(res.status).toBe(200);
      expect(res.body.role).toBe(role);
      expect(res.body.permissions).toEqual((Object.keys(PERMISSIONS) as Permission[]).filter((p) => can(role as Role, p)));
    }
  });

  it('[AUTH3] a wrong token is 401, and repeated failures from one address are 429 with Retry-After', async () => {
    const { createApp } = await import('../http/app.js');
    const { FailureLimiter } = await import('../http/rate-limit.js');
    const { TokenVerifier } = await import('./tokens.js');
    const strict = createApp({ db: t.database.db, config: (await import('../config.js')).DEFAULT_DOMAIN, writer: t.writer, tokens: new TokenVerifier(t.database.db), demo: false, limiter: new FailureLimiter(3) });
    const attempt = () => strict.request('/api/config', { headers: { authorization: 'Bearer not-a-real-token' } });
    expect((await attempt()).status).toBe(401);
    await attempt();
    await attempt();
    const limited = await attempt();
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // The walls and consoles behind the same address (a command centre's NAT) are not refused.
    for (const role of ['wall', 'officer'] as const) {
      expect((await strict.request('/api/config', { headers: { authorization: `Bearer ${TEST_TOKENS[role]}` } })).status).toBe(200);
    }
    const session = await strict.request('/api/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: TEST_TOKENS.wall }) });
    expect(session.status).toBe(200);
  });

  it('[AUTH6] behind TRUSTED_PROXIES the limiter counts each forwarded client; a forged header from elsewhere changes nothing', async () => {
    const { createApp } = await import('../http/app.js');
    const { FailureLimiter } = await import('../http/rate-limit.js');
    const { TokenVerifier } = await import('./tokens.js');
    const { parseTrustedProxies } = await import('../http/client-address.js');
    const limiter = new FailureLimiter(3);
    const behindProxy = createApp({
      db: t.database.db,
      config: (await import('../config.js')).DEFAULT_DOMAIN,
      writer: t.writer,
      tokens: new TokenVerifier(t.database.db),
      demo: false,
      limiter,
      trustedProxies: parseTrustedProxies('10.0.0.0/8'),
    });
    // app.request has no socket: the peer is set as @hono/node-server would.
    const from = (peer: string, forwardedFor: string) =>
      behindProxy.request('/api/config', { headers: { authorization: 'Bearer not-a-real-token', 'x-forwarded-for': forwardedFor } }, { incoming: { socket: { remoteAddress: peer } } });
    for (let i = 0; i < 3; i++) expect((await from('10.0.0.5', '203.0.113.7')).status).toBe(401);
    expect((await from('10.0.0.5', '203.0.113.7')).status).toBe(429); // that client, through the proxy
    expect((await from('10.0.0.5', '203.0.113.8')).status).toBe(401); // its neighbour behind the same proxy is not
    expect((await from('198.51.100.9', '203.0.113.8')).status).toBe(401); // not a proxy: its header is ignored...
    for (let i = 0; i < 3; i++) await from('198.51.100.9', `192.0.2.${i}`);
    expect((await from('198.51.100.9', '192.0.2.99')).status).toBe(429); // ...so it is counted as itself, whatever it claims
  });

  it('[AUTH4] an admin-made token works at once, is never shown again, and stops working when revoked', async () => {
    const made = await t.call('POST', '/api/tokens', { role: 'importer', label: '区数据中心导入' }, 'admin');
    expect(made.status).toBe(201);
    const token = made.body.token as string;
    const use = () => t.app.request('/api/config', { headers: { authorization: `Bearer ${token}` } });
    expect((await use()).status).toBe(200);
    const list = await t.call('GET', '/api/tokens', undefined, 'admin');
    expect(JSON.stringify(list.body)).not.toContain(token);
    expect((await t.call('DELETE', `/api/tokens/${made.body.id}`, undefined, 'admin')).status).toBe(200);
    expect((await use()).status).toBe(401);
  });
});
