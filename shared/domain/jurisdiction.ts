/**
 * The district's territory: district → street (街道) → community (社区), and where a point falls.
 *
 * Pure and synchronous; no I/O. `createJurisdiction` turns data shaped like
 * guangming-jurisdiction.json (codes, names, GeoJSON-style polygons in WGS-84 [lng, lat]) into a
 * lookup whose `locate` runs on every intake, so it is built for speed: a district bbox rejects
 * most outside points, the district outline decides inside/outside, and each community is tested
 * only when its own bbox holds the point. Points inside the outline that no community polygon
 * holds (slivers from simplified or hand-drawn boundaries) go to the community with the nearest
 * centroid, so a case inside the district is never "out of area".
 *
 * `GUANGMING`, the default, has APPROXIMATE street and community boundaries: the real district
 * outline partitioned by nearest seed point (scripts/derive-jurisdiction.ts, docs/jurisdiction.md).
 * Codes and names are official (NBS 2023).
 */
import guangmingData from './guangming-jurisdiction.json' with { type: 'json' };

export interface Street {
  code: string;
  name: string;
  nameEn: string;
}

export interface Community {
  code: string;
  name: string;
  fullName: string;
  nameEn: string;
  streetCode: string;
  /** A representative point inside the community, [lng, lat]. */
  centroid: readonly [number, number];
}

export interface Placement {
  streetCode: string | null;
  communityCode: string | null;
  outOfArea: boolean;
}

export interface Jurisdiction {
  district: { code: string; name: string; nameEn: string };
  streets: readonly Street[];
  communities: readonly Community[];
  street(code: string): Street | undefined;
  community(code: string): Community | undefined;
  /** Which street and community a WGS-84 point falls in; outside the district → all null and outOfArea true (never throws). */
  locate(lat: number, lng: number): Placement;
  /** Bounding box [west, south, east, north] of the district. */
  bbox: readonly [number, number, number, number];
}

/** A WGS-84 position, [lng, lat] as in GeoJSON. */
export type Position = readonly number[];
/** GeoJSON Polygon coordinates: an outer ring then holes; rings may be closed or open. */
export type PolygonCoordinates = readonly (readonly Position[])[];
/** GeoJSON MultiPolygon coordinates. */
export type MultiPolygonCoordinates = readonly PolygonCoordinates[];

/** The input of `createJurisdiction`: the shape of guangming-jurisdiction.json. */
export interface JurisdictionData {
  /** Free text, e.g. that boundaries are approximate. */
  note?: string;
  source?: string;
  approximate?: boolean;
  district: {
    code: string;
    name: string;
    nameEn?: string;
    /** The district boundary; it alone decides whether a point is in the area. */
    outline: MultiPolygonCoordinates | PolygonCoordinates;
  };
  streets: readonly { code: string; name: string; nameEn?: string }[];
  communities: readonly {
    code: string;
    /** Short name, e.g. 光明社区. */
    name: string;
    /** Official name, e.g. 光明社区居委会; defaults to `name`. */
    fullName?: string;
    nameEn?: string;
    streetCode: string;
    /** [lng, lat]; used for labels and for points that fall between community polygons. */
    centroid: Position;
    polygon: MultiPolygonCoordinates | PolygonCoordinates;
  }[];
}

type Bbox = [west: number, south: number, east: number, north: number];

/** A polygon ready for ray casting: rings as flat [lng0, lat0, lng1, lat1, …] arrays. */
interface CompiledPolygon {
  bbox: Bbox;
  rings: Float64Array[];
}

interface CompiledArea {
  bbox: Bbox;
  polygons: CompiledPolygon[];
}

