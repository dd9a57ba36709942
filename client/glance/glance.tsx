/**
 * The leader's glance at `/glance` (issue 6): the district in ten seconds on a phone (390 px wide,
 * no sideways scrolling) or a laptop. Today against the usual for this weekday so far, the KPI
 * tiles (`data-kpi`, the same figures as the wall and the API), what is red or breached, and the
 * streets and departments that lag; tapping a street shows that street alone (the stream's street
 * scope). Read-only: it acts on nothing.
 */
import { createMemo, createSignal, For, onCleanup, onMount, Show } from 'solid-js';
import type { GroupFigures } from '../../shared/protocol/payloads.js';
import type { StreamState } from '../../shared/protocol/stream-store.js';
import { connectLiveStream, type LiveStream } from '../live-stream.js';
import { exchangeUrlToken } from '../session.js';
import { formatFigure } from '../wall/format.js';

type TileKey = 'received' | 'resolved' | 'resolutionRate' | 'onTimeRate' | 'satisfactionRate' | 'open' | 'atRisk' | 'breached';

/** The wall's tiles (`data-kpi` as on the wall): today's figures, then two over the 7-day period. */
const TILES: { key: string; label: string; kind?: 'rate'; value: (state: StreamState) => number | null }[] = [
  ...(
    [
      ['received', '今日受理'],
      ['resolved', '今日办结'],
      ['resolutionRate', '化解率', 'rate'],
      ['onTimeRate', '按时办结率', 'rate'],
      ['satisfactionRate', '满意率', 'rate'],
      ['open', '在办'],
      ['atRisk', '临期'],
      ['breached', '已超期'],
    ] as [TileKey, string, 'rate'?][]
  ).map(([key, label, kind]) => ({ key, label, kind, value: (state: StreamState) => state.summary[key] })),
  { key: 'executionRate', label: '发令执行率·7日', kind: 'rate', value: (state) => state.period.orders.executionRate },
  { key: 'rehandled', label: '一把手重办·7日', value: (state) => state.period.rehandled.cases },
];

const URGENT_KINDS = new Set(['red_case', 'sla_breached', 'group_dispute', 'day_red', 'order_late']);
const DAY_MS = 86_400_000;
const SHANGHAI_MS = 8 * 3_600_000;

/** The rows that lag most: lowest on-time rate first (rows without one last), at most `n`. */
export function lagging(rows: readonly GroupFigures[], n: number): GroupFigures[] {
  const rate = (g: GroupFigures) => g.onTimeRate ?? Number.POSITIVE_INFINITY;
  return [...rows].filter((g) => g.received > 0).sort((a, b) => rate(a) - rate(b) || b.open - a.open).slice(0, n);
}

export function Glance() {
  const [street, setStreet] = createSignal<{ code: string; name: string } | null>(null);
  const [live, setLive] = createSignal<LiveStream | null>(null);
  const state = () => live()?.state() ?? null;

  const connect = (scope: { code: string; name: string } | null) => {
    live()?.close();
    setStreet(scope);
    setLive(connectLiveStream(scope ? { street: scope.code } : {}));
  };

  onMount(async () => {
    document.body.classList.add('page');
    onCleanup(() => live()?.close());
    await exchangeUrlToken();
    connect(null);
  });

  /** Today's intake so far against the usual for the same hours of this weekday. */
  const today = createMemo(() => {
    const s = state();
    if (!s) return null;
    const midnight = Math.floor((Date.now() + SHANGHAI_MS) / DAY_MS) * DAY_MS - SHANGHAI_MS;
    const hours = s.hourly.filter((h) => Date.parse(h.hour) >= midnight);
    const usualKnown = hours.every((h) => h.usual !== null);
    const usual = usualKnown ? hours.reduce((sum, h) => sum + (h.usual ?? 0), 0) : null;
    return { received: s.summary.received, usual: usual === null ? null : Math.round(usual) };
  });

  const urgent = () => (state()?.alerts ?? []).filter((a) => URGENT_KINDS.has(a.kind)).slice(0, 8);
  const connected = () => live()?.staleSince() === null;

  return (
    <div class="glance" data-glance data-street={street()?.code ?? ''}>
      <header>
        <h1>{street() ? street()!.name : '光明区'} · 今日</h1>
        <span class={`link-state ${connected() ? 'live' : 'stale'}`} data-connection={connected() ? 'live' : 'stale'}>
          {connected() ? '实时' : '连接中断'}
        </span>
      </header>
      <Show when={street()}>
        <button type="button" class="back" data-district onClick={() => connect(null)}>
          ← 全区
        </button>
      </Show>

      <Show when={today()}>
        {(t) => (
          <p class="versus" data-versus>
            受理 <strong>{formatFigure(t().received)}</strong>
            <Show when={t().usual !== null} fallback={<span> · 常态同期 —</span>}>
              <span>
                {' '}
                · 常态同期 {formatFigure(t().usual)}
                {t().usual! > 0 ? `（${t().received >= t().usual! ? '+' : ''}${Math.round((100 * (t().received - t().usual!)) / t().usual!)}%）` : ''}
              </span>
            </Show>
          </p>
        )}
      </Show>

      <section class="tiles">
        <For each={TILES}>
          {(tile) => (
            <div class={`tile ${tile.key}`}>
              <div class="label">{tile.label}</div>
              <div class="value" data-kpi={tile.key}>
                {formatFigure(state() ? tile.value(state()!) : undefined, tile.kind)}
              </div>
            </div>
          )}
        </For>
      </section>

      <section class="urgent">
        <h2>红色与超期</h2>
        <Show when={urgent().length > 0} fallback={<p class="calm">暂无</p>}>
          <ol>
            <For each={urgent()}>{(a) => <li class={a.severity}>{a.text}</li>}</For>
          </ol>
        </Show>
      </section>

      <Show when={!street()}>
        <section class="lagging">
          <h2>按时率靠后的街道</h2>
          <ol>
            <For each={lagging(state()?.summary.byStreet ?? [], 3)}>
              {(g) => (
                <li>
                  <button type="button" data-street-link={g.key} onClick={() => connect({ code: g.key, name: g.name })}>
                    {g.name} · {formatFigure(g.onTimeRate, 'rate')} · 在办 {g.open}
                  </button>
                </li>
              )}
            </For>
          </ol>
        </section>
      </Show>
      <section class="lagging">
        <h2>按时率靠后的部门（近7日）</h2>
        <ol>
          <For each={lagging(state()?.period.byDepartment ?? [], 3)}>
            {(g) => (
              <li>
                {g.name} · {formatFigure(g.onTimeRate, 'rate')} · 在办 {g.open}
              </li>
            )}
          </For>
        </ol>
      </section>
    </div>
  );
}
