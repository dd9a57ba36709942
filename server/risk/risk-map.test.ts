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
import { buildRiskMap, loadCommunityShapes, type RiskMap } from './risk-map.js';

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

it('[RISK8] communities as RFC 7946 features, ranked by the risk of their open cases', () => {
  const shapes = loadCommunityShapes();
  const map = buildRiskMap(plantedProjection(), shapes, NOW);
  expect(map.type).toBe('FeatureCollection');
  expect(map.features).toHaveLength(shapes.length);
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
  expect(risk.get(PLANTED)).toMatchObject({ open: 3, red: 2, breached: 1, riskLevel: 'high' });
  expect(risk.get(PLANTED)!.riskIndex).toBeCloseTo(18 + 9 + 3, 0);
  expect(risk.get(QUIET)).toMatchObject({ open: 2, red: 0, breached: 0, riskIndex: 2, riskLevel: 'low' });
  expect([...risk.values()].sort((a, b) => b.riskIndex - a.riskIndex)[0]!.code).toBe(PLANTED);
  expect(map.unplaced).toBe(1);
});

let t: TestApp;
let projection: Projection;
beforeAll(async () => {
  projection = plantedProjection();
  t = await createTestApp('pglite', DEFAULT_DOMAIN, { projection: () => projection });
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
  expect(byCode(body).get(PLANTED)!.riskLevel).toBe('high');
});
