// The simulator against a real embedded database: the backfill writes exactly the planned cases
// through the CaseWriter, with their past as history, once; a second run adds nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCalendarDays } from '../../shared/domain/calendar.js';
import { CaseWriter } from '../cases/case-writer.js';
import { DEFAULT_DOMAIN } from '../config.js';
import { openDatabase, queryRows, type DatabaseHandle } from '../db/client.js';
import { caseEvents, cases, settings } from '../db/schema.js';
import { parseExternalId, planCase, planDay, type PlannedStep } from './scenario.js';
import { BACKFILL_KEY, nextStep, startSimulator, planPath, type SimulatorDeps } from './simulator.js';

/**
 * The simulator's clock: Tuesday 2025-11-18, 15:00 in Shanghai, an ordinary working day. A fixed
 * instant makes the plan the same at whatever hour the test runs; it lies well in the past (of the
 * real clock and of every instant `npm run test:anyhour` fakes), so the writer accepts every report
 * time and every step of the three hours after it.
 */
const NOW = new Date('2025-11-18T15:00:00+08:00');
const TODAY = '2025-11-18';
const SEED = 7;
const CASES_PER_DAY = 200;
const BACKFILL_DAYS = 2;
const opts = { casesPerDay: CASES_PER_DAY };

let dataDir: string;
let handle: DatabaseHandle;
let writer: CaseWriter;
const logs: string[] = [];

function deps(): SimulatorDeps {
  return {
    db: handle.db,
    writer,
    config: DEFAULT_DOMAIN,
    log: (line) => logs.push(line),
    seed: SEED,
    casesPerDay: CASES_PER_DAY,
    backfillDays: BACKFILL_DAYS,
    now: () => NOW,
    tickMs: 100,
  };
}

async function countsByDay(): Promise<Map<string, number>> {
  const rows = await queryRows<{ day: string; n: number }>(
    handle.db,
    sql`select to_char(received_at at time zone 'Asia/Shanghai', 'YYYY-MM-DD') as day, count(*)::int as n from cases group by 1`,
  );
  return new Map(rows.map((r) => [r.day, Number(r.n)]));
}

/** The version a case has once the first `taken` steps of its plan are done (an unsatisfied evaluation adds its reopen). */
function versionAfter(plan: PlannedStep[], taken: number): number {
  if (taken === 0) return 1;
  const { versions } = planPath(plan);
  return taken < plan.length ? versions[taken]! : versions[taken - 1]! + 1;
}

