/**
 * The one MapLibre wrapper: an offline dark map of the district (boundaries from
 * /geo/guangming.geojson, no tile server, no glyphs) with the newest cases as points, red and
 * breached ones larger. Updates replace only the points' data, never the view; the view can be
 * set per wall with `?view=lng,lat,zoom`.
 */
import maplibregl, { type GeoJSONSource, type StyleSpecification } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import { createEffect, onCleanup, onMount } from 'solid-js';
import type { CaseBrief } from '../../shared/protocol/payloads.js';
import { PALETTE } from './chart-options.js';

/** The style, with sizes scaled to the screen (one unit = 1 % of the viewport height). */
const style = (unit: number): StyleSpecification => ({
  version: 8,
  sources: {
    areas: { type: 'geojson', data: '/geo/guangming.geojson' },
    cases: { type: 'geojson', data: { type: 'FeatureCollection', features: [] } },
  },
  layers: [
    { id: 'background', type: 'background', paint: { 'background-color': '#060d1a' } },
    { id: 'communities', type: 'fill', source: 'areas', filter: ['==', ['get', 'level'], 'community'], paint: { 'fill-color': '#0e2142', 'fill-outline-color': '#1c3a66' } },
    { id: 'streets', type: 'line', source: 'areas', filter: ['==', ['get', 'level'], 'street'], paint: { 'line-color': '#3a6bb0', 'line-width': unit * 0.15 } },
    { id: 'district', type: 'line', source: 'areas', filter: ['==', ['get', 'level'], 'district'], paint: { 'line-color': '#6fb3ff', 'line-width': unit * 0.3 } },
    {
      id: 'cases',
      type: 'circle',
      source: 'cases',
      paint: {
        'circle-radius': ['case', ['==', ['get', 'grade'], 'red'], unit * 0.9, unit * 0.6],
        'circle-color': ['match', ['get', 'grade'], 'red', PALETTE.alert, 'yellow', PALETTE.warn, PALETTE.intake],
        'circle-stroke-color': '#ffffff',
        'circle-stroke-width': unit * 0.1,
        'circle-opacity': 0.9,
      },
    },
  ],
});

/** `?view=lng,lat,zoom` if given and sane, else the district's frame. */
function viewFromUrl(): { center: [number, number]; zoom: number } | null {
  const raw = new URL(window.location.href).searchParams.get('view');
  const parts = raw?.split(',').map(Number);
  if (!parts || parts.length !== 3 || parts.some((n) => !Number.isFinite(n))) return null;
  return { center: [parts[0]!, parts[1]!], zoom: parts[2]! };
}

export function MapView(props: { cases: () => readonly CaseBrief[]; bounds: [number, number, number, number] }) {
  let box!: HTMLDivElement;
  onMount(() => {
    const view = viewFromUrl();
    const map = new maplibregl.Map({
      container: box,
      style: style(window.innerHeight / 100),
      attributionControl: false,
      ...(view ?? { bounds: props.bounds, fitBoundsOptions: { padding: 24 } }),
    });
    let loaded = false;
    const points = () => ({
      type: 'FeatureCollection' as const,
      features: props
        .cases()
        .filter((c) => c.location.lat !== null && c.location.lng !== null)
        .map((c) => ({
          type: 'Feature' as const,
          geometry: { type: 'Point' as const, coordinates: [c.location.lng!, c.location.lat!] },
          properties: { id: c.id, grade: c.riskGrade },
        })),
    });
    map.on('load', () => {
      loaded = true;
      (map.getSource('cases') as GeoJSONSource).setData(points());
    });
    createEffect(() => {
      const data = points();
      if (loaded) (map.getSource('cases') as GeoJSONSource).setData(data);
    });
    const resize = new ResizeObserver(() => map.resize());
    resize.observe(box);
    onCleanup(() => {
      resize.disconnect();
      map.remove();
    });
  });
  return <div ref={box} class="map" data-map="district" />;
}
