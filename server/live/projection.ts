/**
 * The live projections of the event log: per-day cohort counters by group (so any window of whole
 * days sums a few hundred rows, however many cases there are), open / at-risk / breached counters,
 * a minute histogram of response times, intake and resolutions per hour, the newest cases, the
 * active alerts, the map's points (recent cases, open red and breached ones) and community orders'
 * execution per issued day — each for the whole district and for each street (a street leader's
 * scope). Order figures travel with the summary's scalars, so `Changes` need not name them.
 *
 * Pure: `apply` folds events in seq order and reads no clock and no database, so a fresh replay of
 * the log gives exactly what the live node holds (the projection tests prove it, and that both equal
 * GET /api/stats/summary). `apply` also notes what each batch touched (`Changes`), which is what a
 * delta sends. The state serialises for checkpoints (`toState` / `fromState`), tagged with its seq.
 */
import { isWarningKind } from '../../shared/domain/alerts.js';
import { isOpen } from '../../shared/domain/case.js';
import { addCalendarDays, shanghaiDate, shanghaiMidnight } from '../../shared/domain/calendar.js';
import type { GroupFigures, OrderFigures, Summary } from '../../shared/protocol/payloads.js';
import type { HourPoint, SummaryPatch } from '../../shared/protocol/events.js';
import { byReceived, GROUP_DIMENSIONS, groupFigures, orderFigures, rehandledFigures, type GroupCounts, type GroupDimension } from '../../shared/protocol/figures.js';
import type { DomainConfig } from '../config.js';
import { groupName } from '../stats/group-names.js';
import { applyChanges, contributionOf, COUNTS, deadlineAlertKey, factsFromCreated, isFinal, type CaseFacts, type Counts, type RowDimension } from './case-figures.js';
import type { LoggedEvent } from './log-follower.js';
import { isMarked, MAP_POINTS, trimPoints, type MapPoint } from '../../shared/protocol/map-points.js';

/** Bumped when the state's meaning changes: an older checkpoint is then ignored and the log replayed. */
export const PROJECTION_VERSION = 4;
/** The whole district's scope; a street's scope is its code (`unknown` for cases without one). */
export const DISTRICT = 'all';
/** Days of cohort counters kept behind the newest (a chosen period is at most 366 days). */
const KEEP_DAYS = 400;
/** Hours of intake/resolution flow kept behind the newest. */
const KEEP_HOURS = 60 * 24;
const HOUR_MS = 3_600_000;
const WEEK_MS = 7 * 24 * HOUR_MS;
/** Weeks behind an hour that make "the usual for this weekday" (KEEP_HOURS holds them all). */
const USUAL_WEEKS = 8;
/** Newest cases kept per scope. */
export const LATEST = 20;

type Scope = string;
const rowKey = (scope: Scope, dimension: RowDimension, key: string) => `${scope}\t${dimension}\t${key}`;
const hourKey = (scope: Scope, hour: number) => `${scope}\t${hour}`;

/** What a run of events touched: the rows, hours, cases and alerts a delta must carry. */
export class Changes {
  fromSeq: number;
  toSeq: number;
  readonly rows = new Set<string>();
  readonly hours = new Set<string>();
  readonly cases = new Set<string>();
  readonly raised: string[] = [];
  readonly gone = new Set<string>();
  readonly acked: { id: string; ackedBy: string; ackedAt: string; seq: number }[] = [];
  /** Map points that entered, changed or left, with their street (to scope the delta). */
  readonly points = new Map<string, string>();

  constructor(fromSeq: number) {
    this.fromSeq = fromSeq;
    this.toSeq = fromSeq;
  }

  /** The union with a later run (for a client catching up over several batches). */
  absorb(later: Changes): void {
    this.toSeq = later.toSeq;
    for (const r of later.rows) this.rows.add(r);
    for (const h of later.hours) this.hours.add(h);
    for (const c of later.cases) this.cases.add(c);
    this.raised.push(...later.raised);
    for (const g of later.gone) this.gone.add(g);
    this.acked.push(...later.acked);
    for (const [id, street] of later.points) this.points.set(id, street);
  }
}

