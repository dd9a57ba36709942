/**
 * The demo simulator: seeded Guangming traffic written through the one write path (CaseWriter),
 * exactly as HTTP intake would, and tagged demo.
 *
 * On start it backfills history once, idempotently, on one node (a claim in `settings`): today so
 * far first, so the wall fills at once, then the earlier days newest first, each case arriving with
 * its past transitions as `history` in the same transaction as its intake. Then a timer keeps the
 * wall alive: it receives today's planned cases as their time comes and moves open demo cases
 * through their planned lives (dispatch, accept, resolve, evaluate, close; an unsatisfied evaluation
 * reopens by itself) when each step
 * falls due. Plans are regenerated from the external id (scenario.ts), so nothing but the database
 * needs to survive a restart.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, gte, inArray, notInArray, sql } from 'drizzle-orm';
import { addCalendarDays, shanghaiDate, shanghaiIso } from '../../shared/domain/calendar.js';
import { LEGAL_FROM, returnVisitReopens, type Action, type Status } from '../../shared/domain/case.js';
import type { CaseIntake, TransitionRequest } from '../../shared/protocol/payloads.js';
import type { Actor, CaseWriter, WriteAnswer } from '../cases/case-writer.js';
import type { DomainConfig } from '../config.js';
import type { Database } from '../db/client.js';
import { cases, settings } from '../db/schema.js';
import {
  datesBetween,
  dayRefs,
  parseExternalId,
  planCase,
  planDay,
  type PlanOptions,
  type PlannedCase,
  type PlannedStep,
} from './scenario.js';
import { describeDatabaseError } from '../db/unavailable.js';

export interface Simulator {
  /** Stops the timers and waits for writes in flight. */
  stop(): Promise<void>;
  /** Settles when the backfill is done (or was left to another node); rejects if it failed. */
  backfilled: Promise<void>;
}

export interface SimulatorDeps {
  db: Database;
  writer: CaseWriter;
  config: DomainConfig;
  log: (line: string) => void;
  seed?: number;
  /** Cases on an ordinary working day (weekends ~65 %). Default 1,200 or SIM_CASES_PER_DAY. */
  casesPerDay?: number;
  /** Days of history before today. Default 56 (eight weeks: "usual for this weekday" baselines). */
  backfillDays?: number;
  now?: () => Date;
  /** Live loop period in ms (default 2,000). */
  tickMs?: number;
}

export const DEFAULT_SEED = 20190101;
export const DEFAULT_CASES_PER_DAY = 1200;
export const DEFAULT_BACKFILL_DAYS = 56;

/** The settings key of the backfill claim and marker. */
export const BACKFILL_KEY = 'sim.backfill';
/** A 'running' claim not touched for this long belongs to a node that died: take it over. */
const STALE_CLAIM = '10 minutes';
const CHUNK = 300;
/** Open demo cases younger than this are moved along by the live loop. */
const LIVE_WINDOW_DAYS = 14;
/** How often the live loop re-reads open demo cases (others may have moved them). */
const RESYNC_MS = 5 * 60_000;
/** History steps must not be in the database's future: keep a little margin for clock skew. */
const HISTORY_MARGIN_MS = 2_000;
/** How often a node that found another node's claim checks whether that node finished or died. */
const CLAIM_WATCH_MS = 60_000;

const ACTOR: Actor = { label: 'simulator', role: 'importer', origin: 'sim' };

interface BackfillMarker {
  state: 'running' | 'done';
  claim: string;
  /** First and last full day covered (done), or intended (running). */
  from: string;
  to: string;
  seed: number;
  casesPerDay: number;
  /** Cases the last run wrote or found already there (today's included). */
  cases?: number;
  finishedAt?: string;
}

/** What one live case needs: its plan and where it stands. */
interface LiveCase {
  id: string;
  externalId: string;
  status: Status;
  version: number;
  plan: PlannedStep[];
  /** Status before each step of the plan. */
  before: Status[];
  /** The case's version before each step of the plan. */
  versions: number[];
}

