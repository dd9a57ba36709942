/**
 * PostgreSQL restarted under three nodes and 16 posting clients (RULES FLT7), on a cluster of the
 * test's own (server/testing/private-postgres.ts; never the machine's shared server): no node
 * exits, every answer is 201 or 503 with Retry-After, every 201 is stored exactly once, each node
 * answers 201 again within 5 s of PostgreSQL being back, the walls on each node converge to the
 * API's figures, and nothing reached the last-resort handler.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Summary } from '../shared/protocol/payloads.js';
import { findPostgresBinaries, startPrivatePostgres, type PrivatePostgres } from './testing/private-postgres.js';
import { startServerProcess, type ServerProcess } from './testing/server-process.js';
import { connectStream, summaryAtClientSeq, type StreamClient } from './testing/stream-client.js';
import { sampleCase, TEST_TOKENS } from './testing/test-app.js';

const NODES = 3;
const CLIENTS = 16;
const found = findPostgresBinaries();

if (found.bin === null) {
  describe('PostgreSQL restarted under intake', () => it.skip(found.reason, () => undefined));
} else {
  const bin = found.bin;
  describe('PostgreSQL restarted under intake', () => {
    let cluster: PrivatePostgres;
    const nodes: ServerProcess[] = [];
    const dirs: string[] = [];
    const walls: StreamClient[] = [];

    const post = async (node: ServerProcess, externalId: string) => {
      const res = await fetch(`${node.url}/api/cases`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TEST_TOKENS.intake}`, 'content-type': 'application/json' },
        body: JSON.stringify(sampleCase({ externalId, location: undefined })),
        signal: AbortSignal.timeout(20_000),
      });
      const text = await res.text();
      return { status: res.status, retryAfter: res.headers.get('retry-after'), text };
    };

    beforeAll(async () => {
      cluster = await startPrivatePostgres(bin);
      for (let i = 0; i < NODES; i++) {
        const dir = mkdtempSync(join(tmpdir(), 'cp-node-'));
        dirs.push(dir);
        // One at a time: the first migrates, the others find it done.
        nodes.push(await startServerProcess({ DATA_DIR: dir, DATABASE_URL: cluster.url, INTAKE_TOKEN: TEST_TOKENS.intake, WALL_TOKEN: TEST_TOKENS.wall }));
      }
    }, 180_000);
    afterAll(async () => {
      for (const wall of walls) wall.close();
      for (const node of nodes) await node.stop();
      await cluster?.destroy();
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    });

    it('[FLT7] three nodes, 16 clients, PostgreSQL restarted: no exit, 201 or 503 only, every 201 stored once, serving again within 5 s, walls right', { timeout: 120_000 }, async () => {
      for (const node of nodes) walls.push(await connectStream(node.url, { auth: { token: TEST_TOKENS.wall }, reconnection: true }));
      const answers = new Map<string, number>();
      const wrong: string[] = [];
      let sending = true;
      const clients = Array.from({ length: CLIENTS }, async (_, c) => {
        for (let i = 0; sending; i++) {
          const externalId = `restart-${c}-${i}`;
          const answer = await post(nodes[c % NODES]!, externalId).catch((error: Error) => ({ status: 0, retryAfter: null, text: error.message }));
          answers.set(externalId, answer.status);
          if (answer.status !== 201 && !(answer.status === 503 && answer.retryAfter)) wrong.push(`${externalId}: ${answer.status} ${answer.text.slice(0, 200)}`);
          if (answer.status === 503) await new Promise((resolve) => setTimeout(resolve, 100));
        }
      });
      while ([...answers.values()].filter((s) => s === 201).length < 100) await new Promise((resolve) => setTimeout(resolve, 20));

      const { startedAt } = await cluster.restart(1_000);
      const backAfter = await Promise.all(
        nodes.map(async (node, n) => {
          for (let i = 0; ; i++) {
            if ((await post(node, `restart-back-${n}-${i}`).catch(() => ({ status: 0 }))).status === 201) return Date.now() - startedAt;
            if (Date.now() - startedAt > 15_000) return Number.POSITIVE_INFINITY;
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
        }),
      );
      await new Promise((resolve) => setTimeout(resolve, 1_000)); // intake goes on after the restart
      sending = false;
      await Promise.all(clients);

      const count = (status: number) => [...answers.values()].filter((s) => s === status).length;
      console.log(`PostgreSQL restart under ${CLIENTS} clients on ${NODES} nodes: ${count(201)} × 201, ${count(503)} × 503; nodes answered 201 again ${backAfter.map((ms) => `${ms} ms`).join(', ')} after it was back`);
      for (const node of nodes) expect(node.child.exitCode, node.output().slice(-2000)).toBeNull();
      expect(wrong).toEqual([]);
      for (const ms of backAfter) expect(ms).toBeLessThan(5_000);
      expect([...answers.values()].filter((s) => s === 503).length, 'the restart was felt').toBeGreaterThan(0);

      const admin = new pg.Client({ connectionString: cluster.url });
      await admin.connect();
      const stored = (await admin.query("SELECT external_id, count(*)::int AS n FROM cases WHERE external_id LIKE 'restart-%' AND external_id NOT LIKE 'restart-back-%' GROUP BY 1").finally(() => admin.end())).rows as { external_id: string; n: number }[];
      expect(stored.filter((r) => r.n !== 1)).toEqual([]); // no duplicate
      const kept = new Set(stored.map((r) => r.external_id));
      expect([...answers].filter(([id, status]) => status === 201 && !kept.has(id))).toEqual([]); // every 201 kept

      for (const [n, wall] of walls.entries()) {
        const summary = async () => (await (await fetch(`${nodes[n]!.url}/api/stats/summary`, { headers: { authorization: `Bearer ${TEST_TOKENS.wall}` } })).json()) as Summary;
        const api = await summaryAtClientSeq(wall, summary, 30_000);
        expect(wall.state!.summary).toEqual(api);
      }
      for (const node of nodes) expect(node.output()).not.toContain('LAST RESORT');
    });
  });
}
