/**
 * The realtime gateway: Socket.IO on the node's HTTP server, streaming the projections.
 *
 * A handshake must carry the protocol version, a valid token (or the wall's session cookie) whose
 * role may read the figures, and an allowed Origin; otherwise the connection is refused with a
 * reason. Each client sits in a room per (scope, masked or not, period), so a frame is built once
 * per room, not per client. On connect: a snapshot, or — resuming by (epoch, lastSeq) — a delta of
 * just what it missed. Then frames: the changes of every batch folded since the last frame,
 * coalesced to at most one per `frameMs`, sent to every room with the same seq range (a street's
 * room too, when nothing in it changed, so its clients still see gaps). Alerts go out at once, and
 * a critical one is announced again every `reannounceMs` while nobody acknowledges it. An `ack`
 * goes through the CaseWriter into the log, and every client hears `acked` from the log.
 */
import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import { shanghaiDate } from '../../shared/domain/calendar.js';
import {
  AckRequest,
  HandshakeAuth,
  PROTOCOL_VERSION,
  type ClientToServerEvents,
  type Refusal,
  type ServerToClientEvents,
  type StreamDelta,
  type StreamSnapshot,
} from '../../shared/protocol/events.js';
import { can } from '../auth/roles.js';
import type { TokenIdentity, TokenVerifier } from '../auth/tokens.js';
import { describeScope, isScoped, type Scope } from '../auth/scope.js';
import type { CaseWriter } from '../cases/case-writer.js';
import type { DomainConfig } from '../config.js';
import { sessionCookieIn } from '../http/session-cookie.js';
import type { SessionVerifier } from '../auth/sessions.js';
import type { FailureLimiter } from '../http/rate-limit.js';
import { UNKNOWN_KEY } from '../stats/group-names.js';
import { alertRowFromEvent, toAlertView } from './alert-view.js';
import { Changes, DISTRICT } from './projection.js';
import type { Projector } from './projector.js';
import { buildDelta, buildSnapshot, type Room } from './stream-views.js';
import { riskChanges, type RiskFigures } from '../risk/risk-map.js';
import type { RiskMap } from '../../shared/protocol/risk-map.js';
import type { Clock } from '../clock.js';
import { SlowSockets, type SlowSocketOptions } from './slow-sockets.js';
import { describeDatabaseError } from '../db/unavailable.js';
import { resolveClientAddress } from '../http/client-address.js';
import type { BlockList } from 'node:net';

export interface GatewayOptions {
  httpServer: HttpServer;
  projector: Projector;
  config: DomainConfig;
  tokens: TokenVerifier;
  limiter: FailureLimiter;
  /** Proxies whose X-Forwarded-For names the client (server/http/client-address.ts). */
  trustedProxies?: BlockList | null;
  writer: CaseWriter;
  /** Shortest time between two frames (100–250 ms is the design; 0 sends each batch at once). */
  frameMs: number;
  /** Re-announce an unacknowledged critical alert this often. */
  reannounceMs: number;
  /** Slow walls' bounds (server/live/slow-sockets.ts). */
  slow?: Pick<SlowSocketOptions, 'maxUnsent' | 'dropAfterMs'>;
  /** Most live connections one token may hold at once (default 500). */
  maxSocketsPerToken?: number;
  /** Origins allowed besides the server's own (its Host). */
  allowedOrigins: readonly string[];
  /** How many active alerts a snapshot lists. */
  alertLimit?: number;
  /** The node's clock (server/clock.ts): the day and hour the views are for. */
  clock: Clock;
  /** The risk map as it is now (server/risk/risk-map.ts), sent as `risk` deltas every `everyMs` when any feature changed. */
  risk?: { build: () => RiskMap; everyMs: number };
  /** Session cookies (a wall opened with a link sends its cookie, not a token); cookies holding a token still work. */
  sessions?: SessionVerifier;
  /** Whether an alert lies outside a scoped token's reach (server/auth/scope.ts); none do when omitted. */
  alertOutOfScope?: (scope: Scope, alertId: string) => Promise<boolean>;
  log?: (line: string) => void;
}

