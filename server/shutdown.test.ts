/**
 * A graceful stop under load (RULES FLT6): SIGTERM while 8 clients post. Every request either got
 * its answer or was never committed: the cases stored are exactly the ones answered 201. The node
 * exits 0, saying so, and nothing reached the last-resort handler. Then Open311's idempotency:
 * the same post retried (with an Idempotency-Key, or the same api_key and form within 10 minutes)
 * answers the first case.
 */
import { once } from 'node:events';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { queryRows } from './db/client.js';
import { createTestDatabase, describeEachDatabase } from './testing/databases.js';
import { startServerProcess } from './testing/server-process.js';
import { sampleCase, TEST_TOKENS } from './testing/test-app.js';

const CLIENTS = 8;

describeEachDatabase('graceful shutdown', (kind) => {
  it('[FLT6] SIGTERM under 8 posting clients: the cases stored are exactly those answered 201; exit 0', { timeout: 90_000 }, async () => {
    const testDb = await createTestDatabase(kind);
    try {
      const server = await startServerProcess({ DATA_DIR: testDb.dataDir, DATABASE_URL: testDb.url ?? '', INTAKE_TOKEN: TEST_TOKENS.intake });
      const answered = new Map<string, number | 'no answer'>();
      let sending = true;
      const client = async (c: number) => {
        for (let i = 0; sending; i++) {
          const externalId = `term-${c}-${i}`;
          try {
            const res = await fetch(`${server.url}/api/cases`, {
              method: 'POST',
              headers: { authorization: `Bearer ${TEST_TOKENS.intake}`, 'content-type': 'application/json' },
              body: JSON.stringify(sampleCase({ externalId, location: undefined })),
              signal: AbortSignal.timeout(20_000),
            });
            await res.text();
            answered.set(externalId, res.status);
          } catch {
            answered.set(externalId, 'no answer'); // refused (the node stopped listening) or cut
            return;
          }
        }
      };
      const clients = Array.from({ length: CLIENTS }, (_, c) => client(c));
      while ([...answered.values()].filter((s) => s === 201).length < 40) await new Promise((resolve) => setTimeout(resolve, 20));
      const exited = once(server.child, 'exit') as Promise<[number | null]>;
      server.child.kill('SIGTERM');
      const [code] = await exited;
      sending = false;
      await Promise.all(clients);

      expect(code, server.output().slice(-2000)).toBe(0);
      expect(server.output()).toMatch(/SIGTERM: stopped cleanly/);
      expect(server.output()).not.toContain('LAST RESORT');
      const handle = await testDb.open();
      try {
        const rows = await queryRows<{ external_id: string }>(handle.db, sql`SELECT external_id FROM cases WHERE external_id LIKE 'term-%'`);
        const stored = rows.map((r) => r.external_id).sort();
        const created = [...answered].filter(([, status]) => status === 201).map(([id]) => id).sort();
        expect(stored).toEqual(created); // nothing answered 201 is lost, nothing unanswered was written
        const statuses = new Set(answered.values());
        expect([...statuses].filter((s) => s !== 201 && s !== 'no answer' && s !== 503)).toEqual([]);
      } finally {
        await handle.close();
      }
    } finally {
      await testDb.destroy();
    }
  });
});
