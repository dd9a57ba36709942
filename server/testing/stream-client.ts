/**
 * Test and benchmark support: a real socket.io-client that holds the stream the way the wall does
 * (shared/protocol/stream-store.ts), resyncs on a gap, and keeps every message it received so a
 * test can check order, masking and counts.
 */
import { io, type Socket } from 'socket.io-client';
import {
  PROTOCOL_VERSION,
  type AckedMessage,
  type AlertMessage,
  type ClientToServerEvents,
  type HandshakeAuth,
  type Refusal,
  type ServerToClientEvents,
  type StreamDelta,
  type StreamSnapshot,
} from '../../shared/protocol/events.js';
import type { Summary } from '../../shared/protocol/payloads.js';
import { applyAcked, applyAlert, applyDelta, fromSnapshot, type StreamState } from '../../shared/protocol/stream-store.js';

export type Received =
  | { type: 'snapshot'; at: number; body: StreamSnapshot }
  | { type: 'delta'; at: number; body: StreamDelta }
  | { type: 'alert'; at: number; body: AlertMessage }
  | { type: 'acked'; at: number; body: AckedMessage };

export interface StreamClient {
  socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  state: StreamState | null;
  received: Received[];
  gaps: number;
  /** Resolves when `test` holds (checked after every message), or rejects after `timeoutMs`. */
  until(test: (client: StreamClient) => boolean, timeoutMs?: number, what?: string): Promise<void>;
  close(): void;
}

export interface StreamClientOptions {
  auth?: Partial<HandshakeAuth> & Record<string, unknown>;
  extraHeaders?: Record<string, string>;
  /** Called on every message (the benchmark times deltas with it). */
  onMessage?: (message: Received) => void;
  reconnection?: boolean;
  /** The state a resuming client already holds (it sent `lastSeq` and `epoch` from it). */
  from?: StreamState;
  /** Keep every message in `received` (default); a benchmark with hundreds of clients says no. */
  keepMessages?: boolean;
}

/** The handshake: on every (re)connection, resume from the seq and epoch held, as the wall does. */
function handshake(options: StreamClientOptions, client: () => StreamClient | undefined) {
  return (send: (auth: Record<string, unknown>) => void) => {
    const state = client()?.state;
    send({ protocol: PROTOCOL_VERSION, ...options.auth, ...(state ? { lastSeq: state.seq, epoch: state.epoch } : {}) });
  };
}

/** Connects and resolves once the first snapshot or delta arrived (rejects with the refusal). */
export async function connectStream(url: string, options: StreamClientOptions = {}): Promise<StreamClient> {
  const holder: { client?: StreamClient } = {};
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(url, {
    transports: ['websocket'],
    auth: handshake(options, () => holder.client),
    extraHeaders: options.extraHeaders,
    reconnection: options.reconnection ?? false,
    forceNew: true,
  });
  const checks: (() => void)[] = [];
  const client: StreamClient = {
    socket,
    state: options.from ? structuredClone(options.from) : null,
    received: [],
    gaps: 0,
    until(test, timeoutMs = 15_000, what = 'condition') {
      if (test(client)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          checks.splice(checks.indexOf(check), 1);
          reject(new Error(`stream client: timed out after ${timeoutMs} ms waiting for ${what} (at seq ${client.state?.seq})`));
        }, timeoutMs);
        const check = () => {
          if (!test(client)) return;
          clearTimeout(timer);
          checks.splice(checks.indexOf(check), 1);
          resolve();
        };
        checks.push(check);
      });
    },
    close: () => void socket.close(),
  };
  holder.client = client;
  const record = (message: Received) => {
    if (options.keepMessages !== false) client.received.push(message);
    options.onMessage?.(message);
    for (const check of [...checks]) check();
  };
  socket.on('snapshot', (body) => {
    client.state = fromSnapshot(body);
    record({ type: 'snapshot', at: Date.now(), body });
  });
  socket.on('delta', (body) => {
    if (client.state && applyDelta(client.state, body) === 'gap') {
      client.gaps += 1;
      socket.emit('resync');
    }
    record({ type: 'delta', at: Date.now(), body });
  });
  socket.on('alert', (body) => {
    if (client.state) applyAlert(client.state, body);
    record({ type: 'alert', at: Date.now(), body });
  });
  socket.on('acked', (body) => {
    if (client.state) applyAcked(client.state, body);
    record({ type: 'acked', at: Date.now(), body });
  });
  await new Promise<void>((resolve, reject) => {
    const refused = (error: Error) => {
      const refusal = (error as Error & { data?: Refusal }).data;
      socket.close();
      reject(Object.assign(new Error(refusal?.message ?? error.message), { refusal }));
    };
    const first = () => {
      socket.off('connect_error', refused); // later errors are reconnection attempts
      socket.off('snapshot', first);
      socket.off('delta', first);
      resolve();
    };
    socket.once('connect_error', refused);
    socket.on('snapshot', first);
    socket.on('delta', first);
  });
  return client;
}

/**
 * The API's summary at exactly the seq the client holds (the log may move meanwhile, e.g. the
 * deadline monitor raising an alert; then look again). Rejects after `timeoutMs`.
 */
export async function summaryAtClientSeq(client: StreamClient, fetchSummary: () => Promise<Summary>, timeoutMs = 30_000): Promise<Summary> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const api = await fetchSummary();
    await client.until((c) => (c.state?.seq ?? 0) >= api.seq, Math.max(1, deadline - Date.now()), `seq ${api.seq}`);
    if (client.state!.seq === api.seq) return api;
    const again = await fetchSummary();
    if (again.seq === client.state!.seq) return again;
    if (Date.now() > deadline) throw new Error(`stream client: never at the API's seq (client ${client.state!.seq}, API ${again.seq})`);
  }
}