/** Builds a Jurisdiction from data shaped like guangming-jurisdiction.json (so a user can supply their own). */
export function createJurisdiction(data: JurisdictionData): Jurisdiction {
  const input = data as unknown;
  if (!isObject(input)) fail('', 'must be an object');
  if (!isObject(input.district)) fail('district', 'must be an object');
  const district = {
    code: requireString(input.district.code, 'district.code'),
    name: requireString(input.district.name, 'district.name'),
    nameEn: optionalString(input.district.nameEn, 'district.nameEn') ?? requireString(input.district.name, 'district.name'),
  };
  const outline = compileArea(input.district.outline, 'district.outline');

  if (!Array.isArray(input.streets) || input.streets.length === 0) fail('streets', 'must be a non-empty array');
  const streetsByCode = new Map<string, Street>();
  input.streets.forEach((raw: unknown, i: number) => {
    const path = `streets[${i}]`;
    if (!isObject(raw)) fail(path, 'must be an object');
    const code = requireString(raw.code, `${path}.code`);
    if (streetsByCode.has(code)) fail(`${path}.code`, `duplicate street code ${code}`);
    const name = requireString(raw.name, `${path}.name`);
    const nameEn = optionalString(raw.nameEn, `${path}.nameEn`) ?? name;
    streetsByCode.set(code, Object.freeze({ code, name, nameEn }));
  });

  if (!Array.isArray(input.communities) || input.communities.length === 0) fail('communities', 'must be a non-empty array');
  const communitiesByCode = new Map<string, Community>();
  const areas: { community: Community; area: CompiledArea }[] = [];
  input.communities.forEach((raw: unknown, i: number) => {
    const path = `communities[${i}]`;
    if (!isObject(raw)) fail(path, 'must be an object');
    const code = requireString(raw.code, `${path}.code`);
    if (communitiesByCode.has(code)) fail(`${path}.code`, `duplicate community code ${code}`);
    const name = requireString(raw.name, `${path}.name`);
    const streetCode = requireString(raw.streetCode, `${path}.streetCode`);
    if (!streetsByCode.has(streetCode)) fail(`${path}.streetCode`, `no street ${streetCode}`);
    const [lng, lat] = requirePosition(raw.centroid, `${path}.centroid`);
    const community: Community = Object.freeze({
      code,
      name,
      fullName: optionalString(raw.fullName, `${path}.fullName`) ?? name,
      nameEn: optionalString(raw.nameEn, `${path}.nameEn`) ?? name,
      streetCode,
      centroid: Object.freeze([lng, lat] as const),
    });
    communitiesByCode.set(code, community);
    areas.push({ community, area: compileArea(raw.polygon, `${path}.polygon`) });
  });

  const streets = Object.freeze([...streetsByCode.values()]);
  const communities = Object.freeze([...communitiesByCode.values()]);
  const [west, south, east, north] = outline.bbox;
  // Nearest-centroid distances in a local equirectangular frame: a degree of longitude is shorter.
  const lngScale = Math.cos((((south + north) / 2) * Math.PI) / 180);

  const placed = (community: Community): Placement => ({ streetCode: community.streetCode, communityCode: community.code, outOfArea: false });

  function locate(lat: number, lng: number): Placement {
    if (!Number.isFinite(lat) || !Number.isFinite(lng) || lng < west || lng > east || lat < south || lat > north || !areaContains(outline, lng, lat)) {
      return { streetCode: null, communityCode: null, outOfArea: true };
    }
    for (const { community, area } of areas) {
      if (areaContains(area, lng, lat)) return placed(community);
    }
    let nearest = communities[0]!;
    let best = Infinity;
    for (const community of communities) {
      const dx = (lng - community.centroid[0]) * lngScale;
      const dy = lat - community.centroid[1];
      const d = dx * dx + dy * dy;
      if (d < best) [best, nearest] = [d, community];
    }
    return placed(nearest);
  }

  return Object.freeze({
    district: Object.freeze(district),
    streets,
    communities,
    street: (code: string) => streetsByCode.get(code),
    community: (code: string) => communitiesByCode.get(code),
    locate,
    bbox: Object.freeze([west, south, east, north] as const),
  });
}

/** The default: Guangming District with approximate boundaries. */
export const GUANGMING: Jurisdiction = createJurisdiction(guangmingData);

// ---------------------------------------------------------------------------------------------
// Point in polygon.

function bboxContains(bbox: Bbox, lng: number, lat: number): boolean {
  return lng >= bbox[0] && lng <= bbox[2] && lat >= bbox[1] && lat <= bbox[3];
}

function areaContains(area: CompiledArea, lng: number, lat: number): boolean {
  if (!bboxContains(area.bbox, lng, lat)) return false;
  for (const polygon of area.polygons) {
    if (bboxContains(polygon.bbox, lng, lat) && polygonContains(polygon, lng, lat)) return true;
  }
  return false;
}

