/**
 * Test and benchmark support: a PostgreSQL cluster of our own (initdb and pg_ctl from Debian's
 * PostgreSQL, run as the `postgres` user when we are root) in a temp folder on a free port, so a
 * test can restart or stop the database under a node without touching the machine's shared
 * server. Says why it cannot run when the binaries are missing; under CI=true that fails.
 */
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { userInfo } from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './server-process.js';

export interface PrivatePostgres {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  /** Stops the server (fast: sessions are ended), waits `downMs`, starts it again; resolves once it accepts connections. */
  restart(downMs?: number): Promise<{ stoppedAt: number; startedAt: number }>;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it for good and removes its folder. */
  destroy(): Promise<void>;
  log(): string;
}

/** Where initdb and pg_ctl are, or null with the reason private clusters cannot run here. */
export function findPostgresBinaries(): { bin: string } | { bin: null; reason: string } {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a)) : [];
  if (versions.length > 0) return { bin: join(root, versions[0]!, 'bin') };
  const reason = `private PostgreSQL clusters skipped: no initdb under ${root}/<version>/bin (install Debian's postgresql)`;
  if (process.env.CI === 'true') throw new Error(`${reason}, and CI=true requires them`);
  return { bin: null, reason };
}

/** Runs a PostgreSQL program as the postgres user (initdb refuses root). */
function asPostgres(program: string, args: string[]): { uid?: number; gid?: number } & { command: string; args: string[] } {
  if (userInfo().uid !== 0) return { command: program, args };
  const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  return { command: program, args, uid: id('-u'), gid: id('-g') };
}

function run(bin: string, program: string, args: string[]): Promise<void> {
  const how = asPostgres(join(bin, program), args);
  return new Promise((resolve, reject) => {
    const child = spawn(how.command, how.args, { uid: how.uid, gid: how.gid, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C.UTF-8' } });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${program} ${args.join(' ')} exited ${code}:\n${output}`))));
  });
}

export async function startPrivatePostgres(bin: string): Promise<PrivatePostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'cp-pg-'));
  const data = join(dir, 'data');
  const logFile = join(dir, 'postgres.log');
  if (userInfo().uid === 0) {
    const how = asPostgres('', []);
    chownSync(dir, how.uid!, how.gid!);
  }
  const port = await freePort();
  await run(bin, 'initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync']);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`;
  const start = () => run(bin, 'pg_ctl', ['-D', data, '-o', options, '-l', logFile, '-w', '-t', '60', 'start']);
  const stop = (mode: 'fast' | 'immediate') => run(bin, 'pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '60', 'stop']);
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    async restart(downMs = 1_000) {
      await stop('fast');
      const stoppedAt = Date.now();
      await new Promise((resolve) => setTimeout(resolve, downMs));
      await start();
      return { stoppedAt, startedAt: Date.now() };
    },
    stop: () => stop('fast'),
    start,
    async destroy() {
      await stop('immediate').catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
    log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : ''),
  };
}
