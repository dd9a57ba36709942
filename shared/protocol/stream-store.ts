/**
 * A client's copy of the stream: start from a snapshot, fold deltas in seq order, keep alerts
 * deduplicated by id. Pure and framework-free, so the wall, the console, the tests and the
 * benchmark all hold the stream the same way. `applyDelta` says when the client must resync
 * (a seq gap) instead of guessing.
 */
import type { AckedMessage, AlertMessage, HourPoint, StreamDelta, StreamSnapshot, SummaryPatch } from './events.js';
import { byReceived, GROUP_DIMENSIONS, groupFigures, type GroupDimension } from './figures.js';
import { trimPoints } from './map-points.js';
import type { AlertView, CaseBrief, Summary } from './payloads.js';

/** The snapshot's view, kept current by deltas, alerts and acknowledgements. */
export type StreamState = Omit<StreamSnapshot, 'protocol' | 'at'>;

/** As many newest cases and active alerts as the server keeps in a snapshot. */
const LATEST = 20;
const ALERTS = 100;
const LIST_OF = {
  channel: 'byChannel',
  category: 'byCategory',
  street: 'byStreet',
  community: 'byCommunity',
  department: 'byDepartment',
} as const satisfies Record<GroupDimension, keyof Summary>;

export function fromSnapshot(snapshot: StreamSnapshot): StreamState {
  const { protocol, at, ...state } = snapshot;
  return state;
}

/**
 * `applied`: the state is now at `delta.toSeq`. `stale`: nothing new in it. `gap`: events between
 * the state's seq and the delta's start are missing; ask for a resync and drop the delta.
 */
export type DeltaOutcome = 'applied' | 'stale' | 'gap';

export function applyDelta(state: StreamState, delta: StreamDelta): DeltaOutcome {
  if (delta.toSeq <= state.seq) return 'stale';
  if (delta.fromSeq > state.seq) return 'gap';
  // A delta may start before our seq (it overlaps a snapshot taken mid-frame): it carries current
  // values, so applying the overlap is harmless.
  state.seq = delta.toSeq;
  state.summary = patchSummary(state.summary, delta.summary, state.names);
  state.period = patchSummary(state.period, delta.period, state.names);
  state.hourly = upsert(state.hourly, delta.hourly, (p) => p.hour)
    .sort((a, b) => a.hour.localeCompare(b.hour))
    .slice(-24);
  state.latest = upsert(state.latest, delta.latest, (c) => c.id)
    .sort((a, b) => b.receivedAt.localeCompare(a.receivedAt) || b.id.localeCompare(a.id))
    .slice(0, LATEST);
  const gone = new Set(delta.alertsGone);
  state.alerts = addAlerts(state.alerts, delta.alerts).filter((a) => !gone.has(a.id));
  state.activeAlerts = delta.activeAlerts;
  if (delta.points.length > 0 || delta.pointsGone.length > 0) {
    const leaving = new Set(delta.pointsGone);
    const points = upsert(state.points, delta.points, (p) => p[0]).filter((p) => !leaving.has(p[0]));
    state.points = trimPoints(points);
  }
  return 'applied';
}

/** An alert heard at once (or re-announced): listed once, newest first. */
export function applyAlert(state: StreamState, message: AlertMessage): void {
  state.alerts = addAlerts(state.alerts, [message.alert]);
}

/** An acknowledgement: the alert leaves the active list. */
export function applyAcked(state: StreamState, message: AckedMessage): void {
  state.alerts = state.alerts.filter((a) => a.id !== message.id);
}

function patchSummary(summary: Summary, patch: SummaryPatch, names: StreamState['names']): Summary {
  const { groups, ...scalars } = patch;
  const next: Summary = { ...summary, ...scalars };
  for (const dimension of GROUP_DIMENSIONS) {
    const list = LIST_OF[dimension];
    const changed = groups[dimension].map((counts) => groupFigures(counts, names[dimension][counts[0]] ?? counts[0]));
    next[list] = upsert(summary[list], changed, (g) => g.key)
      .filter((g) => g.received > 0)
      .sort(byReceived);
  }
  return next;
}

function upsert<T>(list: readonly T[], changed: readonly T[], key: (item: T) => string): T[] {
  if (changed.length === 0) return [...list];
  const byKey = new Map(list.map((item) => [key(item), item]));
  for (const item of changed) byKey.set(key(item), item);
  return [...byKey.values()];
}

/** Alerts by id, the latest version winning (an early warning grows in place), newest first. */
function addAlerts(list: readonly AlertView[], added: readonly AlertView[]): AlertView[] {
  if (added.length === 0) return [...list];
  return upsert(list, added, (a) => a.id).sort((a, b) => b.seq - a.seq).slice(0, ALERTS);
}
