/**
 * The importer (RULES IMP1–IMP5): reading the four 311 formats from small real fixtures, judging
 * impossible records, mapping by a table that can be overridden, and sending a file to a real
 * server process through `npm run import` — at once and replayed faster — with counts that equal
 * an independent count of the file.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GUANGMING } from '../../shared/domain/jurisdiction.js';
import { DEFAULT_DOMAIN } from '../config.js';
import { createTestDatabase, type TestDatabase } from '../testing/databases.js';
import { startServerProcess, type ServerProcess } from '../testing/server-process.js';
import { TEST_TOKENS } from '../testing/test-app.js';
import { readRecords } from './formats.js';
import { loadMapping, relocator, type DistrictFacts } from './to-intake.js';

const run = promisify(execFile);
const FIXTURES = new URL('./fixtures/', import.meta.url);
const fixture = (name: string) => readFileSync(new URL(name, FIXTURES), 'utf8');
const fixturePath = (name: string) => new URL(name, FIXTURES).pathname;
const NOW = new Date('2026-12-01T00:00:00Z');
const district: DistrictFacts = {
  categories: DEFAULT_DOMAIN.taxonomy.categories.map((c) => ({ code: c.code, items: c.items.map((i) => ({ code: i.code })) })),
  departments: [...DEFAULT_DOMAIN.taxonomy.departments],
  channels: ['hotline_12345', 'app', 'wechat', 'grid', 'hall', 'secretary_online', 'letters_visits', 'proactive'],
  bbox: GUANGMING.bbox,
  communities: [...GUANGMING.communities],
};

describe('reading 311 files', () => {
  it('[IMP1] New York: US clock times in New York’s zone; a record closed before it was created is impossible, not dropped', () => {
    const records = readRecords('nyc311', fixture('nyc311-sample.csv'), NOW);
    expect(records).toHaveLength(30);
    const first = records[0]!;
    expect(first.impossible).toBe('closed (01/01/2023 01:00:00 AM) before it was created (02/28/2023 11:45:00 PM)');
    expect(records.filter((r) => r.impossible).map((r) => r.index)).toEqual([1, 2]);
    // 11:45 PM EST is 04:45 UTC the next day.
    expect(first.createdAt!.toISOString()).toBe('2023-03-01T04:45:00.000Z');
    const ok = records.filter((r) => !r.impossible);
    expect(ok.every((r) => r.createdAt !== null && r.type !== '' && r.agency !== '')).toBe(true);
    const rows = parse(fixture('nyc311-sample.csv'), { columns: true }) as Record<string, string>[];
    expect(records.filter((r) => r.closed).length).toBe(rows.filter((r) => r.Status === 'Closed').length);
  });

  it('[IMP1] New York by SODA names, Los Angeles, Boston and Open311 JSON read alike; closes without a time fall back as documented', () => {
    const soda = readRecords('nyc311', fixture('nyc311-soda-sample.csv'), NOW);
    expect(soda).toHaveLength(20);
    expect(soda.every((r) => !r.impossible)).toBe(true);
    expect(soda.filter((r) => r.closed).every((r) => r.closedAt !== null)).toBe(true); // resolution_action_updated_date
    const la = readRecords('la311', fixture('la311-sample.csv'), NOW);
    expect(la.every((r) => !r.impossible)).toBe(true);
    const rows = parse(fixture('la311-sample.csv'), { columns: true }) as Record<string, string>[];
    const noCloseDate = rows.filter((r) => (r.status === 'Closed' || r.status === 'Cancelled') && !r.closeddate);
    expect(noCloseDate.length).toBeGreaterThan(0);
    for (const row of noCloseDate) expect(la.find((r) => r.externalId === row.srnumber)!.closedAt).not.toBeNull(); // updateddate
    expect(la[0]!.createdAt!.toISOString()).toBe(new Date('2020-01-01T08:05:00Z').toISOString()); // 00:05 PST
    const boston = readRecords('boston311', fixture('boston311-sample.csv'), NOW);
    expect(boston).toHaveLength(40);
    const sf = readRecords('open311', fixture('open311-sf-sample.json'), NOW);
    expect(sf).toHaveLength(30);
    expect(sf.filter((r) => r.closed).every((r) => r.closedAt !== null || r.impossible !== null)).toBe(true);
  });

  it('[IMP1] a creation time that is missing, unreadable or in the future is impossible and says so', () => {
    const csv = 'Unique Key,Created Date,Closed Date,Status,Complaint Type,Agency\n1,,,Open,Noise,NYPD\n2,yesterday,,Open,Noise,NYPD\n3,01/01/2099 10:00:00 AM,,Open,Noise,NYPD\n4,01/01/2023 10:00:00 AM,,Closed,Noise,NYPD\n';
    expect(readRecords('nyc311', csv, NOW).map((r) => r.impossible)).toEqual([
      'no creation time',
      'creation time "yesterday" is not a time',
      'created in the future (01/01/2099 10:00:00 AM)',
      'status Closed without a closed time',
    ]);
  });
});

describe('mapping', () => {
  it('[IMP2] the table maps types, agencies and channels; an override file wins entry by entry; a bad entry is named', () => {
    const base = loadMapping('nyc311', district);
    expect(base.types['HEAT/HOT WATER']).toBe('housing_property/housing_quality');
    const dir = mkdtempSync(join(tmpdir(), 'mapping-'));
    const file = join(dir, 'mapping.json');
    writeFileSync(file, JSON.stringify({ nyc311: { types: { 'HEAT/HOT WATER': 'water/water_supply' }, agencies: { HPD: 'street_office' } } }));
    const mine = loadMapping('nyc311', district, file);
    expect(mine.types['HEAT/HOT WATER']).toBe('water/water_supply');
    expect(mine.agencies.HPD).toBe('street_office');
    expect(mine.agencies.NYPD).toBe('public_security');
    writeFileSync(file, JSON.stringify({ nyc311: { types: { Noise: 'nowhere/nothing' } } }));
    expect(() => loadMapping('nyc311', district, file)).toThrow('mapping nyc311.types["Noise"]: no category/item "nowhere/nothing"');
    writeFileSync(file, JSON.stringify({ nyc311: { channels: { PHONE: 'fax' } } }));
    expect(() => loadMapping('nyc311', district, file)).toThrow('no channel "fax"');
  });

  it('[IMP5] --relocate puts the source’s points inside the district, near its communities', () => {
    const records = readRecords('nyc311', fixture('nyc311-sample.csv'), NOW);
    const place = relocator(records, district);
    const placed = records.filter((r) => r.lat !== null).map((r) => place(r.lat!, r.lng!));
    expect(placed.length).toBeGreaterThan(20);
    const inside = placed.filter((p) => !GUANGMING.locate(p.lat, p.lng).outOfArea);
    expect(inside.length / placed.length).toBeGreaterThan(0.9);
  });
});

describe('npm run import against a real server', () => {
  let testDb: TestDatabase;
  let server: ServerProcess;
  const importer = async (args: string[]) => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/import.ts', ...args], {
      env: { ...process.env, API_URL: server.url, INTAKE_TOKEN: TEST_TOKENS.admin },
      timeout: 120_000,
    });
    return stdout;
  };
  const summary = async (query: string) => {
    const res = await fetch(`${server.url}/api/stats/summary?${query}`, { headers: { authorization: `Bearer ${TEST_TOKENS.admin}` } });
    return (await res.json()) as { received: number; resolved: number; byChannel: { key: string; received: number }[] };
  };

  beforeAll(async () => {
    testDb = await createTestDatabase('pglite');
    server = await startServerProcess({ DATA_DIR: testDb.dataDir, DATABASE_URL: '', ADMIN_TOKEN: TEST_TOKENS.admin });
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
    await testDb?.destroy();
  });

  it('[IMP3] --at-once: every record keeps its own time; the counts equal an independent count of the file; a second run adds nothing', { timeout: 120_000 }, async () => {
    const out = await importer(['--format', 'la311', '--file', fixturePath('la311-sample.csv'), '--at-once']);
    // An independent count of the same file.
    const rows = parse(fixture('la311-sample.csv'), { columns: true }) as Record<string, string>[];
    const closed = rows.filter((r) => r.status === 'Closed' || r.status === 'Cancelled').length;
    expect(out).toContain(`${rows.length} records · 0 impossible (listed above) · ${rows.length} sent: ${rows.length} created, 0 already there, 0 refused · closed in the source ${closed}, open ${rows.length - closed}`);
    const times = rows.map((r) => Date.parse(`${r.createddate!.replace(' ', 'T')}-08:00`));
    const from = new Date(Math.min(...times)).toISOString();
    const to = new Date(Math.max(...times) + 1000).toISOString();
    const figures = await summary(`from=${from}&to=${to}`);
    expect(figures.received).toBe(rows.length);
    expect(figures.resolved).toBe(closed);
    const calls = rows.filter((r) => r.requestsource === 'Call').length;
    expect(figures.byChannel.find((c) => c.key === 'hotline_12345')?.received).toBe(calls);

    const again = await importer(['--format', 'la311', '--file', fixturePath('la311-sample.csv')]);
    expect(again).toContain(`0 created, ${rows.length} already there, 0 refused`);

    const nyc = await importer(['--format', 'nyc311', '--file', fixturePath('nyc311-sample.csv'), '--relocate']);
    expect(nyc).toMatch(/^impossible: record 1 \(id 56923577\): closed .* before it was created/m);
    expect(nyc).toMatch(/^impossible: record 2 \(id 56921224\): closed .* before it was created/m);
    expect(nyc).toContain('30 records · 2 impossible (listed above) · 28 sent: 28 created');
  });

  it('[IMP4] --speed N replays the file N× faster from now: cases arrive today and closed ones resolve as their shifted time comes', { timeout: 120_000 }, async () => {
    const records = readRecords('open311', fixture('open311-sf-sample.json'), new Date()).filter((r) => !r.impossible);
    const span = Math.max(...records.map((r) => (r.closedAt ?? r.createdAt!).getTime())) - Math.min(...records.map((r) => r.createdAt!.getTime()));
    const speed = Math.ceil(span / 8_000); // the whole replay, closes included, in about 8 s
    const startedAt = Date.now();
    const out = await importer(['--format', 'open311', '--file', fixturePath('open311-sf-sample.json'), '--speed', String(speed), '--relocate']);
    const closed = records.filter((r) => r.closed).length;
    expect(out).toContain(`${records.length} sent: ${records.length} created, 0 already there, 0 refused`);
    expect(out).toMatch(new RegExp(`resolved during the replay (\\d+)`));
    const resolvedLater = Number(/resolved during the replay (\d+)/.exec(out)![1]);
    const figures = await summary(`from=${new Date(startedAt - 1000).toISOString()}&to=${new Date(Date.now() + 1000).toISOString()}`);
    expect(figures.received).toBe(records.length);
    expect(figures.resolved).toBe(closed);
    expect(resolvedLater).toBeGreaterThan(0);
    expect(resolvedLater).toBeLessThanOrEqual(closed);
  });
});
