/**
 * Early warning (治未病): finds recurring problems and surges in the stream of cases. Pure and
 * incremental: `add` each case as it arrives (in any order, each once), then `findings(now)` says
 * which places and groups are unusual now. The server's warning monitor turns findings into alerts.
 *
 * Recurring (同类问题反复出现, RULES EW1): cases of one category within about 250 m of the newest
 * (its H3 cell of resolution 10 and `ring` rings around it; a community when a case has no coordinates),
 * at least `minCases` of them in the last `days` days, and more than that place usually has: the
 * count's upper tail under the place's own rate, learned from up to `historyDays` before the window,
 * is below `alpha`, and so is its tail under the neighbourhood's rate (`neighbourRing` rings of
 * cells, ~650 m) scaled to the place. A rate's belief is gamma(n + ½, T) after n cases in T days
 * (Jeffreys): a quiet place in a quiet neighbourhood alarms at 3, a busy estate needs many more.
 *
 * Surge (诉求激增, EW2): a category or a street receiving, in one clock hour, far more than usual
 * for that hour of the week. The usual is the same hour in up to `historyWeeks` previous weeks,
 * shrunk towards a prior (the group's share of all cases × the district's usual for that hour) with
 * the weight of `priorWeeks` weeks; the count must reach `minCases`, `minRatio` × the usual, and an
 * upper tail below `alpha`. Both tails are negative binomial (shared/domain/tail-probability.ts).
 * Without `days` of history there is no recurring judgement, and without a day no surge one.
 */
import { gridDisk, latLngToCell } from 'h3-js';
import { upperTail } from './tail-probability.js';

export interface WarningSettings {
  recurring: {
    minCases: number;
    days: number;
    cellResolution: number;
    ring: number;
    /** The neighbourhood whose rate is a second baseline for a place (rings of cells around it). */
    neighbourRing: number;
    historyDays: number;
    alpha: number;
  };
  surge: { minCases: number; minRatio: number; historyWeeks: number; priorWeeks: number; alpha: number };
}

export const DEFAULT_WARNING: WarningSettings = {
  recurring: { minCases: 3, days: 7, cellResolution: 10, ring: 2, neighbourRing: 5, historyDays: 56, alpha: 7e-4 },
  surge: { minCases: 5, minRatio: 2, historyWeeks: 8, priorWeeks: 1, alpha: 1e-4 },
};

/** What early warning needs of a case. */
export interface WarningCase {
  id: string;
  category: string;
  street: string | null;
  community: string | null;
  lng: number | null;
  lat: number | null;
  receivedAt: number;
}

export interface RecurringFinding {
  kind: 'recurring';
  category: string;
  /** The H3 cell at the centre of the place (or `community:<code>`). */
  place: string;
  /** The newest case's street and community, to name the place. */
  street: string | null;
  community: string | null;
  /** The cases in the window, oldest first. */
  caseIds: string[];
  /** What the place usually has in `days` days, and how unlikely this many is. */
  expected: number;
  pValue: number;
}

export interface SurgeFinding {
  kind: 'surge';
  dimension: 'category' | 'street';
  group: string;
  /** Start of the clock hour, ms. */
  hour: number;
  caseIds: string[];
  /** The usual count for this hour of the week. */
  expected: number;
  pValue: number;
}

export type Finding = RecurringFinding | SurgeFinding;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEK_HOURS = 168;
const DISTRICT = '*';

interface HourCount {
  n: number;
  ids: string[];
}

export class EarlyWarning {
  private readonly settings: WarningSettings;
  private readonly known = new Map<string, WarningCase>();
  /** Cases by category and place (cell or community), oldest first. */
  private readonly byPlace = new Map<string, WarningCase[]>();
  /** Hourly counts by group (`category:x`, `street:y`, and `*` for the district). */
  private readonly hourly = new Map<string, Map<number, HourCount>>();
  /** The earliest received time added: history before it is unknown, not empty. */
  private firstAt = Number.POSITIVE_INFINITY;
  private readonly touchedPlaces = new Set<string>();
  private readonly touchedHours = new Set<string>();
  private forgotAt = 0;
  /** Rings of cells around a cell, by ring size and cell (an H3 lookup costs ~0.1 ms; places repeat). */
  private readonly disks = new Map<string, string[]>();
  /** Usual counts already worked out, by group and hour (history does not change under them). */
  private readonly usualCache = new Map<string, { shape: number; rate: number }>();

  constructor(settings: WarningSettings = DEFAULT_WARNING) {
    this.settings = settings;
  }

