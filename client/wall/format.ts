/**
 * How the wall writes a figure: counts with thousands separators, rates as percentages with one
 * decimal (a whole 100% as "100%", so it fits where 99.9% does), "—" for none.
 */
export function formatFigure(value: unknown, kind?: string): string {
  if (value === null || value === undefined) return '—';
  if (kind === 'rate') return Number(value) === 1 ? '100%' : `${(Number(value) * 100).toFixed(1)}%`;
  return Number(value).toLocaleString('zh-CN');
}
