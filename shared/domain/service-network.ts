/**
 * The service network "1+6+31+N" (DESIGN; 群众诉求服务大厅/站点): one district hall, a hall per
 * street and per community, and N stations where people gather (estates, industrial parks, sites,
 * schools), each serving a 500 m circle (500米诉求服务圈). The boundary data has no surveyed hall
 * addresses, so halls stand at representative points: a community hall at its community's
 * centroid, a street hall at the mean of its communities' centroids, the district hall at the mean
 * of the street halls. Stations come from configuration (or the demo's places). Pure.
 */
import type { Jurisdiction } from './jurisdiction.js';

export const SERVICE_RADIUS_M = 500;

export type ServiceLevel = 'district' | 'street' | 'community' | 'station';

export interface ServiceSite {
  id: string;
  level: ServiceLevel;
  name: string;
  lng: number;
  lat: number;
}

export interface StationInput {
  name: string;
  lng: number;
  lat: number;
}

const mean = (points: readonly { lng: number; lat: number }[]) => ({
  lng: points.reduce((sum, p) => sum + p.lng, 0) / points.length,
  lat: points.reduce((sum, p) => sum + p.lat, 0) / points.length,
});

export function buildServiceNetwork(jurisdiction: Jurisdiction, stations: readonly StationInput[]): ServiceSite[] {
  const communities: ServiceSite[] = jurisdiction.communities.map((c) => ({
    id: `community:${c.code}`,
    level: 'community',
    name: `${c.name}群众诉求服务大厅`,
    lng: c.centroid[0],
    lat: c.centroid[1],
  }));
  const streets: ServiceSite[] = jurisdiction.streets.flatMap((s) => {
    const own = communities.filter((_, i) => jurisdiction.communities[i]!.streetCode === s.code);
    return own.length > 0 ? [{ id: `street:${s.code}`, level: 'street' as const, name: `${s.name}群众诉求服务大厅`, ...mean(own) }] : [];
  });
  const district: ServiceSite[] =
    streets.length > 0 ? [{ id: `district:${jurisdiction.district.code}`, level: 'district', name: `${jurisdiction.district.name}群众诉求服务大厅`, ...mean(streets) }] : [];
  const sites = stations.map((s, i): ServiceSite => ({ id: `station:${i + 1}`, level: 'station', name: s.name, lng: s.lng, lat: s.lat }));
  return [...district, ...streets, ...communities, ...sites];
}

/** Great-circle distance in metres (haversine; ample for a district). */
export function distanceM(a: { lng: number; lat: number }, b: { lng: number; lat: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * 6_371_008.8 * Math.asin(Math.sqrt(h));
}

/** Whether a place lies within `radiusM` of any site. */
export function withinService(sites: readonly ServiceSite[], place: { lng: number; lat: number }, radiusM = SERVICE_RADIUS_M): boolean {
  return sites.some((site) => distanceM(site, place) <= radiusM);
}

/** A closed ring of `steps` points `radiusM` around a site, [lng, lat], for drawing its circle. */
export function circleRing(site: { lng: number; lat: number }, radiusM = SERVICE_RADIUS_M, steps = 40): [number, number][] {
  const dLat = radiusM / 111_320;
  const dLng = radiusM / (111_320 * Math.cos((site.lat * Math.PI) / 180));
  const ring: [number, number][] = [];
  for (let i = 0; i < steps; i++) {
    const angle = (2 * Math.PI * i) / steps;
    ring.push([site.lng + dLng * Math.cos(angle), site.lat + dLat * Math.sin(angle)]);
  }
  ring.push(ring[0]!);
  return ring;
}