/**
 * Even-odd ray casting: count the ring edges crossed by a ray from the point towards +lng. Holes
 * are rings too, so a point in a hole crosses an even number in total and is outside.
 */
function polygonContains(polygon: CompiledPolygon, lng: number, lat: number): boolean {
  let inside = false;
  for (const ring of polygon.rings) {
    const n = ring.length;
    let xj = ring[n - 2]!;
    let yj = ring[n - 1]!;
    for (let k = 0; k < n; k += 2) {
      const xi = ring[k]!;
      const yi = ring[k + 1]!;
      // Half-open test on lat (yi > lat) !== (yj > lat) counts a vertex on the ray exactly once.
      if (yi > lat !== yj > lat && lng < ((xj - xi) * (lat - yi)) / (yj - yi) + xi) inside = !inside;
      xj = xi;
      yj = yi;
    }
  }
  return inside;
}

// ---------------------------------------------------------------------------------------------
// Validation and compilation of user-suppliable data. Errors name the field.

function fail(path: string, message: string): never {
  throw new Error(`jurisdiction${path ? `.${path}` : ''}: ${message}`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requireString(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.trim() === '') fail(path, 'must be a non-empty string');
  return value;
}

function optionalString(value: unknown, path: string): string | undefined {
  return value === undefined ? undefined : requireString(value, path);
}

function requirePosition(value: unknown, path: string): [number, number] {
  if (!Array.isArray(value) || value.length < 2) fail(path, 'must be a [lng, lat] array');
  const [lng, lat] = value as unknown[];
  if (typeof lng !== 'number' || !Number.isFinite(lng) || lng < -180 || lng > 180) fail(path, `longitude ${String(lng)} is not a number in -180..180`);
  if (typeof lat !== 'number' || !Number.isFinite(lat) || lat < -90 || lat > 90) fail(path, `latitude ${String(lat)} is not a number in -90..90`);
  return [lng, lat];
}

/** Accepts GeoJSON Polygon or MultiPolygon coordinates. */
function compileArea(value: unknown, path: string): CompiledArea {
  if (!Array.isArray(value) || value.length === 0) fail(path, 'must be GeoJSON Polygon or MultiPolygon coordinates');
  const isPolygon = Array.isArray(value[0]) && Array.isArray(value[0][0]) && typeof value[0][0][0] === 'number';
  const polygons = (isPolygon ? [value] : value).map((polygon: unknown, p: number) => compilePolygon(polygon, isPolygon ? path : `${path}[${p}]`));
  return { bbox: unionBbox(polygons.map((polygon: CompiledPolygon) => polygon.bbox)), polygons };
}

function compilePolygon(value: unknown, path: string): CompiledPolygon {
  if (!Array.isArray(value) || value.length === 0) fail(path, 'must be an array of rings');
  const rings = value.map((ring: unknown, r: number) => {
    const ringPath = `${path}[${r}]`;
    if (!Array.isArray(ring)) fail(ringPath, 'must be an array of [lng, lat] positions');
    const flat = new Float64Array(ring.length * 2);
    ring.forEach((position: unknown, i: number) => {
      const [lng, lat] = requirePosition(position, `${ringPath}[${i}]`);
      flat[2 * i] = lng;
      flat[2 * i + 1] = lat;
    });
    const closed = ring.length > 1 && flat[0] === flat[flat.length - 2] && flat[1] === flat[flat.length - 1];
    if (ring.length - (closed ? 1 : 0) < 3) fail(ringPath, 'a ring needs at least 3 distinct positions');
    return flat;
  });
  const outer = rings[0]!;
  const bbox: Bbox = [Infinity, Infinity, -Infinity, -Infinity];
  for (let k = 0; k < outer.length; k += 2) {
    bbox[0] = Math.min(bbox[0], outer[k]!);
    bbox[1] = Math.min(bbox[1], outer[k + 1]!);
    bbox[2] = Math.max(bbox[2], outer[k]!);
    bbox[3] = Math.max(bbox[3], outer[k + 1]!);
  }
  return { bbox, rings };
}

function unionBbox(boxes: readonly Bbox[]): Bbox {
  return [
    Math.min(...boxes.map((b) => b[0])),
    Math.min(...boxes.map((b) => b[1])),
    Math.max(...boxes.map((b) => b[2])),
    Math.max(...boxes.map((b) => b[3])),
  ];
}
