/**
 * The one MapLibre wrapper: an offline dark map of the district (boundaries from
 * /geo/guangming.geojson, no tile server and no glyphs unless `?tiles=` names a raster tile URL),
 * the communities coloured by their risk level (GET /api/risk/map), a heat layer of recent cases
 * weighted by grade and fading with age, every recent case as a dot, and open red or breached
 * cases as markers, the newest of them pulsing with the wall's beat (two states a second apart, no
 * animation between: see beat.ts). Updates replace only the sources' data, never the view; the
 * view can be set per wall with `?view=lng,lat,zoom`.
 */
import maplibregl, { type GeoJSONSource, type StyleSpecification } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import { createEffect, onCleanup, onMount } from 'solid-js';
import { isMarked, type MapPoint } from '../../shared/protocol/map-points.js';
import { PALETTE } from './chart-options.js';

/** Markers that pulse (HTML elements animated by CSS); the rest are drawn still. */
const PULSING = 60;
/** A recent case's heat halves every this many hours. */
const HALF_LIFE_HOURS = 6;
const GRADE_WEIGHT = [1, 2, 4];
/** The map redraws its points at most this often: a redraw is a frame of the whole 4K screen. */
const REDRAW_MS = 5000;

const empty = { type: 'FeatureCollection' as const, features: [] };

/** GeoJSON as MapLibre takes it: the body of GET /api/risk/map. */
export type RiskCollection = Parameters<GeoJSONSource['setData']>[0];

/** The risk levels' colours (GET /api/risk/map), shared with the legend. */
export const RISK_COLOURS = { low: '#1d4f7a', medium: '#8a6a1c', high: '#a4471d', severe: '#b3202a' } as const;

/** The style, with sizes scaled to the screen (one unit = 1 % of the viewport height). */
function style(unit: number, tiles: string | null): StyleSpecification {
  return {
    version: 8,
    sources: {
      areas: { type: 'geojson', data: '/geo/guangming.geojson' },
      points: { type: 'geojson', data: empty },
      risk: { type: 'geojson', data: empty },
      ...(tiles ? { tiles: { type: 'raster' as const, tiles: [tiles], tileSize: 256 } } : {}),
    },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': '#060d1a' } },
      ...(tiles ? [{ id: 'tiles', type: 'raster' as const, source: 'tiles', paint: { 'raster-opacity': 0.35 } }] : []),
      { id: 'communities', type: 'fill', source: 'areas', filter: ['==', ['get', 'level'], 'community'], paint: { 'fill-color': '#0e2142', 'fill-opacity': tiles ? 0.5 : 1, 'fill-outline-color': '#1c3a66' } },
      {
        id: 'risk',
        type: 'fill',
        source: 'risk',
        filter: ['!=', ['get', 'riskLevel'], 'none'],
        paint: { 'fill-color': ['match', ['get', 'riskLevel'], 'low', RISK_COLOURS.low, 'medium', RISK_COLOURS.medium, 'high', RISK_COLOURS.high, RISK_COLOURS.severe], 'fill-opacity': 0.5 },
      },
      { id: 'streets', type: 'line', source: 'areas', filter: ['==', ['get', 'level'], 'street'], paint: { 'line-color': '#3a6bb0', 'line-width': unit * 0.15 } },
      { id: 'district', type: 'line', source: 'areas', filter: ['==', ['get', 'level'], 'district'], paint: { 'line-color': '#6fb3ff', 'line-width': unit * 0.3 } },
      {
        id: 'heat',
        type: 'heatmap',
        source: 'points',
        paint: {
          'heatmap-weight': ['get', 'heat'],
          'heatmap-radius': unit * 3.5,
          'heatmap-intensity': 0.6,
          'heatmap-opacity': 0.8,
          'heatmap-color': ['interpolate', ['linear'], ['heatmap-density'], 0, 'rgba(0,0,0,0)', 0.15, 'rgba(61,165,255,0.35)', 0.45, 'rgba(95,224,230,0.6)', 0.7, 'rgba(255,181,71,0.8)', 1, 'rgba(255,90,95,0.95)'],
        },
      },
      {
        id: 'recent',
        type: 'circle',
        source: 'points',
        filter: ['!', ['get', 'marked']],
        paint: { 'circle-radius': unit * 0.35, 'circle-color': ['match', ['get', 'grade'], 1, PALETTE.warn, PALETTE.intake], 'circle-opacity': 0.85 },
      },
      {
        id: 'markers',
        type: 'circle',
        source: 'points',
        filter: ['get', 'marked'],
        paint: {
          'circle-radius': ['case', ['get', 'breached'], unit * 0.5, unit * 0.42],
          'circle-color': ['case', ['get', 'breached'], PALETTE.alert, '#ff2d6f'],
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': unit * 0.08,
          'circle-stroke-opacity': 0.8,
        },
      },
    ],
  };
}

