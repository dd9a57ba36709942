/**
 * The command-hall wall at `/`: header (district, date and clock in Asia/Shanghai, live or stale
 * since when), the KPI tiles (`data-kpi`), intake against resolutions by hour, the channel mix,
 * street and category rankings, the map, the alert feed and the newest cases. Every panel is a
 * pure view of the stream's store (client/live-stream.ts); nothing here computes a figure.
 */
import { createSignal, For, onCleanup, onMount, Show } from 'solid-js';
import type { Summary } from '../../shared/protocol/payloads.js';
import { connectLiveStream, type LiveStream } from '../live-stream.js';
import { exchangeUrlToken } from '../session.js';
import { channelOption, hourlyOption, rankingOption } from './chart-options.js';
import { EChart } from './echart.js';
import { formatFigure } from './format.js';
import { MapView } from './map-view.js';

const TILES: { key: keyof Summary; label: string; kind?: 'rate' | 'alert' | 'warn' }[] = [
  { key: 'received', label: '今日受理' },
  { key: 'resolved', label: '今日办结' },
  { key: 'resolutionRate', label: '化解率', kind: 'rate' },
  { key: 'onTimeRate', label: '按时办结率', kind: 'rate' },
  { key: 'satisfactionRate', label: '满意率', kind: 'rate' },
  { key: 'open', label: '在办' },
  { key: 'atRisk', label: '临期预警', kind: 'warn' },
  { key: 'breached', label: '已超期', kind: 'alert' },
];

const shanghai = (at: Date, options: Intl.DateTimeFormatOptions) => at.toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false, ...options });

interface WallConfig {
  district: string;
  demo: boolean;
  bbox: [number, number, number, number];
}

export function Wall() {
  const [stream, setStream] = createSignal<LiveStream | null>(null);
  const [config, setConfig] = createSignal<WallConfig | null>(null);
  const [now, setNow] = createSignal(new Date());
  /** One hundredth of the viewport height, in CSS pixels: charts scale with the screen. */
  const [unit, setUnit] = createSignal(window.innerHeight / 100);
  const state = () => stream()?.state() ?? null;
  const summary = () => state()?.summary ?? null;

  onMount(async () => {
    const clock = setInterval(() => setNow(new Date()), 1000);
    const resize = () => setUnit(window.innerHeight / 100);
    window.addEventListener('resize', resize);
    onCleanup(() => {
      clearInterval(clock);
      window.removeEventListener('resize', resize);
    });
    await exchangeUrlToken();
    const live = connectLiveStream();
    setStream(live);
    onCleanup(() => live.close());
    const res = await fetch('/api/config', { credentials: 'same-origin' });
    if (res.ok) {
      const body = (await res.json()) as { demo?: boolean; jurisdiction: { district: { name: string }; bbox: [number, number, number, number] } };
      setConfig({ district: body.jurisdiction.district.name, demo: Boolean(body.demo), bbox: body.jurisdiction.bbox });
    }
  });

  const connection = () => {
    const live = stream();
    if (live?.refusal()) return { state: 'refused', text: live.refusal()!.code === 'unauthorized' ? '需要令牌：用 /?token=… 打开' : live.refusal()!.message };
    const since = live?.staleSince();
    if (!since) return { state: 'live', text: '实时' };
    if (!state() || now().getTime() - since.getTime() < 5_000) return { state: 'connecting', text: '连接中…' };
    return { state: 'stale', text: `数据停在 ${shanghai(since, { hour: '2-digit', minute: '2-digit', second: '2-digit' })}` };
  };

  return (
    <div class="wall">
      <header class="wall-header">
        <h1>
          {config()?.district ?? '光明区'}民生诉求指挥大屏
          <Show when={config()?.demo}>
            <span class="demo">DEMO</span>
          </Show>
        </h1>
        <div class="clock">
          <span>{shanghai(now(), { year: 'numeric', month: '2-digit', day: '2-digit', weekday: 'short' })}</span>
          <strong>{shanghai(now(), { hour: '2-digit', minute: '2-digit', second: '2-digit' })}</strong>
        </div>
        <div class={`connection ${connection().state}`} data-connection={connection().state}>
          <i />
          {connection().text}
        </div>
      </header>

      <section class="kpis">
        <For each={TILES}>
          {(tile) => (
            <div class={`kpi ${tile.kind ?? ''}`}>
              <div class="label">{tile.label}</div>
              <div class="value" data-kpi={tile.key}>
                {formatFigure(summary()?.[tile.key], tile.kind)}
              </div>
            </div>
          )}
        </For>
      </section>

      <section class="panel hourly">
        <h2>24小时受理与办结</h2>
        <EChart label="hourly" option={() => hourlyOption(state()?.hourly ?? [], unit())} />
      </section>
      <section class="panel channels">
        <h2>今日渠道构成</h2>
        <EChart label="channels" option={() => channelOption(summary()?.byChannel ?? [], unit())} />
      </section>
      <section class="panel categories">
        <h2>今日诉求类别</h2>
        <EChart label="categories" option={() => rankingOption(summary()?.byCategory ?? [], unit())} />
      </section>

      <section class="panel map-panel">
        <Show when={config()}>
          <MapView bounds={config()!.bbox} cases={() => state()?.latest ?? []} />
        </Show>
      </section>

      <section class="panel streets">
        <h2>街道排名（今日受理 · 办结率 · 按时率）</h2>
        <table>
          <tbody>
            <For each={summary()?.byStreet ?? []}>
              {(street) => (
                <tr>
                  <td>{street.name}</td>
                  <td class="num">{street.received}</td>
                  <td class="num">{formatFigure(street.resolutionRate, 'rate')}</td>
                  <td class="num">{formatFigure(street.onTimeRate, 'rate')}</td>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </section>
      <section class="panel alerts">
        <h2>
          预警 <span class="count">{state()?.activeAlerts ?? 0}</span>
        </h2>
        <ul>
          <For each={(state()?.alerts ?? []).slice(0, 12)}>
            {(alert) => (
              <li class={alert.severity} data-alert-id={alert.id}>
                <time>{shanghai(new Date(alert.at), { hour: '2-digit', minute: '2-digit' })}</time>
                <span>{alert.text}</span>
              </li>
            )}
          </For>
        </ul>
      </section>
      <section class="panel latest">
        <h2>最新诉求</h2>
        <ul>
          <For each={(state()?.latest ?? []).slice(0, 8)}>
            {(c) => (
              <li class={c.riskGrade}>
                <time>{shanghai(new Date(c.receivedAt), { hour: '2-digit', minute: '2-digit' })}</time>
                <span>{c.title}</span>
              </li>
            )}
          </For>
        </ul>
      </section>
    </div>
  );
}
