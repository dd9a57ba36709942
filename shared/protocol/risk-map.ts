/**
 * The risk map's wire shapes, shared by GET /api/risk/map (server/risk/risk-map.ts), the stream's
 * `risk` deltas and the wall's map: RFC 7946 features (WGS-84) of communities and H3 cells with the
 * risk index of their open cases and their level within their layer.
 */
import type { RiskLevel } from '../domain/risk-index.js';

export interface RiskProperties {
  /** Communities are polygons from the boundary file; cells are H3 hexagons. */
  layer: 'community' | 'cell';
  /** The community code, or the H3 cell index. */
  code: string;
  name: string;
  nameEn: string | null;
  riskIndex: number;
  riskLevel: RiskLevel;
  open: number;
  red: number;
  breached: number;
}

export interface RiskFeature {
  type: 'Feature';
  /** The community code, or `h3:<cell>`. */
  id: string;
  geometry: { type: 'Polygon' | 'MultiPolygon'; coordinates: unknown[] };
  properties: RiskProperties;
}

export interface RiskMap {
  type: 'FeatureCollection';
  /** The log position it reflects, and when it was built. */
  seq: number;
  at: string;
  /** Open cases without a community. */
  unplaced: number;
  features: RiskFeature[];
}

/** The features whose figures changed since the last `risk` message (new cells with their shapes), and those that left. */
export interface RiskDelta {
  seq: number;
  at: string;
  features: RiskFeature[];
  gone: string[];
}

/** A held risk map brought up to date by a delta (features upserted by id, gone ones removed). */
export function applyRiskDelta(map: RiskMap, delta: RiskDelta): RiskMap {
  const byId = new Map(map.features.map((f) => [f.id, f]));
  for (const feature of delta.features) byId.set(feature.id, feature);
  for (const id of delta.gone) byId.delete(id);
  return { ...map, seq: Math.max(map.seq, delta.seq), at: delta.at, features: [...byId.values()] };
}
