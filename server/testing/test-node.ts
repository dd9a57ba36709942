/**
 * Test support: a whole node (boot) in this process on a test database, with the known token of
 * each role and no demo traffic, for tests that need the stream, the monitors and the API together.
 */
import { boot, type Node } from '../boot.js';
import { readEnv } from '../config.js';
import type { TestDatabase } from './databases.js';
import { TEST_TOKENS } from './test-app.js';

export async function bootTestNode(testDb: TestDatabase, env: Record<string, string | undefined> = {}): Promise<Node> {
  return boot(
    readEnv({
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: testDb.dataDir,
      DATABASE_URL: testDb.url ?? '',
      DEMO: '0',
      ADMIN_TOKEN: TEST_TOKENS.admin,
      OFFICER_TOKEN: TEST_TOKENS.officer,
      WALL_TOKEN: TEST_TOKENS.wall,
      INTAKE_TOKEN: TEST_TOKENS.intake,
      ...env,
    }),
    { log: () => undefined },
  );
}
