/**
 * The command-hall wall at `/`: header (district, date and clock in Asia/Shanghai, live or stale
 * since when, sound armed or not), the KPI tiles (`data-kpi`), intake against resolutions by hour
 * with the usual for the weekday, the channel mix, category ranking, the map, the street and
 * department boards, the alert feed and the newest cases. Every panel is a pure view of the
 * stream's store (client/live-stream.ts); nothing here computes a figure.
 *
 * URL options: `?lang=en`, `?kiosk=1` (no cursor, no controls), `?reload=03:30` (nightly reload),
 * `?view=lng,lat,zoom` and `?tiles=` for the map.
 */
import { createSignal, For, onCleanup, onMount, Show } from 'solid-js';
import type { GroupDimension } from '../../shared/protocol/figures.js';
import type { GroupFigures } from '../../shared/protocol/payloads.js';
import type { StreamState } from '../../shared/protocol/stream-store.js';
import { connectLiveStream, type LiveStream } from '../live-stream.js';
import { fetchJson } from '../api.js';
import { exchangeUrlToken } from '../session.js';
import { createAlarm } from './alarm.js';
import { Board, departmentColumns, streetColumns, withExecution } from './boards.js';
import { channelOption, hourlyOption, rankingOption } from './chart-options.js';
import { EChart } from './echart.js';
import { AlertFeed, LatestCases } from './feeds.js';
import { englishNames, langFromUrl, WORDS, type NamedConfig, type Words } from './i18n.js';
import { applyRiskDelta, type RiskMap } from '../../shared/protocol/risk-map.js';
import type { ServiceSite } from '../../shared/domain/service-network.js';
import { formatFigure } from './format.js';
import { MapView, RISK_COLOURS } from './map-view.js';
import { RollingNumber } from './rolling-number.js';
import { scheduleNightlyReload } from './nightly-reload.js';
import { sampleOnTick } from './beat.js';

/** A KPI tile: its `data-kpi` name, how it is written, and where its value lies in the stream's store. */
interface Tile {
  key: keyof (typeof WORDS)['zh']['kpi'];
  kind?: 'rate' | 'alert' | 'warn';
  value: (state: StreamState) => number | null;
  /** A smaller line under the figure: what it is made of. */
  detail?: (state: StreamState, words: Words) => string;
}

const today = (key: 'received' | 'resolved' | 'resolutionRate' | 'onTimeRate' | 'satisfactionRate' | 'open' | 'atRisk' | 'breached'): Tile['value'] => (state) => state.summary[key];

export const TILES: Tile[] = [
  { key: 'received', value: today('received') },
  { key: 'resolved', value: today('resolved') },
  { key: 'resolutionRate', kind: 'rate', value: today('resolutionRate') },
  { key: 'onTimeRate', kind: 'rate', value: today('onTimeRate') },
  { key: 'satisfactionRate', kind: 'rate', value: today('satisfactionRate') },
  { key: 'open', value: today('open') },
  { key: 'atRisk', kind: 'warn', value: today('atRisk') },
  { key: 'breached', kind: 'alert', value: today('breached') },
  // Over the period (7 days): community orders executed on time (ORD6) and cases the department
  // head re-handled after an unsatisfied return visit (RV2).
  { key: 'executionRate', kind: 'rate', value: (state) => state.period.orders.executionRate, detail: (state, words) => words.executionDetail(state.period.orders) },
  { key: 'rehandled', value: (state) => state.period.rehandled.cases, detail: (state, words) => words.rehandledDetail(state.period.rehandled) },
];

/** Today's share of cases within a service circle changes slowly: every five minutes is enough. */
const SERVICE_REFRESH_MS = 5 * 60_000;

/** GET /api/service-network. */
interface ServiceNetwork {
  radiusM: number;
  sites: ServiceSite[];
  today: { received: number; placed: number; inside: number; share: number | null };
}

const shanghai = (at: Date, options: Intl.DateTimeFormatOptions, lang = 'zh-CN') => at.toLocaleString(lang, { timeZone: 'Asia/Shanghai', hour12: false, ...options });

interface WallConfig {
  district: string;
  demo: boolean;
  bbox: [number, number, number, number];
  english: ReturnType<typeof englishNames>;
}

