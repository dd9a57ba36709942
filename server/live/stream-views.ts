/**
 * The stream's messages built from the projection: a snapshot (the whole view of one room) and a
 * delta (the current values of what a run of events touched). A room is a scope (the district or
 * one street), masked or not, and a chosen period; the gateway builds each message once per room.
 */
import { addCalendarDays, shanghaiDate } from '../../shared/domain/calendar.js';
import { PROTOCOL_VERSION, type StreamDelta, type StreamSnapshot } from '../../shared/protocol/events.js';
import type { AlertView, CaseBrief } from '../../shared/protocol/payloads.js';
import { rowFromJson } from '../cases/case-writer.js';
import { toCaseBrief } from '../cases/case-view.js';
import type { DomainConfig } from '../config.js';
import { groupNames } from '../stats/group-names.js';
import { alertRowFromEvent, toAlertView } from './alert-view.js';
import { DISTRICT, type Changes, type Projection } from './projection.js';

/** How many of the newest active alerts a delta carries again after some left the list. */
export const REFILL_ALERTS = 20;

export interface Room {
  key: string;
  /** `all` or a street code. */
  scope: string;
  masked: boolean;
  periodDays: number;
}

export interface ViewOptions {
  projection: Projection;
  config: DomainConfig;
  epoch: string;
  /** The time the view is for (the database's clock, as the node knows it). */
  now: number;
  /** How many active alerts a snapshot lists. */
  alertLimit: number;
}

const periodStart = (room: Room, day: string) => addCalendarDays(day, 1 - room.periodDays);
const caseBriefs = (rows: Record<string, unknown>[], masked: boolean): CaseBrief[] => rows.map((row) => toCaseBrief(rowFromJson(row), { masked }));
const alertViews = (rows: Record<string, unknown>[], masked: boolean): AlertView[] => rows.map((row) => toAlertView(alertRowFromEvent(row), { masked }));

export function buildSnapshot(o: ViewOptions, room: Room): StreamSnapshot {
  const { projection, config } = o;
  const day = shanghaiDate(new Date(o.now));
  const active = projection.activeAlerts(room.scope, o.alertLimit);
  return {
    protocol: PROTOCOL_VERSION,
    epoch: o.epoch,
    seq: projection.seq,
    at: new Date(o.now).toISOString(),
    street: room.scope === DISTRICT ? null : room.scope,
    periodDays: room.periodDays,
    summary: projection.summary(config, room.scope, day, 1),
    period: projection.summary(config, room.scope, periodStart(room, day), room.periodDays),
    names: groupNames(config),
    hourly: projection.hourly(room.scope, o.now),
    latest: caseBriefs(projection.latestRowsOf(room.scope), room.masked),
    alerts: alertViews(active.alerts, room.masked),
    activeAlerts: active.total,
    points: projection.pointsOf(room.scope),
  };
}

/** What `changes` touched, as current values, for the room's figures of `day`. */
export function buildDelta(o: ViewOptions, room: Room, day: string, changes: Changes): StreamDelta {
  const { projection } = o;
  const points = projection.pointsPatch(room.scope, changes);
  const raised = [...new Set(changes.raised)]
    .map((id) => projection.activeAlert(id))
    .filter((a) => a !== undefined && (room.scope === DISTRICT || a.street === room.scope))
    .map((a) => a!.row);
  // Alerts that left may empty a client's list while older ones are still active: send the newest
  // few again so every client's list refills (clients keep one per id).
  const refill = changes.gone.size > 0 ? projection.activeAlerts(room.scope, REFILL_ALERTS).alerts : [];
  const sent = new Set(raised.map((row) => String(row.id)));
  for (const row of refill) if (!sent.has(String(row.id))) raised.push(row);
  return {
    fromSeq: changes.fromSeq,
    toSeq: changes.toSeq,
    at: new Date(o.now).toISOString(),
    summary: projection.summaryPatch(room.scope, day, 1, changes),
    period: projection.summaryPatch(room.scope, periodStart(room, day), room.periodDays, changes),
    hourly: projection.hourlyPatch(room.scope, o.now, changes),
    latest: caseBriefs(projection.latestPatch(room.scope, changes), room.masked),
    alerts: alertViews(raised, room.masked),
    alertsGone: [...changes.gone],
    activeAlerts: projection.activeAlerts(room.scope, 0).total,
    points: points.points,
    pointsGone: points.gone,
  };
}
