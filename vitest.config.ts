// Test runner settings: node tests beside the code in shared/ and server/ (client option builders
// too). One worker per core, not vitest's default of one fewer: many suites spend their time
// waiting on a server process, a browser or the database, and on a 2-core machine the default is a
// single worker. Every PGlite suite starts from one migrated template made per run.
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['shared/**/*.test.ts', 'server/**/*.test.ts', 'client/**/*.test.ts', 'scripts/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: Math.max(2, availableParallelism()),
    globalSetup: ['server/testing/announce-skips.ts', 'server/testing/pglite-template.ts'],
  },
});
