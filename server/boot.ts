/**
 * Starts one Civic Pulse node: configuration → database (migrated) → tokens → case writer →
 * HTTP server → live stream → simulator, deadline monitor (with end of day), order monitor and
 * early warning. Returns a handle that stops it cleanly. main.ts calls it for
 * `npm start`; tests call it to get a real server on a random port.
 *
 * This is the composition root: the node's one clock (server/clock.ts, the database's time unless
 * a test passes its own) is made here and handed to every part that asks what time it is.
 */
import { type AddressInfo } from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { sql } from 'drizzle-orm';
import { seedTokens, TokenVerifier, type SeedResult } from './auth/tokens.js';
import { alertOutOfScope } from './auth/scope.js';
import { createWallLink, liveWallToken, SessionVerifier, WALL_LINK_MINUTES } from './auth/sessions.js';
import { CaseWriter } from './cases/case-writer.js';
import { ConfigError, loadDomainConfig, type DomainConfig, type Env } from './config.js';
import { openDatabase, type DatabaseHandle } from './db/client.js';
import { departments } from './db/schema.js';
import { createApp } from './http/app.js';
import { createReadiness } from './readiness.js';
import { startIdempotencyPurge } from './cases/idempotency-purge.js';
import { startAuditPurge } from './audit/audit-log.js';
import { isCovered, shanghaiDate } from '../shared/domain/calendar.js';
import { databaseClock, type Clock } from './clock.js';
import { startGateway, type Gateway } from './live/gateway.js';
import { startProjector, type Projector } from './live/projector.js';
import { createDayEndGrader } from './live/day-end.js';
import { createSlaMonitor } from './live/sla-monitor.js';
import { buildRiskMap, loadCommunityShapes } from './risk/risk-map.js';
import { createWarningMonitor } from './risk/warning-monitor.js';
import { FailureLimiter } from './http/rate-limit.js';
import { createOrderMonitor } from './orders/order-monitor.js';
import { OrderWriter } from './orders/order-writer.js';
import { DEFAULT_SEED, startSimulator, type Simulator } from './sim/simulator.js';
import { startOrderDrill } from './sim/order-drill.js';
import { scheduleReports } from './reports/schedule.js';
import { demoStations } from './sim/scenario.js';
import { buildServiceNetwork } from '../shared/domain/service-network.js';
import { describeDatabaseError } from './db/unavailable.js';


export interface Node {
  port: number;
  url: string;
  database: DatabaseHandle;
  writer: CaseWriter;
  config: DomainConfig;
  tokens: SeedResult;
  simulator: Simulator | null;
  projector: Projector;
  gateway: Gateway;
  close(): Promise<void>;
}

export const CLIENT_DIR = fileURLToPath(new URL('../dist/client', import.meta.url));

export interface BootOptions {
  log?: (line: string) => void;
  /** The node cannot go on (its embedded database died); main.ts exits so a supervisor restarts it. */
  onFatal?: (error: Error) => void;
  /** The node's clock; by default the database's (server/clock.ts). */
  clock?: Clock;
  /** How long a stop waits for requests in flight before it cuts them (default 10 s). */
  drainMs?: number;
}

const DRAIN_MS = 10_000;

