/**
 * `npm start`: reads the environment, boots one node and stops it gracefully on SIGINT/SIGTERM
 * (requests in flight are finished and answered, the projections checkpointed; exit 0). A
 * configuration or lock error ends with one clear line. What escapes every handler meets the last
 * resort here: it is logged with its context (never request bodies or SQL parameters) and the
 * node goes on; tests check that no fault they cause ever reaches it.
 */
import { boot } from './boot.js';
import { ConfigError, readEnv } from './config.js';
import { DataDirLockedError } from './db/data-dir-lock.js';
import { describeDatabaseError } from './db/unavailable.js';

const lastResort = (what: string) => (error: unknown) => {
  const where = error instanceof Error ? (error.stack?.split('\n').slice(1, 4).map((line) => line.trim()).join(' | ') ?? '') : '';
  console.error(`LAST RESORT: ${what}: ${describeDatabaseError(error)}${where ? ` (${where})` : ''}; the node goes on`);
};
process.on('uncaughtException', lastResort('an uncaught exception'));
process.on('unhandledRejection', lastResort('an unhandled rejection'));

async function main(): Promise<void> {
  const node = await boot(readEnv(), {
    onFatal: () => {
      // Nothing can be written or read any more: exit so a supervisor (systemd, Docker) restarts us.
      process.exitCode = 1;
      setTimeout(() => process.exit(1), 100);
    },
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping…`);
    node
      .close()
      .then(() => {
        console.log(`${signal}: stopped cleanly`);
        process.exit(0);
      })
      .catch((error: unknown) => {
        console.error(`error while stopping: ${describeDatabaseError(error)}`);
        process.exit(1);
      });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof DataDirLockedError) {
    console.error(error.message);
  } else {
    console.error('Civic Pulse failed to start:', error);
  }
  process.exit(1);
});
