/**
 * `npm run bench:risk-levels`: how the risk map grades the demo district at three hours of one
 * day, with the levels of RULES RISK7 as they are and as they were before (every place against
 * the median: medium from 0.75×, high from 1.5× and 5, severe from 2× and 15).
 *
 * For each hour (DAY, default 2026-12-03, a Thursday; HOURS, default 09,15,21 Shanghai time) a
 * child process runs under libfaketime (Debian's `faketime`), boots a node with the demo on a fresh
 * embedded database, waits for the simulator's backfill and the monitors' first passes, and builds
 * the risk map from the live projection. Printed: per layer, the share of places with any risk at
 * each level, before and after; and the cells holding today's open burst cases (the simulator's
 * planted trouble) and the cells of its hotspots (where it gathers recurring trouble), with their
 * levels after and before.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import { latLngToCell } from 'h3-js';
import { riskLevels, type RiskLevel } from '../shared/domain/risk-index.js';
import { boot } from '../server/boot.js';
import { readEnv } from '../server/config.js';
import { queryRows } from '../server/db/client.js';
import { buildRiskMap, loadCommunityShapes, RISK_CELL_RESOLUTION } from '../server/risk/risk-map.js';
import { demoHotspots } from '../server/sim/scenario.js';

const DAY = process.env.DAY ?? '2026-12-03';
const HOURS = (process.env.HOURS ?? '09,15,21').split(',');
const LEVELS: RiskLevel[] = ['low', 'medium', 'high', 'severe'];
const LIBFAKETIME = [process.env.LIBFAKETIME, '/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1', '/usr/lib/aarch64-linux-gnu/faketime/libfaketimeMT.so.1'].find(
  (p): p is string => Boolean(p && existsSync(p)),
);

/** The levels as they were before: every place against the median of the places with any risk. */
function levelsBefore(indices: readonly number[]): RiskLevel[] {
  const positive = indices.filter((i) => i >= 1).sort((a, b) => a - b);
  const m = positive.length;
  const median = m === 0 ? 0 : m % 2 ? positive[(m - 1) / 2]! : (positive[m / 2 - 1]! + positive[m / 2]!) / 2;
  return indices.map((index) => {
    if (index < 1) return 'none';
    const ratio = index / median;
    if (ratio >= 2 && index >= 15) return 'severe';
    if (ratio >= 1.5 && index >= 5) return 'high';
    if (ratio >= 0.75) return 'medium';
    return 'low';
  });
}

const shares = (levels: RiskLevel[]) => {
  const graded = levels.filter((l) => l !== 'none');
  return Object.fromEntries(LEVELS.map((l) => [l, graded.length === 0 ? 0 : graded.filter((x) => x === l).length / graded.length])) as Record<RiskLevel, number>;
};