export async function boot(env: Env, options: BootOptions = {}): Promise<Node> {
  const log = options.log ?? ((line: string) => console.log(line));
  const config = loadDomainConfig(env.configFile);

  const database = await openDatabase({ databaseUrl: env.databaseUrl, dataDir: env.dataDir, timeouts: env.postgres });
  const { db } = database;
  let projector: Projector | undefined;
  try {
    const clock = options.clock ?? (await databaseClock(db));
    warnAboutCalendar(config, clock, log);
    await seedDepartments(database, config);
    const seeded = await seedTokens(db, env.tokens, env.dataDir);
    const writer = new CaseWriter({ db, config, ...env.writer });
    const verifier = new TokenVerifier(db);
    const sessions = new SessionVerifier(db, verifier);
    const limiter = new FailureLimiter();
    // The projections catch up with the log before the node answers anyone.
    const live = await startProjector({ db, log, checkpointMs: env.stream.checkpointMs, oneByOne: env.stream.oneByOne });
    projector = live;
    writer.onCommit(() => live.wake());
    const orders = new OrderWriter({ db, config, onCommit: () => live.wake() });
    /** Serving traffic (between listening and stopping); alive until the database is gone for good. */
    let ready = false;
    let alive = true;
    /** Live sockets left out of deltas because they fell behind (set once the gateway runs). */
    let socketsBehind = () => 0;
    database.onFailure((error) => {
      ready = false;
      alive = false;
      log(`FATAL: the database is gone (${describeDatabaseError(error)}); /healthz now answers 503`);
      options.onFatal?.(error);
    });
    const app = createApp({
      db,
      config,
      writer,
      orders,
      tokens: verifier,
      sessions,
      publicUrl: env.publicUrl,
      limiter,
      demo: env.demo,
      clientDir: env.clientDir ?? CLIENT_DIR,
      projection: () => live.projection,
      clock,
      trustedProxies: env.trustedProxies,
      requestTimeoutMs: env.requestTimeoutMs,
      open311Descriptions: env.open311Descriptions,
      serviceSites: buildServiceNetwork(
        config.jurisdiction,
        config.serviceStations.length > 0 || !env.demo ? config.serviceStations : demoStations(config),
      ),
      health: () => ({ ready: alive, detail: { database: database.kind, demo: env.demo, liveSeq: live.projection.seq, eventLoop: eventLoopDelay(), socketsBehind: socketsBehind() } }),
      readiness: createReadiness({ db, serving: () => ready, folded: () => live.projection.seq, gap: () => live.gap }),
    });

    const inFlight = trackRequests();
    const server = await new Promise<Server>((resolve, reject) => {
      const s = serve({ fetch: app.fetch, port: env.port, hostname: env.host }, () => resolve(s as Server)) as Server;
      s.on('request', inFlight.add);
      s.once('error', (error: NodeJS.ErrnoException) =>
        reject(
          error.code === 'EADDRINUSE'
            ? new ConfigError(`port ${env.port} on ${env.host} is already in use: stop the other server or set PORT`)
            : error,
        ),
      );
    });
    const communityShapes = loadCommunityShapes();
    const gateway = startGateway({
      httpServer: server,
      projector: live,
      config,
      tokens: verifier,
      limiter,
      trustedProxies: env.trustedProxies,
      writer,
      clock,
      risk: { build: () => buildRiskMap(live.projection, communityShapes, clock.now().getTime()), everyMs: env.stream.riskMs },
      frameMs: env.stream.frameMs,
      reannounceMs: env.stream.reannounceMs,
      allowedOrigins: env.stream.allowedOrigins,
      maxSocketsPerToken: env.stream.maxSocketsPerToken,
      alertOutOfScope: (scope, id) => alertOutOfScope(db, scope, id),
      sessions,
      log,
    });
    socketsBehind = () => gateway.behind;
    const port = (server.address() as AddressInfo).port;
    const url = env.publicUrl ?? `http://localhost:${port}`;
    ready = true;

    const now = () => clock.now();
    const simulator = env.demo ? startSimulator({ db, writer, config, log, now }) : null;
    const orderDrill = env.demo ? startOrderDrill({ db, orders, config, seed: DEFAULT_SEED, log, now }) : null;
    const endOfDay = { grader: createDayEndGrader({ db, writer, log }), ready: simulator?.backfilled };
    const monitor = createSlaMonitor({ db, writer, evaluationDays: config.evaluationDays, risk: config.risk, endOfDay, log });
    const orderMonitor = createOrderMonitor({ orders, log });
    const idempotencyPurge = startIdempotencyPurge(db, log);
    const auditPurge = startAuditPurge(db, env.auditRetentionDays, log);
    // Reports of the last complete week, month and quarter into the data folder: hourly, the first
    // pass once the demo history is in (a report written before it would be short for good).
    const reports = scheduleReports({ db, config, dir: join(env.dataDir, 'reports'), clock, log });
    void (simulator?.backfilled ?? Promise.resolve())
      .catch(() => undefined)
      .then(() => (closing ? [] : reports.runOnce()))
      .catch((error: unknown) => log(`reports: ${describeDatabaseError(error)}`));
    const warnings = createWarningMonitor({ db, writer, config, settings: config.earlyWarning, ready: simulator?.backfilled, log });
    announceTokens(seeded, log);
    await announceWallLink(db, url, log);
    log(`Civic Pulse listening on ${url} (${database.kind}${env.demo ? ', demo traffic on' : ''})`);

    let closing: Promise<void> | null = null;
    return {
      port,
      url,
      database,
      writer,
      config,
      tokens: seeded,
      simulator,
      projector: live,
      gateway,
      close() {
        // A graceful stop: out of the load balancer at once (/readyz 503), no new connections,
        // walls told to reconnect (to another node), every request in flight finished and
        // answered (bounded by drainMs), the log's last events checkpointed, then the database.
        closing ??= (async () => {
          ready = false;
          inFlight.beginClosing();
          const drainUntil = Date.now() + (options.drainMs ?? DRAIN_MS);
          const closed = gateway.close(); // closes the HTTP server too: no new connections
          await Promise.all([
            inFlight.drained(drainUntil),
            simulator?.stop(),
            orderDrill?.stop(),
            monitor.stop(),
            warnings.stop(),
            orderMonitor.stop(),
            reports.stop(),
            idempotencyPurge.stop(),
            auditPurge.stop(),
          ]);
          // Requests that came on kept-alive connections meanwhile are answered too, until the bound.
          await inFlight.drained(drainUntil);
          if (inFlight.size > 0) log(`stopping: ${inFlight.size} requests still running after ${(options.drainMs ?? DRAIN_MS) / 1000} s are cut`);
          server.closeAllConnections?.();
          await closed;
          await writer.drained();
          await live.stop();
          await database.close();
        })();
        return closing;
      },
    };
  } catch (error) {
    await projector?.stop().catch(() => undefined);
    await database.close().catch(() => undefined);
    throw error;
  }
}