/** `?view=lng,lat,zoom` if given and sane, else null (the district's frame). */
function viewFromUrl(): { center: [number, number]; zoom: number } | null {
  const raw = new URL(window.location.href).searchParams.get('view');
  const parts = raw?.split(',').map(Number);
  if (!parts || parts.length !== 3 || parts.some((n) => !Number.isFinite(n))) return null;
  return { center: [parts[0]!, parts[1]!], zoom: parts[2]! };
}

function features(points: readonly MapPoint[], now: number) {
  return {
    type: 'FeatureCollection' as const,
    features: points.map(([id, lng, lat, receivedAt, grade, state]) => {
      const ageHours = Math.max(0, now / 1000 - receivedAt) / 3600;
      return {
        type: 'Feature' as const,
        geometry: { type: 'Point' as const, coordinates: [lng, lat] },
        properties: {
          id,
          grade,
          marked: isMarked([id, lng, lat, receivedAt, grade, state]),
          breached: state === 2,
          heat: GRADE_WEIGHT[grade]! * 0.5 ** (ageHours / HALF_LIFE_HOURS),
        },
      };
    }),
  };
}

export function MapView(props: {
  points: () => readonly MapPoint[];
  /** The communities' risk (GET /api/risk/map), or null until it arrives. */
  risk: () => RiskCollection | null;
  bounds: [number, number, number, number];
  now: () => number;
  beat: () => boolean;
}) {
  let box!: HTMLDivElement;
  onMount(() => {
    const view = viewFromUrl();
    const tiles = new URL(window.location.href).searchParams.get('tiles');
    const map = new maplibregl.Map({
      container: box,
      style: style(window.innerHeight / 100, tiles),
      attributionControl: false,
      ...(view ?? { bounds: props.bounds, fitBoundsOptions: { padding: 24 } }),
    });
    let loaded = false;
    const pulsing = new Map<string, maplibregl.Marker>();
    /** The newest markers pulse; markers that leave, or fall out of the newest, stop. */
    const pulse = (points: readonly MapPoint[]) => {
      const wanted = new Map(points.filter(isMarked).slice(0, PULSING).map((p) => [p[0], p]));
      for (const [id, marker] of pulsing) {
        if (wanted.has(id)) continue;
        marker.remove();
        pulsing.delete(id);
      }
      for (const [id, p] of wanted) {
        if (pulsing.has(id)) continue;
        const element = document.createElement('div');
        element.className = `pulse ${p[5] === 2 ? 'breached' : 'red'}`;
        pulsing.set(id, new maplibregl.Marker({ element }).setLngLat([p[1], p[2]]).addTo(map));
      }
    };
    const show = () => {
      const points = props.points();
      (map.getSource('points') as GeoJSONSource).setData(features(points, props.now()));
      pulse(points);
    };
    map.on('load', () => {
      loaded = true;
      show();
      const risk = props.risk();
      if (risk) (map.getSource('risk') as GeoJSONSource).setData(risk);
    });
    createEffect(() => {
      const risk = props.risk();
      if (loaded && risk) (map.getSource('risk') as GeoJSONSource).setData(risk);
    });
    // Under a burst the stream changes ten times a second; new points every few seconds are
    // enough for a map.
    let pending: ReturnType<typeof setTimeout> | null = null;
    createEffect(() => {
      props.points();
      props.now();
      if (loaded && pending === null) {
        pending = setTimeout(() => {
          pending = null;
          show();
        }, REDRAW_MS);
      }
    });
    createEffect(() => box.classList.toggle('beat', props.beat()));
    const resize = new ResizeObserver(() => map.resize());
    resize.observe(box);
    onCleanup(() => {
      if (pending !== null) clearTimeout(pending);
      resize.disconnect();
      map.remove();
    });
  });
  return <div ref={box} class="map" data-map="district" />;
}