/** An active alert as the projection keeps it: the `alert.raised` row (JSON) and its case's street. */
export interface ActiveAlert {
  row: Record<string, unknown>;
  street: string;
}

export interface ProjectionState {
  version: number;
  seq: number;
  maxDay: string;
  maxHour: number;
  firstHour: number;
  cases: CaseFacts[];
  days: [string, [string, Counts][]][];
  responses: [string, [Scope, [number, number][]][]][];
  hours: [string, [number, number]][];
  latest: [Scope, string[]][];
  latestRows: Record<string, unknown>[];
  active: [string, ActiveAlert][];
  points: [street: string, point: MapPoint][];
  orderDays: [string, [string, number[]][]][];
  summonses: [string, SummonsFacts][];
}

/** A summons not judged for good yet: pending, or late and not arrived (its figures may still move). */
interface SummonsFacts {
  day: string;
  street: string;
  late: boolean;
}

/** Order counters kept per issued day and `scope\tdepartment` row ('' = every department). */
const ORDER_COUNTS = ['orders', 'summonses', 'due', 'onTime'] as const;

export class Projection {
  seq = 0;
  /** Events that named a case the projection does not hold (should stay 0; a checkpoint mismatch otherwise). */
  orphans = 0;
  private maxDay = '';
  private maxHour = 0;
  /** The first hour any case flowed in (history before it is unknown, not zero). */
  private firstHour = Number.POSITIVE_INFINITY;
  private readonly cases = new Map<string, CaseFacts>();
  private readonly days = new Map<string, Map<string, Counts>>();
  private readonly responses = new Map<string, Map<Scope, Map<number, number>>>();
  private readonly hours = new Map<string, [received: number, resolved: number]>();
  private readonly live = new Map<Scope, [open: number, atRisk: number, breached: number]>();
  private readonly latest = new Map<Scope, string[]>();
  private readonly latestRows = new Map<string, Record<string, unknown>>();
  private readonly active = new Map<string, ActiveAlert>();
  private readonly points = new Map<string, { point: MapPoint; street: string }>();
  private readonly orderDays = new Map<string, Map<string, number[]>>();
  private readonly summonses = new Map<string, SummonsFacts>();

  /** Folds events (in seq order) into the projections; what they touched goes into `changes`. */
  apply(events: readonly LoggedEvent[], changes: Changes = new Changes(this.seq)): Changes {
    for (const event of events) {
      if (event.seq <= this.seq) continue; // already counted (a checkpoint overlapping the log)
      const data = (event.data ?? {}) as Record<string, unknown>;
      switch (event.type) {
        case 'case.created':
          this.created(data, changes);
          break;
        case 'case.transitioned':
          this.transitioned(event, data, changes);
          break;
        case 'alert.raised':
          this.alertRaised(data, changes);
          break;
        case 'alert.acked':
          this.alertAcked(event, data, changes);
          break;
        case 'alert.updated':
          this.alertUpdated(data, changes);
          break;
        case 'order.issued':
          this.orderIssued(data);
          break;
        case 'order.arrived':
          this.orderArrived(data);
          break;
      }
      this.seq = event.seq;
    }
    changes.toSeq = this.seq;
    return changes;
  }

  private created(data: Record<string, unknown>, changes: Changes): void {
    const facts = factsFromCreated(data);
    if (this.cases.has(facts.id)) return;
    if (facts.day > this.maxDay) this.advanceDay(facts.day);
    this.cases.set(facts.id, facts);
    this.count(facts, 1, changes);
    this.flow(facts, facts.receivedAt, 0, changes);
    this.addLatest(facts, data, changes);
    this.place(facts, changes);
  }