async function totalCases(): Promise<number> {
  const [row] = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from cases`);
  return Number(row!.n);
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'civic-pulse-sim-'));
  handle = await openDatabase({ dataDir });
  writer = new CaseWriter({ db: handle.db, config: DEFAULT_DOMAIN });
});

afterAll(async () => {
  await handle?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe('simulator on PGlite', () => {
  it('[SIM7] backfills today so far and the earlier days, exactly as planned, tagged demo', async () => {
    const simulator = startSimulator(deps());
    await simulator.backfilled;
    // Let the live loop run a few ticks at the fixed clock: it must not add or break anything.
    await new Promise((resolve) => setTimeout(resolve, 400));
    await simulator.stop();

    const counts = countsByDay();
    const expected = new Map<string, number>();
    for (let d = 1; d <= BACKFILL_DAYS; d++) {
      const date = addCalendarDays(TODAY, -d);
      expected.set(date, planDay(SEED, date, DEFAULT_DOMAIN, opts).length);
    }
    expected.set(TODAY, planDay(SEED, TODAY, DEFAULT_DOMAIN, opts).filter((p) => p.receivedAt <= NOW).length);
    expect(await counts).toEqual(expected);

    const [demo] = await queryRows<{ all: number; demo: number }>(handle.db, sql`select count(*)::int as all, count(*) filter (where demo)::int as demo from cases`);
    expect(Number(demo!.demo)).toBe(Number(demo!.all));

    const [marker] = await handle.db.select().from(settings).where(eq(settings.key, BACKFILL_KEY));
    expect(marker?.value).toMatchObject({ state: 'done', from: addCalendarDays(TODAY, -BACKFILL_DAYS), to: addCalendarDays(TODAY, -1), seed: SEED });
    expect(logs.some((line) => /backfill done: \d+ new, 0 already there, 0 failed, in [\d.]+ s/.test(line))).toBe(true);
  });

  it('[SIM7] closed cases carry their whole planned history; cases still open stop where the clock is', async () => {
    const closed = await handle.db.select().from(cases).where(eq(cases.status, 'closed')).limit(25);
    expect(closed.length).toBeGreaterThan(10);
    for (const row of closed) {
      const plan = planCase(SEED, parseExternalId(row.externalId!)!, DEFAULT_DOMAIN, opts);
      const events = await handle.db.select().from(caseEvents).where(eq(caseEvents.caseId, row.id)).orderBy(asc(caseEvents.seq));
      expect(events[0]!.type).toBe('case.created');
      expect(events.slice(1).map((e) => e.action)).toEqual(plan.steps.map((s) => s.action));
      expect(events.slice(1).map((e) => e.at.getTime())).toEqual(plan.steps.map((s) => s.at.getTime()));
      expect(events.every((e) => e.actor === 'simulator' && e.origin === 'sim')).toBe(true);
      expect(row.receivedAt.getTime()).toBe(plan.receivedAt.getTime());
    }

    const open = await handle.db.select().from(cases).where(sql`${cases.status} not in ('closed', 'merged')`);
    expect(open.length).toBeGreaterThan(20);
    for (const row of open.slice(0, 40)) {
      const plan = planCase(SEED, parseExternalId(row.externalId!)!, DEFAULT_DOMAIN, opts);
      const past = plan.steps.filter((s) => s.at <= NOW);
      expect(row.version).toBe(versionAfter(plan.steps, past.length));
      expect(plan.steps.length).toBeGreaterThan(past.length);
    }
    const statuses = new Set(open.map((r) => r.status));
    expect(statuses.has('in_progress') || statuses.has('accepted') || statuses.has('dispatched')).toBe(true);
  });

  it('[SIM8] running the backfill again adds no case, with or without the done marker', async () => {
    const before = await totalCases();
    const events = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from case_events`);

    const again = startSimulator(deps());
    await again.backfilled;
    await again.stop();
    expect(await totalCases()).toBe(before);

    // Without the marker the whole range is written again: every case is already there.
    await handle.db.delete(settings).where(eq(settings.key, BACKFILL_KEY));
    logs.length = 0;
    const fromScratch = startSimulator(deps());
    await fromScratch.backfilled;
    await fromScratch.stop();
    expect(await totalCases()).toBe(before);
    expect(logs.some((line) => new RegExp(`backfill done: 0 new, ${before} already there, 0 failed`).test(line))).toBe(true);
    const eventsAfter = await queryRows<{ n: number }>(handle.db, sql`select count(*)::int as n from case_events`);
    expect(Number(eventsAfter[0]!.n)).toBe(Number(events[0]!.n));
  });

  it('[SIM8] a fresh running claim of another node is left alone', async () => {
    await handle.db
      .update(settings)
      .set({ value: { state: 'running', claim: 'other-node', from: addCalendarDays(TODAY, -BACKFILL_DAYS), to: addCalendarDays(TODAY, -1), seed: SEED, casesPerDay: CASES_PER_DAY }, updatedAt: sql`now()` })
      .where(eq(settings.key, BACKFILL_KEY));
    logs.length = 0;
    const second = startSimulator(deps());
    await second.backfilled;
    await second.stop();
    expect(logs.some((line) => line.includes('another node is backfilling'))).toBe(true);
    const [marker] = await handle.db.select().from(settings).where(eq(settings.key, BACKFILL_KEY));
    expect((marker!.value as { claim: string }).claim).toBe('other-node');
  });

  it('[SIM10] the live loop receives planned cases as their time comes and moves open cases along their plans', async () => {
    // The other node's claim from the previous test is still fresh: this one runs only the live loop.
    let clock = NOW;
    const simulator = startSimulator({ ...deps(), now: () => clock });
    await simulator.backfilled;
    const later = new Date(NOW.getTime() + 3 * 3_600_000);
    const expectedToday = planDay(SEED, TODAY, DEFAULT_DOMAIN, opts).filter((p) => p.receivedAt <= later).length;
    const settled = async () => {
      const rows = await handle.db.select({ externalId: cases.externalId, version: cases.version }).from(cases);
      const behind = rows.filter((row) => {
        const plan = planCase(SEED, parseExternalId(row.externalId!)!, DEFAULT_DOMAIN, opts);
        return row.version !== versionAfter(plan.steps, plan.steps.filter((s) => s.at <= later).length);
      });
      return { today: (await countsByDay()).get(TODAY), behind: behind.length };
    };
    // Three hours of the plan are still to come: new cases and steps.
    const initial = await settled();
    expect(initial.today).toBeLessThan(expectedToday);
    expect(initial.behind).toBeGreaterThan(20);
    clock = later;
    let state = await settled();
    for (let i = 0; i < 50 && (state.today !== expectedToday || state.behind > 0); i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      state = await settled();
    }
    await simulator.stop();
    expect(state).toEqual({ today: expectedToday, behind: 0 });
  });
});

describe('live step selection', () => {
  const plan: PlannedStep[] = [
    { action: 'dispatch', at: new Date(1) },
    { action: 'accept', at: new Date(2) },
    { action: 'start', at: new Date(3) },
    { action: 'resolve', at: new Date(4) },
    { action: 'evaluate', at: new Date(5), satisfaction: 'unsatisfied' },
    // The evaluation reopens the case by itself (RV1): no reopen step, one version more.
    { action: 'start', at: new Date(7) },
    { action: 'resolve', at: new Date(8) },
    { action: 'evaluate', at: new Date(9), satisfaction: 'satisfied' },
    { action: 'close', at: new Date(10) },
  ];
  const path = planPath(plan);

  it('[SIM9] follows the plan by version while only the simulator moved the case', () => {
    expect(path.before[5]).toBe('reopened');
    expect(path.versions).toEqual([1, 2, 3, 4, 5, 7, 8, 9, 10]);
    expect(nextStep({ status: 'received', version: 1, plan, ...path })).toBe(0);
    expect(nextStep({ status: 'resolved', version: 5, plan, ...path })).toBe(4);
    expect(nextStep({ status: 'reopened', version: 7, plan, ...path })).toBe(5);
    expect(nextStep({ status: 'resolved', version: 9, plan, ...path })).toBe(7);
    expect(nextStep({ status: 'closed', version: 11, plan, ...path })).toBeNull();
  });

  it('[SIM9] resumes a case a person moved off plan at the last matching step, never walking a reopen twice', () => {
    // Someone resolved it by hand straight after accepting (version 4, status resolved).
    expect(nextStep({ status: 'resolved', version: 4, plan, ...path })).toBe(7);
    // Someone returned it: no step starts from 'returned', so people keep it.
    expect(nextStep({ status: 'returned', version: 3, plan, ...path })).toBeNull();
  });
});
