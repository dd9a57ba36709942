/**
 * Test support: a fresh database of one kind with a CaseWriter on it, opened before a suite's
 * tests and closed and dropped after them. For suites below the HTTP layer (monitor, follower).
 */
import { afterAll, beforeAll } from 'vitest';
import { CaseWriter } from '../cases/case-writer.js';
import { DEFAULT_DOMAIN } from '../config.js';
import type { DatabaseHandle } from '../db/client.js';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from './databases.js';

export interface WriterDatabase {
  readonly handle: DatabaseHandle;
  readonly writer: CaseWriter;
}

/** Call inside a describe block; read `handle` and `writer` inside its tests. */
export function useWriterDatabase(kind: DatabaseKind): WriterDatabase {
  let testDb: TestDatabase | undefined;
  let handle: DatabaseHandle | undefined;
  let writer: CaseWriter | undefined;
  beforeAll(async () => {
    testDb = await createTestDatabase(kind);
    handle = await testDb.open();
    writer = new CaseWriter({ db: handle.db, config: DEFAULT_DOMAIN });
  });
  afterAll(async () => {
    await handle?.close();
    await testDb?.destroy();
  });
  return {
    get handle() {
      if (!handle) throw new Error('the test database is not open yet');
      return handle;
    },
    get writer() {
      if (!writer) throw new Error('the test database is not open yet');
      return writer;
    },
  };
}
