/**
 * The duty officer's console at `/console` (issue 6): the alert queue, open community orders, the
 * cases (filters and search), and one case opened to act on. Opened with `?token=<officer token>` like the wall (the
 * token becomes the session cookie). It follows the live stream as an officer: alerts arrive at
 * once with a chime for critical ones, and an acknowledgement on any console shows on all. A token
 * that may not act (a wall's) sees the queue and cases read-only, and the server refuses anyway.
 */
import { createSignal, For, onCleanup, onMount, Show } from 'solid-js';
import type { AlertView, CaseEventView, CaseView, OrderView } from '../../shared/protocol/payloads.js';
import { call, whoAmI, type Who } from '../api.js';
import { connectLiveStream, type LiveStream } from '../live-stream.js';
import { exchangeUrlToken } from '../session.js';
import { createAlarm } from '../wall/alarm.js';
import { AlertQueue, queueOrder } from './alert-queue.js';
import { CasePanel, rehandleOutcome, STATUS_NAMES, type Departments } from './case-panel.js';
import { CaseFilters, type CaseQuery } from './case-filters.js';
import { OrderBoard } from './order-board.js';

/** Open community orders are re-read this often (and whenever an order alert arrives). */
const ORDERS_REFRESH_MS = 15_000;

interface ConfigBody {
  taxonomy: { categories: { code: string; name: string }[]; departments: Departments[] };
  jurisdiction: { streets: { code: string; name: string }[]; communities: { code: string; name: string; streetCode: string }[] };
}

type CaseDetail = { case: CaseView; events: CaseEventView[] };

