/**
 * The duty officer's alert queue: every alert of the last while, unacknowledged first, then by
 * severity (critical first), then newest. It starts from GET /api/alerts and follows the live
 * stream: a new or grown alert arrives at once, and an acknowledgement made on any console marks
 * it here too (`data-acked`). Each row is `[data-alert-id]` with an acknowledge control
 * `[data-action="ack"]` for those allowed to act.
 */
import { For, Show } from 'solid-js';
import type { AlertView } from '../../shared/protocol/payloads.js';

const SEVERITY_ORDER = { critical: 0, warning: 1 } as const;

/** The queue's order: unacknowledged first, then critical before warning, then newest. */
export function queueOrder(a: AlertView, b: AlertView): number {
  const acked = Number(a.ackedAt !== null) - Number(b.ackedAt !== null);
  if (acked !== 0) return acked;
  const severity = SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity];
  return severity !== 0 ? severity : b.seq - a.seq;
}

const time = (iso: string) => new Date(iso).toLocaleTimeString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false, hour: '2-digit', minute: '2-digit' });

export function AlertQueue(props: {
  alerts: readonly AlertView[];
  canAct: boolean;
  onAck: (alert: AlertView) => void;
  onOpen: (caseId: string) => void;
}) {
  const open = () => props.alerts.filter((a) => a.ackedAt === null).length;
  return (
    <section class="queue" data-queue>
      <h2>
        预警队列 <span class="count">{open()}</span> 未确认
      </h2>
      <ol>
        <For each={props.alerts}>
          {(alert) => (
            <li class={`${alert.severity} ${alert.kind}`} data-alert-id={alert.id} data-acked={String(alert.ackedAt !== null)}>
              <div class="line">
                <time>{time(alert.updatedAt ?? alert.at)}</time>
                <button type="button" class="link" onClick={() => props.onOpen(alert.caseId)} title="打开诉求">
                  {alert.text}
                </button>
              </div>
              <div class="meta">
                <Show when={alert.caseCount > 1}>
                  <span>{alert.caseCount} 件</span>
                </Show>
                <Show
                  when={alert.ackedAt === null}
                  fallback={
                    <span class="acked">
                      已确认 · {alert.ackedBy} · {time(alert.ackedAt!)}
                    </span>
                  }
                >
                  <Show when={props.canAct}>
                    <button type="button" data-action="ack" onClick={() => props.onAck(alert)}>
                      确认
                    </button>
                  </Show>
                </Show>
              </div>
            </li>
          )}
        </For>
      </ol>
    </section>
  );
}
