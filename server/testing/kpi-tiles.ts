/**
 * The KPI tiles as the wall and the glance write them (`data-kpi` → text), computed from the API
 * alone: today's summary for the first eight, the 7-day period (the stream's default) for the
 * community-order execution rate and the re-handled count. Browser tests poll the page until it
 * shows exactly this.
 */
import type { Summary } from '../../shared/protocol/payloads.js';
import { formatFigure } from '../../client/wall/format.js';
import { WORDS } from '../../client/wall/i18n.js';

const TODAY: [keyof Summary, 'rate' | undefined][] = [
  ['received', undefined],
  ['resolved', undefined],
  ['resolutionRate', 'rate'],
  ['onTimeRate', 'rate'],
  ['satisfactionRate', 'rate'],
  ['open', undefined],
  ['atRisk', undefined],
  ['breached', undefined],
];
const PERIOD_DAYS = 7;

/**
 * `details: true` adds the small lines under the period tiles as the wall writes them
 * (`<key>.detail`, from `[data-kpi-detail]`), in Chinese.
 */
export async function expectedTiles(summary: (query: string) => Promise<Summary>, street?: string, options: { details?: boolean } = {}): Promise<Record<string, string>> {
  const scope = street ? `street=${street}` : '';
  const today = await summary(scope);
  const from = new Date(Date.parse(today.from) - (PERIOD_DAYS - 1) * 86_400_000).toISOString();
  const period = await summary(`${scope ? `${scope}&` : ''}from=${encodeURIComponent(from)}&to=${encodeURIComponent(today.to)}`);
  return {
    ...Object.fromEntries(TODAY.map(([key, kind]) => [key, formatFigure(today[key] as number | null, kind)])),
    executionRate: formatFigure(period.orders.executionRate, 'rate'),
    rehandled: formatFigure(period.rehandled.cases),
    ...(options.details
      ? { 'executionRate.detail': WORDS.zh.executionDetail(period.orders), 'rehandled.detail': WORDS.zh.rehandledDetail(period.rehandled) }
      : {}),
  };
}