  private transitioned(event: LoggedEvent, data: Record<string, unknown>, changes: Changes): void {
    const facts = this.cases.get(event.caseId);
    if (!facts) {
      this.orphans += 1;
      return;
    }
    this.count(facts, -1, changes);
    applyChanges(facts, data);
    this.count(facts, 1, changes);
    if (event.action === 'resolve') this.flow(facts, event.at.getTime(), 1, changes);
    this.place(facts, changes);
    if (!isOpen(facts.status)) {
      for (const id of facts.activeAlerts) {
        this.active.delete(id);
        changes.gone.add(id);
      }
      facts.activeAlerts = [];
    }
    if (isFinal(facts.status)) this.cases.delete(facts.id);
    const row = this.latestRows.get(facts.id);
    if (row) {
      Object.assign(row, data, { lastSeq: event.seq });
      changes.cases.add(facts.id);
    }
  }

  private alertRaised(data: Record<string, unknown>, changes: Changes): void {
    if (data.kind === 'order_late') this.summonsLate(String(data.subject));
    if (isWarningKind(String(data.kind))) {
      // About a place or a group, not its case: active until acknowledged, whatever the cases do.
      const id = String(data.id);
      this.active.set(id, { row: data, street: typeof data.street === 'string' ? data.street : DISTRICT });
      changes.raised.push(id);
      return;
    }
    const facts = this.cases.get(String(data.caseId));
    if (!facts) {
      this.orphans += 1;
      return;
    }
    if (data.kind === 'sla_at_risk' || data.kind === 'sla_breached') {
      this.count(facts, -1, changes);
      facts.deadlineAlerts.push(deadlineAlertKey(String(data.kind), data.stage as string | null, data.deadline));
      this.count(facts, 1, changes);
      this.place(facts, changes);
    }
    if (isOpen(facts.status)) {
      const id = String(data.id);
      this.active.set(id, { row: data, street: facts.street });
      facts.activeAlerts.push(id);
      changes.raised.push(id);
    }
  }

  /** An early warning grew: its active row takes the new cases and text (an acknowledged one stays acknowledged). */
  private alertUpdated(data: Record<string, unknown>, changes: Changes): void {
    const id = String(data.alertId);
    const alert = this.active.get(id);
    if (!alert) return;
    alert.row = { ...alert.row, caseIds: data.caseIds, caseCount: data.caseCount, text: data.text, updatedAt: data.updatedAt };
    if (!changes.raised.includes(id)) changes.raised.push(id);
  }

  private alertAcked(event: LoggedEvent, data: Record<string, unknown>, changes: Changes): void {
    const id = String(data.alertId);
    const ackedBy = String(data.ackedBy);
    const alert = this.active.get(id);
    if (alert) {
      this.active.delete(id);
      changes.gone.add(id);
      const facts = this.cases.get(String(alert.row.caseId));
      if (facts) facts.activeAlerts = facts.activeAlerts.filter((a) => a !== id);
    }
    changes.acked.push({ id, ackedBy, ackedAt: event.at.toISOString(), seq: event.seq });
  }

  // ── Community orders (RULES ORD6) ─────────────────────────────────────────────────────────

  private orderIssued(data: Record<string, unknown>): void {
    const day = shanghaiDate(new Date(String(data.issuedAt)));
    const street = String(data.streetCode);
    const summonses = (data.summonses as { department: string }[] | undefined) ?? [];
    this.addOrderCounts(day, street, '', [1, summonses.length, 0, 0]);
    for (const s of summonses) {
      this.addOrderCounts(day, street, s.department, [1, 1, 0, 0]);
      this.summonses.set(`${String(data.id)}|${s.department}`, { day, street, late: false });
    }
  }

