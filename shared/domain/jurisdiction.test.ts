import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import data from './guangming-jurisdiction.json' with { type: 'json' };
import { GUANGMING, createJurisdiction, type JurisdictionData, type MultiPolygonCoordinates } from './jurisdiction.js';

/** A small seeded generator so that "random" points are the same on every run. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An independent point-in-polygon (winding number), to cross-check the module's ray casting. */
function inside(mp: MultiPolygonCoordinates, lng: number, lat: number): boolean {
  return mp.some((polygon) => {
    let winding = 0;
    for (const ring of polygon) {
      for (let i = 0; i < ring.length; i++) {
        const [x1, y1] = ring[i] as [number, number];
        const [x2, y2] = ring[(i + 1) % ring.length] as [number, number];
        const side = (x2 - x1) * (lat - y1) - (lng - x1) * (y2 - y1);
        if (y1 <= lat && y2 > lat && side > 0) winding++;
        else if (y1 > lat && y2 <= lat && side < 0) winding--;
      }
    }
    return winding !== 0;
  });
}

const outline = data.district.outline;
const [WEST, SOUTH, EAST, NORTH] = GUANGMING.bbox;

function randomPointsInside(count: number, seed: number): [number, number][] {
  const random = mulberry32(seed);
  const points: [number, number][] = [];
  while (points.length < count) {
    const lng = WEST + random() * (EAST - WEST);
    const lat = SOUTH + random() * (NORTH - SOUTH);
    if (inside(outline, lng, lat)) points.push([lng, lat]);
  }
  return points;
}

