/**
 * PGlite in its worker thread: queries, transactions that commit or roll back, Postgres errors
 * carried back with their code, and a dead worker reported once instead of hanging every caller.
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/databases.js';
import { PgliteWorkerClient } from './pglite-worker-client.js';

describe('PGlite worker', () => {
  const dir = tempDir();
  let client: PgliteWorkerClient;
  beforeAll(async () => {
    client = await PgliteWorkerClient.start(dir);
    await client.exec('CREATE TABLE t (id int PRIMARY KEY, at timestamptz NOT NULL DEFAULT now())');
  });
  afterAll(async () => {
    await client?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const count = async () => ((await client.query('SELECT count(*)::int AS n FROM t')) as { rows: { n: number }[] }).rows[0]!.n;

  it('[PGW1] a transaction commits all its statements, or rolls back all of them', async () => {
    await client.transaction(async (tx) => {
      await tx.query('INSERT INTO t (id) VALUES ($1)', [1]);
      await tx.query('INSERT INTO t (id) VALUES ($1)', [2]);
    });
    expect(await count()).toBe(2);
    await expect(
      client.transaction(async (tx) => {
        await tx.query('INSERT INTO t (id) VALUES ($1)', [3]);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await count()).toBe(2);
  });

  it('[PGW2] a Postgres error comes back with its code and rolls the transaction back', async () => {
    const failing = client.transaction(async (tx) => {
      await tx.query('INSERT INTO t (id) VALUES ($1)', [4]);
      await tx.query('INSERT INTO t (id) VALUES ($1)', [1]);
    });
    await expect(failing).rejects.toMatchObject({ code: '23505' });
    expect(await count()).toBe(2);
  });

  it('[PGW3] identity parsers keep timestamps as text, as drizzle asks', async () => {
    const raw = (await client.query('SELECT at FROM t LIMIT 1', [], { rowMode: 'array', parsers: { 1184: (v: string) => v } })) as { rows: unknown[][] };
    expect(typeof raw.rows[0]![0]).toBe('string');
    const parsed = (await client.query('SELECT at FROM t LIMIT 1')) as { rows: { at: unknown }[] };
    expect(parsed.rows[0]!.at).toBeInstanceOf(Date);
  });

  it('[PGW4] a worker that dies is reported once and every later query fails at once', async () => {
    const otherDir = tempDir();
    const other = await PgliteWorkerClient.start(otherDir);
    const failures: Error[] = [];
    other.onFailure((error) => failures.push(error));
    await other.crashForTest();
    await expect(other.query('SELECT 1')).rejects.toThrow(/PGlite worker exited/);
    expect(failures).toHaveLength(1);
    rmSync(otherDir, { recursive: true, force: true });
  });
});
