/**
 * The stream across crashes and nodes, with servers as separate processes: kill -9 a node and
 * restart it, its clients reconnect by themselves and converge on the API's numbers; an alert is
 * raised once across the restart; with two nodes on one PostgreSQL database, a client of either
 * node sees what was posted to the other. (RULES.md STR11–STR13.)
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Summary } from '../../shared/protocol/payloads.js';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../testing/databases.js';
import { freePort, startServerProcess, type ServerProcess } from '../testing/server-process.js';
import { connectStream, summaryAtClientSeq, type StreamClient } from '../testing/stream-client.js';
import { sampleCase, TEST_TOKENS } from '../testing/test-app.js';

const tokenEnv = {
  ADMIN_TOKEN: TEST_TOKENS.admin,
  OFFICER_TOKEN: TEST_TOKENS.officer,
  WALL_TOKEN: TEST_TOKENS.wall,
  INTAKE_TOKEN: TEST_TOKENS.intake,
};

const call = async (url: string, method: string, path: string, body?: unknown, role: keyof typeof TEST_TOKENS = 'admin') => {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${TEST_TOKENS[role]}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as any };
};

const post = async (url: string, n: number, tag: string, overrides: Record<string, unknown> = {}) => {
  const cases = Array.from({ length: n }, (_, i) => sampleCase({ externalId: `${tag}-${i}`, ...overrides }));
  const res = await call(url, 'POST', '/api/cases/batch', { cases }, 'intake');
  expect(res.status).toBe(200);
  return res.body.results as { status: number; case: { id: string; seq: number } }[];
};

/** The client's figures equal the API's (asked of `apiUrl`) once it has seen the API's seq. */
async function converge(client: StreamClient, apiUrl: string): Promise<void> {
  const api = await summaryAtClientSeq(client, async () => (await call(apiUrl, 'GET', '/api/stats/summary', undefined, 'wall')).body as Summary);
  expect(client.state!.summary).toEqual(api);
}

describeEachDatabase('live stream across restarts', (kind) => {
  let testDb: TestDatabase;
  let env: Record<string, string>;
  const processes: ServerProcess[] = [];
  const clients: StreamClient[] = [];
  const start = async (port: number) => {
    const server = await startServerProcess({ ...env, PORT: String(port), FRAME_MS: '100' });
    processes.push(server);
    return server;
  };

  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    env = { ...tokenEnv, DATA_DIR: testDb.dataDir, DATABASE_URL: testDb.url ?? '' };
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    for (const server of processes) if (server.child.exitCode === null) await server.kill9();
    await testDb?.destroy();
  });

  it('[STR11][STR12] kill -9 and restart: clients reconnect, converge on the API; an alert is raised once', { timeout: 120_000 }, async () => {
    const port = await freePort();
    const first = await start(port);
    const wall = await connectStream(first.url, { auth: { token: TEST_TOKENS.wall }, reconnection: true });
    const officer = await connectStream(first.url, { auth: { token: TEST_TOKENS.officer }, reconnection: true });
    clients.push(wall, officer);
    await post(first.url, 50, 'before');
    // Reported 150 min ago: its 2-hour respond deadline is already breached.
    const [late] = await post(first.url, 1, 'late', { reportedAt: new Date(Date.now() - 150 * 60_000).toISOString() });
    const lateAlert = (c: StreamClient) => c.received.filter((m) => m.type === 'alert' && m.body.alert.caseId === late!.case.id && m.body.alert.kind === 'sla_breached');
    await officer.until((c) => lateAlert(c).length > 0, 15_000, 'the breach alert');
    await converge(wall, first.url);

    await first.kill9();
    const second = await start(port);
    await post(second.url, 40, 'after');
    await converge(wall, second.url);
    await converge(officer, second.url);
    expect(wall.gaps).toBe(0);

    // Give the restarted monitor a few passes: the breach stays one alert.
    await new Promise((resolve) => setTimeout(resolve, 5_000));
    const alerts = (await call(second.url, 'GET', '/api/alerts?state=all', undefined, 'officer')).body.alerts as { caseId: string; kind: string; stage: string; id: string }[];
    const breaches = alerts.filter((a) => a.caseId === late!.case.id && a.kind === 'sla_breached' && a.stage === 'respond');
    expect(breaches).toHaveLength(1);
    expect(new Set(lateAlert(officer).map((m) => (m.type === 'alert' ? m.body.alert.id : '')))).toEqual(new Set([breaches[0]!.id]));
    await converge(wall, second.url);
    await second.stop();
  });

  if (kind === 'postgres') {
    it('[STR13] two nodes on one database: a client of either node sees what was posted to the other', { timeout: 120_000 }, async () => {
      const a = await start(await freePort());
      const b = await start(await freePort());
      const onA = await connectStream(a.url, { auth: { token: TEST_TOKENS.wall }, reconnection: true });
      const onB = await connectStream(b.url, { auth: { token: TEST_TOKENS.wall }, reconnection: true });
      clients.push(onA, onB);
      await post(b.url, 120, 'via-b');
      await post(a.url, 80, 'via-a');
      await converge(onA, b.url);
      await converge(onB, a.url);
      expect(onA.state!.summary).toEqual(onB.state!.summary);
      await a.stop();
      await b.stop();
    });
  }
});
