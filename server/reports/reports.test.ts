/**
 * The reports (RULES REP1–REP3): periods named as leaders name them, figures equal to the API's
 * summary for the same window, CSV and XLSX that a spreadsheet opens with the Chinese intact, and
 * the scheduled files in the data folder.
 */
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GUANGMING } from '../../shared/domain/jurisdiction.js';
import { DEFAULT_DOMAIN } from '../config.js';
import { describeEachDatabase } from '../testing/databases.js';
import { createTestApp, sampleCase, type TestApp } from '../testing/test-app.js';
import { lastCompletePeriod, parsePeriod, periodContaining, periodName } from './periods.js';
import { writeDueReports } from './schedule.js';

describe('report periods', () => {
  it('[REP1] weeks are ISO weeks (Monday to Sunday, Shanghai days); months and quarters by the calendar', () => {
    expect(periodContaining('weekly', '2026-11-25')).toMatchObject({ label: '2026-W48', firstDay: '2026-11-23', lastDay: '2026-11-29' });
    expect(periodContaining('weekly', '2026-12-31').label).toBe('2026-W53'); // 2026 starts on a Thursday
    expect(periodContaining('weekly', '2027-01-03').label).toBe('2026-W53');
    expect(periodContaining('weekly', '2027-01-04').label).toBe('2027-W01');
    expect(periodContaining('monthly', '2026-12-31')).toMatchObject({ label: '2026-12', firstDay: '2026-12-01', lastDay: '2026-12-31' });
    expect(periodContaining('quarterly', '2026-11-02')).toMatchObject({ label: '2026-Q4', firstDay: '2026-10-01', lastDay: '2026-12-31' });
    expect(periodContaining('weekly', '2026-11-25').from.toISOString()).toBe('2026-11-22T16:00:00.000Z');
    expect(lastCompletePeriod('weekly', new Date('2026-12-02T03:00:00Z')).label).toBe('2026-W48');
    expect(lastCompletePeriod('monthly', new Date('2026-12-02T03:00:00Z')).label).toBe('2026-11');
    expect(lastCompletePeriod('quarterly', new Date('2027-01-01T01:00:00Z')).label).toBe('2026-Q4');
    for (const [kind, label] of [['weekly', '2026-W48'], ['weekly', '2026-W53'], ['monthly', '2026-02'], ['quarterly', '2026-Q1']] as const) {
      expect(parsePeriod(kind, label)?.label).toBe(label);
    }
    expect(parsePeriod('weekly', '2027-W53')).toBeNull(); // 2027 has 52 weeks
    expect(parsePeriod('monthly', '2026-13')).toBeNull();
    expect(parsePeriod('quarterly', '2026-11')).toBeNull();
    expect(periodName(periodContaining('weekly', '2026-11-25'))).toBe('2026年第48周（11月23日—11月29日）');
    expect(periodName(periodContaining('quarterly', '2026-11-25'))).toBe('2026年第四季度');
  });
});

