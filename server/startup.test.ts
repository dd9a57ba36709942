/** Starting a node: problems a person at the terminal must understand in one line. */
import { createServer, type Server } from 'node:net';
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from './testing/databases.js';
import { runToExit } from './testing/server-process.js';

describe('startup', () => {
  const dir = tempDir();
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('[CFG5] a port already in use stops the start with one clear line (exit 1)', async () => {
    const holder: Server = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as { port: number }).port;
    try {
      const result = await runToExit({ PORT: String(port), DATA_DIR: dir, DATABASE_URL: '' });
      expect(result.code).toBe(1);
      expect(result.output).toContain(`port ${port} on 127.0.0.1 is already in use`);
    } finally {
      holder.close();
    }
  });

  it('[CFG6] a bad environment value stops the start naming it (exit 1)', async () => {
    const result = await runToExit({ PORT: 'eighty', DATA_DIR: dir, DATABASE_URL: '' });
    expect(result.code).toBe(1);
    expect(result.output).toContain('bad environment: PORT');
  });
});
