/** How the wall writes a figure: counts with thousands separators, rates as percentages, "—" for none. */
export function formatFigure(value: unknown, kind?: string): string {
  if (value === null || value === undefined) return '—';
  if (kind === 'rate') return `${(Number(value) * 100).toFixed(1)}%`;
  return Number(value).toLocaleString('zh-CN');
}
