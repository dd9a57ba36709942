import { describe, expect, it } from 'vitest';
import { GUANGMING } from './jurisdiction.js';
import { buildServiceNetwork, circleRing, distanceM, SERVICE_RADIUS_M, withinService } from './service-network.js';

describe('the service network (1+6+31+N)', () => {
  it('[NET1] one district hall, a hall per street and per community, then the stations; each serves 500 m', () => {
    const sites = buildServiceNetwork(GUANGMING, [{ name: '维珍妮工业园区群众诉求服务站', lng: 113.9, lat: 22.75 }]);
    const count = (level: string) => sites.filter((s) => s.level === level).length;
    expect([count('district'), count('street'), count('community'), count('station')]).toEqual([1, 6, 31, 1]);
    for (const hall of sites.filter((s) => s.level !== 'station')) expect(GUANGMING.locate(hall.lat, hall.lng).outOfArea, hall.name).toBe(false);
    const station = sites.at(-1)!;
    expect(withinService([station], { lng: station.lng + 0.004, lat: station.lat })).toBe(true); // ~410 m east
    expect(withinService([station], { lng: station.lng + 0.0055, lat: station.lat })).toBe(false); // ~565 m
    expect(distanceM({ lng: 113.9, lat: 22.75 }, { lng: 113.9, lat: 22.7545 })).toBeCloseTo(500, -1);
    const ring = circleRing(station);
    expect(ring[0]).toEqual(ring.at(-1));
    for (const point of ring) expect(distanceM(station, { lng: point[0], lat: point[1] })).toBeCloseTo(SERVICE_RADIUS_M, -1);
  });
});