  private orderArrived(data: Record<string, unknown>): void {
    const key = `${String(data.orderId)}|${String(data.department)}`;
    const facts = this.summonses.get(key);
    if (!facts) return;
    this.summonses.delete(key);
    const add = [0, 0, facts.late ? 0 : 1, data.onTime === true ? 1 : 0];
    this.addOrderCounts(facts.day, facts.street, '', add);
    this.addOrderCounts(facts.day, facts.street, String(data.department), add);
  }

  /** The order monitor's alert: a summons past its deadline without an arrival is now due (and not on time). */
  private summonsLate(subject: string): void {
    const [, orderId, department] = subject.split('|');
    const facts = this.summonses.get(`${orderId}|${department}`);
    if (!facts || facts.late) return;
    facts.late = true;
    this.addOrderCounts(facts.day, facts.street, '', [0, 0, 1, 0]);
    this.addOrderCounts(facts.day, facts.street, department!, [0, 0, 1, 0]);
  }

  private addOrderCounts(day: string, street: string, department: string, add: number[]): void {
    if (day < this.horizon()) return;
    let rows = this.orderDays.get(day);
    if (!rows) this.orderDays.set(day, (rows = new Map()));
    for (const scope of [DISTRICT, street]) {
      const k = `${scope}\t${department}`;
      const counts = rows.get(k) ?? ORDER_COUNTS.map(() => 0);
      for (let i = 0; i < counts.length; i++) counts[i]! += add[i]!;
      rows.set(k, counts);
    }
  }

  /** The community orders issued in the window, and the execution rate by department (ORD2, ORD6). */
  private orderFigures(scope: Scope, fromDay: string, days: number): OrderFigures {
    const sums = new Map<string, number[]>();
    const prefix = `${scope}\t`;
    for (let i = 0; i < days; i++) {
      const rows = this.orderDays.get(addCalendarDays(fromDay, i));
      if (!rows) continue;
      for (const [k, counts] of rows) {
        if (!k.startsWith(prefix)) continue;
        const department = k.slice(prefix.length);
        const sum = sums.get(department) ?? ORDER_COUNTS.map(() => 0);
        for (let j = 0; j < counts.length; j++) sum[j]! += counts[j]!;
        sums.set(department, sum);
      }
    }
    return orderFigures(sums);
  }

  /** Adds (sign 1) or removes (sign −1) a case's contribution, for the district and its street. */
  private count(facts: CaseFacts, sign: 1 | -1, changes: Changes): void {
    const c = contributionOf(facts);
    for (const scope of [DISTRICT, facts.street]) {
      const live = this.live.get(scope) ?? [0, 0, 0];
      for (let i = 0; i < 3; i++) live[i]! += sign * c.live[i]!;
      this.live.set(scope, live);
    }
    if (!c.counts || facts.day < this.horizon()) return;
    let day = this.days.get(facts.day);
    if (!day) this.days.set(facts.day, (day = new Map()));
    for (const scope of [DISTRICT, facts.street]) {
      for (const [dimension, key] of c.rows) {
        const k = rowKey(scope, dimension, key);
        let counts = day.get(k);
        if (!counts) day.set(k, (counts = COUNTS.map(() => 0)));
        for (let i = 0; i < counts.length; i++) counts[i]! += sign * c.counts[i]!;
        changes.rows.add(k);
      }
      if (c.responseMinutes !== null) {
        let perScope = this.responses.get(facts.day);
        if (!perScope) this.responses.set(facts.day, (perScope = new Map()));
        let histogram = perScope.get(scope);
        if (!histogram) perScope.set(scope, (histogram = new Map()));
        const n = (histogram.get(c.responseMinutes) ?? 0) + sign;
        if (n === 0) histogram.delete(c.responseMinutes);
        else histogram.set(c.responseMinutes, n);
      }
    }
  }

