/**
 * Token seeding and verification on a real database: generated once into a 0600 file, stored
 * only as hashes, env tokens replace earlier env tokens of their role.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DatabaseHandle } from '../db/client.js';
import { apiTokens } from '../db/schema.js';
import { createTestDatabase, describeEachDatabase, type TestDatabase } from '../testing/databases.js';
import { readGeneratedToken, seedTokens, TokenVerifier } from './tokens.js';

describeEachDatabase('tokens', (kind) => {
  let testDb: TestDatabase;
  let handle: DatabaseHandle;
  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    handle = await testDb.open();
  });
  afterAll(async () => {
    await handle?.close();
    await testDb?.destroy();
  });

  it('[TOK1] unset roles get a token generated once, kept in a file only the owner can read', async () => {
    const first = await seedTokens(handle.db, {}, testDb.dataDir);
    expect(Object.keys(first.generated).sort()).toEqual(['admin', 'intake', 'officer', 'wall']);
    const path = join(testDb.dataDir, 'tokens.json');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(JSON.parse(readFileSync(path, 'utf8')).wall).toBe(first.generated.wall);
    const second = await seedTokens(handle.db, {}, testDb.dataDir);
    expect(second.generated).toEqual({});
    const verifier = new TokenVerifier(handle.db);
    expect(await verifier.verify(readGeneratedToken(testDb.dataDir, 'wall')!)).toMatchObject({ role: 'wall', label: 'wall (generated)' });
  });

  it('[TOK2] the database holds hashes only, never a token', async () => {
    const rows = await handle.db.select().from(apiTokens);
    const file = readFileSync(join(testDb.dataDir, 'tokens.json'), 'utf8');
    for (const token of Object.values(JSON.parse(file) as Record<string, string>)) {
      expect(JSON.stringify(rows)).not.toContain(token);
    }
  });

  it('[TOK3] an env token works, and a changed env token replaces the old one', async () => {
    const verifier = new TokenVerifier(handle.db, 0);
    await seedTokens(handle.db, { officer: 'officer-env-token-one-123' }, testDb.dataDir);
    expect(await verifier.verify('officer-env-token-one-123')).toMatchObject({ role: 'officer', label: 'officer (env)' });
    await seedTokens(handle.db, { officer: 'officer-env-token-two-456' }, testDb.dataDir);
    expect(await verifier.verify('officer-env-token-two-456')).toMatchObject({ role: 'officer' });
    expect(await verifier.verify('officer-env-token-one-123')).toBeNull();
    expect(await verifier.verify('')).toBeNull();
  });
});
