/**
 * The wall's two boards: streets ranked by today's intake with their resolution and on-time rates,
 * and departments over the chosen period with on-time and satisfaction rates, the community-order
 * execution rate (ORD6) and their open cases. Each shows as many whole rows as its panel holds.
 */
import { For } from 'solid-js';
import type { GroupFigures, OrderFigures } from '../../shared/protocol/payloads.js';
import { createFit } from './fit.js';
import { formatFigure } from './format.js';
import type { Words } from './i18n.js';

/** A board row's height in vh, as styles.css sets `.board tr`. */
const ROW_VH = 3.6;

/** A board row: a group's figures, and for a department its order execution rate (null: never summoned or none due). */
export type BoardRow = GroupFigures & { executionRate?: number | null };

type Column = { key: keyof BoardRow; label: string; kind?: 'rate'; warnBelow?: number };

/** Department rows with their execution rates from the period's order figures. */
export function withExecution(rows: readonly GroupFigures[], executions: OrderFigures['byDepartment']): BoardRow[] {
  const rate = new Map(executions.map((e) => [e.key, e.executionRate]));
  return rows.map((row) => ({ ...row, executionRate: rate.get(row.key) ?? null }));
}

export function Board(props: { name: string; title: string; rows: readonly BoardRow[]; columns: Column[]; display: (g: BoardRow) => string }) {
  const fit = createFit(ROW_VH);
  return (
    <section class={`panel board ${props.name}`} data-board={props.name}>
      <h2>{props.title}</h2>
      <div class="board-body" ref={fit.ref}>
        <table>
          <thead>
            <tr>
              <th />
              <For each={props.columns}>{(c) => <th class="num">{c.label}</th>}</For>
            </tr>
          </thead>
          <tbody>
            <For each={props.rows.slice(0, Math.max(0, fit.count() - 1))}>
              {(row) => (
                <tr>
                  <td class="name">{props.display(row)}</td>
                  <For each={props.columns}>
                    {(c) => {
                      const value = row[c.key] as number | null;
                      const low = c.warnBelow !== undefined && value !== null && value < c.warnBelow;
                      return <td class={`num ${low ? 'low' : ''}`}>{formatFigure(value, c.kind)}</td>;
                    }}
                  </For>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
    </section>
  );
}

export const streetColumns = (words: Words): Column[] => [
  { key: 'received', label: words.columns.received },
  { key: 'resolutionRate', label: words.columns.resolutionRate, kind: 'rate' },
  { key: 'onTimeRate', label: words.columns.onTimeRate, kind: 'rate', warnBelow: 0.9 },
];

export const departmentColumns = (words: Words): Column[] => [
  { key: 'received', label: words.columns.received },
  { key: 'onTimeRate', label: words.columns.onTimeRate, kind: 'rate', warnBelow: 0.9 },
  { key: 'satisfactionRate', label: words.columns.satisfactionRate, kind: 'rate', warnBelow: 0.9 },
  { key: 'executionRate', label: words.columns.executionRate, kind: 'rate', warnBelow: 1 },
  { key: 'open', label: words.columns.open },
];