  /** Puts the case on the map, updates its point, or takes it off (recent, or open and marked). */
  private place(facts: CaseFacts, changes: Changes): void {
    if (facts.lng === null || facts.lat === null) return;
    const c = contributionOf(facts);
    const point: MapPoint = [facts.id, facts.lng, facts.lat, Math.floor(facts.receivedAt / 1000), facts.grade, c.live[0] === 0 ? 0 : c.live[2] === 1 ? 2 : 1];
    const held = this.points.get(facts.id);
    if (!isMarked(point) && facts.receivedAt < this.recentFrom()) {
      if (held) {
        this.points.delete(facts.id);
        changes.points.set(facts.id, facts.street);
      }
      return;
    }
    if (held && held.point.every((v, i) => v === point[i])) return;
    this.points.set(facts.id, { point, street: facts.street });
    changes.points.set(facts.id, facts.street);
  }

  /** Received at or after this counts as recent on the map (the newest hour and the 23 before). */
  private recentFrom(): number {
    return this.maxHour - (MAP_POINTS.recentHours - 1) * HOUR_MS;
  }

  /** Intake (slot 0) or a resolution (slot 1) in the hour of `at`. */
  private flow(facts: CaseFacts, at: number, slot: 0 | 1, changes: Changes): void {
    const hour = Math.floor(at / HOUR_MS) * HOUR_MS;
    if (hour > this.maxHour) this.advanceHour(hour, changes);
    if (hour < this.firstHour) this.firstHour = hour;
    if (hour < this.maxHour - KEEP_HOURS * HOUR_MS) return;
    for (const scope of [DISTRICT, facts.street]) {
      const k = hourKey(scope, hour);
      const point = this.hours.get(k) ?? [0, 0];
      point[slot] += 1;
      this.hours.set(k, point);
      changes.hours.add(k);
    }
  }

  private addLatest(facts: CaseFacts, data: Record<string, unknown>, changes: Changes): void {
    const dropped: string[] = [];
    let entered = false;
    for (const scope of [DISTRICT, facts.street]) {
      const list = this.latest.get(scope) ?? [];
      let at = list.length; // lists run newest first: insert after every newer case
      while (at > 0 && !this.newerThan(list[at - 1]!, facts)) at--;
      if (at >= LATEST) continue;
      list.splice(at, 0, facts.id);
      if (list.length > LATEST) dropped.push(list.pop()!);
      this.latest.set(scope, list);
      entered = true;
    }
    if (!entered) return;
    this.latestRows.set(facts.id, { ...data });
    changes.cases.add(facts.id);
    for (const id of dropped) if (![...this.latest.values()].some((list) => list.includes(id))) this.latestRows.delete(id);
  }

  private newerThan(id: string, facts: CaseFacts): boolean {
    const t = new Date(this.latestRows.get(id)!.receivedAt as string).getTime();
    return t > facts.receivedAt || (t === facts.receivedAt && id > facts.id);
  }

  private horizon(): string {
    return this.maxDay ? addCalendarDays(this.maxDay, -KEEP_DAYS) : '';
  }

  private advanceDay(day: string): void {
    this.maxDay = day;
    const horizon = this.horizon();
    for (const d of this.days.keys()) if (d < horizon) this.days.delete(d);
    for (const d of this.responses.keys()) if (d < horizon) this.responses.delete(d);
    for (const d of this.orderDays.keys()) if (d < horizon) this.orderDays.delete(d);
  }

  private advanceHour(hour: number, changes: Changes): void {
    const previousDay = Math.floor(this.maxHour / (24 * HOUR_MS));
    this.maxHour = hour;
    const recentFrom = this.recentFrom() / 1000;
    for (const [id, { point, street }] of this.points) {
      if (point[3] < recentFrom && !isMarked(point)) {
        this.points.delete(id);
        changes.points.set(id, street);
      }
    }
    if (Math.floor(hour / (24 * HOUR_MS)) === previousDay) return; // prune once a day is enough
    const horizon = hour - KEEP_HOURS * HOUR_MS;
    for (const k of this.hours.keys()) if (Number(k.slice(k.indexOf('\t') + 1)) < horizon) this.hours.delete(k);
  }

