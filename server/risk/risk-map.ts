/**
 * GET /api/risk/map's body: the district's communities (polygons from public/geo, WGS-84) and the
 * hexagonal cells (H3 resolution 8, ~0.7 km²) that hold open cases, each with the risk index of its
 * open cases (shared/domain/risk-index.ts) and its level among its own layer. Read from the live
 * projection, so it costs one pass over the open cases and never a query. An RFC 7946
 * FeatureCollection; `seq` and `at` say which state of the log it shows, `unplaced` counts open
 * cases without a community. `riskChanges` is what the stream sends as `risk` deltas.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cellToBoundary, latLngToCell } from 'h3-js';
import { caseRisk, riskLevels } from '../../shared/domain/risk-index.js';
import type { RiskFeature, RiskMap, RiskProperties } from '../../shared/protocol/risk-map.js';
import type { Projection } from '../live/projection.js';

export const COMMUNITY_SHAPES = fileURLToPath(new URL('../../public/geo/guangming.geojson', import.meta.url));

interface Shape {
  type: 'Feature';
  geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown[] };
  properties: { level: string; code: string; name: string; nameEn?: string };
}

export type { RiskFeature, RiskMap, RiskProperties };

/** The cells' H3 resolution: ~460 m edges, a few hundred cells over a district. */
export const RISK_CELL_RESOLUTION = 8;

/** The community polygons of the district's boundary file. */
export function loadCommunityShapes(path = COMMUNITY_SHAPES): Shape[] {
  const collection = JSON.parse(readFileSync(path, 'utf8')) as { features: Shape[] };
  return collection.features.filter((f) => f.properties.level === 'community');
}

interface Sums {
  index: number;
  open: number;
  red: number;
  breached: number;
}

const empty = (): Sums => ({ index: 0, open: 0, red: 0, breached: 0 });

/**
 * Cells by snapped place: open cases sit on a ~100 m grid (the projection snaps them), so a few
 * thousand places cover a district, and a lookup (~6 µs in h3-js) is done once per place, not per
 * case per build. Cleared if it ever grows past a district's worth.
 */
const cellOfPlace = new Map<string, string>();
function cellOf(lat: number, lng: number): string {
  const key = `${lat},${lng}`;
  let cell = cellOfPlace.get(key);
  if (cell === undefined) {
    if (cellOfPlace.size >= 200_000) cellOfPlace.clear();
    cell = latLngToCell(lat, lng, RISK_CELL_RESOLUTION);
    cellOfPlace.set(key, cell);
  }
  return cell;
}
const rounded = (index: number) => Math.round(index * 10) / 10;

export function buildRiskMap(projection: Projection, shapes: readonly Shape[], now: number): RiskMap {
  const byCommunity = new Map<string, Sums>();
  const byCell = new Map<string, Sums>();
  const add = (index: Map<string, Sums>, key: string, risk: number, c: { grade: number; breached: boolean }) => {
    const sums = index.get(key) ?? empty();
    sums.index += risk;
    sums.open += 1;
    if (c.grade === 2) sums.red += 1;
    if (c.breached) sums.breached += 1;
    index.set(key, sums);
  };
  for (const c of projection.openCases()) {
    const risk = caseRisk({ grade: c.grade, receivedAt: c.receivedAt, breached: c.breached }, now);
    add(byCommunity, c.community, risk, c);
    if (c.lat !== null && c.lng !== null) add(byCell, cellOf(c.lat, c.lng), risk, c);
  }
  const known = new Set(shapes.map((s) => s.properties.code));
  let unplaced = 0;
  for (const [community, sums] of byCommunity) if (!known.has(community)) unplaced += sums.open;

  const communityIndices = shapes.map((shape) => rounded((byCommunity.get(shape.properties.code) ?? empty()).index));
  const communityLevels = riskLevels(communityIndices, { usualOf: 'all' });
  const communities = shapes.map((shape, i): RiskFeature => {
    const sums = byCommunity.get(shape.properties.code) ?? empty();
    return {
      type: 'Feature',
      id: shape.properties.code,
      geometry: shape.geometry,
      properties: {
        layer: 'community',
        code: shape.properties.code,
        name: shape.properties.name,
        nameEn: shape.properties.nameEn ?? null,
        riskIndex: communityIndices[i]!,
        riskLevel: communityLevels[i]!,
        open: sums.open,
        red: sums.red,
        breached: sums.breached,
      },
    };
  });

  const cellIds = [...byCell.keys()].sort();
  const cellIndices = cellIds.map((cell) => rounded(byCell.get(cell)!.index));
  const cellLevels = riskLevels(cellIndices);
  const cells = cellIds.map((cell, i): RiskFeature => {
    const sums = byCell.get(cell)!;
    const ring = cellToBoundary(cell, true).map(([lng, lat]) => [round6(lng!), round6(lat!)]);
    return {
      type: 'Feature',
      id: `h3:${cell}`,
      geometry: { type: 'Polygon', coordinates: [ring] },
      properties: { layer: 'cell', code: cell, name: cell, nameEn: null, riskIndex: cellIndices[i]!, riskLevel: cellLevels[i]!, open: sums.open, red: sums.red, breached: sums.breached },
    };
  });

  return { type: 'FeatureCollection', seq: projection.seq, at: new Date(now).toISOString(), unplaced, features: [...communities, ...cells] };
}

const round6 = (value: number) => Math.round(value * 1e6) / 1e6;

/** A feature's figures, to tell whether it changed. */
export type RiskFigures = Pick<RiskProperties, 'riskIndex' | 'riskLevel' | 'open' | 'red' | 'breached'>;
const sameFigures = (a: RiskFigures, b: RiskFigures) =>
  a.riskIndex === b.riskIndex && a.riskLevel === b.riskLevel && a.open === b.open && a.red === b.red && a.breached === b.breached;

/**
 * The features of `next` whose figures differ from those last sent (new ones included, with their
 * shapes), and the ids of those that left (cells whose last open case closed): the stream's `risk`
 * delta. `sent` is the sender's memory and is brought up to date.
 */
export function riskChanges(sent: Map<string, RiskFigures>, next: RiskMap): { features: RiskFeature[]; gone: string[] } {
  const features: RiskFeature[] = [];
  const seen = new Set<string>();
  for (const feature of next.features) {
    seen.add(feature.id);
    const before = sent.get(feature.id);
    if (before && sameFigures(before, feature.properties)) continue;
    const { riskIndex, riskLevel, open, red, breached } = feature.properties;
    sent.set(feature.id, { riskIndex, riskLevel, open, red, breached });
    features.push(feature);
  }
  const gone = [...sent.keys()].filter((id) => !seen.has(id));
  for (const id of gone) sent.delete(id);
  return { features, gone };
}
