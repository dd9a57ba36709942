/**
 * Cases on the wall's map, as compact tuples: the recent ones (received in the last 24 hours) feed
 * the heat layer, and open cases that are red or breached are markers however old they are. The
 * server keeps the set in its projection; server and client cut it the same way (`trimPoints`), so
 * a client that folds deltas holds what a fresh snapshot would give. Coordinates are snapped to
 * about 100 m for every reader (DESIGN.md: wall map points).
 */

/** Grade codes: 0 green, 1 yellow, 2 red. */
export type GradeCode = 0 | 1 | 2;
/** State codes: 0 done (resolved or closed), 1 open, 2 open and past a running deadline. */
export type PointState = 0 | 1 | 2;

/** `[caseId, lng, lat, received (Unix seconds), grade, state]` */
export type MapPoint = [id: string, lng: number, lat: number, receivedAt: number, grade: GradeCode, state: PointState];

export const GRADE_CODES = { green: 0, yellow: 1, red: 2 } as const satisfies Record<string, GradeCode>;

/** How far back a case counts as recent, and how many points of each kind a view holds. */
export const MAP_POINTS = { recentHours: 24, marked: 500, recent: 1500 } as const;

/** A marker: still open, and red or breached. */
export function isMarked(point: MapPoint): boolean {
  return point[5] > 0 && (point[4] === 2 || point[5] === 2);
}

const newestFirst = (a: MapPoint, b: MapPoint) => b[3] - a[3] || (a[0] < b[0] ? 1 : a[0] > b[0] ? -1 : 0);

/** The newest `MAP_POINTS.marked` markers and `MAP_POINTS.recent` other points, newest first. */
export function trimPoints(points: Iterable<MapPoint>): MapPoint[] {
  const marked: MapPoint[] = [];
  const recent: MapPoint[] = [];
  for (const point of points) (isMarked(point) ? marked : recent).push(point);
  return [...marked.sort(newestFirst).slice(0, MAP_POINTS.marked), ...recent.sort(newestFirst).slice(0, MAP_POINTS.recent)];
}
