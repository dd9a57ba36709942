/**
 * GET /api/risk/map (RISK8): every community of the boundary file as an RFC 7946 feature with the
 * risk index of its open cases, read from the live projection; a community with planted red and
 * breached cases ranks first, done cases count nothing, and the map is for readers of the figures.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_DOMAIN } from '../config.js';
import { Projection } from '../live/projection.js';
import { eventLog } from '../testing/logged-events.js';
import { createTestApp, type TestApp } from '../testing/test-app.js';
import { latLngToCell } from 'h3-js';
import { buildRiskMap, loadCommunityShapes, RISK_CELL_RESOLUTION, riskChanges, type RiskMap } from './risk-map.js';

const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 11, 1, 4, 0, 0);
const PLANTED = '440311001002'; // 碧眼社区
const QUIET = '440311001003';
const log = eventLog();
/** A case received an hour before NOW: its 1-hour respond deadline falls at NOW. */
const created = (id: string, community: string | null, extra: Record<string, unknown> = {}) => log.created(id, NOW - HOUR, { communityCode: community, ...extra });

function plantedProjection(): Projection {
  const p = new Projection();
  p.apply([
    created('r1', PLANTED, { riskGrade: 'red' }),
    created('r2', PLANTED, { riskGrade: 'red' }),
    created('y1', PLANTED, { riskGrade: 'yellow' }),
    created('g1', QUIET),
    created('g2', QUIET),
    created('done', QUIET, { riskGrade: 'red' }),
    created('nowhere', null),
  ]);
  p.apply([
    log.event('done', NOW, 'case.transitioned', 'resolve', { status: 'resolved', resolvedAt: new Date(NOW).toISOString() }),
    log.event('r1', NOW, 'alert.raised', null, { id: 'a1', caseId: 'r1', kind: 'sla_breached', stage: 'respond', deadline: new Date(NOW).toISOString(), severity: 'critical' }),
  ]);
  return p;
}

const byCode = (map: RiskMap) => new Map(map.features.map((f) => [f.id, f.properties]));

it('[RISK8] communities and hexagon cells as RFC 7946 features, ranked by the risk of their open cases', () => {
  const shapes = loadCommunityShapes();
  const map = buildRiskMap(plantedProjection(), shapes, NOW);
  expect(map.type).toBe('FeatureCollection');
  expect(map.features.filter((f) => f.properties.layer === 'community')).toHaveLength(shapes.length);
  expect(shapes.length).toBe(DEFAULT_DOMAIN.jurisdiction.communities.length);
  for (const f of map.features) {
    expect(f.type).toBe('Feature');
    expect(['Polygon', 'MultiPolygon']).toContain(f.geometry.type);
    const first = (f.geometry.type === 'Polygon' ? f.geometry.coordinates[0] : (f.geometry.coordinates[0] as unknown[])[0]) as [number, number][];
    expect(first[0]).toEqual(first.at(-1)); // closed rings, longitude first
    expect(first[0]![0]).toBeGreaterThan(113.7);
    expect(first[0]![1]).toBeLessThan(22.9);
  }
  const risk = byCode(map);
  // Two reds (one breached: 9 × 2) and a yellow an hour old; two greens; the resolved red counts nothing.
  expect(risk.get(PLANTED)).toMatchObject({ open: 3, red: 2, breached: 1, riskLevel: 'severe' });
  expect(risk.get(PLANTED)!.riskIndex).toBeCloseTo(18 + 9 + 3, 0);
  expect(risk.get(QUIET)).toMatchObject({ open: 2, red: 0, breached: 0, riskIndex: 2, riskLevel: 'low' });
  const communities = [...risk.values()].filter((p) => p.layer === 'community');
  expect(communities.sort((a, b) => b.riskIndex - a.riskIndex)[0]!.code).toBe(PLANTED);
  expect(map.unplaced).toBe(1);
  // Every open case here lies at one spot: one H3 cell (resolution 8) holds all six, the unplaced one too.
  const cells = map.features.filter((f) => f.properties.layer === 'cell');
  expect(cells).toHaveLength(1);
  expect(cells[0]!.id).toBe(`h3:${latLngToCell(22.74871, 113.93512, RISK_CELL_RESOLUTION)}`);
  expect(cells[0]!.properties).toMatchObject({ open: 6, red: 2, breached: 1 });
  const ring = cells[0]!.geometry.coordinates[0] as [number, number][];
  expect(ring).toHaveLength(7);
  expect(ring[0]).toEqual(ring[6]);
});

it('[RISK9] the stream sends only the features whose figures changed, and the cells that emptied', () => {
  const shapes = loadCommunityShapes();
  const p = plantedProjection();
  const sent = new Map();
  expect(riskChanges(sent, buildRiskMap(p, shapes, NOW)).features).toHaveLength(shapes.length + 1);
  expect(riskChanges(sent, buildRiskMap(p, shapes, NOW))).toEqual({ features: [], gone: [] });
  p.apply([log.event('g1', NOW, 'case.transitioned', 'resolve', { status: 'resolved', resolvedAt: new Date(NOW).toISOString() })]);
  const after = riskChanges(sent, buildRiskMap(p, shapes, NOW));
  expect(after.features.map((f) => f.id).sort()).toEqual([QUIET, `h3:${latLngToCell(22.74871, 113.93512, RISK_CELL_RESOLUTION)}`].sort());
  expect(after.gone).toEqual([]);
  for (const id of ['r1', 'r2', 'y1', 'g2', 'nowhere']) {
    p.apply([log.event(id, NOW, 'case.transitioned', 'resolve', { status: 'resolved', resolvedAt: new Date(NOW).toISOString() })]);
  }
  expect(riskChanges(sent, buildRiskMap(p, shapes, NOW)).gone).toEqual([`h3:${latLngToCell(22.74871, 113.93512, RISK_CELL_RESOLUTION)}`]);
});

let t: TestApp;
let projection: Projection;
beforeAll(async () => {
  projection = plantedProjection();
  // The node's clock stands at NOW, the instant the planted cases are judged at, whatever the real time.
  t = await createTestApp('pglite', DEFAULT_DOMAIN, { projection: () => projection, clock: { now: () => new Date(NOW) } });
});
afterAll(async () => t?.close());

it('[RISK8] GET /api/risk/map answers readers of the figures (a wall too) and no one else', async () => {
  expect((await t.call('GET', '/api/risk/map', undefined, null)).status).toBe(401);
  expect((await t.call('GET', '/api/risk/map', undefined, 'intake')).status).toBe(403);
  const res = await t.call('GET', '/api/risk/map', undefined, 'wall');
  expect(res.status).toBe(200);
  const body = res.body as RiskMap;
  expect(body.seq).toBe(projection.seq);
  expect(body.seq).toBeGreaterThan(0);
  expect(byCode(body).get(PLANTED)!.riskLevel).toBe('severe');
});
