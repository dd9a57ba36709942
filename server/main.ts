/**
 * `npm start`: reads the environment, boots one node and stops it cleanly on SIGINT/SIGTERM
 * (answers in flight are committed first). A configuration or lock error ends with one clear line.
 */
import { boot } from './boot.js';
import { ConfigError, readEnv } from './config.js';
import { DataDirLockedError } from './db/data-dir-lock.js';

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
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        console.error('error while stopping:', error);
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