/** `SIM_CASES_PER_DAY` if it is a sensible whole number, else the default. */
function casesPerDayFromEnv(log: (line: string) => void): number {
  const raw = process.env.SIM_CASES_PER_DAY;
  if (raw === undefined || raw.trim() === '') return DEFAULT_CASES_PER_DAY;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 1_000_000) {
    log(`simulator: ignoring SIM_CASES_PER_DAY="${raw}" (want a whole number 0–1000000); using ${DEFAULT_CASES_PER_DAY}`);
    return DEFAULT_CASES_PER_DAY;
  }
  return value;
}

/** The intake body of a plan with the steps already past as history. */
export function intakeBody(plan: PlannedCase, now: Date): CaseIntake {
  const limit = now.getTime() - HISTORY_MARGIN_MS;
  const past = plan.steps.filter((step) => step.at.getTime() <= limit);
  if (past.length === 0) return { ...plan.input };
  return { ...plan.input, history: past.map(historyStep) };
}

function historyStep(step: PlannedStep): NonNullable<CaseIntake['history']>[number] {
  return {
    action: step.action,
    at: shanghaiIso(step.at),
    ...(step.note ? { note: step.note } : {}),
    ...(step.department ? { department: step.department } : {}),
    ...(step.departments ? { departments: step.departments } : {}),
    ...(step.satisfaction ? { satisfaction: step.satisfaction } : {}),
    ...(step.level ? { level: step.level } : {}),
  };
}

/**
 * The status and the case version before each step of a plan, from 'received' at version 1. The
 * first unsatisfied evaluation counts twice: it reopens the case for the department head in the
 * same write (RULES RV1).
 */
export function planPath(steps: readonly PlannedStep[]): { before: Status[]; versions: number[] } {
  const before: Status[] = [];
  const versions: number[] = [];
  let status: Status = 'received';
  let version = 1;
  let reopened = false;
  for (const step of steps) {
    before.push(status);
    versions.push(version);
    status = statusAfter(status, step.action);
    version += 1;
    if (step.action === 'reopen') reopened = true;
    if (returnVisitReopens({ reopenCount: reopened ? 1 : 0 }, step)) {
      status = 'reopened';
      version += 1;
      reopened = true;
    }
  }
  return { before, versions };
}

function statusAfter(status: Status, action: Action): Status {
  switch (action) {
    case 'dispatch':
      return 'dispatched';
    case 'accept':
      return 'accepted';
    case 'start':
      return 'in_progress';
    case 'resolve':
      return 'resolved';
    case 'evaluate':
      return 'evaluated';
    case 'close':
      return 'closed';
    case 'return':
      return 'returned';
    case 'reopen':
      return 'reopened';
    case 'merge':
      return 'merged';
    case 'escalate':
    case 'cohandle':
      return status;
    default: {
      const exhaustive: never = action;
      return exhaustive;
    }
  }
}

/**
 * Which plan step comes next for a case at (status, version). A case only the simulator touched
 * is at the version its plan says before the step; one a person moved off plan resumes at the last
 * step that starts from its current status (the last, so a reopen cycle is never walked twice), and
 * is left to people when no step does.
 */
export function nextStep(live: Pick<LiveCase, 'status' | 'version' | 'plan' | 'before' | 'versions'>): number | null {
  const planned = live.versions.indexOf(live.version);
  if (planned >= 0) {
    const step = live.plan[planned]!;
    if (live.before[planned] === live.status && LEGAL_FROM[step.action].includes(live.status)) return planned;
  }
  for (let i = live.plan.length - 1; i >= 0; i--) {
    const step = live.plan[i]!;
    if (step.action === 'escalate' || step.action === 'cohandle') continue;
    if (live.before[i] === live.status && LEGAL_FROM[step.action].includes(live.status)) return i;
  }
  return null;
}

function transitionFor(step: PlannedStep, version: number): TransitionRequest {
  return {
    action: step.action,
    version,
    ...(step.note ? { note: step.note } : {}),
    ...(step.department ? { department: step.department } : {}),
    ...(step.departments ? { departments: step.departments } : {}),
    ...(step.satisfaction ? { satisfaction: step.satisfaction } : {}),
    ...(step.level ? { level: step.level } : {}),
  };
}