  // ── Views ────────────────────────────────────────────────────────────────────────────────

  /** GET /api/stats/summary for `days` whole days from `fromDay`, for the district or one street. */
  summary(config: DomainConfig, scope: Scope, fromDay: string, days: number): Summary {
    const groups = {} as Record<GroupDimension, GroupFigures[]>;
    const sums = this.sumRows(scope, fromDay, days, null);
    for (const dimension of GROUP_DIMENSIONS) groups[dimension] = [];
    let total: Counts = COUNTS.map(() => 0);
    for (const [k, counts] of sums) {
      const [, dimension, key] = k.split('\t') as [Scope, RowDimension, string];
      if (dimension === 'total') total = counts;
      else if (counts[0]! > 0) groups[dimension].push(groupFigures([key, ...counts] as GroupCounts, groupName(config, dimension, key)));
    }
    for (const list of Object.values(groups)) list.sort(byReceived);
    return {
      ...this.scalars(scope, fromDay, days, total),
      byChannel: groups.channel,
      byCategory: groups.category,
      byStreet: groups.street,
      byCommunity: groups.community,
      byDepartment: groups.department,
    };
  }

  /** The summary's scalars and the counts of the group rows `changes` touched (a gone row counts 0). */
  summaryPatch(scope: Scope, fromDay: string, days: number, changes: Changes): SummaryPatch {
    const wanted = new Set<string>();
    const prefix = `${scope}\t`;
    for (const k of changes.rows) if (k.startsWith(prefix)) wanted.add(k);
    wanted.add(rowKey(scope, 'total', ''));
    const sums = this.sumRows(scope, fromDay, days, wanted);
    const groups = {} as Record<GroupDimension, GroupCounts[]>;
    for (const dimension of GROUP_DIMENSIONS) groups[dimension] = [];
    let total: Counts = COUNTS.map(() => 0);
    for (const k of wanted) {
      const [, dimension, key] = k.split('\t') as [Scope, RowDimension, string];
      const counts = sums.get(k) ?? COUNTS.map(() => 0);
      if (dimension === 'total') total = counts;
      else groups[dimension].push([key, ...counts] as GroupCounts);
    }
    return { ...this.scalars(scope, fromDay, days, total), groups };
  }

  private scalars(scope: Scope, fromDay: string, days: number, total: Counts) {
    const [open, atRisk, breached] = this.live.get(scope) ?? [0, 0, 0];
    const all = groupFigures(['all', ...total] as GroupCounts, '');
    return {
      seq: this.seq,
      from: shanghaiMidnight(fromDay).toISOString(),
      to: shanghaiMidnight(addCalendarDays(fromDay, days)).toISOString(),
      street: scope === DISTRICT ? null : scope,
      received: all.received,
      resolved: all.resolved,
      resolutionRate: all.resolutionRate,
      onTimeRate: all.onTimeRate,
      satisfactionRate: all.satisfactionRate,
      open,
      atRisk,
      breached,
      medianResponseMinutes: this.medianResponse(scope, fromDay, days),
      rehandled: rehandledFigures(['all', ...total] as GroupCounts),
      orders: this.orderFigures(scope, fromDay, days),
    };
  }

  /** Sums of the rows of `scope` (or only `wanted`) over the days of the window. */
  private sumRows(scope: Scope, fromDay: string, days: number, wanted: Set<string> | null): Map<string, Counts> {
    const sums = new Map<string, Counts>();
    const prefix = `${scope}\t`;
    for (let i = 0; i < days; i++) {
      const day = this.days.get(addCalendarDays(fromDay, i));
      if (!day) continue;
      const add = (k: string, counts: Counts) => {
        const sum = sums.get(k);
        if (!sum) sums.set(k, [...counts]);
        else for (let j = 0; j < counts.length; j++) sum[j]! += counts[j]!;
      };
      if (wanted) {
        for (const k of wanted) {
          const counts = day.get(k);
          if (counts) add(k, counts);
        }
      } else {
        for (const [k, counts] of day) if (k.startsWith(prefix)) add(k, counts);
      }
    }
    return sums;
  }

