/**
 * A report as a spreadsheet (RULES REP2): CSV in UTF-8 with a byte-order mark, so Excel opens the
 * Chinese correctly, one section after another; and XLSX, one sheet per section. Both lay out the
 * same tables (`tables`), rates written as percentages.
 */
import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify/sync';
import type { RankRow, Report } from './report.js';

type Cell = string | number | null;
interface Table {
  /** Sheet name (31 characters at most in XLSX). */
  name: string;
  header: string[];
  rows: Cell[][];
}

/**
 * A text cell a spreadsheet would read as a formula (it begins with = + - @, a tab or a carriage
 * return) gets a leading apostrophe, so a hostile title or note can never run in Excel (CSV and
 * XLSX alike). Numbers stay numbers.
 */
export function neutralise(cell: Cell): Cell {
  return typeof cell === 'string' && /^[=+\-@\t\r]/.test(cell) ? `'${cell}` : cell;
}
const safeRow = (row: Cell[]) => row.map(neutralise);

const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`);
const count = (n: number | null) => n ?? '—';

const rankTable = (name: string, what: string, rows: readonly RankRow[]): Table => ({
  name,
  header: ['名次', what, '受理', '办结', '化解率', '按时办结率', '满意率', '在办'],
  rows: rows.map((r) => [r.rank, r.name, r.received, r.resolved, percent(r.resolutionRate), percent(r.onTimeRate), percent(r.satisfactionRate), r.open]),
});

/** The report's tables, in reading order. */
export function tables(report: Report): Table[] {
  const t = report.totals;
  const p = report.previous;
  return [
    {
      name: '概况',
      header: ['指标', '本期', `上期（${p.label}）`],
      rows: [
        ['受理量', t.received, p.received],
        ['办结量', t.resolved, p.resolved],
        ['化解率', percent(t.resolutionRate), percent(p.resolutionRate)],
        ['按时办结率', percent(t.onTimeRate), percent(p.onTimeRate)],
        ['满意率', percent(t.satisfactionRate), percent(p.satisfactionRate)],
        ['响应时长中位数（分钟）', count(t.medianResponseMinutes), null],
        ['一把手重办（件）', t.rehandled.cases, null],
        ['重办后满意（件）', t.rehandled.satisfied, null],
        ['重办后仍不满意（件）', t.rehandled.unsatisfied, null],
        ['超期（件）', report.breaches.total, null],
        ['社区发令（次）', report.orders.issued, null],
        ['发令按时执行率', percent(report.orders.executionRate), null],
      ],
    },
    rankTable('街道排名', '街道', report.streets),
    rankTable('部门排名', '部门', report.departments),
    rankTable('诉求类别', '类别', report.categories),
    {
      name: '反复出现热点',
      header: ['预警时间', '街道', '件数', '内容'],
      rows: report.hotspots.map((h) => [h.raisedAt, h.streetName, h.caseCount, h.text]),
    },
    {
      name: '超期',
      header: ['环节或部门', '超期（件）'],
      rows: [
        ['响应超期', report.breaches.byStage.respond],
        ['签收超期', report.breaches.byStage.accept],
        ['办结超期', report.breaches.byStage.resolve],
        ...report.breaches.byDepartment.map((d): Cell[] => [d.name, d.count]),
      ],
    },
    {
      name: '社区发令',
      header: ['部门', '被召集（次）', '应到', '按时', '按时执行率'],
      rows: report.orders.byDepartmentNamed.map((d) => [d.name, d.summonses, d.due, d.onTime, percent(d.executionRate)]),
    },
  ];
}

const heading = (report: Report): Cell[][] => [
  [report.title],
  ['区间', report.period.firstDay, report.period.lastDay],
  ['生成时间', report.generatedAt],
];

/** CSV with a UTF-8 byte-order mark: the title block, then each table under its name. */
export function toCsv(report: Report): string {
  const lines: Cell[][] = [...heading(report)];
  for (const table of tables(report)) lines.push([], [table.name], table.header, ...table.rows);
  return `\uFEFF${stringify(lines.map((row) => safeRow(row).map((cell) => cell ?? '')))}`;
}

/** XLSX: a first sheet with the title and the overview, then one sheet per table. */
export async function toXlsx(report: Report): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'Civic Pulse';
  book.created = new Date(report.generatedAt);
  for (const [i, table] of tables(report).entries()) {
    const sheet = book.addWorksheet(table.name.slice(0, 31));
    if (i === 0) {
      for (const row of heading(report)) sheet.addRow(safeRow(row));
      sheet.getRow(1).font = { bold: true, size: 14 };
      sheet.addRow([]);
    }
    const header = sheet.addRow(safeRow(table.header));
    header.font = { bold: true };
    for (const row of table.rows) sheet.addRow(safeRow(row));
    sheet.columns.forEach((column, c) => {
      const widest = Math.max(...[table.header[c] ?? '', ...table.rows.map((r) => String(r[c] ?? ''))].map((v) => [...v].reduce((w, ch) => w + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 0)));
      column.width = Math.min(60, Math.max(8, widest + 2));
    });
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}
