/**
 * The live stream's wire: the Socket.IO event maps shared by the server (server/live/gateway.ts)
 * and every client (the wall, the console, tests, the benchmark), so both sides are typed from one
 * file. The stream's offset is the event log's seq, with the log's epoch.
 *
 * A client connects with `auth: HandshakeAuth`; the server answers `snapshot` (the whole view at
 * seq N), then `delta`s in strict seq order, each covering `(fromSeq, toSeq]` and carrying the
 * current values of everything those events touched. `alert` goes out at once (and again, marked
 * `reannounced`, while a critical alert stays unacknowledged); the next delta covers its seq too,
 * so clients keep one alert per id, the latest version (an early warning grows). A client that sees `fromSeq` ≠ its last seq emits `resync`.
 */
import { z } from 'zod';
import type { GroupCounts, GroupDimension } from './figures.js';
import type { MapPoint } from './map-points.js';
import type { RiskDelta } from './risk-map.js';
import type { AlertView, CaseBrief, Summary } from './payloads.js';

/** Bumped whenever a message's shape changes; a mismatch refuses the connection with a clear error. */
export const PROTOCOL_VERSION = 4;

/** What the client sends when it connects (Socket.IO `auth`). */
export const HandshakeAuth = z.object({
  /** The bearer token; walls may send none and rely on their session cookie. */
  token: z.string().max(512).optional(),
  protocol: z.number().int(),
  /** Resume after this seq (with the epoch it came from) instead of taking a snapshot. */
  lastSeq: z.number().int().nonnegative().optional(),
  epoch: z.string().max(100).optional(),
  /** A street code for a street leader's view; absent = the whole district. */
  street: z.string().max(32).optional(),
  /** The chosen period, in whole days ending today (default 7). */
  periodDays: z.number().int().min(1).max(366).optional(),
});
export type HandshakeAuth = z.infer<typeof HandshakeAuth>;

/**
 * Why the server refused a connection (`connect_error`'s `data`). `unavailable`: the server could
 * not check the handshake (its database is unreachable for now); try again in a few seconds.
 */
export type RefusalCode = 'protocol_mismatch' | 'unauthorized' | 'forbidden' | 'origin_not_allowed' | 'bad_handshake' | 'unavailable' | 'too_many_connections';
export interface Refusal {
  code: RefusalCode;
  message: string;
  /** The server's protocol version (on protocol_mismatch). */
  expected?: number;
}

/** Intake and resolutions in one hour (a flow, not the cohort figures). */
export interface HourPoint {
  /** Start of the hour, ISO. */
  hour: string;
  received: number;
  resolved: number;
  /**
   * The usual intake in this hour of the week: the mean of the same hour on the same weekday in the
   * previous weeks the projection holds (up to 8); null without such history.
   */
  usual: number | null;
}

/** The whole view a client starts from. */
export interface StreamSnapshot {
  protocol: number;
  epoch: string;
  seq: number;
  /** When the server built it (its clock). */
  at: string;
  street: string | null;
  periodDays: number;
  /** Today: the same fields and values as GET /api/stats/summary (for the same street). */
  summary: Summary;
  /** The chosen period: GET /api/stats/summary for its from/to. */
  period: Summary;
  /** Every group's name, for the rows deltas carry as counts. */
  names: Record<GroupDimension, Record<string, string>>;
  /** The last 24 hours, oldest first. */
  hourly: HourPoint[];
  /** The newest cases by received time (masked for walls), newest first. */
  latest: CaseBrief[];
  /** Active alerts (unacknowledged, case still open), newest first, at most `alertLimit`. */
  alerts: AlertView[];
  /** How many active alerts there are in all (the list may be cut). */
  activeAlerts: number;
  /** The map's cases (shared/protocol/map-points.ts), cut by `trimPoints`. */
  points: MapPoint[];
}

/**
 * A summary's changes: the scalars, and the counts of the group rows touched, by dimension (a row
 * with `received` 0 is gone). The client turns counts into figures with shared/protocol/figures.ts.
 */
export type SummaryPatch = Omit<Summary, 'byChannel' | 'byCategory' | 'byStreet' | 'byCommunity' | 'byDepartment'> & {
  groups: Record<GroupDimension, GroupCounts[]>;
};

/** Everything the events `(fromSeq, toSeq]` changed, as current values. */
export interface StreamDelta {
  fromSeq: number;
  toSeq: number;
  at: string;
  summary: SummaryPatch;
  period: SummaryPatch;
  /** Hours touched (upsert by `hour`; keep the last 24). */
  hourly: HourPoint[];
  /** Cases that entered or changed among the newest (upsert by id; keep the newest). */
  latest: CaseBrief[];
  /**
   * Alerts raised in the range and still active, and after any left the list the newest 20 active
   * ones again, so a list emptied by acknowledgements refills (dedupe by id).
   */
  alerts: AlertView[];
  /** Alerts no longer active: acknowledged, or their case is done. */
  alertsGone: string[];
  activeAlerts: number;
  /** Map points that entered or changed (upsert by id), and those that left the map. */
  points: MapPoint[];
  pointsGone: string[];
}

export interface AlertMessage {
  alert: AlertView;
  /** 0 when first raised; n for the n-th re-announcement of an unacknowledged critical alert. */
  reannounced: number;
}

export interface AckedMessage {
  id: string;
  ackedBy: string;
  ackedAt: string;
  seq: number;
}

export type AckReply = { ok: true; alert: AlertView } | { ok: false; error: string };

export const AckRequest = z.object({ alertId: z.string().min(1).max(40) }).strict();
export type AckRequest = z.infer<typeof AckRequest>;

export interface ServerToClientEvents {
  snapshot: (snapshot: StreamSnapshot) => void;
  delta: (delta: StreamDelta) => void;
  alert: (message: AlertMessage) => void;
  acked: (message: AckedMessage) => void;
  /** The risk map's features that changed (shared/protocol/risk-map.ts), every few seconds when any did. */
  risk: (delta: RiskDelta) => void;
  /** A message the server could not act on (the connection stays). */
  problem: (message: { message: string }) => void;
}

export interface ClientToServerEvents {
  /** Acknowledge an alert (officers); every client hears `acked`. */
  ack: (request: AckRequest, reply: (answer: AckReply) => void) => void;
  /** Ask for a fresh snapshot (after a seq gap). */
  resync: () => void;
}
