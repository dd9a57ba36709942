/**
 * createApp(deps): the Hono application. Security headers and body limits on everything, the
 * public health check and OpenAPI document, token-checked /api routes, and the built client.
 * No I/O happens here at import time; main.ts supplies the database, writer and verifier.
 */
import { existsSync } from 'node:fs';
import { relative } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { compress } from 'hono/compress';
import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import { timeout } from 'hono/timeout';
import { secureHeaders } from 'hono/secure-headers';
import type { DomainConfig } from '../config.js';
import type { CaseWriter } from '../cases/case-writer.js';
import type { Database } from '../db/client.js';
import type { TokenVerifier } from '../auth/tokens.js';
import { authenticate, peerAddress, type AppEnv } from './auth.js';
import { cameOverTls, resolveClientAddress } from './client-address.js';
import { SessionVerifier } from '../auth/sessions.js';
import type { PublicDescription } from '../open311/georeport.js';
import type { BlockList } from 'node:net';
import { errorBody, handleError, validationError } from './errors.js';
import { FailureLimiter } from './rate-limit.js';
import { poisonGuard } from './poison-guard.js';
import { alertRoutes } from './routes/alerts.js';
import { caseRoutes } from './routes/cases.js';
import { configRoutes } from './routes/config.js';
import { statsRoutes } from './routes/stats.js';
import { riskRoutes } from './routes/risk.js';
import { serviceNetworkRoutes } from './routes/service-network.js';
import { buildServiceNetwork, type ServiceSite } from '../../shared/domain/service-network.js';
import type { Projection } from '../live/projection.js';
import { openSessionRoutes, sessionRoutes } from './routes/session.js';
import { tokenRoutes } from './routes/tokens.js';
import { orderRoutes } from './routes/orders.js';
import { open311Routes } from './routes/open311.js';
import { reportRoutes } from './routes/reports.js';
import { auditRoutes } from './routes/audit.js';
import { OrderWriter } from '../orders/order-writer.js';
import { systemClock, type Clock } from '../clock.js';

export const BODY_LIMIT = 1024 * 1024;
export const BATCH_BODY_LIMIT = 8 * 1024 * 1024;

export interface AppDeps {
  db: Database;
  config: DomainConfig;
  writer: CaseWriter;
  /** Community orders' writer (one is made when absent, e.g. in tests). */
  orders?: OrderWriter;
  tokens: TokenVerifier;
  demo: boolean;
  /** Where the built client lives (dist/client); omitted in API-only tests. */
  clientDir?: string;
  /** Answers /healthz (liveness): false only when the node cannot go on (its database died). */
  health?: () => { ready: boolean; detail: Record<string, unknown> };
  /** Answers /readyz (server/readiness.ts): may a load balancer send this node traffic? */
  readiness?: () => Promise<{ ready: boolean; detail: Record<string, unknown> }>;
  limiter?: FailureLimiter;
  /** The live projection (GET /api/risk/map reads it); omitted in API-only tests. */
  projection?: () => Projection;
  /** The service halls and stations (GET /api/service-network); the halls alone when omitted. */
  serviceSites?: readonly ServiceSite[];
  /** The node's clock (server/clock.ts); this machine's when omitted (API-only tests). */
  clock?: Clock;
  /** Proxies whose X-Forwarded-For names the client (TRUSTED_PROXIES); none when omitted. */
  trustedProxies?: BlockList | null;
  /** Longest a read (GET) may take before it is answered 503 (REQUEST_TIMEOUT_MS; 30 s when omitted). */
  requestTimeoutMs?: number;
  /** Session cookies (server/auth/sessions.ts); one over `db` and `tokens` when omitted. */
  sessions?: SessionVerifier;
  /** PUBLIC_URL: https there makes session cookies Secure; links are made on it. */
  publicUrl?: string;
  /** What Open311's public reads show of a description (OPEN311_DESCRIPTION; masked when omitted). */
  open311Descriptions?: PublicDescription;
}

