/**
 * The wall's two running lists: the alert feed (newest first, coloured by severity, "what" then
 * "where") and the newest cases (masked by the server), each cut to the whole lines its panel holds.
 */
import { For, Show } from 'solid-js';
import type { AlertView, CaseBrief } from '../../shared/protocol/payloads.js';
import { createFit } from './fit.js';
import { alertLine, type Words } from './i18n.js';

/** A line's height plus the gap below it, in vh, as styles.css sets `.feed li`. */
const LINE_VH = 3.7;

const hhmm = (iso: string) => new Date(iso).toLocaleTimeString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false, hour: '2-digit', minute: '2-digit' });

export function AlertFeed(props: { alerts: readonly AlertView[]; total: number; words: Words; byChinese: Record<string, string> | null }) {
  const fit = createFit(LINE_VH);
  return (
    <section class="panel alerts">
      <h2>
        {props.words.alerts} <span class="count">{props.total.toLocaleString('zh-CN')}</span>
      </h2>
      <ul class="feed" ref={fit.ref}>
        <Show when={props.alerts.length > 0} fallback={<li class="calm">{props.words.noAlerts}</li>}>
          <For each={props.alerts.slice(0, fit.count())}>
            {(alert) => {
              // A function, so English names that arrive after the alert (with /api/config) apply.
              const line = () => alertLine(alert, props.words, props.byChinese);
              return (
                <li class={`${alert.severity} ${alert.kind}`} data-alert-id={alert.id}>
                  <time>{hhmm(alert.at)}</time>
                  <b>{line().what}</b>
                  <span>{line().where}</span>
                </li>
              );
            }}
          </For>
        </Show>
      </ul>
    </section>
  );
}

export function LatestCases(props: { cases: readonly CaseBrief[]; words: Words }) {
  const fit = createFit(LINE_VH);
  return (
    <section class="panel latest">
      <h2>{props.words.latest}</h2>
      <ul class="feed" ref={fit.ref}>
        <For each={props.cases.slice(0, fit.count())}>
          {(c) => (
            <li class={c.riskGrade}>
              <time>{hhmm(c.receivedAt)}</time>
              <span>{c.title}</span>
            </li>
          )}
        </For>
      </ul>
    </section>
  );
}
