/**
 * One case as the duty officer works it: its details with personal data (the server masks them for
 * anyone else), its event history, its deadlines counting down, and the actions legal from its
 * status (shared/domain/case.ts LEGAL_FROM) with what each needs — a department, a level, a
 * satisfaction, the case to merge into. Every action goes through the same API as any client,
 * with the version the officer saw (409 if someone changed it since); the server's error is shown
 * as it names the problem.
 */
import { createSignal, For, Show } from 'solid-js';
import { ACTIONS, ESCALATION_LEVELS, LEGAL_FROM, type Action, type Status } from '../../shared/domain/case.js';
import { SATISFACTIONS } from '../../shared/domain/vocabulary.js';
import type { CaseEventView, CaseView } from '../../shared/protocol/payloads.js';

export const ACTION_NAMES: Record<Action, string> = {
  dispatch: '派单',
  accept: '签收',
  start: '开始处置',
  resolve: '办结',
  evaluate: '回访评价',
  close: '归档',
  return: '退单',
  reopen: '重办',
  escalate: '升级',
  merge: '合并',
  cohandle: '协办',
};

export const STATUS_NAMES: Record<Status, string> = {
  received: '已受理',
  dispatched: '已派单',
  accepted: '已签收',
  in_progress: '处置中',
  resolved: '已办结',
  evaluated: '已评价',
  closed: '已归档',
  returned: '已退单',
  reopened: '重办中',
  merged: '已合并',
};

const STAGES = [
  ['respondBy', '响应', 'respondedAt'],
  ['acceptBy', '签收', 'acceptedAt'],
  ['resolveBy', '办结', 'resolvedAt'],
] as const;

const EVENT_NAMES: Record<string, string> = {
  'case.created': '受理',
  'alert.raised': '预警',
  'alert.acked': '预警已确认',
  'alert.updated': '预警更新',
  'order.issued': '社区发令',
  'order.arrived': '部门报到',
  'order.resolved': '发令化解',
};

/** How a case re-handled by its department head (一把手重办, RULES RV1) has ended so far. */
export function rehandleOutcome(c: Pick<CaseView, 'status' | 'satisfaction'>): string {
  if (c.satisfaction === 'unsatisfied') return '仍不满意';
  if (c.satisfaction === 'satisfied' || c.satisfaction === 'basically_satisfied') return '重办后满意';
  if (c.status === 'resolved' || c.status === 'closed') return '重办已办结';
  return '重办中';
}

const stamp = (iso: string) => new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });

/** "还剩 1时05分" or "超期 2时10分", to the minute. */
export function countdown(deadline: string, now: number): { text: string; late: boolean } {
  const left = Date.parse(deadline) - now;
  const minutes = Math.floor(Math.abs(left) / 60_000);
  const days = Math.floor(minutes / 1440);
  const hm = `${Math.floor((minutes % 1440) / 60)}时${String(minutes % 60).padStart(2, '0')}分`;
  const span = days > 0 ? `${days}天${hm}` : hm;
  return left >= 0 ? { text: `还剩 ${span}`, late: false } : { text: `超期 ${span}`, late: true };
}

export interface Departments {
  code: string;
  name: string;
}