/**
 * The HTTP requests being answered, so a stop can wait for them. Once `closing`, every answer
 * says `Connection: close`, so a client does not send its next request down a connection that is
 * about to end.
 */
function trackRequests() {
  const open = new Set<ServerResponse>();
  let closing = false;
  return {
    add: (_request: IncomingMessage, response: ServerResponse) => {
      open.add(response);
      response.once('close', () => open.delete(response));
      if (closing) response.setHeader('Connection', 'close');
    },
    beginClosing() {
      closing = true;
      for (const response of open) if (!response.headersSent) response.setHeader('Connection', 'close');
    },
    get size() {
      return open.size;
    },
    /** Resolves once none is open, or at `until` (ms since the epoch). */
    async drained(until: number): Promise<void> {
      while (open.size > 0 && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
    },
  };
}

/** How long the event loop was held, over the last minute or so (ms): an overloaded node shows it first. */
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
let loopSince = Date.now();
function eventLoopDelay(): { p50: number; p99: number; max: number } {
  const ms = (ns: number) => Math.round(ns / 1e5) / 10;
  const delay = { p50: ms(loopDelay.percentile(50)), p99: ms(loopDelay.percentile(99)), max: ms(loopDelay.max) };
  if (Date.now() - loopSince > 60_000) {
    loopDelay.reset();
    loopSince = Date.now();
  }
  return delay;
}

async function seedDepartments(database: DatabaseHandle, config: DomainConfig): Promise<void> {
  const rows = config.taxonomy.departments.map((d) => ({ code: d.code, name: d.name, nameEn: d.nameEn }));
  if (rows.length === 0) return;
  await database.db
    .insert(departments)
    .values(rows)
    .onConflictDoUpdate({ target: departments.code, set: { name: sql`excluded.name`, nameEn: sql`excluded.name_en` } });
}

/** Working-day deadlines past the shipped holiday calendars fall back to weekends only: say so loudly. */
function warnAboutCalendar(config: DomainConfig, clock: Clock, log: (line: string) => void): void {
  const year = Number(shanghaiDate(clock.now()).slice(0, 4));
  for (const y of [year, year + 1]) {
    if (!isCovered(`${y}-06-01`, config.calendar)) {
      log(
        `WARNING: the holiday calendar has no official data for ${y} (covered: ${config.calendar.coveredYears.join(', ')}). ` +
          'Working-day deadlines in that year skip weekends only. Add the year to CONFIG_FILE "calendar".',
      );
    }
  }
}

/** First start only: the person at the terminal gets the wall link; logs never see a token. */
function announceTokens(seeded: SeedResult, log: (line: string) => void): void {
  const roles = Object.keys(seeded.generated);
  if (roles.length === 0) return;
  log(`Generated tokens for: ${roles.join(', ')}. They are kept in ${seeded.tokensFile} (readable only by this user).`);
}

/**
 * Every start prints a one-time link for the wall (its code opens one session within
 * WALL_LINK_MINUTES; the token never goes in a URL). Another: POST /api/wall-links as admin.
 */
async function announceWallLink(db: DatabaseHandle['db'], url: string, log: (line: string) => void): Promise<void> {
  const wall = await liveWallToken(db);
  if (!wall) return;
  const link = await createWallLink(db, wall.id, 'start');
  log(`Open the wall: ${url}/?code=${link.code} (one use, within ${WALL_LINK_MINUTES} minutes; another: POST /api/wall-links as admin)`);
}