  /** The lower median of whole minutes to the first handling action (as SQL's percentile_disc(0.5)). */
  private medianResponse(scope: Scope, fromDay: string, days: number): number | null {
    const merged = new Map<number, number>();
    for (let i = 0; i < days; i++) {
      const histogram = this.responses.get(addCalendarDays(fromDay, i))?.get(scope);
      if (histogram) for (const [minutes, n] of histogram) merged.set(minutes, (merged.get(minutes) ?? 0) + n);
    }
    let total = 0;
    for (const n of merged.values()) total += n;
    if (total === 0) return null;
    const target = Math.ceil(total / 2);
    let seen = 0;
    for (const minutes of [...merged.keys()].sort((a, b) => a - b)) {
      seen += merged.get(minutes)!;
      if (seen >= target) return minutes;
    }
    return null;
  }

  /** The 24 hours ending with the one holding `now`, oldest first. */
  hourly(scope: Scope, now: number): HourPoint[] {
    const last = Math.floor(now / HOUR_MS) * HOUR_MS;
    const points: HourPoint[] = [];
    for (let hour = last - 23 * HOUR_MS; hour <= last; hour += HOUR_MS) points.push(this.hourPoint(scope, hour));
    return points;
  }

  /** The touched hours of `scope` within the 24 hours ending at `now`. */
  hourlyPatch(scope: Scope, now: number, changes: Changes): HourPoint[] {
    const last = Math.floor(now / HOUR_MS) * HOUR_MS;
    const points: HourPoint[] = [];
    const prefix = `${scope}\t`;
    for (const k of changes.hours) {
      if (!k.startsWith(prefix)) continue;
      const hour = Number(k.slice(prefix.length));
      if (hour > last - 24 * HOUR_MS && hour <= last) points.push(this.hourPoint(scope, hour));
    }
    return points.sort((a, b) => a.hour.localeCompare(b.hour));
  }

  private hourPoint(scope: Scope, hour: number): HourPoint {
    const [received, resolved] = this.hours.get(hourKey(scope, hour)) ?? [0, 0];
    return { hour: new Date(hour).toISOString(), received, resolved, usual: this.usual(scope, hour) };
  }

  /** Mean intake in this hour of the week over the previous weeks held (one decimal), or null. */
  private usual(scope: Scope, hour: number): number | null {
    let sum = 0;
    let weeks = 0;
    for (let h = hour - WEEK_MS; weeks < USUAL_WEEKS && h >= this.firstHour; h -= WEEK_MS, weeks++) sum += this.hours.get(hourKey(scope, h))?.[0] ?? 0;
    return weeks === 0 ? null : Math.round((sum / weeks) * 10) / 10;
  }

  /** The newest cases of `scope` as rows (JSON of the case row), newest first. */
  latestRowsOf(scope: Scope): Record<string, unknown>[] {
    return (this.latest.get(scope) ?? []).map((id) => this.latestRows.get(id)!);
  }

  /** Of the cases `changes` touched, those now among the newest of `scope`. */
  latestPatch(scope: Scope, changes: Changes): Record<string, unknown>[] {
    return (this.latest.get(scope) ?? []).filter((id) => changes.cases.has(id)).map((id) => this.latestRows.get(id)!);
  }

  /** Active alerts of `scope`, newest first, at most `limit`, and how many there are. */
  activeAlerts(scope: Scope, limit: number): { alerts: Record<string, unknown>[]; total: number } {
    const all = [...this.active.values()].filter((a) => scope === DISTRICT || a.street === scope);
    return { alerts: all.slice(-limit).reverse().map((a) => a.row), total: all.length };
  }