export function CasePanel(props: {
  detail: { case: CaseView; events: CaseEventView[] };
  now: number;
  canAct: boolean;
  departments: readonly Departments[];
  /** A category's or department's name by its code (the code itself when unknown). */
  categoryName: (code: string) => string;
  departmentName: (code: string) => string;
  act: (command: Record<string, unknown>) => Promise<string | null>;
}) {
  const c = () => props.detail.case;
  const legal = () => ACTIONS.filter((a) => LEGAL_FROM[a].includes(c().status));
  const [action, setAction] = createSignal<Action | null>(null);
  const [error, setError] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  let form!: HTMLFormElement;

  const submit = async (event: Event) => {
    event.preventDefault();
    const chosen = action();
    if (!chosen) return;
    const data = new FormData(form);
    const command: Record<string, unknown> = { action: chosen, version: c().version };
    const note = String(data.get('note') ?? '').trim();
    if (note) command.note = note;
    if (data.get('department')) command.department = data.get('department');
    if (data.get('level')) command.level = data.get('level');
    if (data.get('satisfaction')) command.satisfaction = data.get('satisfaction');
    if (data.get('intoCaseId')) command.intoCaseId = String(data.get('intoCaseId')).trim();
    const departments = data.getAll('departments').map(String);
    if (departments.length > 0) command.departments = departments;
    setBusy(true);
    const problem = await props.act(command);
    setBusy(false);
    setError(problem);
    if (!problem) setAction(null);
  };

  return (
    <section class="case" data-case-id={c().id} data-case-status={c().status}>
      <header>
        <h2>
          {c().id} <span class={`grade ${c().riskGrade}`}>{c().riskGrade === 'red' ? '红' : c().riskGrade === 'yellow' ? '黄' : '绿'}</span>
        </h2>
        <div class="status">{STATUS_NAMES[c().status]}</div>
      </header>
      <h3>{c().title}</h3>
      <p class="description">{c().description}</p>
      <dl>
        <dt>诉求人</dt>
        <dd>
          {c().reporter.name ?? '—'} {c().reporter.phone ?? ''}
        </dd>
        <dt>地点</dt>
        <dd>{c().location.address ?? (c().location.lat !== null ? `${c().location.lat}, ${c().location.lng}` : '位置未知')}</dd>
        <dt>类别 / 部门</dt>
        <dd>
          {props.categoryName(c().category)} / {props.departmentName(c().department)}
          <Show when={c().coDepartments.length > 0}> + {c().coDepartments.map(props.departmentName).join('、')}</Show>
        </dd>
        <dt>涉及</dt>
        <dd>
          {c().peopleInvolved} 人 · ¥{c().amountCny.toLocaleString('zh-CN')}
        </dd>
        <Show when={c().reopenCount > 0}>
          <dt>重办</dt>
          <dd class="reopened" data-rehandled>
            一把手重办 {c().reopenCount} 次 · {rehandleOutcome(c())}
          </dd>
        </Show>
      </dl>

      <ul class="deadlines">
        <For each={STAGES}>
          {([key, name, done]) => {
            const finished = () => c()[done];
            const left = () => countdown(c().deadlines[key], props.now);
            return (
              <li data-deadline={key} class={finished() ? 'done' : left().late ? 'late' : ''}>
                {name} · {stamp(c().deadlines[key])} · <strong>{finished() ? `已完成 ${stamp(finished()!)}` : left().text}</strong>
              </li>
            );
          }}
        </For>
      </ul>

      <Show when={props.canAct}>
        <div class="actions">
          <For each={legal()}>
            {(a) => (
              <button type="button" data-transition={a} classList={{ chosen: action() === a }} onClick={() => (setAction(a), setError(null))}>
                {ACTION_NAMES[a]}
              </button>
            )}
          </For>
        </div>
        <Show when={action()}>
          {(chosen) => (
            <form ref={form} class="act" onSubmit={submit} data-act-form={chosen()}>
              <Show when={chosen() === 'dispatch'}>
                <label>
                  部门
                  <select name="department">
                    <For each={props.departments}>{(d) => <option value={d.code} selected={d.code === c().department}>{d.name}</option>}</For>
                  </select>
                </label>
              </Show>
              <Show when={chosen() === 'cohandle'}>
                <label>
                  协办部门
                  <select name="departments" multiple size={4}>
                    <For each={props.departments}>{(d) => <option value={d.code}>{d.name}</option>}</For>
                  </select>
                </label>
              </Show>
              <Show when={chosen() === 'escalate'}>
                <label>
                  升级到
                  <select name="level">
                    <For each={ESCALATION_LEVELS}>{(l) => <option value={l}>{l === 'street' ? '街道' : '区'}</option>}</For>
                  </select>
                </label>
              </Show>
              <Show when={chosen() === 'evaluate'}>
                <label>
                  评价
                  <select name="satisfaction">
                    <For each={SATISFACTIONS}>{(s) => <option value={s}>{s}</option>}</For>
                  </select>
                </label>
              </Show>
              <Show when={chosen() === 'merge'}>
                <label>
                  并入诉求
                  <input name="intoCaseId" required maxLength={64} />
                </label>
              </Show>
              <label>
                说明
                <input name="note" maxLength={2000} />
              </label>
              <button type="submit" data-submit disabled={busy()}>
                {ACTION_NAMES[chosen()]}
              </button>
            </form>
          )}
        </Show>
        <Show when={error()}>
          <p class="error" data-error>
            {error()}
          </p>
        </Show>
      </Show>

      <ol class="events">
        <For each={[...props.detail.events].reverse()}>
          {(e) => (
            <li>
              <time>{stamp(e.at)}</time> {e.action ? (ACTION_NAMES[e.action as Action] ?? e.action) : (EVENT_NAMES[e.type] ?? e.type)} · {e.actor}
              <Show when={e.note}> · {e.note}</Show>
            </li>
          )}
        </For>
      </ol>
    </section>
  );
}
