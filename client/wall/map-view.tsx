/**
 * The one MapLibre wrapper: an offline dark map of the district (boundaries from
 * /geo/guangming.geojson, no tile server and no glyphs unless `?tiles=` names a raster tile URL),
 * the communities and the hexagons where open cases gather coloured by their risk level (GET
 * /api/risk/map, kept current by the stream's `risk` deltas), the service halls with their 500 m
 * circles (GET /api/service-network), every recent case as a dot, and open red or breached
 * cases as markers, the newest of them pulsing with the wall's beat (two states a second apart, no
 * animation between: see beat.ts). Updates replace only the sources' data, never the view; the
 * view can be set per wall with `?view=lng,lat,zoom`.
 */
import maplibregl, { type ExpressionSpecification, type GeoJSONSource, type StyleSpecification } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import { createEffect, onCleanup, onMount } from 'solid-js';
import { isMarked, type MapPoint } from '../../shared/protocol/map-points.js';
import type { RiskMap } from '../../shared/protocol/risk-map.js';
import { circleRing, type ServiceSite } from '../../shared/domain/service-network.js';
import { PALETTE } from './chart-options.js';

/** Markers that pulse (HTML elements animated by CSS); the rest are drawn still. */
const PULSING = 60;
/** The map redraws its points at most this often: a redraw is a frame of the whole 4K screen. */
const REDRAW_MS = 5000;

const empty = { type: 'FeatureCollection' as const, features: [] };


/** The risk levels' colours (GET /api/risk/map), shared with the legend. */
export const RISK_COLOURS = { low: '#1d4f7a', medium: '#8a6a1c', high: '#a4471d', severe: '#b3202a' } as const;

const riskColour: ExpressionSpecification = ['match', ['get', 'riskLevel'], 'low', RISK_COLOURS.low, 'medium', RISK_COLOURS.medium, 'high', RISK_COLOURS.high, RISK_COLOURS.severe];

