/** The interim status page: today's KPI tiles, refreshed every few seconds. */
import { createSignal, For, onCleanup, onMount, Show } from 'solid-js';
import type { Summary } from '../shared/protocol/payloads.js';
import { exchangeUrlToken } from './session.js';

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

export function formatFigure(value: unknown, kind?: string): string {
  if (value === null || value === undefined) return '—';
  if (kind === 'rate') return `${(Number(value) * 100).toFixed(1)}%`;
  return Number(value).toLocaleString('zh-CN');
}

export function StatusPage() {
  const [summary, setSummary] = createSignal<Summary | null>(null);
  const [problem, setProblem] = createSignal<string | null>(null);
  const [demo, setDemo] = createSignal(false);
  const [updatedAt, setUpdatedAt] = createSignal<Date | null>(null);

  const load = async () => {
    try {
      const res = await fetch('/api/stats/summary', { credentials: 'same-origin' });
      if (res.status === 401) {
        setProblem('需要令牌：用 /?token=… 打开本页 (open this page with ?token=…)');
        return;
      }
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      setSummary((await res.json()) as Summary);
      setUpdatedAt(new Date());
      setProblem(null);
    } catch (error) {
      setProblem(`数据暂不可用 (${(error as Error).message})`);
    }
  };

  onMount(async () => {
    await exchangeUrlToken();
    const config = await fetch('/api/config', { credentials: 'same-origin' });
    if (config.ok) setDemo(Boolean(((await config.json()) as { demo?: boolean }).demo));
    await load();
    const timer = setInterval(load, 3000);
    onCleanup(() => clearInterval(timer));
  });

  return (
    <div class="page">
      <header>
        <h1>
          光明区民生诉求
          <Show when={demo()}>
            <span class="demo">DEMO</span>
          </Show>
        </h1>
        <span class="meta">{updatedAt() ? `更新于 ${updatedAt()!.toLocaleTimeString('zh-CN', { timeZone: 'Asia/Shanghai' })}` : '连接中…'}</span>
      </header>
      <Show when={problem()}>
        <div class="banner">{problem()}</div>
      </Show>
      <div class="tiles">
        <For each={TILES}>
          {(tile) => (
            <div class={`tile ${tile.kind ?? ''}`}>
              <div class="label">{tile.label}</div>
              <div class="value" data-kpi={tile.key}>
                {formatFigure(summary()?.[tile.key], tile.kind)}
              </div>
            </div>
          )}
        </For>
      </div>
      <div class="note">今日 = 亚洲/上海时区当日受理的诉求；办结为其中已办结者。实时大屏（图表、地图、预警）即将上线。</div>
    </div>
  );
}
