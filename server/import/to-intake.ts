/**
 * A source record as one of our intakes (RULES IMP2–IMP4): channel, category (and item) and
 * department come from the mapping table (server/import/mapping.json, overridable entry by entry);
 * the record keeps its own reported time; 311 systems put a request in the agency's queue on
 * arrival, so it arrives dispatched and accepted by the mapped department at that time; a closed
 * record is resolved at its closed time, in the same intake (no live alert). `--relocate` moves the
 * source's points into the district for demos; `--speed` shifts every time (see scripts/import.ts).
 */
import { readFileSync } from 'node:fs';
import type { CaseIntake } from '../../shared/protocol/payloads.js';
import type { Format, SourceRecord } from './formats.js';

export interface Mapping {
  types: Record<string, string>;
  agencies: Record<string, string>;
  channels: Record<string, string>;
}

/** What the importer knows of the district (from GET /api/config). */
export interface DistrictFacts {
  categories: { code: string; items: { code: string }[] }[];
  departments: { code: string }[];
  channels: readonly string[];
  bbox: readonly [number, number, number, number];
  communities: { centroid: readonly [number, number] }[];
}

const DEFAULT_MAPPING = JSON.parse(readFileSync(new URL('./mapping.json', import.meta.url), 'utf8')) as Record<string, Mapping>;

/**
 * The format's mapping, with an override file's entries winning, checked against the district:
 * every category, item, department and channel it names must exist (an error names the entry).
 */
export function loadMapping(format: Format, district: DistrictFacts, overrideFile?: string): Mapping {
  const base = DEFAULT_MAPPING[format]!;
  const override = overrideFile ? ((JSON.parse(readFileSync(overrideFile, 'utf8')) as Record<string, Partial<Mapping>>)[format] ?? {}) : {};
  const mapping: Mapping = {
    types: { ...base.types, ...override.types },
    agencies: { ...base.agencies, ...override.agencies },
    channels: { ...base.channels, ...override.channels },
  };
  for (const [source, target] of Object.entries(mapping.types)) {
    const [category, item] = target.split('/');
    const known = district.categories.find((c) => c.code === category);
    if (!known || (item && !known.items.some((i) => i.code === item))) throw new Error(`mapping ${format}.types["${source}"]: no category/item "${target}" in the district's duty list`);
  }
  for (const [source, department] of Object.entries(mapping.agencies)) {
    if (!district.departments.some((d) => d.code === department)) throw new Error(`mapping ${format}.agencies["${source}"]: no department "${department}"`);
  }
  for (const [source, channel] of Object.entries(mapping.channels)) {
    if (!district.channels.includes(channel)) throw new Error(`mapping ${format}.channels["${source}"]: no channel "${channel}"`);
  }
  if (!mapping.types['*'] || !mapping.channels['*']) throw new Error(`mapping ${format}: types and channels need a "*" fallback`);
  return mapping;
}

/** Where a source point lands in the district: the records' middle 96 % stretched over the district, near a community. */
export function relocator(records: readonly SourceRecord[], district: DistrictFacts): (lat: number, lng: number) => { lat: number; lng: number } {
  const lats = records.flatMap((r) => (r.lat === null ? [] : [r.lat])).sort((a, b) => a - b);
  const lngs = records.flatMap((r) => (r.lng === null ? [] : [r.lng])).sort((a, b) => a - b);
  const q = (list: number[], p: number) => list[Math.min(list.length - 1, Math.max(0, Math.floor(p * (list.length - 1))))] ?? 0;
  const [south, north, west, east] = [q(lats, 0.02), q(lats, 0.98), q(lngs, 0.02), q(lngs, 0.98)];
  const [dWest, dSouth, dEast, dNorth] = district.bbox;
  const scale = (v: number, a: number, b: number) => (b > a ? Math.min(1, Math.max(0, (v - a) / (b - a))) : 0.5);
  return (lat, lng) => {
    const y = dSouth + scale(lat, south, north) * (dNorth - dSouth);
    const x = dWest + scale(lng, west, east) * (dEast - dWest);
    // The district is not its bounding box: keep the point near the closest community's centre,
    // an eighth of the way out, so nearly every relocated case lands inside a community.
    let best = district.communities[0]?.centroid ?? [x, y];
    let distance = Number.POSITIVE_INFINITY;
    for (const { centroid } of district.communities) {
      const d = (centroid[0] - x) ** 2 + (centroid[1] - y) ** 2;
      if (d < distance) [best, distance] = [centroid, d];
    }
    const round = (v: number) => Math.round(v * 1e6) / 1e6;
    return { lat: round(best[1] + (y - best[1]) * 0.125), lng: round(best[0] + (x - best[0]) * 0.125) };
  };
}

const iso = (at: Date) => at.toISOString();
const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * The intake for a record whose every past step is at or before `sentAt`; a close after it is
 * returned as `resolveAt` for the replay to send when its time comes.
 */
export function toIntake(
  record: SourceRecord,
  format: Format,
  mapping: Mapping,
  options: { shift: (at: Date) => Date; place: ((lat: number, lng: number) => { lat: number; lng: number }) | null; sentAt: Date },
): { intake: CaseIntake; resolveAt: Date | null } {
  const [category, item] = (mapping.types[record.type] ?? mapping.types['*']!).split('/');
  const channel = mapping.channels[record.channel] ?? mapping.channels['*']!;
  const department = mapping.agencies[record.agency];
  const created = options.shift(record.createdAt!);
  const closed = record.closedAt ? options.shift(record.closedAt) : null;
  const point = record.lat !== null && record.lng !== null ? (options.place ? options.place(record.lat, record.lng) : { lat: record.lat, lng: record.lng }) : null;
  const history: NonNullable<CaseIntake['history']> = [
    { action: 'dispatch', at: iso(created), ...(department ? { department } : {}), note: `源系统：${record.agency || '未注明'}` },
    { action: 'accept', at: iso(created) },
  ];
  const resolvesNow = closed !== null && closed <= options.sentAt;
  if (resolvesNow) history.push({ action: 'resolve', at: iso(closed), note: `源系统状态：${record.status}` });
  const title = clip(record.description ? `${record.type || '诉求'}：${record.description}` : record.type || '诉求', 200);
  return {
    intake: {
      channel: channel as CaseIntake['channel'],
      externalId: `${format}:${record.externalId}`,
      category: category!,
      ...(item ? { item } : {}),
      title,
      ...(record.description ? { description: clip(record.description, 10_000) } : {}),
      ...(point || record.address ? { location: { ...(point ?? {}), ...(record.address ? { address: clip(record.address, 500) } : {}) } } : {}),
      reportedAt: iso(created),
      extras: { source: format, sourceId: record.externalId, sourceStatus: record.status, sourceType: record.type, sourceAgency: record.agency },
      history,
    },
    resolveAt: closed !== null && !resolvesNow ? closed : null,
  };
}
