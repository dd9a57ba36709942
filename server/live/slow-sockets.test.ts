/**
 * Slow walls (RULES STR18, STR19): a socket whose unsent packets reach the bound is left out of deltas,
 * resynced with one snapshot once it has read everything, dropped after a minute behind. Unit
 * level with stand-in sockets and an injected clock; then end to end with a real socket.io-client
 * whose TCP socket stops reading beside one that reads, on a real node.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io';
import type { Node } from '../boot.js';
import { bootTestNode, nodeApi } from '../testing/test-node.js';
import { createTestDatabase, type TestDatabase } from '../testing/databases.js';
import { connectStream, summaryAtClientSeq, type StreamClient } from '../testing/stream-client.js';
import { sampleCase, TEST_TOKENS } from '../testing/test-app.js';
import { SlowSockets } from './slow-sockets.js';

function standIn(id: string) {
  const socket = {
    id,
    data: { identity: { label: `wall ${id}` } },
    conn: { writeBuffer: [] as unknown[], transport: { writable: true } },
    dropped: false,
    disconnect() {
      socket.dropped = true;
    },
  };
  return socket;
}

describe('slow sockets', () => {
  it('[STR18] behind at maxUnsent: left out, then one resync once drained; dropped after dropAfterMs', () => {
    const resynced: string[] = [];
    const lines: string[] = [];
    const slow = new SlowSockets({ maxUnsent: 3, dropAfterMs: 60_000, resync: (s) => void resynced.push(s.id), log: (l) => void lines.push(l) });
    const fast = standIn('fast');
    const lagging = standIn('lagging');
    const gone = standIn('gone');
    const all = [fast, lagging, gone] as unknown as Socket[];
    expect(slow.leaveOut(all, 0)).toEqual([]);
    lagging.conn.writeBuffer.push(1, 2, 3);
    lagging.conn.transport.writable = false;
    gone.conn.writeBuffer.push(1, 2, 3);
    expect(slow.leaveOut(all, 1_000)).toEqual(['lagging', 'gone']);
    expect(slow.count).toBe(2);
    lagging.conn.writeBuffer.length = 0; // it read what it had
    expect(slow.leaveOut(all, 2_000)).toEqual(['lagging', 'gone']); // still not writable
    lagging.conn.transport.writable = true;
    expect(slow.leaveOut(all, 3_000)).toEqual(['lagging', 'gone']); // this frame: the snapshot instead
    expect(resynced).toEqual(['lagging']);
    expect(slow.leaveOut(all, 4_000)).toEqual(['gone']);
    expect(slow.leaveOut(all, 61_001)).toEqual([]);
    expect(gone.dropped).toBe(true);
    expect(lines.join('\n')).toMatch(/wall gone\) read nothing for 60 s and was dropped/);
    expect(slow.count).toBe(0);
  });
});

describe('slow walls on a real node', () => {
  let testDb: TestDatabase;
  let node: Node;
  const clients: StreamClient[] = [];
  const api = nodeApi(() => node);
  beforeAll(async () => {
    testDb = await createTestDatabase('pglite');
    node = await bootTestNode(testDb, { FRAME_MS: '0', MAX_SOCKETS_PER_TOKEN: '3' });
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await node?.close();
    await testDb?.destroy();
  });

  it('[STR19] one token holds at most MAX_SOCKETS_PER_TOKEN live connections; one closed makes room', async () => {
    const held = [];
    for (let i = 0; i < 3; i++) held.push(await connectStream(node.url, { auth: { token: TEST_TOKENS.admin } }));
    await expect(connectStream(node.url, { auth: { token: TEST_TOKENS.admin } })).rejects.toMatchObject({ refusal: { code: 'too_many_connections' } });
    const other = await connectStream(node.url, { auth: { token: TEST_TOKENS.wall } }); // another token is not counted with it
    other.close();
    held.pop()!.close();
    await expect.poll(() => node.gateway.io.sockets.sockets.size, { timeout: 10_000 }).toBe(2); // the server saw both close
    held.push(await connectStream(node.url, { auth: { token: TEST_TOKENS.admin } }));
    for (const client of held) client.close();
  });

  it('[STR18] a wall that stops reading is left out and holds a few frames at most; the reading wall stays right; the slow one catches up with a snapshot', { timeout: 150_000 }, async () => {
    const reading = await connectStream(node.url, { auth: { token: TEST_TOKENS.wall } });
    const stalled = await connectStream(node.url, { auth: { token: TEST_TOKENS.wall } });
    clients.push(reading, stalled);
    const tcp = (stalled.socket.io.engine.transport as unknown as { ws: { _socket: { pause(): void; resume(): void } } }).ws._socket;
    tcp.pause();
    const unsent = () => Math.max(0, ...[...node.gateway.io.sockets.sockets.values()].map((s) => (s.conn as unknown as { writeBuffer: unknown[] }).writeBuffer.length));
    let most = 0;
    let rounds = 0;
    // Long titles make big frames, so the kernel's socket buffers fill in fewer of them.
    const title = (n: number) => `${'华夏路占道经营影响通行'.repeat(17)} ${n}`;
    for (; rounds < 1_500 && node.gateway.behind === 0; rounds++) {
      const round = rounds;
      const items = Array.from({ length: 20 }, (_, i) => sampleCase({ externalId: `slow-${round}-${i}`, title: title(i) }));
      expect((await api('POST', '/api/cases/batch', { cases: items }, 'intake')).status).toBe(200);
      most = Math.max(most, unsent());
    }
    expect(node.gateway.behind, `still not behind after ${rounds} frames`).toBe(1);
    console.log(`slow walls: the stalled wall fell behind after ${rounds} frames`);
    for (let round = 0; round < 30; round++) {
      const items = Array.from({ length: 20 }, (_, i) => sampleCase({ externalId: `slow-more-${round}-${i}` }));
      await api('POST', '/api/cases/batch', { cases: items }, 'intake');
      most = Math.max(most, unsent());
    }
    expect(most).toBeLessThan(10); // a few packets queued (a risk delta may join them), not one per frame: 30 more frames went out
    const summary = async () => (await api('GET', '/api/stats/summary', undefined, 'wall')).body;
    const readingApi = await summaryAtClientSeq(reading, summary);
    expect(reading.state!.summary).toEqual(readingApi);

    const snapshotsBefore = stalled.received.filter((m) => m.type === 'snapshot').length;
    tcp.resume();
    await api('POST', '/api/cases', sampleCase({ externalId: 'slow-wake' }), 'intake'); // a frame, at which it is seen to have caught up
    await stalled.until((c) => c.received.filter((m) => m.type === 'snapshot').length > snapshotsBefore, 30_000, 'a resync snapshot');
    const stalledApi = await summaryAtClientSeq(stalled, summary);
    expect(stalled.state!.summary).toEqual(stalledApi);
    expect(node.gateway.behind).toBe(0);
  });
});
