/**
 * GET /api/risk/map's body: the district's communities (polygons from public/geo, WGS-84) with the
 * risk index of their open cases (shared/domain/risk-index.ts), read from the live projection so
 * it costs one pass over the open cases and never a query. An RFC 7946 FeatureCollection; `seq`
 * and `at` say which state of the log it shows, `unplaced` counts open cases without a community.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { caseRisk, riskLevels, type RiskLevel } from '../../shared/domain/risk-index.js';
import type { Projection } from '../live/projection.js';

export const COMMUNITY_SHAPES = fileURLToPath(new URL('../../public/geo/guangming.geojson', import.meta.url));

interface Shape {
  type: 'Feature';
  geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown[] };
  properties: { level: string; code: string; name: string; nameEn?: string };
}

export interface RiskProperties {
  code: string;
  name: string;
  nameEn: string | null;
  riskIndex: number;
  riskLevel: RiskLevel;
  open: number;
  red: number;
  breached: number;
}

export interface RiskMap {
  type: 'FeatureCollection';
  seq: number;
  at: string;
  unplaced: number;
  features: { type: 'Feature'; id: string; geometry: Shape['geometry']; properties: RiskProperties }[];
}

/** The community polygons of the district's boundary file. */
export function loadCommunityShapes(path = COMMUNITY_SHAPES): Shape[] {
  const collection = JSON.parse(readFileSync(path, 'utf8')) as { features: Shape[] };
  return collection.features.filter((f) => f.properties.level === 'community');
}

export function buildRiskMap(projection: Projection, shapes: readonly Shape[], now: number): RiskMap {
  const byCommunity = new Map<string, { index: number; open: number; red: number; breached: number }>();
  let unplaced = 0;
  for (const c of projection.openCases()) {
    const sums = byCommunity.get(c.community) ?? { index: 0, open: 0, red: 0, breached: 0 };
    sums.index += caseRisk({ grade: c.grade, receivedAt: c.receivedAt, breached: c.breached }, now);
    sums.open += 1;
    if (c.grade === 2) sums.red += 1;
    if (c.breached) sums.breached += 1;
    byCommunity.set(c.community, sums);
  }
  const known = new Set(shapes.map((s) => s.properties.code));
  for (const [community, sums] of byCommunity) if (!known.has(community)) unplaced += sums.open;
  const empty = { index: 0, open: 0, red: 0, breached: 0 };
  const indices = shapes.map((shape) => Math.round((byCommunity.get(shape.properties.code) ?? empty).index * 10) / 10);
  const levels = riskLevels(indices);
  return {
    type: 'FeatureCollection',
    seq: projection.seq,
    at: new Date(now).toISOString(),
    unplaced,
    features: shapes.map((shape, i) => {
      const sums = byCommunity.get(shape.properties.code) ?? empty;
      return {
        type: 'Feature' as const,
        id: shape.properties.code,
        geometry: shape.geometry,
        properties: {
          code: shape.properties.code,
          name: shape.properties.name,
          nameEn: shape.properties.nameEn ?? null,
          riskIndex: indices[i]!,
          riskLevel: levels[i]!,
          open: sums.open,
          red: sums.red,
          breached: sums.breached,
        },
      };
    }),
  };
}