  /** Adds a case (again: ignored). */
  add(c: WarningCase): void {
    if (this.known.has(c.id)) return;
    this.known.set(c.id, c);
    this.firstAt = Math.min(this.firstAt, c.receivedAt);
    const place = this.placeOf(c);
    if (place) {
      const key = `${c.category}|${place}`;
      insertByTime(this.byPlace, key, c);
      this.touchedPlaces.add(key);
    }
    const hour = Math.floor(c.receivedAt / HOUR);
    for (const group of [DISTRICT, `category:${c.category}`, ...(c.street ? [`street:${c.street}`] : [])]) {
      let hours = this.hourly.get(group);
      if (!hours) this.hourly.set(group, (hours = new Map()));
      const count = hours.get(hour) ?? { n: 0, ids: [] };
      count.n += 1;
      count.ids.push(c.id);
      hours.set(hour, count);
      if (group !== DISTRICT) this.touchedHours.add(`${group}|${hour}`);
    }
  }

  /** Whether places added to are still waiting to be judged (a `findings` call ran out of budget). */
  get pending(): boolean {
    return this.touchedPlaces.size > 0;
  }

  /**
   * The unusual places and groups among those cases were added to since the last call, judged at
   * `now`; then forgets what is older than any judgement looks back. With a budget it stops after
   * about that many milliseconds of places and leaves the rest `pending` (the surges are judged
   * on the call that finishes), so a caller can yield between calls. The budget is the only use of
   * a clock here, and it changes only when a place is judged, never the judgement.
   */
  findings(now: number, budgetMs = Number.POSITIVE_INFINITY): Finding[] {
    const found: Finding[] = [];
    const r = this.settings.recurring;
    const windowStart = now - r.days * DAY;
    const started = Date.now();
    for (const key of this.touchedPlaces) {
      if (Date.now() - started > budgetMs) return found; // the rest next time (`pending`)
      this.touchedPlaces.delete(key);
      // A place whose newest case is older than the window has no cluster now (history learned at start).
      if ((this.byPlace.get(key)?.at(-1)?.receivedAt ?? 0) <= windowStart) continue;
      const finding = this.judgePlace(key, now);
      if (finding) found.push(finding);
    }
    const currentHour = Math.floor(now / HOUR);
    for (const key of this.touchedHours) {
      const cut = key.lastIndexOf('|');
      const hour = Number(key.slice(cut + 1));
      if (hour < currentHour - 1 || hour > currentHour) continue; // history, not news
      const finding = this.judgeHour(key.slice(0, cut), hour);
      if (finding) found.push(finding);
    }
    this.touchedHours.clear();
    this.forget(now - Math.max((r.historyDays + r.days) * DAY, (this.settings.surge.historyWeeks * WEEK_HOURS + 2) * HOUR));
    return found;
  }

  private placeOf(c: WarningCase): string | null {
    if (c.lat !== null && c.lng !== null) return latLngToCell(c.lat, c.lng, this.settings.recurring.cellResolution);
    return c.community ? `community:${c.community}` : null;
  }

  private judgePlace(key: string, now: number): RecurringFinding | null {
    const r = this.settings.recurring;
    const cut = key.indexOf('|');
    const category = key.slice(0, cut);
    const place = key.slice(cut + 1);
    const windowStart = now - r.days * DAY;
    const historyDays = Math.min(r.historyDays, (windowStart - this.firstAt) / DAY);
    if (historyDays < r.days) return null; // too little history to know what is usual here
    const historyStart = windowStart - historyDays * DAY;
    const community = place.startsWith('community:');
    const cells = community ? [place] : this.disk(place, r.ring);
    const inWindow: WarningCase[] = [];
    let before = 0;
    for (const cell of cells) {
      for (const c of this.byPlace.get(`${category}|${cell}`) ?? []) {
        if (c.receivedAt > now) continue;
        if (c.receivedAt > windowStart) inWindow.push(c);
        else if (c.receivedAt >= historyStart) before += 1;
      }
    }
    if (inWindow.length < r.minCases) return null;
    // Unusual for the place and for its neighbourhood alike: the neighbourhood's count, scaled to
    // the place's size, is a second baseline, so a place merely lucky in a busy neighbourhood so far
    // is not called unusual (an intersection–union test: the larger p-value stands).
    let neighbourhood = 0;
    const around = community ? [] : this.disk(place, r.neighbourRing);
    for (const cell of around) {
      for (const c of this.byPlace.get(`${category}|${cell}`) ?? []) if (c.receivedAt >= historyStart && c.receivedAt <= windowStart) neighbourhood += 1;
    }
    const own = { shape: before + 0.5, rate: historyDays };
    const nearby = { shape: (around.length > 0 ? (neighbourhood * cells.length) / around.length : before) + 0.5, rate: historyDays };
    const pValue = Math.max(upperTail(inWindow.length, own, r.days), upperTail(inWindow.length, nearby, r.days));
    const belief = own.shape >= nearby.shape ? own : nearby;
    if (pValue >= r.alpha) return null;
    inWindow.sort((a, b) => a.receivedAt - b.receivedAt || (a.id < b.id ? -1 : 1));
    const newest = inWindow[inWindow.length - 1]!;
    return {
      kind: 'recurring',
      category,
      place,
      street: newest.street,
      community: newest.community,
      caseIds: inWindow.map((c) => c.id),
      expected: (belief.shape / belief.rate) * r.days,
      pValue,
    };
  }

