/**
 * GET /api/service-network on a real database (RULES NET2): the halls of 1+6+31 (and configured
 * stations), the 500 m radius, and today's cases inside a circle counted as an independent count
 * of the posted cases gives.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildServiceNetwork, withinService } from '../../shared/domain/service-network.js';
import { DEFAULT_DOMAIN } from '../config.js';
import { describeEachDatabase } from '../testing/databases.js';
import { createTestApp, sampleCase, type TestApp } from '../testing/test-app.js';

const stations = [{ name: '测试园区群众诉求服务站', lng: 113.8952, lat: 22.7931 }];
const config = { ...DEFAULT_DOMAIN, serviceStations: stations };
const sites = buildServiceNetwork(config.jurisdiction, stations);

/** A point of the district farther than 500 m from every site. */
function farFromService(): { lng: number; lat: number } {
  const [west, south, east, north] = config.jurisdiction.bbox;
  for (let lat = south; lat < north; lat += 0.003) {
    for (let lng = west; lng < east; lng += 0.003) {
      if (!config.jurisdiction.locate(lat, lng).outOfArea && !withinService(sites, { lng, lat })) return { lng, lat };
    }
  }
  throw new Error('every point of the district is within a circle');
}

describeEachDatabase('service network API', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind, config);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('[NET2] lists 1+6+31+N sites with their 500 m radius and the share of today’s cases inside a circle', async () => {
    const community = config.jurisdiction.communities[3]!;
    const far = farFromService();
    const places = [
      { lng: community.centroid[0] + 0.002, lat: community.centroid[1] }, // ~200 m from its hall
      { lng: stations[0]!.lng, lat: stations[0]!.lat + 0.003 }, // ~330 m from the station
      { lng: community.centroid[0], lat: community.centroid[1] - 0.004 }, // ~440 m
      far,
      { lng: far.lng + 0.0005, lat: far.lat },
    ];
    for (const [i, location] of places.entries()) {
      expect((await t.call('POST', '/api/cases', sampleCase({ externalId: `net-${i}`, location }), 'intake')).status).toBe(201);
    }
    expect((await t.call('POST', '/api/cases', sampleCase({ externalId: 'net-nowhere', location: { communityCode: community.code } }), 'intake')).status).toBe(201);

    const res = await t.call('GET', '/api/service-network', undefined, 'wall');
    expect(res.status).toBe(200);
    expect(res.body.radiusM).toBe(500);
    const count = (level: string) => res.body.sites.filter((s: { level: string }) => s.level === level).length;
    expect([count('district'), count('street'), count('community'), count('station')]).toEqual([1, 6, 31, 1]);
    const independent = places.filter((p) => withinService(sites, p)).length;
    expect(independent).toBe(3);
    expect(res.body.today).toEqual({ received: 6, placed: 5, inside: 3, share: 3 / 5 });
  });
});
