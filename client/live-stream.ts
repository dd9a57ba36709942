/**
 * The browser's end of the live stream: one Socket.IO connection that resumes by (epoch, seq) on
 * every reconnection, folds snapshots and deltas into a store (shared/protocol/stream-store.ts),
 * asks for a resync on a gap, and reports whether the page is live or since when it is stale.
 * The session cookie set by the token exchange authenticates the handshake.
 */
import { createSignal, type Accessor } from 'solid-js';
import { io, type Socket } from 'socket.io-client';
import { PROTOCOL_VERSION, type AckedMessage, type AlertMessage, type ClientToServerEvents, type Refusal, type ServerToClientEvents } from '../shared/protocol/events.js';
import type { RiskDelta } from '../shared/protocol/risk-map.js';
import { applyAcked, applyAlert, applyDelta, fromSnapshot, type StreamState } from '../shared/protocol/stream-store.js';

export interface LiveStream {
  state: Accessor<StreamState | null>;
  /** Null while connected; the moment the connection was lost otherwise. */
  staleSince: Accessor<Date | null>;
  /** Why the server refused us, if it did (e.g. no token). */
  refusal: Accessor<Refusal | null>;
  /** Called for every alert as it is raised or re-announced (for the alarm). */
  onAlert(listener: (message: AlertMessage) => void): void;
  /** Called for every acknowledgement, by whoever made it (consoles mark the alert acknowledged). */
  onAcked(listener: (message: AckedMessage) => void): void;
  /** Called with the risk map's changed features (start from GET /api/risk/map on each `onConnect`). */
  onRisk(listener: (delta: RiskDelta) => void): void;
  /** Called on each connection and reconnection. */
  onConnect(listener: () => void): void;
  close(): void;
}

/** After a protocol mismatch (the server was upgraded), reload the page this long after. */
const RELOAD_AFTER_MISMATCH_MS = 30_000;
/** How soon a wall asks again after the server said it could not check the handshake. */
const RETRY_UNAVAILABLE_MS = 3_000;
/** How soon a page asks again after its token held too many connections (another may have closed). */
const RETRY_CROWDED_MS = 30_000;

export function connectLiveStream(options: { street?: string; periodDays?: number } = {}): LiveStream {
  const [state, setState] = createSignal<StreamState | null>(null, { equals: false });
  const [staleSince, setStaleSince] = createSignal<Date | null>(new Date());
  const [refusal, setRefusal] = createSignal<Refusal | null>(null);
  let held: StreamState | null = null;
  const alertListeners: ((message: AlertMessage) => void)[] = [];
  const riskListeners: ((delta: RiskDelta) => void)[] = [];
  const ackedListeners: ((message: AckedMessage) => void)[] = [];
  const connectListeners: (() => void)[] = [];

  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io({
    transports: ['websocket'],
    withCredentials: true,
    auth: (send) => send({ protocol: PROTOCOL_VERSION, ...options, ...(held ? { lastSeq: held.seq, epoch: held.epoch } : {}) }),
  });
  const publish = () => setState(held);

  socket.on('connect', () => {
    setStaleSince(null);
    setRefusal(null);
    for (const listener of connectListeners) listener();
  });
  socket.on('disconnect', (reason) => {
    setStaleSince(new Date());
    // Socket.IO reconnects by itself after a lost transport, but not when the server ended the
    // session: ask again after a pause (a revoked token is then refused, and stays refused).
    if (reason === 'io server disconnect') setTimeout(() => socket.connect(), RETRY_UNAVAILABLE_MS);
  });
  socket.on('connect_error', (error) => {
    const reason = (error as Error & { data?: Refusal }).data;
    if (reason) setRefusal(reason);
    // A wall left running through an upgrade fetches the new page rather than speak an old protocol.
    if (reason?.code === 'protocol_mismatch') setTimeout(() => window.location.reload(), RELOAD_AFTER_MISMATCH_MS);
    // A refusal stops Socket.IO's own reconnecting; a server that could not check us asks us back.
    if (reason?.code === 'unavailable') setTimeout(() => socket.connect(), RETRY_UNAVAILABLE_MS);
    if (reason?.code === 'too_many_connections') setTimeout(() => socket.connect(), RETRY_CROWDED_MS);
    setStaleSince((since) => since ?? new Date());
  });
  socket.on('snapshot', (snapshot) => {
    held = fromSnapshot(snapshot);
    publish();
  });
  socket.on('delta', (delta) => {
    if (!held) return;
    const outcome = applyDelta(held, delta);
    if (outcome === 'gap') socket.emit('resync');
    else if (outcome === 'applied') publish();
  });
  socket.on('alert', (message) => {
    if (!held) return;
    applyAlert(held, message);
    publish();
    for (const listener of alertListeners) listener(message);
  });
  socket.on('acked', (message) => {
    for (const listener of ackedListeners) listener(message);
    if (!held) return;
    applyAcked(held, message);
    publish();
  });

  socket.on('risk', (delta) => {
    for (const listener of riskListeners) listener(delta);
  });

  return {
    state,
    staleSince,
    refusal,
    onAlert: (listener) => void alertListeners.push(listener),
    onRisk: (listener) => void riskListeners.push(listener),
    onAcked: (listener) => void ackedListeners.push(listener),
    onConnect: (listener) => void connectListeners.push(listener),
    close: () => void socket.close(),
  };
}