type ConfigBody = NamedConfig & { demo?: boolean; jurisdiction: { district: { name: string; nameEn: string }; bbox: [number, number, number, number] } };

export function Wall() {
  const lang = langFromUrl();
  const words = WORDS[lang];
  const kiosk = new URL(window.location.href).searchParams.get('kiosk') === '1';
  const alarm = createAlarm();
  const [stream, setStream] = createSignal<LiveStream | null>(null);
  const [config, setConfig] = createSignal<WallConfig | null>(null);
  const [risk, setRisk] = createSignal<RiskMap | null>(null);
  const [service, setService] = createSignal<ServiceNetwork | null>(null);
  /** The wall's clock, ticking once a second: the beat every panel repaints on. */
  const [now, setNow] = createSignal(new Date());
  /** One hundredth of the viewport height, in CSS pixels: charts scale with the screen. */
  const [unit, setUnit] = createSignal(window.innerHeight / 100);
  const state = () => stream()?.state() ?? null;
  /** The store as the wall shows it: sampled on the clock's tick, so everything repaints together. */
  const panels = sampleOnTick(state, now);
  /** Alternates every second: the red and breached markers' pulse. */
  const beat = () => Math.floor(now().getTime() / 1000) % 2 === 0;
  const english = () => (lang === 'en' ? (config()?.english ?? null) : null);
  /** A group's name in the wall's language (departments without the 深圳市/光明区 every one carries). */
  const named = (dimension: GroupDimension) => (groups: readonly GroupFigures[]) =>
    groups.map((g) => {
      const name = english()?.byKey[dimension][g.key] ?? (g.key === 'unknown' ? words.unknownPlace : g.name);
      return { ...g, name: dimension === 'department' && lang === 'zh' ? name.replace(/^(深圳市|光明区)(?=.{4})/, '') : name };
    });

  onMount(async () => {
    document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
    if (kiosk) document.body.classList.add('kiosk');
    scheduleNightlyReload();
    const clock = setInterval(() => setNow(new Date()), 1000);
    // The risk map: whole on each connection, then the stream's `risk` deltas (changed features only).
    // A server that goes away mid-answer fails the body too: keep what is shown, ask again on reconnect.
    const loadRisk = async () => {
      const risk = await fetchJson<RiskMap>('/api/risk/map');
      if (risk) setRisk(risk);
    };
    // The service network and today's share of cases within its circles: a slow figure.
    const loadService = async () => {
      const service = await fetchJson<ServiceNetwork>('/api/service-network');
      if (service) setService(service);
    };
    const serviceTimer = setInterval(() => void loadService(), SERVICE_REFRESH_MS);
    const resize = () => setUnit(window.innerHeight / 100);
    window.addEventListener('resize', resize);
    const arm = () => void alarm.arm();
    window.addEventListener('pointerdown', arm);
    // Cleanups are registered before the first await: after it the component's owner is gone.
    onCleanup(() => {
      clearInterval(clock);
      clearInterval(serviceTimer);
      window.removeEventListener('resize', resize);
      window.removeEventListener('pointerdown', arm);
      stream()?.close();
    });
    if (kiosk) void alarm.armWithoutGesture();
    await exchangeUrlToken();
    const live = connectLiveStream();
    live.onAlert((message) => alarm.sound(message.alert));
    live.onRisk((delta) => setRisk((held) => (held ? applyRiskDelta(held, delta) : held)));
    live.onConnect(() => {
      void loadRisk();
      void loadService();
    });
    setStream(live);
    const body = await fetchJson<ConfigBody>('/api/config');
    if (body) {
      const district = lang === 'en' ? body.jurisdiction.district.nameEn : body.jurisdiction.district.name;
      setConfig({ district, demo: Boolean(body.demo), bbox: body.jurisdiction.bbox, english: englishNames(body) });
    }
  });

  const connection = () => {
    const live = stream();
    if (live?.refusal()) return { state: 'refused', text: live.refusal()!.code === 'unauthorized' ? words.needToken : live.refusal()!.message };
    const since = live?.staleSince();
    if (!since) return { state: 'live', text: words.live };
    if (!state() || now().getTime() - since.getTime() < 5_000) return { state: 'connecting', text: words.connecting };
    return { state: 'stale', text: words.staleSince(shanghai(since, { hour: '2-digit', minute: '2-digit', second: '2-digit' })) };
  };

  return (
    <div class="wall" classList={{ en: lang === 'en', stale: connection().state === 'stale' || connection().state === 'refused' }}>
      <header class="wall-header">
        <h1>
          {config()?.district ?? ''}
          {lang === 'en' ? ' · ' : ''}
          {words.title}
          <Show when={config()?.demo}>
            <span class="demo">DEMO</span>
          </Show>
        </h1>
        <div class="clock">
          <span>{shanghai(now(), { year: 'numeric', month: '2-digit', day: '2-digit', weekday: 'short' }, lang === 'en' ? 'en-GB' : 'zh-CN')}</span>
          <strong>{shanghai(now(), { hour: '2-digit', minute: '2-digit', second: '2-digit' })}</strong>
        </div>
        <button class={`sound ${alarm.armed() ? 'on' : 'off'}`} data-sound={alarm.armed() ? 'on' : 'off'} onClick={() => void alarm.arm()} tabIndex={kiosk ? -1 : 0}>
          {alarm.armed() ? words.soundOn : kiosk ? words.soundOffKiosk : words.soundOff}
        </button>
        <div class={`connection ${connection().state}`} data-connection={connection().state}>
          <i />
          {connection().text}
        </div>
      </header>

      <section class="kpis">
        <For each={TILES}>
          {(tile) => (
            <div class={`kpi ${tile.kind ?? ''}`}>
              <div class="label">{words.kpi[tile.key as keyof typeof words.kpi]}</div>
              <RollingNumber name={tile.key} value={panels() ? tile.value(panels()!) : undefined} kind={tile.kind} />
              {/* panels() is the same store object, changed in place on each beat: read it here, not
                  through Show's accessor, which holds on to the first value it saw (Solid's memo). */}
              <Show when={tile.detail && panels()}>
                <div class="detail" data-kpi-detail={tile.key}>
                  {tile.detail!(panels()!, words)}
                </div>
              </Show>
            </div>
          )}
        </For>
      </section>

      <section class="panel hourly">
        <h2>{words.hourly}</h2>
        <EChart label="hourly" option={() => hourlyOption(panels()?.hourly ?? [], unit(), lang)} />
      </section>
      <section class="panel channels">
        <h2>{words.channels}</h2>
        <EChart label="channels" option={() => channelOption(named('channel')(panels()?.summary.byChannel ?? []), unit())} />
      </section>
      <section class="panel categories">
        <h2>{words.categories}</h2>
        <EChart label="categories" option={() => rankingOption(named('category')(panels()?.summary.byCategory ?? []), unit())} />
      </section>

      <section class="panel map-panel">
        <Show when={config()}>
          <MapView bounds={config()!.bbox} points={() => panels()?.points ?? []} risk={risk} sites={() => service()?.sites ?? null} beat={beat} />
        </Show>
        <div class="legend">
          <span class="cells">{words.legend.cells}</span>
          <span class="breached">{words.legend.breached}</span>
          <span class="red">{words.legend.red}</span>
          <span class="service" data-service-share>
            {words.legend.service}
            <Show when={service()}>{(s) => ` · ${words.legend.inside} ${formatFigure(s().today.share, 'rate')}`}</Show>
          </span>
        </div>
        <div class="legend risk-legend" data-risk-legend>
          {words.legend.risk}
          <For each={['low', 'medium', 'high', 'severe'] as const}>{(level) => <span style={{ '--swatch': RISK_COLOURS[level] }}>{words.riskLevels[level]}</span>}</For>
        </div>
      </section>

      <Board name="streets" title={words.streets} rows={named('street')(panels()?.summary.byStreet ?? [])} columns={streetColumns(words)} display={(g) => g.name} />
      <Board name="departments" title={words.departments} rows={withExecution(named('department')(panels()?.period.byDepartment ?? []), panels()?.period.orders.byDepartment ?? [])} columns={departmentColumns(words)} display={(g) => g.name} />
      <AlertFeed alerts={panels()?.alerts ?? []} total={panels()?.activeAlerts ?? 0} words={words} byChinese={english()?.byChinese ?? null} />
      <LatestCases cases={panels()?.latest ?? []} words={words} />
    </div>
  );
}
