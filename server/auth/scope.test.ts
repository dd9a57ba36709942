/**
 * Scoped officer tokens, walked in full on a real node (RULES SCOPE1–SCOPE5): a token bound to a
 * street, one bound to a department and one bound to both reach exactly the cases, alerts and
 * community orders of their scope on every route that reads or acts (others get 403 naming the
 * scope), a department records only its own arrivals, and the stream keeps each to its streets.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Node } from '../boot.js';
import { bootTestNode } from '../testing/test-node.js';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../testing/databases.js';
import { connectStream, type StreamClient } from '../testing/stream-client.js';
import { sampleCase, TEST_TOKENS } from '../testing/test-app.js';

const GUANGMING = '440311001';
const GONGMING = '440311002';
/** Two communities of 光明街道 and one of 公明街道. */
const IN_GUANGMING = ['440311001001', '440311001002'];
const IN_GONGMING = '440311002001';

describeEachDatabase('scoped officer tokens', (kind) => {
  let testDb: TestDatabase;
  let node: Node;
  const clients: StreamClient[] = [];
  const call = async (method: string, path: string, body: unknown, token: string) => {
    const res = await fetch(`${node.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const admin = (method: string, path: string, body?: unknown) => call(method, path, body, TEST_TOKENS.admin);

  /** The cases: A (unpaid wages, 光明), B (unpaid wages, 公明), C (a dispute, 光明). */
  const ids = { A: '', B: '', C: '' };
  let departmentOfA = '';
  let departmentOfC = '';
  const tokens = { street: '', department: '', both: '' };
  /** Which cases each token reaches. */
  const reach = (): Record<keyof typeof tokens | 'unscoped', string[]> => ({
    street: [ids.A, ids.C],
    department: [ids.A, ids.B],
    both: [ids.A],
    unscoped: [ids.A, ids.B, ids.C],
  });
  const tokenOf = (who: keyof typeof tokens | 'unscoped') => (who === 'unscoped' ? TEST_TOKENS.officer : tokens[who]);
  const WHO = ['street', 'department', 'both', 'unscoped'] as const;

  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    node = await bootTestNode(testDb, {
      FRAME_MS: '150',
    });
    // Sensitive categories with 60 people: each case is red and raises alerts of its own.
    const post = async (tag: string, category: string, communityCode: string) => {
      const res = await call('POST', '/api/cases', sampleCase({ externalId: `scope-${tag}`, category, peopleInvolved: 60, title: `范围测试${tag}：已联系王建国`, location: { communityCode } }), TEST_TOKENS.intake);
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body as { id: string; department: string };
    };
    const a = await post('A', 'labour_wages', IN_GUANGMING[0]!);
    const b = await post('B', 'labour_wages', IN_GONGMING);
    const c = await post('C', 'disputes', IN_GUANGMING[1]!);
    Object.assign(ids, { A: a.id, B: b.id, C: c.id });
    departmentOfA = a.department;
    departmentOfC = c.department;
    expect(b.department).toBe(departmentOfA);
    expect(departmentOfC).not.toBe(departmentOfA);
    const make = async (label: string, scope: Record<string, string[]>) => {
      const res = await admin('POST', '/api/tokens', { role: 'officer', label, ...scope });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body).toMatchObject({ departments: scope.departments ?? null, streets: scope.streets ?? null });
      return res.body.token as string;
    };
    tokens.street = await make('光明街道值班', { streets: [GUANGMING] });
    tokens.department = await make('城管局', { departments: [departmentOfA] });
    tokens.both = await make('城管局光明中队', { departments: [departmentOfA], streets: [GUANGMING] });
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await node?.close();
    await testDb?.destroy();
  });

  it('[SCOPE1] a scope names real departments and streets, and only officers have one', async () => {
    const bad = await admin('POST', '/api/tokens', { role: 'officer', label: 'x', departments: ['no_such_bureau'], streets: ['440311999'] });
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i: { path: string }) => i.path)).toEqual(['departments.0', 'streets.0']);
    const wall = await admin('POST', '/api/tokens', { role: 'wall', label: 'x', streets: [GUANGMING] });
    expect(wall.status).toBe(400);
    expect(wall.body.error).toMatch(/only officer tokens are scoped/);
  });

  it('[SCOPE2] each token reads exactly its cases: one by one, in lists and in search; others are 403 naming the scope', async () => {
    for (const who of WHO) {
      const token = tokenOf(who);
      for (const [name, id] of Object.entries(ids)) {
        const res = await call('GET', `/api/cases/${id}`, undefined, token);
        expect(res.status, `${who} reads ${name}`).toBe(reach()[who].includes(id) ? 200 : 403);
        if (res.status === 403) expect(res.body.error).toMatch(/outside this token's scope/);
      }
      const listed = (await call('GET', '/api/cases?limit=200', undefined, token)).body.cases.map((c: { id: string }) => c.id);
      expect([...listed].sort(), `${who} lists`).toEqual([...reach()[who]].sort());
      const found = (await call('GET', `/api/cases?q=${encodeURIComponent('范围测试')}`, undefined, token)).body.cases.map((c: { id: string }) => c.id);
      expect([...found].sort(), `${who} searches`).toEqual([...reach()[who]].sort());
    }
  });

  it('[SCOPE3] each token sees and acknowledges exactly its alerts, and acts only on its cases', async () => {
    // Red cases' alerts are raised by the deadline monitor within a few seconds.
    let all: { id: string; caseId: string }[] = [];
    for (let i = 0; i < 100 && !Object.values(ids).every((id) => all.some((a) => a.caseId === id)); i++) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, 100));
      all = (await admin('GET', '/api/alerts?limit=200')).body.alerts;
    }
    const alertOf = (caseId: string) => all.find((a) => a.caseId === caseId)!.id;
    for (const id of Object.values(ids)) expect(all.some((a) => a.caseId === id), `an alert for ${id}`).toBe(true);
    for (const who of ['street', 'department', 'both'] as const) {
      const token = tokenOf(who);
      const seen = (await call('GET', '/api/alerts?limit=200', undefined, token)).body.alerts as { caseId: string }[];
      expect([...new Set(seen.map((a) => a.caseId))].sort(), `${who} alerts`).toEqual([...reach()[who]].sort());
    }
    // Acts, in an order where nothing in scope has been touched by another token first.
    for (const [who, name] of [['both', 'B'], ['both', 'C'], ['street', 'B'], ['department', 'C']] as const) {
      const id = ids[name];
      const before = (await admin('GET', `/api/cases/${id}`)).body.case.version;
      expect((await call('POST', `/api/alerts/${alertOf(id)}/ack`, {}, tokenOf(who))).status, `${who} acks ${name}`).toBe(403);
      expect((await call('POST', `/api/cases/${id}/transitions`, { action: 'escalate', note: '越权' }, tokenOf(who))).status, `${who} escalates ${name}`).toBe(403);
      expect((await admin('GET', `/api/cases/${id}`)).body.case.version, `${name} unchanged`).toBe(before);
    }
    for (const [who, name] of [['both', 'A'], ['street', 'C'], ['department', 'B']] as const) {
      const id = ids[name];
      expect((await call('POST', `/api/alerts/${alertOf(id)}/ack`, {}, tokenOf(who))).status, `${who} acks ${name}`).toBe(200);
      expect((await call('POST', `/api/cases/${id}/transitions`, { action: 'dispatch', department: departmentOfA }, tokenOf(who))).status, `${who} dispatches ${name}`).toBe(200);
    }
  });

  it('[SCOPE4] community orders: issued, read, settled only in scope; a department records only its own arrival', async () => {
    const order = (communityCode: string, departments: string[]) => ({
      communityCode,
      title: '邻里纠纷',
      summons: departments.map((department) => ({ department, arriveWithinMinutes: 60, rank: 'section' })),
    });
    const other = 'street_office';
    expect((await call('POST', '/api/orders', order(IN_GONGMING, [other]), tokens.street)).status).toBe(403);
    expect((await call('POST', '/api/orders', order(IN_GUANGMING[0]!, [other]), tokens.department)).status).toBe(403);
    const here = await call('POST', '/api/orders', order(IN_GUANGMING[0]!, [departmentOfA, other]), tokens.street);
    expect(here.status, JSON.stringify(here.body)).toBe(201);
    const there = await admin('POST', '/api/orders', order(IN_GONGMING, [other]));
    expect(there.status).toBe(201);
    const listed = async (token: string) => (await call('GET', '/api/orders?limit=100', undefined, token)).body.orders.map((o: { id: string }) => o.id);
    expect(await listed(tokens.street)).toEqual([here.body.id]);
    expect(await listed(tokens.department)).toEqual([here.body.id]);
    expect((await listed(TEST_TOKENS.officer)).sort()).toEqual([here.body.id, there.body.id].sort());
    expect((await call('GET', `/api/orders/${there.body.id}`, undefined, tokens.street)).status).toBe(403);
    expect((await call('POST', `/api/orders/${there.body.id}/resolve`, { note: '已化解' }, tokens.street)).status).toBe(403);
    // The department's token records its own arrival, never another department's.
    const arrival = (department: string) => ({ department, rank: 'section' });
    expect((await call('POST', `/api/orders/${here.body.id}/arrivals`, arrival(other), tokens.department)).status).toBe(403);
    expect((await call('POST', `/api/orders/${here.body.id}/arrivals`, arrival(departmentOfA), tokens.department)).status).toBe(200);
    expect((await call('POST', `/api/orders/${here.body.id}/arrivals`, arrival(other), tokens.street)).status).toBe(200);
    const read = await admin('GET', `/api/orders/${here.body.id}`);
    expect(read.body.summonses.map((s: { arrivedAt: string | null }) => s.arrivedAt !== null)).toEqual([true, true]);
  });

  it('[SCOPE5] the stream keeps a street-bound token to its streets; a department-bound one sees the district masked', async () => {
    const street = await connectStream(node.url, { auth: { token: tokens.street } });
    clients.push(street);
    expect(street.state!.street).toBe(GUANGMING);
    expect(street.state!.latest.map((c) => c.id).sort()).toEqual([ids.A, ids.C].sort());
    await expect(connectStream(node.url, { auth: { token: tokens.street, street: GONGMING } })).rejects.toMatchObject({ refusal: { code: 'forbidden' } });
    const department = await connectStream(node.url, { auth: { token: tokens.department } });
    clients.push(department);
    expect(department.state!.street).toBeNull();
    expect(JSON.stringify(department.state!.latest)).not.toContain('王建国');
    expect(JSON.stringify(department.state!.latest)).toContain('王**');
    const unscoped = await connectStream(node.url, { auth: { token: TEST_TOKENS.officer } });
    clients.push(unscoped);
    expect(JSON.stringify(unscoped.state!.latest)).toContain('王建国');
  });
});