describeEachDatabase('reports', (kind) => {
  let t: TestApp;
  const [streetA, streetB] = GUANGMING.streets;
  // October 2025, a year before the code was written, so the cases lie in the past at any hour
  // test:anyhour fakes (2026's autumn included). National Day ran Oct 1–8 that year; Saturday the
  // 11th was a working day.
  const at = (day: string, time: string) => `2025-10-${day}T${time}+08:00`;
  const inStreet = (code: string) => {
    const community = GUANGMING.communities.find((c) => c.streetCode === code)!;
    return { lat: community.centroid[1], lng: community.centroid[0] };
  };

  beforeAll(async () => {
    t = await createTestApp(kind);
    const post = async (body: Record<string, unknown>) => {
      const res = await t.call('POST', '/api/cases', sampleCase(body), 'admin');
      if (res.status !== 201) throw new Error(JSON.stringify(res.body));
    };
    // Week 2025-W41 (Oct 6–12): four cases in one street (two resolved in time, one late, one open), one in another.
    await post({ externalId: 'r1', location: inStreet(streetA!.code), reportedAt: at('06', '09:00:00'), history: [{ action: 'dispatch', at: at('06', '09:10:00') }, { action: 'accept', at: at('06', '09:30:00') }, { action: 'resolve', at: at('06', '15:00:00') }] });
    await post({ externalId: 'r2', location: inStreet(streetA!.code), reportedAt: at('07', '10:00:00'), history: [{ action: 'dispatch', at: at('07', '10:05:00') }, { action: 'accept', at: at('07', '11:00:00') }, { action: 'resolve', at: at('08', '09:00:00') }, { action: 'evaluate', at: at('08', '12:00:00'), satisfaction: 'satisfied' }] });
    await post({ externalId: 'r3', location: inStreet(streetA!.code), reportedAt: at('09', '08:00:00'), history: [{ action: 'dispatch', at: at('09', '08:30:00') }] });
    await post({ externalId: 'r4', category: 'environment_noise', location: inStreet(streetB!.code), reportedAt: at('10', '20:00:00'), history: [{ action: 'dispatch', at: at('10', '20:10:00') }, { action: 'accept', at: at('10', '21:00:00') }, { action: 'resolve', at: at('11', '10:00:00') }] });
    // Resolved three weeks late (after National Day, five working days is mid-October).
    await post({ externalId: 'r5', location: inStreet(streetA!.code), reportedAt: at('06', '09:00:00'), history: [{ action: 'dispatch', at: at('06', '09:05:00') }, { action: 'accept', at: at('06', '09:20:00') }, { action: 'resolve', at: at('29', '10:00:00') }] });
    // The week before: one case.
    await post({ externalId: 'r0', location: inStreet(streetB!.code), reportedAt: at('02', '09:00:00') });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('[REP1] the weekly bulletin: totals equal the API summary for the week, against the week before; streets ranked', async () => {
    const res = await t.call('GET', '/api/reports/weekly.json?period=2025-W41', undefined, 'officer');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const report = res.body;
    expect(report.title).toBe('光明区民生诉求周通报（2025年第41周（10月6日—10月12日））');
    const summary = (await t.call('GET', `/api/stats/summary?from=${encodeURIComponent(report.period.from)}&to=${encodeURIComponent(report.period.to)}`, undefined, 'officer')).body;
    expect(report.totals).toMatchObject({ received: 5, resolved: 4, resolutionRate: 0.8, satisfactionRate: 1 });
    expect(report.totals).toMatchObject({ received: summary.received, resolved: summary.resolved, onTimeRate: summary.onTimeRate });
    expect(report.previous).toMatchObject({ label: '2025-W40', received: 1, resolved: 0 });
    expect(report.streets.map((s: { rank: number; key: string; received: number }) => [s.rank, s.key, s.received])).toEqual([
      [1, streetA!.code, 4],
      [2, streetB!.code, 1],
    ]);
    expect(report.categories.find((c: { key: string }) => c.key === 'environment_noise')).toMatchObject({ received: 1, name: '环境和噪声' });
    expect(report.orders).toMatchObject({ issued: 0, executionRate: null });
    expect(report.breaches).toMatchObject({ total: 1, byStage: { respond: 0, accept: 0, resolve: 1 }, byDepartment: [{ key: 'urban_management', count: 1 }] });
    const monthly = await t.call('GET', '/api/reports/monthly.json?period=2025-10', undefined, 'wall');
    expect(monthly.body).toMatchObject({ label: '2025-10', totals: { received: 6 } });
    expect((await t.call('GET', '/api/reports/quarterly.json?period=2025-Q4', undefined, 'wall')).body.totals.received).toBe(6);
    for (const bad of ['/api/reports/weekly.json?period=2026-13', '/api/reports/daily.json', '/api/reports/weekly.pdf']) {
      expect((await t.call('GET', bad, undefined, 'wall')).status, bad).toBe(400);
    }
    expect((await t.call('GET', '/api/reports/weekly.json', undefined, 'intake')).status).toBe(403);
  });

  it('[REP2] CSV is UTF-8 with a BOM and XLSX opens with its Chinese intact', async () => {
    const csv = await t.app.request('/api/reports/weekly.csv?period=2025-W41', { headers: { authorization: 'Bearer test-wall-token-0123456789' } });
    expect(csv.headers.get('content-type')).toContain('text/csv');
    expect(csv.headers.get('content-disposition')).toContain('weekly-2025-W41.csv');
    const bytes = new Uint8Array(await csv.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse(Buffer.from(bytes), { bom: true, relax_column_count: true }) as string[][];
    expect(rows[0]![0]).toContain('周通报');
    expect(rows.find((r) => r[0] === '受理量')).toEqual(['受理量', '5', '1']);
    expect(rows.find((r) => r[0] === '化解率')).toEqual(['化解率', '80.0%', '0.0%']);
    expect(rows.find((r) => r[0] === '办结超期')).toEqual(['办结超期', '1']);
    expect(rows.some((r) => r[1] === streetA!.name)).toBe(true);

    const xlsx = await t.app.request('/api/reports/weekly.xlsx?period=2025-W41', { headers: { authorization: 'Bearer test-wall-token-0123456789' } });
    expect(xlsx.headers.get('content-type')).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await xlsx.arrayBuffer());
    expect(book.worksheets.map((s) => s.name)).toEqual(['概况', '街道排名', '部门排名', '诉求类别', '反复出现热点', '超期', '社区发令']);
    const overview = book.getWorksheet('概况')!;
    expect(String(overview.getCell('A1').value)).toContain('光明区民生诉求周通报');
    const values = overview.getSheetValues().flatMap((row) => (Array.isArray(row) ? [row.slice(1).map(String)] : []));
    expect(values.find((r) => r[0] === '受理量')).toEqual(['受理量', '5', '1']);
    const streets = book.getWorksheet('街道排名')!;
    expect(streets.getRow(1).values).toEqual([undefined, '名次', '街道', '受理', '办结', '化解率', '按时办结率', '满意率', '在办']);
    expect(streets.getRow(2).getCell(2).value).toBe(streetA!.name);
  });

  it('[REP3] on a schedule, the last complete week, month and quarter are written into the data folder once', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'reports-')), 'reports');
    const written = await writeDueReports(t.database.db, DEFAULT_DOMAIN, dir, new Date('2025-10-14T02:00:00Z'));
    expect(written.map((p) => p.slice(dir.length + 1)).sort()).toEqual(
      ['monthly-2025-09', 'quarterly-2025-Q3', 'weekly-2025-W41'].flatMap((base) => ['csv', 'json', 'xlsx'].map((ext) => `${base}.${ext}`)).sort(),
    );
    expect(existsSync(join(dir, 'weekly-2025-W41.xlsx'))).toBe(true);
    expect(await writeDueReports(t.database.db, DEFAULT_DOMAIN, dir, new Date('2025-10-14T03:00:00Z'))).toEqual([]);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
