/**
 * Community orders on the console (社区发令、部门执行): the orders not yet settled, each summoned
 * department with its deadline counting down and its state, and — for a token that may — the
 * arrival (报到, with the rank of who came) and the settlement (化解) recorded through the same
 * API as any client. Reloaded every 15 s and whenever the stream says something changed.
 */
import { createSignal, For, Show } from 'solid-js';
import { OFFICIAL_RANKS, RANK_NAMES, type OfficialRank } from '../../shared/domain/community-order.js';
import type { OrderView } from '../../shared/protocol/payloads.js';
import { call } from '../api.js';
import { countdown } from './case-panel.js';

const STATE_NAMES = { pending: '待报到', on_time: '按时报到', late: '超时未到', not_on_time: '未按要求报到' } as const;

export function OrderBoard(props: { orders: readonly OrderView[]; now: number; canAct: boolean; onChanged: () => void; shortName: (department: string) => string }) {
  const [error, setError] = createSignal<string | null>(null);
  const post = async (path: string, body: unknown) => {
    const answer = await call<OrderView>('POST', path, body);
    setError(answer.status === 200 ? null : (answer.body.error ?? `HTTP ${answer.status}`));
    props.onChanged();
  };
  return (
    <section class="orders" data-orders>
      <h2>社区发令 · 未化解 {props.orders.length}</h2>
      <Show when={error()}>
        <p class="error" data-order-error>
          {error()}
        </p>
      </Show>
      <Show when={props.orders.length > 0} fallback={<p class="calm">暂无未化解的发令</p>}>
        <ol>
          <For each={props.orders}>
            {(order) => (
              <li data-order-id={order.id}>
                <div class="line">
                  <strong>{order.communityName}</strong> · {order.title}
                </div>
                <ul class="summonses">
                  <For each={order.summonses}>
                    {(s) => {
                      const [rank, setRank] = createSignal<OfficialRank>(s.rank as OfficialRank);
                      return (
                        <li class={s.state} data-summons={s.department} data-state={s.state}>
                          <span>{props.shortName(s.department)}</span>
                          <span>要求{RANK_NAMES[s.rank as OfficialRank]}</span>
                          <Show when={s.arrivedAt} fallback={<span class={countdown(s.arriveBy, props.now).late ? 'late' : ''}>{countdown(s.arriveBy, props.now).text}</span>}>
                            <span>{STATE_NAMES[s.state]}</span>
                          </Show>
                          <Show when={props.canAct && !s.arrivedAt}>
                            <select data-arrival-rank onChange={(e) => setRank(e.currentTarget.value as OfficialRank)} value={rank()}>
                              <For each={OFFICIAL_RANKS}>{(r) => <option value={r}>{RANK_NAMES[r]}</option>}</For>
                            </select>
                            <button type="button" data-action="arrive" onClick={() => void post(`/api/orders/${order.id}/arrivals`, { department: s.department, rank: rank() })}>
                              报到
                            </button>
                          </Show>
                        </li>
                      );
                    }}
                  </For>
                </ul>
                <Show when={props.canAct}>
                  <form
                    class="settle"
                    onSubmit={(e) => {
                      e.preventDefault();
                      const note = (e.currentTarget.elements.namedItem('note') as HTMLInputElement).value;
                      void post(`/api/orders/${order.id}/resolve`, { note });
                    }}
                  >
                    <input name="note" placeholder="化解情况" />
                    <button type="submit" data-action="settle">
                      化解
                    </button>
                  </form>
                </Show>
              </li>
            )}
          </For>
        </ol>
      </Show>
    </section>
  );
}