  /** The map's points of `scope`, cut as every reader cuts them. */
  pointsOf(scope: Scope): MapPoint[] {
    const mine = [...this.points.values()].filter((p) => scope === DISTRICT || p.street === scope);
    return trimPoints(mine.map((p) => p.point));
  }

  /** The points of `scope` that `changes` touched: current ones, and the ids that left the map. */
  pointsPatch(scope: Scope, changes: Changes): { points: MapPoint[]; gone: string[] } {
    const points: MapPoint[] = [];
    const gone: string[] = [];
    for (const [id, street] of changes.points) {
      if (scope !== DISTRICT && street !== scope) continue;
      const held = this.points.get(id);
      if (held) points.push(held.point);
      else gone.push(id);
    }
    return { points, gone };
  }

  /** An active alert by id, with its case's street (for scoping a broadcast). */
  activeAlert(id: string): ActiveAlert | undefined {
    return this.active.get(id);
  }

  /** The open cases as the projection holds them (for the risk map). */
  *openCases(): Generator<CaseFacts & { breached: boolean }> {
    for (const facts of this.cases.values()) {
      if (!isOpen(facts.status)) continue;
      yield { ...facts, breached: contributionOf(facts).live[2] === 1 };
    }
  }

  get heldCases(): number {
    return this.cases.size;
  }

  // ── Checkpoints ──────────────────────────────────────────────────────────────────────────

  toState(): ProjectionState {
    return {
      version: PROJECTION_VERSION,
      seq: this.seq,
      maxDay: this.maxDay,
      maxHour: this.maxHour,
      firstHour: this.firstHour,
      cases: [...this.cases.values()],
      days: [...this.days].map(([day, rows]) => [day, [...rows]]),
      responses: [...this.responses].map(([day, scopes]) => [day, [...scopes].map(([scope, h]) => [scope, [...h]])]),
      hours: [...this.hours],
      latest: [...this.latest],
      latestRows: [...this.latestRows.values()],
      active: [...this.active],
      points: [...this.points.values()].map((p) => [p.street, p.point]),
      orderDays: [...this.orderDays].map(([day, rows]) => [day, [...rows]]),
      summonses: [...this.summonses],
      // `live` is derived from `cases` on restore.
    };
  }

  static fromState(state: ProjectionState): Projection {
    if (state.version !== PROJECTION_VERSION) throw new Error(`projection state version ${state.version}, want ${PROJECTION_VERSION}`);
    const p = new Projection();
    p.seq = state.seq;
    p.maxDay = state.maxDay;
    p.maxHour = state.maxHour;
    p.firstHour = state.firstHour ?? Number.POSITIVE_INFINITY;
    for (const facts of state.cases) {
      p.cases.set(facts.id, facts);
      const c = contributionOf(facts);
      for (const scope of [DISTRICT, facts.street]) {
        const live = p.live.get(scope) ?? [0, 0, 0];
        for (let i = 0; i < 3; i++) live[i]! += c.live[i]!;
        p.live.set(scope, live);
      }
    }
    for (const [day, rows] of state.days) p.days.set(day, new Map(rows));
    for (const [day, scopes] of state.responses) p.responses.set(day, new Map(scopes.map(([scope, h]) => [scope, new Map(h)])));
    for (const [k, point] of state.hours) p.hours.set(k, point);
    for (const [scope, ids] of state.latest) p.latest.set(scope, ids);
    for (const row of state.latestRows) p.latestRows.set(String(row.id), row);
    for (const [id, alert] of state.active) p.active.set(id, alert);
    for (const [street, point] of state.points) p.points.set(point[0], { point, street });
    for (const [day, rows] of state.orderDays) p.orderDays.set(day, new Map(rows));
    for (const [key, facts] of state.summonses) p.summonses.set(key, facts);
    return p;
  }
}