  private disk(cell: string, ring: number): string[] {
    const key = `${ring}|${cell}`;
    let cells = this.disks.get(key);
    if (!cells) {
      if (this.disks.size >= 50_000) this.disks.clear();
      this.disks.set(key, (cells = gridDisk(cell, ring)));
    }
    return cells;
  }

  private judgeHour(group: string, hour: number): SurgeFinding | null {
    const s = this.settings.surge;
    const count = this.hourly.get(group)?.get(hour);
    if (!count || count.n < s.minCases) return null;
    const firstHour = Math.ceil(this.firstAt / HOUR);
    if (hour - firstHour < 24) return null; // not a day of history yet
    const cacheKey = `${group}|${hour}`;
    let usual = this.usualCache.get(cacheKey);
    if (!usual) this.usualCache.set(cacheKey, (usual = this.usual(group, hour, firstHour)));
    const expected = usual.shape / usual.rate;
    if (count.n < s.minRatio * expected) return null;
    const pValue = upperTail(count.n, usual, 1);
    if (pValue >= s.alpha) return null;
    const cut = group.indexOf(':');
    return {
      kind: 'surge',
      dimension: group.slice(0, cut) as SurgeFinding['dimension'],
      group: group.slice(cut + 1),
      hour: hour * HOUR,
      caseIds: [...count.ids],
      expected,
      pValue,
    };
  }

  /** The belief about `group`'s count in `hour`: its same hours of past weeks, shrunk to a prior. */
  private usual(group: string, hour: number, firstHour: number): { shape: number; rate: number } {
    const s = this.settings.surge;
    const n = (g: string, h: number) => this.hourly.get(g)?.get(h)?.n ?? 0;
    let weeks = 0;
    let sameHours = 0;
    let districtSameHours = 0;
    for (let w = 1; w <= s.historyWeeks && hour - w * WEEK_HOURS >= firstHour; w++) {
      weeks += 1;
      sameHours += n(group, hour - w * WEEK_HOURS);
      districtSameHours += n(DISTRICT, hour - w * WEEK_HOURS);
    }
    // The group's share of all cases, and the district's usual for this hour (of the week when
    // weeks are known, else of the day), over the history the detector holds.
    const spanStart = Math.max(firstHour, hour - s.historyWeeks * WEEK_HOURS);
    let groupTotal = 0;
    let districtTotal = 0;
    let districtHourOfDay = 0;
    let days = 0;
    for (let h = spanStart; h < hour; h++) {
      groupTotal += n(group, h);
      districtTotal += n(DISTRICT, h);
      if ((hour - h) % 24 === 0) {
        districtHourOfDay += n(DISTRICT, h);
        days += 1;
      }
    }
    const share = (groupTotal + 0.5) / (districtTotal + 1);
    const districtUsual = weeks > 0 ? districtSameHours / weeks : districtHourOfDay / Math.max(1, days);
    const prior = share * districtUsual;
    return { shape: sameHours + s.priorWeeks * prior + 0.5, rate: weeks + s.priorWeeks };
  }

  private forget(before: number): void {
    if (before - this.forgotAt < DAY) return; // a daily sweep is enough
    this.forgotAt = before;
    for (const [id, c] of this.known) if (c.receivedAt < before) this.known.delete(id);
    for (const [key, list] of this.byPlace) {
      const keep = list.filter((c) => c.receivedAt >= before);
      if (keep.length === 0) this.byPlace.delete(key);
      else if (keep.length < list.length) this.byPlace.set(key, keep);
    }
    this.usualCache.clear();
    const oldest = Math.floor(before / HOUR);
    for (const hours of this.hourly.values()) for (const h of hours.keys()) if (h < oldest) hours.delete(h);
    // History before `before` is still known to have existed: keep firstAt.
  }
}

function insertByTime(index: Map<string, WarningCase[]>, key: string, c: WarningCase): void {
  let list = index.get(key);
  if (!list) index.set(key, (list = []));
  let i = list.length;
  while (i > 0 && list[i - 1]!.receivedAt > c.receivedAt) i--;
  list.splice(i, 0, c);
}
