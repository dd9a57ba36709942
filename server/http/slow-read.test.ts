/**
 * A read that takes too long is answered 503 with Retry-After, not left hanging (RULES FLT3). The
 * embedded database has one connection, so a long statement ahead of the read holds it for sure.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DOMAIN } from '../config.js';
import { createTestApp, type TestApp } from '../testing/test-app.js';

describe('slow reads', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp('pglite', DEFAULT_DOMAIN, { requestTimeoutMs: 500 });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('[FLT3] a read held past REQUEST_TIMEOUT_MS answers 503 with Retry-After; the next one is served', async () => {
    const busy = t.database.db.execute(sql`SELECT pg_sleep(2)`).then(() => undefined); // drizzle runs a query once it is awaited
    await new Promise((resolve) => setTimeout(resolve, 50)); // it holds the one connection now
    const started = Date.now();
    const slow = await t.call('GET', '/api/stats/summary', undefined, 'wall');
    expect(slow.status).toBe(503);
    expect(slow.headers.get('retry-after')).toBe('5');
    expect(slow.body.error).toMatch(/took too long/);
    expect(Date.now() - started).toBeLessThan(1_800); // answered before the statement ahead of it ended
    await busy;
    let status = 0;
    for (let i = 0; i < 10 && status !== 200; i++) status = (await t.call('GET', '/api/stats/summary', undefined, 'wall')).status;
    expect(status).toBe(200);
  });
});
