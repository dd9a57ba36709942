/**
 * The live stream end to end: a real node (boot) on a real database, real socket.io-clients, cases
 * posted through the HTTP API. Rule ids STR1–STR10 are in RULES.md.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PROTOCOL_VERSION, type StreamDelta } from '../../shared/protocol/events.js';
import type { Summary } from '../../shared/protocol/payloads.js';
import { applyRiskDelta, type RiskDelta, type RiskMap } from '../../shared/protocol/risk-map.js';
import { latLngToCell } from 'h3-js';
import type { Node } from '../boot.js';
import { bootTestNode, nodeApi } from '../testing/test-node.js';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../testing/databases.js';
import { connectStream, summaryAtClientSeq, type StreamClient } from '../testing/stream-client.js';
import { sampleCase, TEST_TOKENS } from '../testing/test-app.js';

const STREET = '440311001';

describeEachDatabase('live stream', (kind) => {
  let testDb: TestDatabase;
  let node: Node;
  const clients: StreamClient[] = [];

  const api = nodeApi(() => node);
  const summary = async (query = '') => (await api('GET', `/api/stats/summary${query}`, undefined, 'wall')).body as Summary;
  const postBatch = async (n: number, tag: string, overrides: Record<string, unknown> = {}) => {
    const items = Array.from({ length: n }, (_, i) => sampleCase({ externalId: `${tag}-${i}`, ...overrides }));
    const res = await api('POST', '/api/cases/batch', { cases: items }, 'intake');
    expect(res.status).toBe(200);
    return res.body;
  };
  const connect = async (role: keyof typeof TEST_TOKENS | null, auth: Record<string, unknown> = {}, more = {}) => {
    const client = await connectStream(node.url, { auth: { ...(role ? { token: TEST_TOKENS[role] } : {}), ...auth }, ...more });
    clients.push(client);
    return client;
  };
  const headSeq = async () => (await summary()).seq;
  /** The client's figures equal the API's once it has seen `seq`. */
  const converge = async (client: StreamClient, query = '') => {
    const api = await summaryAtClientSeq(client, () => summary(query));
    expect(client.state!.summary).toEqual(api);
  };

  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    node = await bootTestNode(testDb, {
      FRAME_MS: '150',
      REANNOUNCE_SECONDS: '2',
      RISK_DELTA_SECONDS: '0.5',
    });
  });
  afterAll(async () => {
    for (const client of clients) client.close();
    await node?.close();
    await testDb?.destroy();
  });

  it('[STR1] no token, a bad token or a role without the figures: no stream', async () => {
    await expect(connectStream(node.url)).rejects.toMatchObject({ refusal: { code: 'unauthorized' } });
    await expect(connectStream(node.url, { auth: { token: 'not-a-real-token-at-all' } })).rejects.toMatchObject({ refusal: { code: 'unauthorized' } });
    await expect(connectStream(node.url, { auth: { token: TEST_TOKENS.intake } })).rejects.toMatchObject({ refusal: { code: 'forbidden' } });
  });

  it('[STR1] a revoked token loses its open stream', async () => {
    const made = await api('POST', '/api/tokens', { role: 'wall', label: 'lobby wall' });
    expect(made.status).toBe(201);
    const lobby = await connectStream(node.url, { auth: { token: made.body.token } });
    clients.push(lobby);
    const dropped = new Promise<void>((resolve) => lobby.socket.once('disconnect', () => resolve()));
    expect((await api('DELETE', `/api/tokens/${made.body.id}`)).status).toBe(200);
    await dropped;
  });

  it('[STR2] a protocol mismatch or a foreign Origin is refused with a clear reason', async () => {
    const old = connectStream(node.url, { auth: { token: TEST_TOKENS.wall, protocol: PROTOCOL_VERSION + 1 } });
    await expect(old).rejects.toMatchObject({ refusal: { code: 'protocol_mismatch', expected: PROTOCOL_VERSION } });
    await expect(old).rejects.toThrow(/protocol/);
    const foreign = connectStream(node.url, { auth: { token: TEST_TOKENS.wall }, extraHeaders: { origin: 'https://evil.example' } });
    await expect(foreign).rejects.toMatchObject({ refusal: { code: 'origin_not_allowed' } });
    const street = connectStream(node.url, { auth: { token: TEST_TOKENS.wall, street: 'nowhere' } });
    await expect(street).rejects.toMatchObject({ refusal: { code: 'bad_handshake' } });
    await expect(street).rejects.toThrow(/auth.street/);
  });

  it('[STR3] a snapshot equal to the API, then gap-free coalesced deltas that keep it equal', async () => {
    await postBatch(20, 'warmup');
    await node.projector.reached(await headSeq()); // so the snapshot is at the API's seq
    const wall = await connect('wall');
    const first = wall.received[0]!;
    expect(first.type).toBe('snapshot');
    if (first.type !== 'snapshot') return;
    expect(first.body.summary).toEqual(await summary());
    expect(first.body.epoch).toBe(node.projector.epoch);

    for (let round = 0; round < 5; round++) await postBatch(200, `burst-${round}`);
    await converge(wall);
    const deltas = wall.received.filter((m) => m.type === 'delta').map((m) => m.body as StreamDelta);
    let seq = first.body.seq;
    for (const d of deltas) {
      if (d.toSeq <= seq) continue; // a frame that was under way when the snapshot was taken: stale
      expect(d.fromSeq).toBeLessThanOrEqual(seq); // never a gap
      seq = d.toSeq;
    }
    expect(wall.gaps).toBe(0);
    // 1,000 cases arrived; frames are coalesced (at most one per 150 ms), not one per case.
    expect(deltas.length).toBeLessThan(100);
    expect(wall.state!.period).toEqual(await summary(`?from=${wall.state!.period.from}&to=${wall.state!.period.to}`));
  });

  it('[STR20] a client that showed more than this node has folded waits for it, then resumes with a delta: never an older snapshot', async () => {
    const wall = await connect('wall');
    await converge(wall);
    const held = structuredClone(wall.state!);
    wall.close();
    const ahead = { ...held, seq: held.seq + 5 }; // as shown by a node further along the log
    let firstAt = 0;
    const connecting = connect('wall', { lastSeq: ahead.seq, epoch: ahead.epoch }, { from: ahead, onMessage: () => void (firstAt ||= Date.now()) });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(firstAt).toBe(0); // waiting: nothing older than what it showed
    const posted = Date.now();
    await postBatch(5, 'catch-up');
    const back = await connecting; // resolves at its first message
    expect(firstAt).toBeGreaterThanOrEqual(posted);
    expect(back.received[0]!.type).toBe('delta');
    if (back.received[0]!.type === 'delta') expect(back.received[0]!.body.fromSeq).toBe(ahead.seq);
  });

  it('[STR4] a client away for N events catches up with a delta of what it missed, not a snapshot', async () => {
    const wall = await connect('wall');
    await converge(wall);
    const held = structuredClone(wall.state!);
    wall.close();
    await postBatch(150, 'while-away');
    const back = await connect('wall', { lastSeq: held.seq, epoch: held.epoch }, { from: held });
    const first = back.received[0]!;
    expect(first.type).toBe('delta');
    if (first.type === 'delta') expect(first.body.fromSeq).toBe(held.seq);
    await converge(back);
    const fresh = await connect('wall');
    expect(back.state!.summary).toEqual(fresh.state!.summary);
    expect(back.state!.latest).toEqual(fresh.state!.latest);
    expect(back.state!.hourly).toEqual(fresh.state!.hourly);
    expect(back.state!.points).toEqual(fresh.state!.points);
    expect(back.state!.points.length).toBeGreaterThan(150);

    // From another epoch (a reset log), a snapshot instead.
    const stranger = await connect('wall', { lastSeq: held.seq, epoch: 'another-epoch' });
    expect(stranger.received[0]!.type).toBe('snapshot');
  });

  it('[STR5] a wall never receives personal data; an officer does', async () => {
    const wall = await connect('wall');
    const officer = await connect('officer');
    const secretPhone = '13987654321';
    const secretName = '欧阳明月';
    const secretAddress = '光明区华夏路88号3栋1201';
    await postBatch(3, 'pii', {
      title: `${secretName}反映楼道堵塞`,
      reporter: { name: secretName, phone: secretPhone },
      location: { lat: 22.7485, lng: 113.9405, address: secretAddress },
      description: `联系人${secretName}，电话${secretPhone}`,
    });
    await converge(wall);
    await converge(officer);
    const wallText = JSON.stringify(wall.received);
    expect(wallText).not.toContain(secretPhone);
    expect(wallText).not.toContain(secretName);
    expect(wallText).not.toContain('88号');
    expect(wallText).toContain('欧***反映楼道堵塞');
    const officerText = JSON.stringify(officer.received);
    expect(officerText).toContain(secretName);
    expect(officerText).toContain(secretAddress);
  });

  it('[STR6] an alert goes out at once to everyone; an ack by one officer reaches the others; a wall cannot ack', async () => {
    const wall = await connect('wall');
    const officerA = await connect('officer');
    const officerB = await connect('officer');
    const [item] = (await postBatch(1, 'red', { peopleInvolved: 60 })).results;
    const caseId = item.case.id as string;
    const raised = (c: StreamClient) => c.received.find((m) => m.type === 'alert' && m.body.alert.caseId === caseId && m.body.alert.kind === 'red_case');
    for (const c of [wall, officerA, officerB]) await c.until((x) => raised(x) !== undefined, 10_000, 'the red-case alert');
    const alert = raised(officerA)!;
    if (alert.type !== 'alert') return;
    const id = alert.body.alert.id;
    expect(wall.state!.alerts.some((a) => a.id === id)).toBe(true);

    const refused = await wall.socket.emitWithAck('ack', { alertId: id });
    expect(refused).toMatchObject({ ok: false });

    const reply = await officerA.socket.emitWithAck('ack', { alertId: id });
    expect(reply).toMatchObject({ ok: true, alert: { id, ackedBy: expect.any(String) } });
    for (const c of [wall, officerB]) {
      await c.until((x) => x.received.some((m) => m.type === 'acked' && m.body.id === id), 10_000, 'the acknowledgement');
      await c.until((x) => !x.state!.alerts.some((a) => a.id === id), 10_000, 'the alert to leave the list');
    }
    const listed = await api('GET', '/api/alerts?state=all', undefined, 'officer');
    expect(listed.body.alerts.find((a: { id: string }) => a.id === id)).toMatchObject({ ackedBy: expect.any(String) });
  });

  it('[STR16] an early warning reaches every client at once, grows in place, stays when its cases close, and leaves when acknowledged', { timeout: 30_000 }, async () => {
    const wall = await connect('wall');
    const officer = await connect('officer');
    const ids = (await postBatch(4, 'cluster', { category: 'water' })).results.map((r: { case: { id: string } }) => r.case.id) as string[];
    const actor = { label: 'early warning', role: 'admin' as const, origin: 'test' };
    const candidate = (caseIds: string[]) => ({ kind: 'recurring' as const, severity: 'warning' as const, subject: 'recurring|water', caseIds, street: STREET, text: `反复出现 ${caseIds.length}件 · 7日内 常态约0.1件 · 水务 · 光明社区` });
    const [raised] = await node.writer.raiseWarnings([candidate(ids.slice(0, 3))], actor);
    const seen = (c: StreamClient, n: number) => c.state!.alerts.find((a) => a.id === raised!.id && a.caseIds.length === n);
    for (const c of [wall, officer]) await c.until((x) => seen(x, 3) !== undefined, 10_000, 'the recurring alert');
    expect(wall.received.some((m) => m.type === 'alert' && m.body.alert.id === raised!.id && m.body.alert.kind === 'recurring')).toBe(true);

    const [grown] = await node.writer.raiseWarnings([candidate(ids)], actor);
    expect(grown!.id).toBe(raised!.id);
    for (const c of [wall, officer]) await c.until((x) => seen(x, 4)?.text.startsWith('反复出现 4件') ?? false, 10_000, 'the grown alert');
    expect(wall.state!.alerts.filter((a) => a.id === raised!.id)).toHaveLength(1);

    for (const action of ['dispatch', 'accept', 'resolve']) {
      expect((await api('POST', `/api/cases/${ids[0]}/transitions`, { action, note: '已处理' }, 'officer')).status, action).toBe(200);
    }
    await converge(wall);
    expect(seen(wall, 4), 'the alert outlives its first case').toBeDefined();

    expect(await officer.socket.emitWithAck('ack', { alertId: raised!.id })).toMatchObject({ ok: true });
    await wall.until((x) => !x.state!.alerts.some((a) => a.id === raised!.id), 10_000, 'the alert to leave');
  });

  it('[STR17] the end-of-day red list, a critical alert about no single case, is announced again until acknowledged', { timeout: 30_000 }, async () => {
    const wall = await connect('wall');
    const ids = (await postBatch(2, 'redlist', { peopleInvolved: 70 })).results.map((r: { case: { id: string } }) => r.case.id) as string[];
    const text = `日终红色清单 2件 · 12月1日 黄0 绿0 · 全区`;
    const [list] = await node.writer.raiseWarnings([{ kind: 'day_red', severity: 'critical', subject: 'day_red|2000-01-01', caseIds: ids, street: null, text }], {
      label: 'end of day',
      role: 'admin',
      origin: 'test',
    });
    await wall.until((x) => x.received.some((m) => m.type === 'alert' && m.body.alert.id === list!.id && m.body.reannounced >= 1), 15_000, 'a re-announcement');
    expect((await api('POST', `/api/alerts/${list!.id}/ack`, {}, 'officer')).status).toBe(200);
    await wall.until((x) => !x.state!.alerts.some((a) => a.id === list!.id), 10_000, 'the list to leave');
  });

  it('[STR14] when acknowledgements empty a client\'s alert list, the newest active alerts refill it', { timeout: 60_000 }, async () => {
    // Reported 100 minutes ago: each is at risk on its 2-hour respond deadline, a warning (warnings
    // are not re-announced, which would refill the list by another way).
    await postBatch(130, 'flood', { reportedAt: new Date(Date.now() - 100 * 60_000).toISOString() });
    const officer = await connect('officer');
    await officer.until((c) => c.state!.activeAlerts >= 130, 20_000, '130 active alerts');
    const wall = await connect('wall');
    expect(wall.state!.alerts).toHaveLength(100); // a snapshot lists the newest 100
    // An officer acknowledges the 95 newest: the wall held only those 100.
    for (const alert of officer.state!.alerts.slice(0, 95)) expect(await officer.socket.emitWithAck('ack', { alertId: alert.id })).toMatchObject({ ok: true });
    await wall.until((c) => c.state!.alerts.length >= 20, 15_000, `the list to refill (it holds ${wall.state!.alerts.length})`);
    await converge(wall);
    const fresh = await connect('wall');
    expect(wall.state!.activeAlerts).toBe(fresh.state!.activeAlerts);
    expect(wall.state!.alerts.slice(0, 20)).toEqual(fresh.state!.alerts.slice(0, 20));
  });

  it('[STR7] an unacknowledged critical alert is announced again', async () => {
    const officer = await connect('officer');
    const [item] = (await postBatch(1, 'red-again', { peopleInvolved: 80 })).results;
    const caseId = item.case.id as string;
    await officer.until(
      (c) => c.received.some((m) => m.type === 'alert' && m.body.alert.caseId === caseId && m.body.reannounced >= 1),
      15_000,
      'a re-announcement',
    );
  });

  it('[STR8] a street scope gets every frame and its own figures, equal to the API for that street', async () => {
    const street = await connect('wall', { street: STREET });
    expect(street.state!.street).toBe(STREET);
    await postBatch(30, 'street');
    await converge(street, `?street=${STREET}`);
    expect(street.gaps).toBe(0);
    expect(street.state!.summary.street).toBe(STREET);
  });

  it('[STR9] a malformed message drops that connection and nothing else', async () => {
    const bad = await connect('officer');
    const good = await connect('wall');
    const dropped = new Promise<void>((resolve) => bad.socket.once('disconnect', () => resolve()));
    (bad.socket as any).emit('ack', { alertId: 42, extra: true }, () => undefined);
    await dropped;
    await postBatch(5, 'after-bad');
    await converge(good);
    expect((await headSeq()) > 0).toBe(true);
  });

  it('[STR10] POST /api/cases answers with the seq of its event, and a client can wait for it', async () => {
    const wall = await connect('wall');
    const res = await api('POST', '/api/cases', sampleCase({ externalId: 'seq-check' }), 'intake');
    expect(res.status).toBe(201);
    await wall.until((c) => c.state!.seq >= res.body.seq, 10_000, `seq ${res.body.seq}`);
    expect(wall.state!.latest.some((c) => c.id === res.body.id)).toBe(true);
  });

  it('[STR15] the risk map starts from GET /api/risk/map; the stream then sends only the features that changed', async () => {
    const wall = await connect('wall');
    const deltas: RiskDelta[] = [];
    wall.socket.on('risk', (delta) => deltas.push(delta));
    const before = (await api('GET', '/api/risk/map', undefined, 'wall')).body as RiskMap;
    const spot = { lat: 22.7931, lng: 113.8952 }; // a corner of the district no other test uses
    const res = await api('POST', '/api/cases', sampleCase({ externalId: 'risk-red', category: 'labour_wages', peopleInvolved: 60, location: spot }), 'intake');
    expect(res.status).toBe(201);
    const cell = `h3:${latLngToCell(spot.lat, spot.lng, 8)}`;
    const deadline = Date.now() + 15_000;
    while (!deltas.some((d) => d.features.some((f) => f.id === cell)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const held = deltas.reduce(applyRiskDelta, before);
    const mine = held.features.find((f) => f.id === cell);
    expect(mine?.properties).toMatchObject({ layer: 'cell', open: 1, red: 1 });
    expect(mine?.geometry.type).toBe('Polygon');
    const community = held.features.find((f) => f.id === res.body.communityCode)!;
    const fresh = (await api('GET', '/api/risk/map', undefined, 'wall')).body as RiskMap;
    expect(community.properties.red).toBe(fresh.features.find((f) => f.id === res.body.communityCode)!.properties.red);
    // Only changed features travel: far fewer than the whole map.
    const sent = deltas.flatMap((d) => d.features).length;
    expect(sent).toBeLessThan(before.features.length);
  });
});
