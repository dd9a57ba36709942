/**
 * /api/reports: the weekly bulletin, monthly summary and quarterly analysis (周通报、月小结、季分析)
 * as JSON, CSV (UTF-8 with a BOM) or XLSX, for a named period or the last complete one. Texts are
 * masked for readers without personal-data rights, as every export follows the reader's role.
 */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { ErrorBody } from '../../../shared/protocol/payloads.js';
import type { DomainConfig } from '../../config.js';
import type { Database } from '../../db/client.js';
import { toCsv, toXlsx } from '../../reports/export.js';
import { lastCompletePeriod, parsePeriod, REPORT_KINDS } from '../../reports/periods.js';
import { buildReport } from '../../reports/report.js';
import { requirePermission, seesPersonalData, type AppEnv } from '../auth.js';
import { errorBody } from '../errors.js';
import { json } from '../respond.js';
import { audit } from '../audit.js';
import type { Clock } from '../../clock.js';

const FORMATS = ['json', 'csv', 'xlsx'] as const;
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const reportRoute = createRoute({
  method: 'get',
  path: '/api/reports/{file}',
  summary: 'A report: weekly.json|csv|xlsx, monthly.…, quarterly.… (周通报、月小结、季分析)',
  description:
    '`period` names it (`2026-W48`, `2026-11`, `2026-Q4`); without it, the last complete period. Intake, resolved and their rates ' +
    'against the period before, streets, departments and categories ranked, recurring hotspots, deadline breaches, re-handled cases ' +
    'and community orders. CSV is UTF-8 with a byte-order mark so Excel reads the Chinese.',
  middleware: [requirePermission('stats:read')] as const,
  request: {
    params: z.object({ file: z.string().openapi({ param: { name: 'file', in: 'path' }, example: 'weekly.xlsx' }) }),
    query: z.object({ period: z.string().max(16).optional() }).strict(),
  },
  responses: {
    200: { description: 'the report in the format asked for' },
    400: { content: { 'application/json': { schema: ErrorBody } }, description: 'bad kind, format or period' },
  },
});

export function reportRoutes(deps: { db: Database; config: DomainConfig; clock: Clock; defaultHook: ConstructorParameters<typeof OpenAPIHono<AppEnv>>[0] }) {
  const app = new OpenAPIHono<AppEnv>(deps.defaultHook);
  app.openapi(reportRoute, async (c) => {
    const { file } = c.req.valid('param');
    const { period: label } = c.req.valid('query');
    const [kind, format] = file.split('.') as [string, string];
    if (!(REPORT_KINDS as readonly string[]).includes(kind) || !(FORMATS as readonly string[]).includes(format)) {
      return json(c, errorBody(`no report ${file}`, [{ path: 'file', message: `one of ${REPORT_KINDS.join('|')} . ${FORMATS.join('|')}, e.g. weekly.xlsx` }]), 400);
    }
    const reportKind = kind as (typeof REPORT_KINDS)[number];
    const period = label ? parsePeriod(reportKind, label) : lastCompletePeriod(reportKind, deps.clock.now());
    if (!period) {
      const example = { weekly: '2026-W48', monthly: '2026-11', quarterly: '2026-Q4' }[reportKind];
      return json(c, errorBody(`bad period ${label}`, [{ path: 'period', message: `a ${reportKind} period looks like ${example}` }]), 400);
    }
    const masked = !seesPersonalData(c);
    const report = await buildReport(deps.db, deps.config, period, { masked });
    if (!masked) await audit(deps.db, c, { action: 'report.export', subject: `${kind}-${period.label}.${format}` });
    const name = `${kind}-${period.label}`;
    if (format === 'json') return c.json(report, 200);
    if (format === 'csv') {
      return c.body(toCsv(report), 200, { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}.csv"` }) as never;
    }
    return c.body(new Uint8Array(await toXlsx(report)), 200, { 'content-type': XLSX_TYPE, 'content-disposition': `attachment; filename="${name}.xlsx"` }) as never;
  });
  return app;
}