export interface Gateway {
  io: Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
  /** Sockets left out of deltas because they fell behind (server/live/slow-sockets.ts). */
  readonly behind: number;
  close(): Promise<void>;
}

/** What a socket proved who it is with: a token in `auth.token`, or its page's session cookie. */
interface Credential {
  kind: 'token' | 'cookie';
  secret: string;
}

interface SocketData {
  identity: TokenIdentity;
  credential: Credential;
  room: Room;
  /** The client's address (behind TRUSTED_PROXIES, the forwarded one). */
  address: string;
}

type LiveSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

class OutOfScope extends Error {}

const DEFAULT_PERIOD_DAYS = 7;
const REVOCATION_CHECK_MS = 5_000;
/** How long a wall ahead of this node waits for it to catch up before it is let go. */
const AHEAD_WAIT_MS = 10_000;

export function startGateway(options: GatewayOptions): Gateway {
  const { projector, config } = options;
  const { projection } = projector;
  const log = options.log ?? (() => undefined);
  const alertLimit = options.alertLimit ?? 100;
  const io: Gateway['io'] = new Server(options.httpServer, {
    serveClient: false,
    maxHttpBufferSize: 16_000,
    // No CORS headers: the wall is served from this origin. WebSockets ignore CORS, so the
    // handshake checks the Origin itself (below).
  });
  const rooms = new Map<string, Room>();
  /** The identity behind a credential now: a token, or a session cookie (or, from before sessions, a cookie holding a token). */
  const identify = async (credential: Credential): Promise<TokenIdentity | null> => {
    if (credential.kind === 'token') return options.tokens.verify(credential.secret);
    return (await options.sessions?.verify(credential.secret)) ?? (await options.tokens.verify(credential.secret));
  };
  const now = () => options.clock.now().getTime();
  const maxSocketsPerToken = options.maxSocketsPerToken ?? 500;
  /** Live connections per token id. */
  const socketsPerToken = new Map<string, number>();

  // ── Handshake ─────────────────────────────────────────────────────────────────────────────
  const refusal = (code: Refusal['code'], message: string, extra: Partial<Refusal> = {}) => {
    const error = new Error(message) as Error & { data: Refusal };
    error.data = { code, message, ...extra };
    return error;
  };
  // A handshake the node cannot check (the token lookup needs the database) is refused as
  // `unavailable`, never left to reject unhandled: that would end the process.
  let lastUnavailableLog = 0;
  io.use((socket, next) => {
    checkHandshake(socket, next).catch((error: unknown) => {
      if (Date.now() - lastUnavailableLog > 60_000) {
        lastUnavailableLog = Date.now();
        log(`live: a handshake could not be checked: ${describeDatabaseError(error)}`);
      }
      next(refusal('unavailable', 'the server cannot check the handshake just now (its database is unavailable); try again in a few seconds'));
    });
  });
  async function checkHandshake(socket: Parameters<Parameters<typeof io.use>[0]>[0], next: (error?: Error) => void): Promise<void> {
    const refuse = (code: Refusal['code'], message: string, extra: Partial<Refusal> = {}) => next(refusal(code, message, extra));
    const parsed = HandshakeAuth.safeParse(socket.handshake.auth ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const path = issue?.path.join('.') || 'auth';
      if (path === 'protocol') return refuse('protocol_mismatch', `no protocol version in the handshake: this server speaks protocol ${PROTOCOL_VERSION}`, { expected: PROTOCOL_VERSION });
      return refuse('bad_handshake', `bad handshake: auth.${path} ${issue?.message ?? 'is invalid'}`);
    }
    const auth = parsed.data;
    const { origin, host } = socket.handshake.headers;
    if (!originAllowed(origin, host, options.allowedOrigins)) {
      return refuse('origin_not_allowed', `origin ${origin} is not allowed: serve the page from this server or list it in ALLOWED_ORIGINS`);
    }
    if (auth.protocol !== PROTOCOL_VERSION) {
      return refuse('protocol_mismatch', `protocol ${auth.protocol} is not spoken here: this server speaks protocol ${PROTOCOL_VERSION}; reload the page`, { expected: PROTOCOL_VERSION });
    }
    const forwarded = socket.handshake.headers['x-forwarded-for'];
    const address = resolveClientAddress(socket.handshake.address, Array.isArray(forwarded) ? forwarded.join(',') : forwarded, options.trustedProxies ?? null);
    const fromCookie = auth.token ? undefined : sessionCookieIn(socket.handshake.headers.cookie);
    const credential: Credential | null = auth.token ? { kind: 'token', secret: auth.token } : fromCookie ? { kind: 'cookie', secret: fromCookie } : null;
    if (!credential) return refuse('unauthorized', 'no token: send auth.token or open the wall with its link once');
    const identity = await identify(credential);
    if (!identity) {
      // A valid token always passes; a wrong one is slowed once its client has failed too often.
      if (options.limiter.retryAfter(address) > 0) return refuse('unauthorized', 'too many failed token attempts; try again later');
      options.limiter.recordFailure(address);
      return refuse('unauthorized', 'invalid or revoked token');
    }
    if (!can(identity.role, 'stats:read')) return refuse('forbidden', `role ${identity.role} may not read the live figures`);
    if ((socketsPerToken.get(identity.id) ?? 0) >= maxSocketsPerToken) {
      return refuse('too_many_connections', `token "${identity.label}" already holds ${maxSocketsPerToken} live connections; close some or make the walls their own tokens`);
    }
    // A street-bound token streams its own streets (the first when it names none); one bound to
    // departments only streams the district as a wall does, masked: its cases are in the API.
    const streets = identity.scope.streets;
    const scope = auth.street ?? streets?.[0] ?? DISTRICT;
    if (scope !== DISTRICT && scope !== UNKNOWN_KEY && !config.jurisdiction.street(scope)) {
      return refuse('bad_handshake', `bad handshake: auth.street "${auth.street}" is not a street of ${config.jurisdiction.district.name}`);
    }
    if (streets && !streets.includes(scope)) return refuse('forbidden', `token "${identity.label}" streams only its streets (${describeScope(identity.scope)})`);
    const masked = !can(identity.role, 'personal-data:read') || (isScoped(identity.scope) && !streets);
    const periodDays = auth.periodDays ?? DEFAULT_PERIOD_DAYS;
    const key = `${scope}|${masked ? 'masked' : 'clear'}|${periodDays}`;
    let room = rooms.get(key);
    if (!room) rooms.set(key, (room = { key, scope, masked, periodDays }));
    socket.data = { identity, credential, room, address };
    next();
  }

  io.on('connection', (socket: LiveSocket) => {
    const { room, identity } = socket.data;
    socketsPerToken.set(identity.id, (socketsPerToken.get(identity.id) ?? 0) + 1);
    socket.once('disconnect', () => {
      const left = (socketsPerToken.get(identity.id) ?? 1) - 1;
      if (left > 0) socketsPerToken.set(identity.id, left);
      else socketsPerToken.delete(identity.id);
      slow.forget(socket.id);
    });
    const { lastSeq, epoch } = socket.handshake.auth as HandshakeAuth;
    const start = () => {
      void socket.join(room.key);
      const missed = lastSeq !== undefined && epoch === projector.epoch ? projector.changesSince(lastSeq) : null;
      if (missed && roomDay.get(room.key) === today()) socket.emit('delta', delta(room, missed));
      else socket.emit('snapshot', snapshot(room));
    };
    // A wall that showed more than this node has folded yet (it came from a node further along)
    // waits for this one to catch up, then resumes: it is never sent figures older than its own.
    // If this node does not catch up in time, the wall is let go to try again (elsewhere).
    if (lastSeq !== undefined && epoch === projector.epoch && lastSeq > projection.seq) {
      const since = Date.now();
      const wait = setInterval(() => {
        if (!socket.connected) clearInterval(wait);
        else if (projection.seq >= lastSeq) {
          clearInterval(wait);
          start();
        } else if (Date.now() - since > AHEAD_WAIT_MS) {
          clearInterval(wait);
          log(`live: a wall at seq ${lastSeq} waited ${AHEAD_WAIT_MS / 1000} s for this node (at ${projection.seq}); let go to reconnect`);
          socket.disconnect(true);
        }
      }, 50);
    } else {
      start();
    }

    let lastResync = 0;
    socket.on('resync', () => {
      if (!socket.rooms.has(room.key)) return; // still waiting for this node to catch up
      if (slow.isBehind(socket.id)) return; // it gets a snapshot once it has read what it has
      if (Date.now() - lastResync < 1_000) return; // one a second is plenty
      lastResync = Date.now();
      socket.emit('snapshot', snapshot(room));
    });
    socket.on('ack', (request, reply) => {
      const parsed = AckRequest.safeParse(request);
      if (!parsed.success || typeof reply !== 'function') {
        socket.disconnect(true); // malformed: drop this connection, nothing else
        return;
      }
      const { identity } = socket.data;
      if (!can(identity.role, 'alerts:ack')) {
        reply({ ok: false, error: `role ${identity.role} may not acknowledge alerts` });
        return;
      }
      const actor = { label: identity.label, role: identity.role, origin: `socket:${socket.data.address}`, tokenId: identity.id };
      const outside = isScoped(identity.scope) && options.alertOutOfScope ? options.alertOutOfScope(identity.scope, parsed.data.alertId) : Promise.resolve(false);
      outside
        .then((out) => {
          if (out) throw new OutOfScope(`alert ${parsed.data.alertId} is outside this token's scope (${describeScope(identity.scope)})`);
          return options.writer.acknowledge(parsed.data.alertId, actor);
        })
        .then(
        (answer) => {
          if (answer.status === 404) reply({ ok: false, error: answer.error });
          else reply({ ok: true, alert: toAlertView(answer.alert, { masked: room.masked }) });
        },
        (error: Error) => reply({ ok: false, error: error instanceof OutOfScope ? error.message : `not acknowledged: ${describeDatabaseError(error)}` }),
      );
    });
  });

  // ── Views ─────────────────────────────────────────────────────────────────────────────────
  const today = () => shanghaiDate(new Date(now()));
  /** The day each room's figures are for (a new day sends the room a fresh snapshot). */
  const roomDay = new Map<string, string>();
  const viewOptions = () => ({ projection, config, epoch: projector.epoch, now: now(), alertLimit });
  const snapshot = (room: Room): StreamSnapshot => {
    const view = buildSnapshot(viewOptions(), room);
    roomDay.set(room.key, shanghaiDate(new Date(view.at)));
    return view;
  };
  const delta = (room: Room, changes: Changes): StreamDelta => buildDelta(viewOptions(), room, roomDay.get(room.key) ?? today(), changes);

  const occupied = () => [...rooms.values()].filter((room) => (io.sockets.adapter.rooms.get(room.key)?.size ?? 0) > 0);

  // ── Frames ────────────────────────────────────────────────────────────────────────────────
  let pending: Changes | null = null;
  let lastFrame = 0;
  let frameTimer: NodeJS.Timeout | null = null;

  const flush = () => {
    frameTimer = null;
    const changes = pending;
    pending = null;
    if (!changes) return;
    lastFrame = Date.now();
    const day = today();
    for (const room of occupied()) {
      if (roomDay.get(room.key) !== day) {
        io.to(room.key).emit('snapshot', snapshot(room)); // a new day: today's figures start afresh
      } else {
        const behind = slow.leaveOut(socketsIn(room));
        io.to(room.key).except(behind).emit('delta', delta(room, changes));
      }
    }
  };
  const socketsIn = (room: Room) => [...(io.sockets.adapter.rooms.get(room.key) ?? [])].map((id) => io.sockets.sockets.get(id)).filter((s) => s !== undefined);
  /** Walls that fall behind skip deltas and get one snapshot when they have read what they had. */
  const slow = new SlowSockets({ ...options.slow, resync: (socket) => void socket.emit('snapshot', snapshot((socket.data as SocketData).room)), log });

  projector.onApplied((changes) => {
    announce(changes);
    if (pending) pending.absorb(changes);
    else {
      pending = new Changes(changes.fromSeq);
      pending.absorb(changes);
    }
    if (options.frameMs <= 0) return flush();
    if (frameTimer) return;
    frameTimer = setTimeout(flush, Math.max(0, lastFrame + options.frameMs - Date.now()));
  });

  /** Alerts and acknowledgements go out at once, before the frame that covers their seq. */
  function announce(changes: Changes): void {
    for (const id of changes.raised) {
      const active = projection.activeAlert(id);
      if (active) emitAlert(active.row, active.street, 0);
    }
    for (const acked of changes.acked) io.emit('acked', acked);
  }

  function emitAlert(row: Record<string, unknown>, street: string, reannounced: number): void {
    for (const room of occupied()) {
      if (room.scope !== DISTRICT && room.scope !== street) continue;
      io.to(room.key).emit('alert', { alert: toAlertView(alertRowFromEvent(row), { masked: room.masked }), reannounced });
    }
  }

  // ── Re-announcing unacknowledged critical alerts ──────────────────────────────────────────
  const announced = new Map<string, number>();
  const reannounceTimer = setInterval(() => {
    const t = now();
    const day = today();
    for (const room of occupied()) {
      if (roomDay.get(room.key) !== day) io.to(room.key).emit('snapshot', snapshot(room)); // midnight on a quiet night
      else slow.leaveOut(socketsIn(room)); // a slow wall that caught up in a quiet minute
    }
    const seen = new Set<string>();
    for (const row of projection.activeAlerts(DISTRICT, Number.MAX_SAFE_INTEGER).alerts) {
      if (row.severity !== 'critical') continue;
      const id = String(row.id);
      seen.add(id);
      const round = Math.floor((t - new Date(String(row.raisedAt)).getTime()) / options.reannounceMs);
      const last = announced.get(id);
      if (last === undefined) announced.set(id, round); // first seen by this node: from now on
      else if (round > last) {
        announced.set(id, round);
        emitAlert(row, projection.activeAlert(id)?.street ?? DISTRICT, round);
      }
    }
    for (const id of announced.keys()) if (!seen.has(id)) announced.delete(id);
  }, Math.min(1_000, options.reannounceMs));
  reannounceTimer.unref();

  // ── Risk map deltas: only the features whose figures changed ─────────────────────────────
  // Clients start from GET /api/risk/map and upsert what arrives; the first build only fills the memory.
  const riskSent = new Map<string, RiskFigures>();
  const risk = options.risk;
  if (risk) riskChanges(riskSent, risk.build());
  const riskTimer = risk
    ? setInterval(() => {
        if (occupied().length === 0) return;
        const map = risk.build();
        const { features, gone } = riskChanges(riskSent, map);
        if (features.length + gone.length > 0) io.emit('risk', { seq: map.seq, at: map.at, features, gone });
      }, risk.everyMs)
    : null;
  riskTimer?.unref();

  // ── Revoked tokens lose their sockets ─────────────────────────────────────────────────────
  const revocationTimer = setInterval(() => {
    void (async () => {
      for (const socket of (await io.fetchSockets()) as unknown as LiveSocket[]) {
        if (!(await identify(socket.data.credential))) {
          log(`live: dropping a socket of "${socket.data.identity.label}": its token or session was revoked or expired`);
          socket.disconnect(true);
        }
      }
    })().catch((error: Error) => log(`live: revocation check failed: ${describeDatabaseError(error)}`));
  }, REVOCATION_CHECK_MS);
  revocationTimer.unref();

  return {
    io,
    get behind() {
      return slow.count;
    },
    async close() {
      clearInterval(reannounceTimer);
      clearInterval(revocationTimer);
      if (riskTimer) clearInterval(riskTimer);
      if (frameTimer) clearTimeout(frameTimer);
      // Closing the engine ends every connection as a transport close, which clients answer by
      // reconnecting (to another node behind the same address); io.disconnectSockets would tell
      // them to stay away. Closes the HTTP server too; the caller may hurry it by closing connections.
      await new Promise<void>((resolve) => io.close(() => resolve()));
    },
  };
}

/** Same origin (the request's own Host), listed origins, or no Origin at all (not a browser). */
function originAllowed(origin: string | undefined, host: string | undefined, allowed: readonly string[]): boolean {
  if (!origin) return true;
  if (allowed.includes(origin)) return true;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}