describe('jurisdiction', () => {
  it('[J1] every community centroid locates to its own community and street', () => {
    for (const community of GUANGMING.communities) {
      const [lng, lat] = community.centroid;
      expect(GUANGMING.locate(lat, lng)).toEqual({ streetCode: community.streetCode, communityCode: community.code, outOfArea: false });
    }
  });

  it('[J2] a point outside the district is out of area, never throws', () => {
    const out = { streetCode: null, communityCode: null, outOfArea: true };
    expect(GUANGMING.locate(22.54, 114.05)).toEqual(out); // Futian, Shenzhen
    expect(GUANGMING.locate(22.7, 113.84)).toEqual(out); // Bao'an, west of the bbox
    expect(GUANGMING.locate(22.823, 113.99)).toEqual(out); // inside the bbox, outside the outline (north-east)
    expect(GUANGMING.locate(0, 0)).toEqual(out);
    expect(GUANGMING.locate(-91, 500)).toEqual(out);
    for (const [lat, lng] of [
      [NaN, 113.93],
      [22.76, NaN],
      [Infinity, -Infinity],
      [Number.MAX_VALUE, Number.MIN_VALUE],
    ] as const) {
      expect(GUANGMING.locate(lat, lng)).toEqual(out);
    }
    // Garbage from untyped callers still answers rather than throwing.
    expect(GUANGMING.locate('22.76' as unknown as number, undefined as unknown as number)).toEqual(out);
  });

  it('[J2] points just outside the outline are out of area, points just inside are in', () => {
    const ring = outline[0]![0]!;
    const metre = 1 / 111_000;
    let checked = 0;
    for (let i = 0; i + 1 < ring.length; i++) {
      const [x1, y1] = ring[i] as [number, number];
      const [x2, y2] = ring[i + 1] as [number, number];
      const length = Math.hypot(x2 - x1, y2 - y1);
      if (length < 300 * metre) continue;
      // The outer ring runs counter-clockwise, so its outward normal points to the right.
      const [nx, ny] = [(y2 - y1) / length, -(x2 - x1) / length];
      const [mx, my] = [(x1 + x2) / 2, (y1 + y2) / 2];
      expect(GUANGMING.locate(my + ny * 10 * metre, mx + nx * 10 * metre).outOfArea).toBe(true);
      expect(GUANGMING.locate(my - ny * 10 * metre, mx - nx * 10 * metre).outOfArea).toBe(false);
      checked++;
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('[J3] 6 streets and 31 communities with 12-digit codes whose prefix is their street', () => {
    expect(GUANGMING.district).toEqual({ code: '440311', name: '光明区', nameEn: 'Guangming District' });
    expect(GUANGMING.streets.map((s) => s.name)).toEqual(['光明街道', '公明街道', '新湖街道', '凤凰街道', '玉塘街道', '马田街道']);
    for (const street of GUANGMING.streets) {
      expect(street.code).toMatch(/^440311\d{3}$/);
      expect(street.nameEn).toMatch(/^[A-Z][a-z]+ Subdistrict$/);
      expect(GUANGMING.street(street.code)).toBe(street);
    }
    expect(GUANGMING.communities).toHaveLength(31);
    expect(new Set(GUANGMING.communities.map((c) => c.code)).size).toBe(31);
    for (const community of GUANGMING.communities) {
      expect(community.code).toMatch(/^\d{12}$/);
      expect(community.code.slice(0, 9)).toBe(community.streetCode);
      expect(GUANGMING.street(community.streetCode)).toBeDefined();
      expect(community.name).toMatch(/社区$/);
      expect(community.fullName).toBe(`${community.name}居委会`);
      expect(community.nameEn).toMatch(/ Community$/);
      expect(GUANGMING.community(community.code)).toBe(community);
    }
    expect(GUANGMING.community('440311001001')?.name).toBe('光明社区');
    expect(GUANGMING.street('nope')).toBeUndefined();
    expect(GUANGMING.community('nope')).toBeUndefined();
    const [west, south, east, north] = GUANGMING.bbox;
    expect(west).toBeGreaterThan(113.8);
    expect(east).toBeLessThan(114.1);
    expect(south).toBeGreaterThan(22.6);
    expect(north).toBeLessThan(22.9);
  });

  it('[J4] the public GeoJSON and the module data agree (same codes)', () => {
    const geojson = JSON.parse(readFileSync(new URL('../../public/geo/guangming.geojson', import.meta.url), 'utf8')) as {
      type: string;
      features: { type: string; properties: Record<string, unknown>; geometry: { type: string; coordinates: number[][][][] } }[];
    };
    expect(geojson.type).toBe('FeatureCollection');
    const byLevel = (level: string) => geojson.features.filter((f) => f.properties.level === level);
    expect(byLevel('district').map((f) => f.properties.code)).toEqual([GUANGMING.district.code]);
    expect(byLevel('street').map((f) => [f.properties.code, f.properties.name, f.properties.nameEn])).toEqual(
      GUANGMING.streets.map((s) => [s.code, s.name, s.nameEn]),
    );
    expect(byLevel('community').map((f) => [f.properties.code, f.properties.name, f.properties.nameEn, f.properties.streetCode])).toEqual(
      GUANGMING.communities.map((c) => [c.code, c.name, c.nameEn, c.streetCode]),
    );
    expect(geojson.features).toHaveLength(1 + 6 + 31);
    for (const feature of geojson.features) {
      expect(feature.properties.approximate).toBe(true);
      expect(feature.geometry.type).toBe('MultiPolygon');
      for (const ring of feature.geometry.coordinates.flat()) {
        expect(ring.length).toBeGreaterThanOrEqual(4);
        expect(ring[0]).toEqual(ring[ring.length - 1]); // RFC 7946: rings are closed
      }
    }
    // Community geometry is the same in both files.
    for (const community of data.communities) {
      const feature = byLevel('community').find((f) => f.properties.code === community.code);
      expect(feature?.geometry.coordinates).toEqual(community.polygon);
    }
    expect(data.note).toMatch(/APPROXIMATE/);
  });

  it('[J5] communities partition the district: random points inside the outline all get a community', () => {
    const points = randomPointsInside(3000, 20240601);
    let inNoPolygon = 0;
    for (const [lng, lat] of points) {
      const placement = GUANGMING.locate(lat, lng);
      expect(placement.outOfArea).toBe(false);
      expect(placement.communityCode).not.toBeNull();
      expect(placement.streetCode).toBe(GUANGMING.community(placement.communityCode!)?.streetCode);
      const holders = data.communities.filter((c) => inside(c.polygon, lng, lat)).map((c) => c.code);
      expect(holders.length).toBeLessThanOrEqual(1); // no overlaps
      if (holders.length === 0) inNoPolygon++;
      else expect(placement.communityCode).toBe(holders[0]);
    }
    // The polygons themselves cover the district; the nearest-centroid fallback is for slivers only.
    expect(inNoPolygon).toBeLessThanOrEqual(points.length * 0.001);
    // Every community and street gets some of the points.
    const hit = new Set(points.map(([lng, lat]) => GUANGMING.locate(lat, lng).communityCode));
    expect(hit.size).toBe(31);
  });

  it('[J5] a point inside the outline but in no community polygon goes to the nearest centroid', () => {
    const square = (w: number, s: number, e: number, n: number) => [
      [
        [w, s],
        [e, s],
        [e, n],
        [w, n],
        [w, s],
      ],
    ];
    const own = createJurisdiction({
      district: { code: 'D', name: 'Test district', outline: square(0, 0, 2, 1) },
      streets: [{ code: 'S', name: 'Street' }],
      communities: [
        { code: 'A', name: 'A', streetCode: 'S', centroid: [0.5, 0.5], polygon: square(0, 0, 0.9, 1) },
        { code: 'B', name: 'B', streetCode: 'S', centroid: [1.5, 0.5], polygon: square(1.1, 0, 2, 1) },
      ],
    });
    expect(own.locate(0.5, 0.95).communityCode).toBe('A'); // in the gap, nearer A
    expect(own.locate(0.5, 1.05).communityCode).toBe('B');
    expect(own.locate(0.5, 2.5).outOfArea).toBe(true);
  });

  it('[J6] a user-supplied jurisdiction works, and bad data fails with the field named', () => {
    const ring = [
      [10, 10],
      [11, 10],
      [11, 11],
      [10, 11],
    ];
    // Polygon (not Multi) coordinates, open rings, a hole, optional names left out.
    const own = createJurisdiction({
      district: { code: 'X', name: 'X区', outline: [ring] },
      streets: [{ code: 'X1', name: 'X1街道' }],
      communities: [{ code: 'X1-1', name: 'X1社区', streetCode: 'X1', centroid: [10.2, 10.2], polygon: [ring, [[10.4, 10.4], [10.6, 10.4], [10.6, 10.6], [10.4, 10.6]]] }],
    });
    expect(own.district).toEqual({ code: 'X', name: 'X区', nameEn: 'X区' });
    expect(own.bbox).toEqual([10, 10, 11, 11]);
    expect(own.locate(10.5, 10.2)).toEqual({ streetCode: 'X1', communityCode: 'X1-1', outOfArea: false });
    expect(own.locate(10.5, 10.5).communityCode).toBe('X1-1'); // in the hole: nearest-centroid fallback
    expect(own.community('X1-1')?.fullName).toBe('X1社区');

    const base: JurisdictionData = {
      district: { code: 'X', name: 'X区', outline: [ring] },
      streets: [{ code: 'X1', name: 'X1街道' }],
      communities: [{ code: 'X1-1', name: 'X1社区', streetCode: 'X1', centroid: [10.5, 10.5], polygon: [ring] }],
    };
    const broken = (patch: (d: JurisdictionData) => unknown) => () => createJurisdiction(patch(structuredClone(base) as JurisdictionData) as JurisdictionData);
    expect(broken((d) => ({ ...d, streets: [] }))).toThrow(/jurisdiction\.streets: /);
    expect(broken((d) => ({ ...d, communities: [{ ...d.communities[0], streetCode: 'Y' }] }))).toThrow(/communities\[0\]\.streetCode: no street Y/);
    expect(broken((d) => ({ ...d, communities: [d.communities[0], d.communities[0]] }))).toThrow(/communities\[1\]\.code: duplicate/);
    expect(broken((d) => ({ ...d, communities: [{ ...d.communities[0], centroid: [10, NaN] }] }))).toThrow(/communities\[0\]\.centroid: latitude/);
    expect(broken((d) => ({ ...d, district: { ...d.district, outline: [[[10, 10], [11, 11]]] } }))).toThrow(/district\.outline\[0\]: a ring needs/);
    expect(broken((d) => ({ ...d, district: { ...d.district, outline: 'x' } }))).toThrow(/district\.outline: /);
    expect(broken(() => null)).toThrow(/jurisdiction: must be an object/);
  });
});