export function startSimulator(deps: SimulatorDeps): Simulator {
  const { db, writer, config, log } = deps;
  const seed = deps.seed ?? DEFAULT_SEED;
  const casesPerDay = deps.casesPerDay ?? casesPerDayFromEnv(log);
  const backfillDays = deps.backfillDays ?? DEFAULT_BACKFILL_DAYS;
  const now = deps.now ?? (() => new Date());
  const tickMs = deps.tickMs ?? 2_000;
  const opts: PlanOptions = { casesPerDay };
  const claim = randomUUID();

  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let ticking: Promise<void> | null = null;
  let claimWatch: NodeJS.Timeout | null = null;
  let watching: Promise<void> | null = null;
  const throttle = new Map<string, number>();
  const sometimes = (kind: string, line: string): void => {
    const t = Date.now();
    if ((throttle.get(kind) ?? 0) + 60_000 > t) return;
    throttle.set(kind, t);
    log(line);
  };

  // ------------------------------------------------------------------ live state
  let liveDate = '';
  let livePlan: PlannedCase[] = [];
  let pointer = 0;
  const live = new Map<string, LiveCase>();
  const planCache = new Map<string, PlannedStep[]>();
  let lastResync = 0;

  function stepsOf(externalId: string): PlannedStep[] | null {
    const cached = planCache.get(externalId);
    if (cached) return cached;
    const ref = parseExternalId(externalId);
    if (!ref) return null;
    try {
      // An ordinary case's plan does not depend on the day's volume, so this works even if
      // SIM_CASES_PER_DAY changed since the case was written.
      const steps = planCase(seed, ref, config, opts).steps;
      planCache.set(externalId, steps);
      return steps;
    } catch {
      return null;
    }
  }

  function track(row: { id: string; externalId: string | null; status: string; version: number }, steps?: PlannedStep[]): void {
    if (!row.externalId) return;
    if (row.status === 'closed' || row.status === 'merged') {
      live.delete(row.id);
      planCache.delete(row.externalId);
      return;
    }
    const plan = steps ?? stepsOf(row.externalId);
    if (!plan) return;
    if (steps) planCache.set(row.externalId, steps);
    live.set(row.id, { id: row.id, externalId: row.externalId, status: row.status as Status, version: row.version, plan, ...planPath(plan) });
  }

  async function resync(): Promise<void> {
    lastResync = Date.now();
    const since = new Date(now().getTime() - LIVE_WINDOW_DAYS * 86_400_000);
    const rows = await db
      .select({ id: cases.id, externalId: cases.externalId, status: cases.status, version: cases.version })
      .from(cases)
      .where(and(eq(cases.demo, true), notInArray(cases.status, ['closed', 'merged']), gte(cases.receivedAt, since)));
    const seen = new Set<string>();
    live.clear();
    for (const row of rows) {
      if (!row.externalId) continue;
      seen.add(row.externalId);
      track(row);
    }
    for (const key of planCache.keys()) if (!seen.has(key)) planCache.delete(key);
  }

  function startLiveDay(date: string, after: Date | null): void {
    liveDate = date;
    livePlan = planDay(seed, date, config, opts);
    pointer = 0;
    if (after) while (pointer < livePlan.length && livePlan[pointer]!.receivedAt.getTime() <= after.getTime()) pointer++;
  }

  /** Writes intakes concurrently (the writer group-commits them) and tracks the new cases. */
  async function intakeAll(plans: PlannedCase[], at: Date, counts: IntakeCounts): Promise<void> {
    const answers = await Promise.all(plans.map((plan) => writer.intake(intakeBody(plan, at), ACTOR, { demo: true })));
    answers.forEach((answer, i) => {
      const plan = plans[i]!;
      countAnswer(answer, plan, counts);
      if ('row' in answer) track(answer.row, plan.steps);
    });
  }

  function countAnswer(answer: WriteAnswer, plan: PlannedCase, counts: IntakeCounts): void {
    if ('row' in answer) {
      if (answer.status === 201) counts.created++;
      else counts.existing++;
    } else if (answer.status === 409 && answer.issues.some((i) => i.path === 'externalId')) {
      // The case exists with a longer history than this run would send: the live loop moves it on.
      counts.existing++;
    } else {
      counts.failed++;
      sometimes('intake-failed', `simulator: intake of ${plan.externalId} failed (${answer.status}): ${answer.error}`);
    }
  }

  // ------------------------------------------------------------------ the live loop
  async function tick(): Promise<void> {
    const at = now();
    const today = shanghaiDate(at);
    const counts = newCounts();
    if (!liveDate) startLiveDay(today, at);
    // Day rollover at Shanghai midnight: finish the old day, plan the new one.
    while (liveDate < today) {
      const rest = livePlan.slice(pointer);
      for (let i = 0; i < rest.length && !stopped; i += CHUNK) await intakeAll(rest.slice(i, i + CHUNK), at, counts);
      startLiveDay(addCalendarDays(liveDate, 1), null);
    }
    const due: PlannedCase[] = [];
    while (pointer < livePlan.length && livePlan[pointer]!.receivedAt.getTime() <= at.getTime()) due.push(livePlan[pointer++]!);
    for (let i = 0; i < due.length && !stopped; i += CHUNK) await intakeAll(due.slice(i, i + CHUNK), at, counts);

    if (Date.now() - lastResync > RESYNC_MS) await resync();
    await applyDueSteps(at);
  }

  async function applyDueSteps(at: Date): Promise<void> {
    // Each round applies at most one step per case; a case with several due steps takes several rounds.
    for (let round = 0; round < 12 && !stopped; round++) {
      const work: { entry: LiveCase; step: PlannedStep }[] = [];
      for (const entry of live.values()) {
        const index = nextStep(entry);
        if (index === null) {
          live.delete(entry.id);
          continue;
        }
        const step = entry.plan[index]!;
        if (step.at.getTime() <= at.getTime()) work.push({ entry, step });
      }
      if (work.length === 0) return;
      for (let i = 0; i < work.length && !stopped; i += CHUNK * 2) {
        const slice = work.slice(i, i + CHUNK * 2);
        const answers = await Promise.all(slice.map(({ entry, step }) => writer.transition(entry.id, transitionFor(step, entry.version), ACTOR)));
        const stale: string[] = [];
        answers.forEach((answer, k) => {
          const { entry, step } = slice[k]!;
          if ('row' in answer) {
            track(answer.row, entry.plan);
          } else if (answer.status === 409 && answer.issues.some((issue) => issue.path === 'version')) {
            // Another node (or a person) moved it first: read where it stands now.
            sometimes('transition-409', `simulator: ${entry.id} ${step.action} lost a race (${answer.error}); re-reading it`);
            stale.push(entry.id);
          } else {
            // The state machine refused the planned step: the case went its own way; leave it to people.
            sometimes('transition-failed', `simulator: ${entry.id} ${step.action} failed (${answer.status}): ${answer.error}`);
            live.delete(entry.id);
          }
        });
        if (stale.length > 0) await reread(stale);
      }
    }
  }

  async function reread(ids: string[]): Promise<void> {
    for (const id of ids) live.delete(id);
    const rows = await db
      .select({ id: cases.id, externalId: cases.externalId, status: cases.status, version: cases.version })
      .from(cases)
      .where(inArray(cases.id, ids));
    for (const row of rows) track(row);
  }

  function startTimer(): void {
    if (stopped || timer) return;
    timer = setInterval(() => {
      if (ticking || stopped) return;
      ticking = tick()
        .catch((error: unknown) => sometimes('tick', `simulator: live loop error: ${describeDatabaseError(error)}`))
        .finally(() => {
          ticking = null;
        });
    }, tickMs);
    timer.unref();
  }

  // ------------------------------------------------------------------ backfill
  async function backfill(): Promise<void> {
    const at = now();
    const today = shanghaiDate(at);
    const range = await claimBackfill(addCalendarDays(today, -backfillDays), addCalendarDays(today, -1));
    if (!range) {
      log('simulator: another node is backfilling demo history; this one runs the live loop and takes over if that node stops');
      startLiveDay(today, at);
      await resync();
      startTimer();
      watchClaim();
      return;
    }
    await runBackfill(range, at);
  }

  /** While another node holds the claim, check now and then whether it finished or died. */
  function watchClaim(): void {
    claimWatch = setInterval(() => {
      if (stopped || watching) return;
      watching = (async () => {
        const [row] = await db.select().from(settings).where(eq(settings.key, BACKFILL_KEY));
        const marker = row?.value as Partial<BackfillMarker> | undefined;
        if (marker?.state === 'done') {
          if (claimWatch) clearInterval(claimWatch);
          return;
        }
        const at = now();
        const today = shanghaiDate(at);
        const range = await claimBackfill(addCalendarDays(today, -backfillDays), addCalendarDays(today, -1));
        if (!range) return;
        if (claimWatch) clearInterval(claimWatch);
        await runBackfill(range, at);
      })()
        .catch((error: unknown) => sometimes('claim', `simulator: backfill takeover failed: ${describeDatabaseError(error)}`))
        .finally(() => {
          watching = null;
        });
    }, CLAIM_WATCH_MS);
    claimWatch.unref();
  }

  async function runBackfill(range: { from: string; to: string }, at: Date): Promise<void> {
    const started = Date.now();
    const today = shanghaiDate(at);
    const days = range.from <= range.to ? datesBetween(range.from, range.to).reverse() : [];
    log(
      `simulator: backfilling demo history (seed ${seed}, ~${casesPerDay} cases per working day): today so far` +
        (days.length > 0 ? ` and ${days.length} earlier day${days.length === 1 ? '' : 's'} (${range.from} … ${range.to}), newest first` : ''),
    );
    const counts = newCounts();

    // Today first, so the wall fills at once; then the live loop takes over today.
    const todayRefs = dayRefs(seed, today, config, opts);
    await writeRefs(todayRefs, at, counts, (plan) => plan.receivedAt.getTime() <= at.getTime());
    if (!timer) {
      startLiveDay(today, at);
      await resync();
      startTimer();
    }

    for (const date of days) {
      if (stopped) break;
      await writeRefs(dayRefs(seed, date, config, opts), at, counts, () => true);
      await heartbeat();
    }
    if (stopped) {
      // Leave the claim stale at once, so the next start (of any node) takes it over.
      await db
        .update(settings)
        .set({ updatedAt: new Date(0) })
        .where(and(eq(settings.key, BACKFILL_KEY), sql`${settings.value}->>'claim' = ${claim}`));
      log(`simulator: backfill interrupted after ${counts.created} new cases; it resumes on the next start`);
      return;
    }
    await finishBackfill(range, counts.created + counts.existing);
    // The next tick re-reads the open cases, the ones of earlier days included.
    lastResync = 0;
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    log(
      `simulator: backfill done: ${counts.created} new, ${counts.existing} already there, ${counts.failed} failed, in ${seconds} s`,
    );
  }

  /** Plans and writes refs in chunks, yielding to the event loop between chunks. */
  async function writeRefs(refs: ReturnType<typeof dayRefs>, at: Date, counts: IntakeCounts, include: (plan: PlannedCase) => boolean): Promise<void> {
    for (let i = 0; i < refs.length && !stopped; i += CHUNK) {
      const plans = refs
        .slice(i, i + CHUNK)
        .map((ref) => planCase(seed, ref, config, opts))
        .filter(include);
      if (plans.length > 0) {
        const answers = await Promise.all(plans.map((plan) => writer.intake(intakeBody(plan, at), ACTOR, { demo: true })));
        answers.forEach((answer, k) => countAnswer(answer, plans[k]!, counts));
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /**
   * Claims the backfill for this node. Returns the range of full days to write (today is always
   * written too), or null when another live node is on it.
   */
  async function claimBackfill(earliest: string, yesterday: string): Promise<{ from: string; to: string } | null> {
    const fresh: BackfillMarker = { state: 'running', claim, from: earliest, to: yesterday, seed, casesPerDay };
    const inserted = await db
      .insert(settings)
      .values({ key: BACKFILL_KEY, value: fresh })
      .onConflictDoNothing()
      .returning({ key: settings.key });
    if (inserted.length > 0) return { from: earliest, to: yesterday };

    const [row] = await db.select().from(settings).where(eq(settings.key, BACKFILL_KEY));
    const old = row?.value as Partial<BackfillMarker> | undefined;
    if (!old || typeof old.claim !== 'string') {
      // Unreadable marker: replace it and start over.
      await db.update(settings).set({ value: fresh, updatedAt: sql`now()` }).where(eq(settings.key, BACKFILL_KEY));
      return { from: earliest, to: yesterday };
    }
    if (old.seed !== undefined && old.seed !== seed) {
      log(`simulator: WARNING the demo history was written with seed ${old.seed}, this run uses ${seed}: expect conflicts; start on a fresh DATA_DIR to change the seed`);
    }
    let range: { from: string; to: string };
    let next: BackfillMarker;
    if (old.state === 'done' && old.to) {
      // Only the days after the covered range (the server was off), at most backfillDays of them.
      const from = maxDate(addCalendarDays(old.to, 1), earliest);
      range = { from, to: yesterday };
      next = { ...fresh, from: old.from && old.from < from ? old.from : from, to: yesterday };
    } else {
      range = { from: earliest, to: yesterday };
      next = fresh;
    }
    const taken = await db
      .update(settings)
      .set({ value: next, updatedAt: sql`now()` })
      .where(
        and(
          eq(settings.key, BACKFILL_KEY),
          sql`${settings.value}->>'claim' = ${old.claim}`,
          sql`(${settings.value}->>'state' = 'done' or ${settings.updatedAt} < now() - ${STALE_CLAIM}::interval)`,
        ),
      )
      .returning({ key: settings.key });
    if (taken.length === 0) return null;
    if (old.state === 'running') log('simulator: taking over a backfill claim abandoned by another node');
    return range;
  }

  async function heartbeat(): Promise<void> {
    await db
      .update(settings)
      .set({ updatedAt: sql`now()` })
      .where(and(eq(settings.key, BACKFILL_KEY), sql`${settings.value}->>'claim' = ${claim}`));
  }

  async function finishBackfill(range: { from: string; to: string }, written: number): Promise<void> {
    const [row] = await db.select().from(settings).where(eq(settings.key, BACKFILL_KEY));
    const current = row?.value as Partial<BackfillMarker> | undefined;
    const from = current?.from && current.from < range.from ? current.from : range.from;
    const done: BackfillMarker = {
      state: 'done',
      claim,
      from,
      to: range.to,
      seed,
      casesPerDay,
      cases: written,
      finishedAt: now().toISOString(),
    };
    await db
      .update(settings)
      .set({ value: done, updatedAt: sql`now()` })
      .where(and(eq(settings.key, BACKFILL_KEY), sql`${settings.value}->>'claim' = ${claim}`));
  }

  const backfilled = backfill();
  // The caller may never await it; a failure is logged here and still rejects for those who do.
  backfilled.catch((error: unknown) => log(`simulator: backfill failed: ${describeDatabaseError(error)}`));

  return {
    backfilled,
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      if (claimWatch) clearInterval(claimWatch);
      timer = null;
      claimWatch = null;
      await backfilled.catch(() => undefined);
      await watching;
      await ticking;
      await writer.drained();
    },
  };
}

interface IntakeCounts {
  created: number;
  existing: number;
  failed: number;
}

function newCounts(): IntakeCounts {
  return { created: 0, existing: 0, failed: 0 };
}

function maxDate(a: string, b: string): string {
  return a > b ? a : b;
}
