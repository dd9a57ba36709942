/**
 * Reports on a schedule (RULES REP3): every hour each node checks whether the last complete week,
 * month and quarter have their reports in `<DATA_DIR>/reports/` (`weekly-2026-W48.json`, `.csv`,
 * `.xlsx`) and writes the missing ones. Files are written under a temporary name and renamed, so a
 * reader never sees half a file and two nodes writing the same report leave one whole copy. They
 * are masked as a wall's exports are: files travel.
 */
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DomainConfig } from '../config.js';
import type { Database } from '../db/client.js';
import { startPeriodic, type Periodic } from '../live/periodic.js';
import { toCsv, toXlsx } from './export.js';
import { lastCompletePeriod, REPORT_KINDS } from './periods.js';
import { buildReport } from './report.js';
import type { Clock } from '../clock.js';

/** Writes the missing reports of the last complete periods; resolves with the files written. */
export async function writeDueReports(db: Database, config: DomainConfig, dir: string, now: Date): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  for (const kind of REPORT_KINDS) {
    const period = lastCompletePeriod(kind, now);
    const base = join(dir, `${kind}-${period.label}`);
    if (['json', 'csv', 'xlsx'].every((ext) => existsSync(`${base}.${ext}`))) continue;
    const report = await buildReport(db, config, period, { masked: true });
    const files: [string, string | Buffer][] = [
      [`${base}.json`, `${JSON.stringify(report, null, 2)}\n`],
      [`${base}.csv`, toCsv(report)],
      [`${base}.xlsx`, await toXlsx(report)],
    ];
    for (const [path, content] of files) {
      const temporary = `${path}.${process.pid}.tmp`;
      writeFileSync(temporary, content);
      renameSync(temporary, path);
      written.push(path);
    }
  }
  return written;
}

export function scheduleReports(deps: { db: Database; config: DomainConfig; dir: string; clock: Clock; intervalMs?: number; log?: (line: string) => void }): Periodic<string[]> {
  const periodic = startPeriodic(
    async () => {
      const written = await writeDueReports(deps.db, deps.config, deps.dir, deps.clock.now());
      if (written.length > 0) deps.log?.(`reports: wrote ${written.length} files into ${deps.dir}`);
      return written;
    },
    { intervalMs: deps.intervalMs ?? 3_600_000, name: 'reports', log: deps.log },
  );
  return periodic;
}