export function createApp(deps: AppDeps) {
  const defaultHook: ConstructorParameters<typeof OpenAPIHono<AppEnv>>[0] = {
    defaultHook: (result, c) => {
      if (!result.success) return validationError(c, result.error, result.target === 'json' ? 'body' : result.target);
    },
  };
  const app = new OpenAPIHono<AppEnv>(defaultHook);
  app.onError(handleError);
  app.notFound((c) => c.json(errorBody(`no route ${c.req.method} ${c.req.path}`), 404));

  app.use('*', async (c, next) => {
    c.set('client', resolveClientAddress(peerAddress(c), c.req.header('x-forwarded-for'), deps.trustedProxies ?? null));
    const tls = cameOverTls(c.req.url, peerAddress(c), c.req.header('x-forwarded-proto'), deps.trustedProxies ?? null);
    c.set('secure', tls || deps.publicUrl?.startsWith('https:') === true);
    await next();
  });
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        workerSrc: ["'self'", 'blob:'],
        childSrc: ["'self'", 'blob:'],
        connectSrc: ["'self'", 'ws:', 'wss:'],
        fontSrc: ["'self'", 'data:'],
        frameAncestors: ["'none'"],
      },
      xFrameOptions: 'DENY',
      referrerPolicy: 'no-referrer',
    }),
  );

  const tooLarge = (limit: number) => (c: Parameters<Parameters<typeof bodyLimit>[0]['onError'] & {}>[0]) =>
    c.json(errorBody(`request body is larger than ${limit / 1024 / 1024} MB`, [{ path: 'body', message: 'too large' }]), 413);
  app.use('/api/cases/batch', bodyLimit({ maxSize: BATCH_BODY_LIMIT, onError: tooLarge(BATCH_BODY_LIMIT) }));
  app.use('/api/*', async (c, next) => {
    if (c.req.path === '/api/cases/batch') return next();
    return bodyLimit({ maxSize: BODY_LIMIT, onError: tooLarge(BODY_LIMIT) })(c, next);
  });
  app.use('/api/*', async (c, next) => {
    const method = c.req.method;
    if ((method === 'POST' || method === 'PUT' || method === 'PATCH') && !/^application\/json\b/i.test(c.req.header('content-type') ?? '')) {
      return c.json(errorBody('send JSON with Content-Type: application/json', [{ path: 'Content-Type', message: 'must be application/json' }]), 415);
    }
    await next();
  });
  // A read that takes too long is answered 503 rather than left hanging; writes are bounded by
  // the writer (WRITER_MAX_WAIT_MS) and PostgreSQL's statement and lock timeouts instead, so an
  // answer never claims "not written" for a write still under way.
  const slowRead = timeout(deps.requestTimeoutMs ?? 30_000, () => new HTTPException(503, { message: 'the server took too long to answer; try again in a few seconds' }));
  app.use('*', async (c, next) => (c.req.method === 'GET' && !c.req.path.startsWith('/socket.io') ? slowRead(c, next) : next()));
  app.use('/api/*', poisonGuard({ bodies: true }));
  app.use('/open311/*', poisonGuard({ bodies: false }));

  app.get('/healthz', (c) => {
    const health = deps.health?.() ?? { ready: true, detail: {} };
    return c.json({ ok: health.ready, ...health.detail }, health.ready ? 200 : 503);
  });
  app.get('/readyz', async (c) => {
    const answer = (await deps.readiness?.()) ?? { ready: true, detail: {} };
    if (!answer.ready) c.header('Retry-After', '5');
    return c.json({ ready: answer.ready, ...answer.detail }, answer.ready ? 200 : 503);
  });

  app.doc31('/api/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Civic Pulse API',
      version: '1',
      description: 'Intake, lifecycle and figures of citizen appeals (民生诉求). Send `Authorization: Bearer <token>` on /api routes.',
    },
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });

  const limiter = deps.limiter ?? new FailureLimiter();
  const clock = deps.clock ?? systemClock;
  const sessions = deps.sessions ?? new SessionVerifier(deps.db, deps.tokens);
  const sessionDeps = { db: deps.db, tokens: deps.tokens, sessions, publicUrl: deps.publicUrl, defaultHook };
  app.route('/', openSessionRoutes({ ...sessionDeps, limiter }));
  // Open311 GeoReport v2: public masked reads; posts carry their intake token as api_key.
  app.route('/', open311Routes({ db: deps.db, config: deps.config, writer: deps.writer, tokens: deps.tokens, limiter, clock, descriptions: deps.open311Descriptions ?? 'masked' }));
  app.use('/api/*', async (c, next) => {
    if (c.req.path === '/api/openapi.json') return next();
    if (c.req.path === '/api/session' && c.req.method === 'POST') return next();
    return authenticate(deps.tokens, sessions, limiter, deps.db)(c, next);
  });
  app.route('/', sessionRoutes(sessionDeps));

  app.route('/', caseRoutes({ db: deps.db, writer: deps.writer, defaultHook }));
  app.route('/', alertRoutes({ db: deps.db, writer: deps.writer, defaultHook }));
  app.route('/', statsRoutes({ db: deps.db, config: deps.config, defaultHook }));
  app.route('/', reportRoutes({ db: deps.db, config: deps.config, clock, defaultHook }));
  app.route('/', configRoutes({ config: deps.config, demo: deps.demo, defaultHook }));
  if (deps.projection) app.route('/', riskRoutes({ projection: deps.projection, clock, defaultHook }));
  const sites = deps.serviceSites ?? buildServiceNetwork(deps.config.jurisdiction, deps.config.serviceStations);
  app.route('/', serviceNetworkRoutes({ db: deps.db, sites, defaultHook }));
  app.route('/', auditRoutes({ db: deps.db, defaultHook }));
  app.route('/', tokenRoutes({ db: deps.db, config: deps.config, tokens: deps.tokens, defaultHook }));
  const orders = deps.orders ?? new OrderWriter({ db: deps.db, config: deps.config });
  app.route('/', orderRoutes({ db: deps.db, config: deps.config, orders, clock, defaultHook }));

  if (deps.clientDir && existsSync(deps.clientDir)) {
    const root = relative(process.cwd(), deps.clientDir) || '.';
    // The wall's scripts and boundaries go gzipped: a third of the bytes on its first load.
    app.use('/assets/*', compress());
    app.use('/geo/*', compress());
    app.use('/*', serveStatic({ root }));
    app.get('/*', serveStatic({ root, path: 'index.html' }));
  }
  return app;
}