/** The style, with sizes scaled to the screen (one unit = 1 % of the viewport height). */
function style(unit: number, tiles: string | null): StyleSpecification {
  return {
    version: 8,
    sources: {
      areas: { type: 'geojson', data: '/geo/guangming.geojson' },
      points: { type: 'geojson', data: empty },
      risk: { type: 'geojson', data: empty },
      service: { type: 'geojson', data: empty },
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
        filter: ['all', ['==', ['get', 'layer'], 'community'], ['!=', ['get', 'riskLevel'], 'none']],
        paint: { 'fill-color': riskColour, 'fill-opacity': 0.3 },
      },
      // The hexagon heat layer: cells of ~0.7 km² by the risk of their open cases (grade-weighted,
      // fading with age), hotter ones more opaque.
      {
        id: 'risk-cells',
        type: 'fill',
        source: 'risk',
        filter: ['all', ['==', ['get', 'layer'], 'cell'], ['!=', ['get', 'riskLevel'], 'none']],
        paint: { 'fill-color': riskColour, 'fill-opacity': ['match', ['get', 'riskLevel'], 'low', 0.3, 'medium', 0.55, 'high', 0.75, 0.9] },
      },
      {
        id: 'risk-cell-edges',
        type: 'line',
        source: 'risk',
        filter: ['all', ['==', ['get', 'layer'], 'cell'], ['in', ['get', 'riskLevel'], ['literal', ['high', 'severe']]]],
        paint: { 'line-color': ['match', ['get', 'riskLevel'], 'severe', '#ff8a8f', '#ffb070'], 'line-width': unit * 0.12 },
      },
      // The service network's 500 m circles (500米诉求服务圈) and its halls.
      { id: 'service-circles', type: 'line', source: 'service', filter: ['==', ['geometry-type'], 'Polygon'], paint: { 'line-color': '#3fd2c7', 'line-opacity': 0.55, 'line-width': unit * 0.1 } },
      {
        id: 'service-sites',
        type: 'circle',
        source: 'service',
        filter: ['==', ['geometry-type'], 'Point'],
        paint: { 'circle-radius': ['match', ['get', 'level'], 'district', unit * 0.7, 'street', unit * 0.5, unit * 0.3], 'circle-color': '#3fd2c7', 'circle-stroke-color': '#06131f', 'circle-stroke-width': unit * 0.08 },
      },
      { id: 'streets', type: 'line', source: 'areas', filter: ['==', ['get', 'level'], 'street'], paint: { 'line-color': '#3a6bb0', 'line-width': unit * 0.15 } },
      { id: 'district', type: 'line', source: 'areas', filter: ['==', ['get', 'level'], 'district'], paint: { 'line-color': '#6fb3ff', 'line-width': unit * 0.3 } },
      {
        id: 'recent',
        type: 'circle',
        source: 'points',
        filter: ['!', ['get', 'marked']],
        paint: { 'circle-radius': unit * 0.22, 'circle-color': ['match', ['get', 'grade'], 1, PALETTE.warn, PALETTE.intake], 'circle-opacity': 0.7 },
      },
      {
        id: 'markers',
        type: 'circle',
        source: 'points',
        filter: ['get', 'marked'],
        paint: {
          'circle-radius': ['case', ['get', 'breached'], unit * 0.36, unit * 0.32],
          'circle-color': ['case', ['get', 'breached'], PALETTE.alert, '#ff2d6f'],
          'circle-stroke-color': '#ffffff',
          'circle-stroke-width': unit * 0.05,
          'circle-stroke-opacity': 0.6,
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

function features(points: readonly MapPoint[]) {
  return {
    type: 'FeatureCollection' as const,
    features: points.map((point) => ({
      type: 'Feature' as const,
      geometry: { type: 'Point' as const, coordinates: [point[1], point[2]] },
      properties: { id: point[0], grade: point[4], marked: isMarked(point), breached: point[5] === 2 },
    })),
  };
}

/** Each site as a point and its 500 m circle as a polygon. */
function serviceFeatures(sites: readonly ServiceSite[]): Parameters<GeoJSONSource['setData']>[0] {
  return {
    type: 'FeatureCollection',
    features: sites.flatMap((site) => [
      { type: 'Feature' as const, geometry: { type: 'Point' as const, coordinates: [site.lng, site.lat] }, properties: { level: site.level } },
      { type: 'Feature' as const, geometry: { type: 'Polygon' as const, coordinates: [circleRing(site)] }, properties: { level: site.level } },
    ]),
  };
}

export function MapView(props: {
  points: () => readonly MapPoint[];
  /** The communities' and cells' risk (GET /api/risk/map, kept current by the stream), or null until it arrives. */
  risk: () => RiskMap | null;
  /** The service halls and stations (GET /api/service-network), or null until they arrive. */
  sites: () => readonly ServiceSite[] | null;
  bounds: [number, number, number, number];
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
      (map.getSource('points') as GeoJSONSource).setData(features(points));
      pulse(points);
    };
    // What the map holds is written on its box too, for tests and for anyone inspecting the wall.
    const showRisk = () => {
      const risk = props.risk();
      if (!loaded || !risk) return;
      (map.getSource('risk') as GeoJSONSource).setData(risk as unknown as Parameters<GeoJSONSource['setData']>[0]);
      box.dataset.riskCommunities = String(risk.features.filter((f) => f.properties.layer === 'community').length);
      box.dataset.riskCells = String(risk.features.filter((f) => f.properties.layer === 'cell').length);
      // The hexagons at each level ("low 212 medium 30 high 8 severe 4"), and the severe ones by id.
      const cells = risk.features.filter((f) => f.properties.layer === 'cell');
      box.dataset.riskCellLevels = (['low', 'medium', 'high', 'severe'] as const).map((level) => `${level} ${cells.filter((f) => f.properties.riskLevel === level).length}`).join(' ');
      box.dataset.riskSevere = cells.filter((f) => f.properties.riskLevel === 'severe').map((f) => f.id).join(' ');
    };
    const showSites = () => {
      const sites = props.sites();
      if (!loaded || !sites) return;
      (map.getSource('service') as GeoJSONSource).setData(serviceFeatures(sites));
      box.dataset.serviceSites = String(sites.length);
    };
    map.on('load', () => {
      loaded = true;
      show();
      showRisk();
      showSites();
    });
    createEffect(showRisk);
    createEffect(showSites);
    // Under a burst the stream changes ten times a second; new points every few seconds are
    // enough for a map.
    let pending: ReturnType<typeof setTimeout> | null = null;
    createEffect(() => {
      props.points();
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