/** The child: one hour of the demo day, under the faked clock. */
async function measureNow(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-risk-'));
  const node = await boot(readEnv({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: '', DEMO: '1' }), { log: () => undefined });
  try {
    await node.simulator!.backfilled;
    await new Promise((resolve) => setTimeout(resolve, 8_000)); // the deadline monitor's first passes
    const now = Date.now();
    const map = buildRiskMap(node.projector.projection, loadCommunityShapes(), now);
    const result: Record<string, unknown> = { at: new Date(now).toISOString() };
    for (const layer of ['cell', 'community'] as const) {
      const features = map.features.filter((f) => f.properties.layer === layer);
      const indices = features.map((f) => f.properties.riskIndex);
      result[layer] = {
        places: indices.filter((i) => i >= 1).length,
        before: shares(levelsBefore(indices)),
        after: shares(riskLevels(indices, layer === 'community' ? { usualOf: 'all' } : {})),
      };
    }
    // The simulator's planted trouble: today's bursts still open, by the cell they lie in.
    const today = new Date(now + 8 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '');
    const bursts = await queryRows<{ lat: number; lng: number; burst: string }>(
      node.database.db,
      sql`SELECT lat, lng, substring(external_id from '-b([0-9]+)-') AS burst FROM cases
          WHERE external_id LIKE ${`sim-${today}-b%`} AND status NOT IN ('resolved', 'closed') AND lat IS NOT NULL`,
    );
    const levelOf = new Map(map.features.map((f) => [f.properties.code, f.properties.riskLevel]));
    const byBurst = new Map<string, Map<string, number>>();
    for (const row of bursts) {
      const cell = latLngToCell(row.lat, row.lng, RISK_CELL_RESOLUTION);
      const cells = byBurst.get(row.burst) ?? new Map<string, number>();
      cells.set(cell, (cells.get(cell) ?? 0) + 1);
      byBurst.set(row.burst, cells);
    }
    // Each burst's busiest cell (a district-wide rainstorm scatters and has none to speak of).
    result.bursts = [...byBurst].map(([burst, cells]) => {
      const [cell, count] = [...cells].sort((a, b) => b[1] - a[1])[0]!;
      return { burst, cases: [...cells.values()].reduce((a, b) => a + b, 0), busiestCell: count, level: levelOf.get(cell) ?? 'none' };
    });
    // The places the simulator gathers trouble at (its hotspots), heaviest first: the cell each lies in.
    const levelsBeforeOf = new Map<string, RiskLevel>();
    const cellFeatures = map.features.filter((f) => f.properties.layer === 'cell');
    levelsBefore(cellFeatures.map((f) => f.properties.riskIndex)).forEach((level, i) => levelsBeforeOf.set(cellFeatures[i]!.properties.code, level));
    result.hotspots = demoHotspots(node.config)
      .sort((a, b) => b.weight - a.weight)
      .map((h) => {
        const cell = latLngToCell(h.lat, h.lng, RISK_CELL_RESOLUTION);
        return { name: h.name, weight: h.weight, after: levelOf.get(cell) ?? 'none', before: levelsBeforeOf.get(cell) ?? 'none' };
      });
    console.log(`RESULT ${JSON.stringify(result)}`);
  } finally {
    await node.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const percent = (x: number) => `${(100 * x).toFixed(1)} %`;

async function main(): Promise<void> {
  if (process.argv.includes('--child')) return measureNow();
  if (!LIBFAKETIME) throw new Error('bench:risk-levels needs libfaketime (apt-get install faketime, or set LIBFAKETIME)');
  const self = fileURLToPath(import.meta.url);
  console.log(`risk levels on the demo district, ${DAY}, Shanghai time; share of the places with any risk`);
  console.log('| hour | layer | places | low | medium | high | severe | (before: low / medium / high / severe) |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  const burstLines: string[] = [];
  for (const hour of HOURS) {
    const target = Date.parse(`${DAY}T${hour}:00:00+08:00`);
    const offset = Math.round((target - Date.now()) / 1000);
    const child = spawnSync(process.execPath, ['--import', 'tsx', self, '--child'], {
      encoding: 'utf8',
      env: { ...process.env, LD_PRELOAD: LIBFAKETIME, FAKETIME: `${offset >= 0 ? '+' : ''}${offset}`, FAKETIME_DONT_FAKE_MONOTONIC: '1' },
      maxBuffer: 64 * 1024 * 1024,
    });
    const line = child.stdout.split('\n').find((l) => l.startsWith('RESULT '));
    if (!line) throw new Error(`the ${hour}:00 run printed no result:\n${child.stdout}\n${child.stderr}`);
    const result = JSON.parse(line.slice('RESULT '.length));
    for (const layer of ['cell', 'community']) {
      const { places, before, after } = result[layer];
      const row = (s: Record<string, number>) => LEVELS.map((l) => percent(s[l]!));
      console.log(`| ${hour}:00 | ${layer} | ${places} | ${row(after).join(' | ')} | ${row(before).join(' / ')} |`);
    }
    burstLines.push(`${hour}:00 hotspots (weight → level after, before): ${result.hotspots.map((h: { name: string; weight: number; after: string; before: string }) => `${h.name} ${h.weight} → ${h.after}, ${h.before}`).join('; ')}`);
    for (const b of result.bursts) burstLines.push(`${hour}:00 burst ${b.burst}: ${b.cases} open cases, ${b.busiestCell} in its busiest cell, which is ${b.level}`);
  }
  console.log('\nthe simulator\'s planted trouble: its hotspots, and today\'s bursts still open:');
  for (const line of burstLines) console.log(`  ${line}`);
}

await main();