export function Console() {
  const [who, setWho] = createSignal<Who | null>(null);
  const [alerts, setAlerts] = createSignal<AlertView[]>([]);
  const [cases, setCases] = createSignal<CaseView[]>([]);
  const [config, setConfig] = createSignal<ConfigBody | null>(null);
  const [detail, setDetail] = createSignal<CaseDetail | null>(null);
  const [notice, setNotice] = createSignal<string | null>(null);
  const [now, setNow] = createSignal(Date.now());
  const [live, setLive] = createSignal<LiveStream | null>(null);
  const [orders, setOrders] = createSignal<OrderView[]>([]);
  const alarm = createAlarm();
  let query: CaseQuery = {};

  const canAct = () => who()?.permissions.includes('cases:transition') ?? false;
  const canAck = () => who()?.permissions.includes('alerts:ack') ?? false;
  const canOrder = () => who()?.permissions.includes('orders:write') ?? false;

  /** Alerts by id, the latest version winning, in queue order. */
  const merge = (incoming: readonly AlertView[]) =>
    setAlerts((held) => {
      const byId = new Map(held.map((a) => [a.id, a]));
      for (const alert of incoming) byId.set(alert.id, { ...alert, ackedAt: alert.ackedAt ?? byId.get(alert.id)?.ackedAt ?? null, ackedBy: alert.ackedBy ?? byId.get(alert.id)?.ackedBy ?? null });
      return [...byId.values()].sort(queueOrder).slice(0, 300);
    });

  const loadCases = async (next: CaseQuery = query) => {
    query = next;
    const params = new URLSearchParams(Object.entries(next).filter(([, v]) => v) as [string, string][]);
    params.set('limit', '50');
    const answer = await call<{ cases: CaseView[] }>('GET', `/api/cases?${params}`);
    if (answer.status === 200) setCases(answer.body.cases);
    else setNotice(answer.body.error ?? `cases: ${answer.status}`);
  };

  const loadOrders = async () => {
    const answer = await call<{ orders: OrderView[] }>('GET', '/api/orders?state=open&limit=30');
    if (answer.status === 200) setOrders(answer.body.orders);
  };

  const open = async (id: string) => {
    const answer = await call<CaseDetail>('GET', `/api/cases/${encodeURIComponent(id)}`);
    if (answer.status === 200) {
      setDetail(answer.body);
      setNotice(null);
    } else setNotice(answer.body.error ?? `no case ${id}`);
  };

  const act = async (command: Record<string, unknown>): Promise<string | null> => {
    const id = detail()?.case.id;
    if (!id) return 'no case open';
    const answer = await call<{ error?: string }>('POST', `/api/cases/${encodeURIComponent(id)}/transitions`, command);
    if (answer.status !== 200) return answer.body.error ?? `HTTP ${answer.status}`;
    await open(id);
    void loadCases();
    return null;
  };

  const ack = async (alert: AlertView) => {
    const answer = await call<AlertView>('POST', `/api/alerts/${encodeURIComponent(alert.id)}/ack`, {});
    if (answer.status === 200) merge([answer.body]);
    else setNotice(answer.body.error ?? `ack: ${answer.status}`);
  };

  onMount(async () => {
    document.body.classList.add('page');
    document.documentElement.lang = 'zh-CN';
    const clock = setInterval(() => setNow(Date.now()), 1000);
    const ordersTimer = setInterval(() => void loadOrders(), ORDERS_REFRESH_MS);
    const arm = () => void alarm.arm();
    window.addEventListener('pointerdown', arm);
    onCleanup(() => {
      clearInterval(clock);
      clearInterval(ordersTimer);
      window.removeEventListener('pointerdown', arm);
      live()?.close();
    });
    await exchangeUrlToken();
    setWho(await whoAmI());
    const stream = connectLiveStream();
    stream.onAlert((message) => {
      merge([message.alert]);
      if (message.alert.severity === 'critical') alarm.sound(message.alert);
      if (message.alert.kind === 'order_late') void loadOrders();
    });
    stream.onAcked((message) =>
      setAlerts((held) => held.map((a) => (a.id === message.id ? { ...a, ackedAt: message.ackedAt, ackedBy: message.ackedBy } : a)).sort(queueOrder)),
    );
    setLive(stream);
    const [listed, configured] = await Promise.all([call<{ alerts: AlertView[] }>('GET', '/api/alerts?state=all&limit=200'), call<ConfigBody>('GET', '/api/config')]);
    if (listed.status === 200) merge(listed.body.alerts);
    if (configured.status === 200) setConfig(configured.body);
    await Promise.all([loadCases(), loadOrders()]);
  });

  const connected = () => live()?.staleSince() === null;
  // Some codes are both a category and a department (transport, public_security): ask for one.
  const categoryName = (code: string) => config()?.taxonomy.categories.find((c) => c.code === code)?.name ?? code;
  const departmentName = (code: string) => config()?.taxonomy.departments.find((d) => d.code === code)?.name ?? code;
  const streetName = (code: string) => config()?.jurisdiction.streets.find((s) => s.code === code)?.name ?? code;
  /** "限 光明街道": what a scoped officer's console is confined to (the server decides; this only says so). */
  const scopeText = () => {
    const scope = who()?.scope;
    const names = [...(scope?.streets ?? []).map(streetName), ...(scope?.departments ?? []).map(departmentName)];
    return names.length > 0 ? ` · 限 ${names.join('、')}` : '';
  };

  return (
    <div class="console" data-console data-role={who()?.role ?? ''}>
      <header>
        <h1>值班台 · 光明区民生诉求</h1>
        <span class="who" data-scope={who()?.scope?.streets?.join(',') ?? ''}>{who() ? `${who()!.label}（${who()!.role}）${scopeText()}` : '未登录'}</span>
        <span class={`link-state ${connected() ? 'live' : 'stale'}`} data-connection={connected() ? 'live' : 'stale'}>
          {connected() ? '实时' : '连接中断'}
        </span>
        <button type="button" class="sound" data-sound={alarm.armed() ? 'on' : 'off'} onClick={() => void alarm.arm()}>
          {alarm.armed() ? '声音已开启' : '声音未开启 · 点击开启'}
        </button>
      </header>
      <Show when={!canAct()}>
        <p class="readonly" data-readonly>
          只读：此令牌不能处理诉求或确认预警。
        </p>
      </Show>
      <Show when={notice()}>
        <p class="error" data-notice>
          {notice()}
        </p>
      </Show>
      <main>
        <div class="column">
          <AlertQueue alerts={alerts()} canAct={canAck()} onAck={(a) => void ack(a)} onOpen={(id) => void open(id)} />
          <OrderBoard orders={orders()} now={now()} canAct={canOrder()} onChanged={() => void loadOrders()} shortName={(code) => departmentName(code).replace(/^(深圳市|光明区)(?=.{4})/, '')} />
        </div>
        <section class="cases">
          <CaseFilters config={config()} onChange={(q) => void loadCases(q)} onOpen={(id) => void open(id)} />
          <ol class="case-list" data-case-list>
            <For each={cases()}>
              {(c) => (
                <li classList={{ chosen: detail()?.case.id === c.id }} data-case-row={c.id}>
                  <button type="button" class="link" onClick={() => void open(c.id)}>
                    <span class={`grade ${c.riskGrade}`} /> {c.id} · {c.title} · <em>{STATUS_NAMES[c.status]}</em>
                    <Show when={c.reopenCount > 0}>
                      {' '}
                      <span class="rehandled" data-rehandled>
                        一把手重办 · {rehandleOutcome(c)}
                      </span>
                    </Show>
                  </button>
                </li>
              )}
            </For>
          </ol>
        </section>
        <Show when={detail()} fallback={<section class="case empty">选择一条预警或诉求</section>}>
          {(d) => <CasePanel detail={d()} now={now()} canAct={canAct()} departments={config()?.taxonomy.departments ?? []} categoryName={categoryName} departmentName={departmentName} act={act} />}
        </Show>
      </main>
    </div>
  );
}
