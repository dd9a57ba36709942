/**
 * `npm run import -- --format nyc311|la311|boston311|open311 --file F [--at-once | --speed N]
 * [--relocate] [--mapping M]`: sends a real 311 file to a running server (API_URL, INTAKE_TOKEN — an
 * importer or admin token) through the same intake path as any channel (RULES IMP1–IMP5).
 *
 * --at-once (the default) sends every record with its own times, closed ones already resolved in
 * the same intake. --speed N replays the file N× faster starting now: each record arrives when its
 * shifted time comes, and a closed one is resolved when its shifted close time comes, so a wall
 * shows a real day in minutes. --relocate moves the source's points into the district (demos).
 * Records with impossible data are listed with the reason and counted, never dropped in silence.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { FORMATS, readRecords, type Format, type SourceRecord } from '../server/import/formats.js';
import { loadMapping, relocator, toIntake, type DistrictFacts } from '../server/import/to-intake.js';

const BATCH = 500;

function usage(message: string): never {
  console.error(`import: ${message}`);
  console.error('usage: npm run import -- --format nyc311|la311|boston311|open311 --file F [--at-once | --speed N] [--relocate] [--mapping M]');
  console.error('env: API_URL (default http://localhost:8080), INTAKE_TOKEN (an importer or admin token)');
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    format: { type: 'string' },
    file: { type: 'string' },
    'at-once': { type: 'boolean', default: false },
    speed: { type: 'string' },
    relocate: { type: 'boolean', default: false },
    mapping: { type: 'string' },
  },
  strict: true,
});
const format = values.format as Format;
if (!FORMATS.includes(format)) usage(`--format must be one of ${FORMATS.join(', ')}`);
if (!values.file) usage('--file is required');
const speed = values.speed === undefined ? null : Number(values.speed);
if (speed !== null && (!Number.isFinite(speed) || speed <= 0)) usage('--speed must be a positive number');
if (speed !== null && values['at-once']) usage('choose --at-once or --speed, not both');
const apiUrl = (process.env.API_URL ?? 'http://localhost:8080').replace(/\/$/, '');
const token = process.env.INTAKE_TOKEN;
if (!token) usage('INTAKE_TOKEN is not set (an importer or admin token: history needs import rights)');

async function api(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) };
  } catch {
    return { status: res.status, body: { error: text } };
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const text = readFileSync(values.file!, 'utf8');
  const started = new Date();
  const records = readRecords(format, text, started);
  const config = await api('GET', '/api/config');
  if (config.status !== 200) throw new Error(`GET /api/config answered ${config.status}: ${config.body.error ?? ''}`);
  const district: DistrictFacts = {
    categories: config.body.taxonomy.categories,
    departments: config.body.taxonomy.departments,
    channels: config.body.channels.map((c: { code: string }) => c.code),
    bbox: config.body.jurisdiction.bbox,
    communities: config.body.jurisdiction.communities,
  };
  const mapping = loadMapping(format, district, values.mapping);
  const place = values.relocate ? relocator(records, district) : null;

  const impossible = records.filter((r) => r.impossible);
  for (const r of impossible) console.log(`impossible: record ${r.index} (id ${r.externalId || '—'}): ${r.impossible}`);
  const good = records.filter((r) => !r.impossible).sort((a, b) => a.createdAt!.getTime() - b.createdAt!.getTime());
  const counts = { created: 0, existing: 0, refused: 0, resolvedLater: 0, resolveRefused: 0 };

  const t0 = good[0]?.createdAt?.getTime() ?? started.getTime();
  const shift = speed === null ? (at: Date) => at : (at: Date) => new Date(started.getTime() + (at.getTime() - t0) / speed);
  const pendingResolves: { at: Date; record: SourceRecord; caseId: string }[] = [];

  const send = async (batch: SourceRecord[], sentAt: Date) => {
    const built = batch.map((record) => ({ record, ...toIntake(record, format, mapping, { shift, place, sentAt }) }));
    const answer = await api('POST', '/api/cases/batch', { cases: built.map((b) => b.intake) });
    if (answer.status !== 200) throw new Error(`POST /api/cases/batch answered ${answer.status}: ${answer.body.error ?? ''}`);
    for (const [i, result] of (answer.body.results as { status: number; case?: { id: string }; error?: string }[]).entries()) {
      const { record, resolveAt } = built[i]!;
      if (result.status === 201) counts.created++;
      else if (result.status === 200) counts.existing++;
      else {
        counts.refused++;
        console.log(`refused: record ${record.index} (id ${record.externalId}): ${result.status} ${result.error}`);
        continue;
      }
      if (resolveAt && result.status === 201) pendingResolves.push({ at: resolveAt, record, caseId: result.case!.id });
    }
  };

  if (speed === null) {
    for (let i = 0; i < good.length; i += BATCH) await send(good.slice(i, i + BATCH), new Date());
  } else {
    const span = good.length > 0 ? (good.at(-1)!.createdAt!.getTime() - t0) / speed : 0;
    console.log(`replaying ${good.length} records ${speed}× faster: about ${Math.ceil(span / 60_000)} min, closes after that as they fall due`);
    let next = 0;
    while (next < good.length || pendingResolves.length > 0) {
      const now = new Date();
      const due: SourceRecord[] = [];
      while (next < good.length && shift(good[next]!.createdAt!) <= now && due.length < BATCH) due.push(good[next++]!);
      if (due.length > 0) await send(due, now);
      pendingResolves.sort((a, b) => a.at.getTime() - b.at.getTime());
      while (pendingResolves.length > 0 && pendingResolves[0]!.at <= new Date()) {
        const { record, caseId } = pendingResolves.shift()!;
        const answer = await api('POST', `/api/cases/${caseId}/transitions`, { action: 'resolve', note: `源系统状态：${record.status}` });
        if (answer.status === 200) counts.resolvedLater++;
        else {
          counts.resolveRefused++;
          console.log(`resolve refused: record ${record.index} (case ${caseId}): ${answer.status} ${answer.body.error ?? ''}`);
        }
      }
      if (due.length === 0) await sleep(200);
    }
  }

  const closed = good.filter((r) => r.closed).length;
  console.log(
    `import ${format} ${values.file}: ${records.length} records · ${impossible.length} impossible (listed above) · ` +
      `${good.length} sent: ${counts.created} created, ${counts.existing} already there, ${counts.refused} refused · ` +
      `closed in the source ${closed}, open ${good.length - closed}` +
      (speed === null ? '' : ` · resolved during the replay ${counts.resolvedLater}${counts.resolveRefused ? `, ${counts.resolveRefused} refused` : ''}`),
  );
  if (counts.refused > 0 || counts.resolveRefused > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(`import: ${(error as Error).message}`);
  process.exit(1);
});
