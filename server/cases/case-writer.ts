/**
 * The one write path for cases, with group commit.
 *
 * Intakes and transitions queue here; whatever has queued while the previous transaction ran is
 * written in the next one (one connection for PGlite, so batching is what makes ~1,000 single
 * POSTs/s possible). Each transaction first takes the row lock on `log_head`, so appends from all
 * writers on all nodes are serialised and become visible in seq order. Every case change and its
 * event commit together; an answer is given only after the commit, so a 201 is a promise.
 * If a batch fails as a whole, each operation is retried alone so one bad apple spoils nothing.
 */
import { createHash } from 'node:crypto';
import { getTableColumns, sql, type SQL } from 'drizzle-orm';
import { dueAlerts, type AlertCandidate, type WarningCandidate } from '../../shared/domain/alerts.js';
import { applyAction, HEAD_REHANDLE_NOTE, returnVisitReopens, type ActionCommand, type Status } from '../../shared/domain/case.js';
import { addDuration, atRiskAt } from '../../shared/domain/sla.js';
import type { CaseIntake, TransitionRequest } from '../../shared/protocol/payloads.js';
import { WRITER_DEFAULTS, type DomainConfig } from '../config.js';
import { queryRows, type Database } from '../db/client.js';
import { fromColumnJson, insertFromJson, updateFromJson } from '../db/json-rows.js';
import { lockLogHead, type Tx } from '../db/log-lock.js';
import { alerts, caseEvents, cases, idempotencyKeys } from '../db/schema.js';
import { alertText, lifecycleSubject } from '../live/alert-text.js';
import { buildNewCase, canonicalJson, FUTURE_SKEW_MS, intakeHash, lifecycleOf, receivedTime, type CaseRow, type FieldIssue } from './new-case.js';
import { DatabaseBusyError, describeDatabaseError, isDatabaseUnavailable } from '../db/unavailable.js';

/** Who is writing: the token's label is the actor on every event; origin is where from. */
export interface Actor {
  label: string;
  role: string;
  origin: string;
  tokenId?: string;
}

export type WriteAnswer =
  | { status: 200 | 201; row: CaseRow; warnings: string[] }
  | { status: 400 | 404 | 409 | 422; error: string; issues: FieldIssue[] };

export interface IdempotencyRequest {
  key: string;
  /** Fingerprint of the request (route + body): same key, other body → 422. */
  requestHash: string;
  /** Other keys whose stored answer also counts (an implicit key's previous time window). */
  alsoKeys?: string[];
  /** A stored answer older than this (ms, by the database's clock) no longer counts. */
  withinMs?: number;
}

type Op =
  | { kind: 'intake'; input: CaseIntake; actor: Actor; demo: boolean; idempotency?: IdempotencyRequest }
  | { kind: 'transition'; caseId: string; command: TransitionRequest; actor: Actor; idempotency?: IdempotencyRequest }
  | { kind: 'alerts'; candidates: readonly AlertCandidate[]; actor: Actor; idempotency?: undefined }
  | { kind: 'ack'; alertId: string; actor: Actor; idempotency?: undefined }
  | { kind: 'warnings'; candidates: readonly WarningCandidate[]; actor: Actor; idempotency?: undefined };

/** An alert as stored (and as carried by its `alert.raised` event). */
export type AlertRow = typeof alerts.$inferSelect;

export type AckAnswer = { status: 200; alert: AlertRow } | { status: 404; error: string; issues: FieldIssue[] };

type Answer = WriteAnswer | AckAnswer | { status: 200; raised: AlertRow[] };

interface Pending {
  op: Op;
  /** When it was queued (ms): one that waited past `maxWaitMs` is refused unwritten. */
  queuedAt: number;
  resolve: (answer: Answer) => void;
  reject: (error: Error) => void;
}

/** An event as written to the log. */
export type EventRow = typeof caseEvents.$inferInsert & { seq: number };

/** Told after each commit, in seq order, with what was appended. */
export type CommitListener = (events: readonly EventRow[]) => void;

export interface CaseWriterOptions {
  db: Database;
  config: DomainConfig;
  /** Most operations in one transaction. */
  maxBatch?: number;
  /** Most intakes and transitions waiting at once; past it they are refused at once (503). */
  maxQueue?: number;
  /** Longest an operation waits in the queue before it is refused unwritten (503), ms. */
  maxWaitMs?: number;
}

/** How far back a warning's cluster is looked for (well past any recurring window). */
const WARNING_MEMORY_DAYS = 30;
/** An alert about many cases names the first this many (its `caseCount` says how many in all). */
const NAMED_CASES = 1_000;

/**
 * Whether a cluster grown by `added` cases is worth an `alert.updated`: every case while it is
 * small, then in steps of a fifth, so a surge of thousands writes a few dozen updates, not thousands.
 */
function grewEnough(count: number, added: number): boolean {
  return added > 0 && (count < 20 || added >= Math.ceil(count / 5));
}

const TIME_COLUMNS = [
  'receivedAt', 'respondBy', 'acceptBy', 'resolveBy', 'respondRiskAt', 'acceptRiskAt', 'resolveRiskAt',
  'resolveStartedAt', 'respondedAt', 'acceptedAt', 'resolvedAt', 'evaluatedAt', 'closedAt',
] as const;

const CASE_COLUMNS = Object.keys(getTableColumns(cases));

/**
 * A row stored as JSON (idempotent answers, a `case.created` event's row with its empty fields
 * left out) back to a row with Dates and nulls.
 */
export function rowFromJson(json: Record<string, unknown>): CaseRow {
  const row: Record<string, unknown> = {};
  for (const column of CASE_COLUMNS) row[column] = json[column] ?? null;
  for (const column of TIME_COLUMNS) {
    const value = row[column];
    if (typeof value === 'string') row[column] = new Date(value);
  }
  return row as unknown as CaseRow;
}

export function requestFingerprint(route: string, body: unknown): string {
  return createHash('sha256').update(route).update('\n').update(canonicalJson(body)).digest('hex');
}

export class CaseWriter {
  private readonly db: Database;
  private readonly config: DomainConfig;
  private readonly maxBatch: number;
  private readonly maxQueue: number;
  private readonly maxWaitMs: number;
  private queue: Pending[] = [];
  private running = false;
  private readonly listeners: CommitListener[] = [];
  /** Committed transactions and the operations they carried (mean batch = operations ÷ transactions). */
  readonly stats = { transactions: 0, operations: 0 };
  private idle: Promise<void> = Promise.resolve();
  private markIdle: () => void = () => undefined;

  constructor(options: CaseWriterOptions) {
    this.db = options.db;
    this.config = options.config;
    this.maxBatch = options.maxBatch ?? 1000;
    this.maxQueue = options.maxQueue ?? WRITER_DEFAULTS.maxQueue;
    this.maxWaitMs = options.maxWaitMs ?? WRITER_DEFAULTS.maxWaitMs;
  }

  /** Operations waiting for their transaction (for /readyz and the benchmarks). */
  get queued(): number {
    return this.queue.length;
  }

  onCommit(listener: CommitListener): void {
    this.listeners.push(listener);
  }

  intake(input: CaseIntake, actor: Actor, options: { demo?: boolean; idempotency?: IdempotencyRequest } = {}): Promise<WriteAnswer> {
    return this.enqueueWrite({ kind: 'intake', input, actor, demo: options.demo ?? false, idempotency: options.idempotency });
  }

  transition(caseId: string, command: TransitionRequest, actor: Actor, idempotency?: IdempotencyRequest): Promise<WriteAnswer> {
    return this.enqueueWrite({ kind: 'transition', caseId, command, actor, idempotency });
  }

  /**
   * Raises the alerts among `candidates` that are still due inside the transaction and not raised
   * before (by their key): each becomes an `alert.raised` event in the log and an alerts row.
   */
  async raiseAlerts(candidates: readonly AlertCandidate[], actor: Actor): Promise<AlertRow[]> {
    if (candidates.length === 0) return [];
    const answer = await this.enqueue({ kind: 'alerts', candidates, actor });
    return 'raised' in answer ? answer.raised : [];
  }

  /**
   * Raises early-warning alerts once per cluster: a candidate sharing a case with an alert of the
   * same subject (raised within `WARNING_MEMORY_DAYS`) grows that alert (an `alert.updated` event
   * with its new cases, count and text) instead, when it grew enough (`grewEnough`); one that adds
   * no case changes nothing. Resolves with the alerts raised and grown.
   */
  async raiseWarnings(candidates: readonly WarningCandidate[], actor: Actor): Promise<AlertRow[]> {
    if (candidates.length === 0) return [];
    const answer = await this.enqueue({ kind: 'warnings', candidates, actor });
    return 'raised' in answer ? answer.raised : [];
  }

  /** Acknowledges an alert (once; acknowledging again answers the first acknowledgement). */
  async acknowledge(alertId: string, actor: Actor): Promise<AckAnswer> {
    return (await this.enqueue({ kind: 'ack', alertId, actor })) as AckAnswer;
  }

  /** Resolves once everything queued so far is committed (for clean shutdown). */
  drained(): Promise<void> {
    return this.running ? this.idle : Promise.resolve();
  }

  /** Intakes and transitions come from outside: past the queue's bound they are refused at once. */
  private async enqueueWrite(op: Op): Promise<WriteAnswer> {
    if (this.queue.length >= this.maxQueue) {
      throw new DatabaseBusyError(`the server has ${this.queue.length} writes waiting; nothing was written. Try again in a few seconds`);
    }
    return (await this.enqueue(op)) as WriteAnswer;
  }

  private enqueue(op: Op): Promise<Answer> {
    return new Promise((resolve, reject) => {
      this.queue.push({ op, queuedAt: Date.now(), resolve, reject });
      if (!this.running) void this.run();
    });
  }

  private async run(): Promise<void> {
    this.running = true;
    this.idle = new Promise((resolve) => (this.markIdle = resolve));
    try {
      while (this.queue.length > 0) {
        // Let the requests already read from sockets in this turn of the event loop join the
        // batch. (Measured: with PGlite in the server's thread a whole transaction ran in
        // microtasks, nothing ever queued behind it, and every batch held one case.)
        await new Promise<void>((resolve) => setImmediate(resolve));
        const batch = this.queue.splice(0, this.maxBatch).filter((pending) => this.stillWanted(pending));
        if (batch.length > 0) await this.commitBatch(batch);
      }
    } finally {
      this.running = false;
      this.markIdle();
    }
  }

  /**
   * An operation that waited longer than the bound (the database was down or slow) is refused
   * before it is written, so its client's 503 is the whole truth: nothing was committed.
   */
  private stillWanted(pending: Pending): boolean {
    if (Date.now() - pending.queuedAt <= this.maxWaitMs) return true;
    pending.reject(new DatabaseBusyError(`waited more than ${this.maxWaitMs / 1000} s for the database; nothing was written. Try again in a few seconds`));
    return false;
  }

  private async commitBatch(batch: Pending[]): Promise<void> {
    try {
      const { answers, events } = await this.writeTransaction(batch.map((p) => p.op));
      this.stats.transactions += 1;
      this.stats.operations += batch.length;
      batch.forEach((pending, i) => pending.resolve(answers[i]!));
      this.publish(events);
    } catch (error) {
      // The database is away: every operation gets the same answer at once (one by one would
      // only wait for the same timeout again, each). Otherwise one bad apple spoils nothing.
      if (batch.length === 1 || isDatabaseUnavailable(error)) {
        for (const pending of batch) pending.reject(error as Error);
        return;
      }
      for (const pending of batch) await this.commitBatch([pending]);
    }
  }

  private publish(events: EventRow[]): void {
    if (events.length === 0) return;
    for (const listener of this.listeners) {
      try {
        listener(events);
      } catch (error) {
        console.error('commit listener failed:', describeDatabaseError(error));
      }
    }
  }

  private async writeTransaction(ops: Op[]): Promise<{ answers: Answer[]; events: EventRow[] }> {
    return this.db.transaction(async (tx) => {
      const head = await lockLogHead(tx);
      const batch = new BatchState(head.seq, head.now, this.config);
      await batch.preload(tx, ops);
      const answers = ops.map((op) => batch.apply(op));
      await batch.flush(tx);
      return { answers, events: batch.events };
    });
  }
}


/** What one transaction reads, decides and writes. */
class BatchState {
  readonly events: EventRow[] = [];
  private seq: number;
  private readonly loaded = new Map<string, CaseRow>();
  private readonly byExternal = new Map<string, CaseRow>();
  private readonly inserted = new Map<string, CaseRow>();
  private readonly updated = new Map<string, CaseRow>();
  /** Received times of recent cases per reporter phone + category, for repeat complaints. */
  private readonly repeats = new Map<string, number[]>();
  private readonly storedAnswers = new Map<string, { requestHash: string; status: number; body: Record<string, unknown>; createdAt: Date }>();
  private readonly newAnswers: (typeof idempotencyKeys.$inferInsert)[] = [];
  private readonly raisedKeys = new Set<string>();
  private readonly newAlerts: AlertRow[] = [];
  private readonly loadedAlerts = new Map<string, AlertRow>();
  /** Alerts acknowledged or grown in this batch, by id. */
  private readonly changedAlerts = new Map<string, AlertRow>();
  /** Early-warning alerts by subject (loaded, then as raised or grown in this batch). */
  private readonly warnings = new Map<string, AlertRow[]>();

  constructor(
    private readonly startSeq: number,
    private readonly now: Date,
    private readonly config: DomainConfig,
  ) {
    this.seq = startSeq;
  }

  /**
   * Everything the batch needs to decide, in one statement (run after the log lock is held, so it
   * sees every case committed before): cases named by externalId or id, the reporters' recent
   * cases per category, and stored Idempotency-Key answers.
   */
  async preload(tx: Tx, ops: Op[]): Promise<void> {
    const externalIds = new Set<string>();
    const channels = new Set<string>();
    const caseIds = new Set<string>();
    const phones = new Set<string>();
    const keys = new Set<string>();
    const alertKeys = new Set<string>();
    const alertIds = new Set<string>();
    const subjects = new Set<string>();
    for (const op of ops) {
      if (op.idempotency) for (const key of [op.idempotency.key, ...(op.idempotency.alsoKeys ?? [])]) keys.add(key);
      if (op.kind === 'warnings') {
        for (const candidate of op.candidates) subjects.add(candidate.subject);
      } else if (op.kind === 'ack') {
        alertIds.add(op.alertId);
      } else if (op.kind === 'alerts') {
        for (const alert of op.candidates) {
          alertKeys.add(alert.key);
          caseIds.add(alert.caseId);
        }
      } else if (op.kind === 'intake') {
        if (op.input.externalId) {
          externalIds.add(op.input.externalId);
          channels.add(op.input.channel);
        }
        if (op.input.reporter?.phone) phones.add(op.input.reporter.phone);
        for (const step of op.input.history ?? []) if (step.intoCaseId) caseIds.add(step.intoCaseId);
      } else {
        caseIds.add(op.caseId);
        if (op.command.intoCaseId) caseIds.add(op.command.intoCaseId);
      }
    }
    if (externalIds.size + caseIds.size + phones.size + keys.size + alertKeys.size + alertIds.size + subjects.size === 0) return;
    // `= ANY(ARRAY(…))` keeps every lookup an index scan, however large the tables grow.
    const list = (values: Set<string>) => sql`ANY(ARRAY(SELECT jsonb_array_elements_text(${JSON.stringify([...values])}::jsonb)))`;
    // Repeats are counted back from each case's own received time, so the window starts a
    // repeat window before the earliest of them.
    const earliest = Math.min(
      ...ops.map((op) => (op.kind === 'intake' ? this.receivedAtOf(op.input).getTime() : this.now.getTime())),
    );
    const since = new Date(earliest - this.config.repeatWindowDays * 86_400_000).toISOString();
    const [loaded] = await queryRows<{
      cases: Record<string, unknown>[];
      repeats: { phone: string; category: string; times: string[] }[];
      keys: Record<string, unknown>[];
      alerts: string[];
      acks: Record<string, unknown>[];
      warnings: Record<string, unknown>[];
    }>(
      tx,
      sql`SELECT
        (SELECT coalesce(json_agg(row_to_json(c)), '[]'::json) FROM (
          SELECT * FROM cases WHERE channel = ${list(channels)} AND external_id = ${list(externalIds)}
          UNION ALL SELECT * FROM cases WHERE id = ${list(caseIds)}) c) AS cases,
        (SELECT coalesce(json_agg(json_build_object('phone', r.reporter_phone, 'category', r.category, 'times', r.times)), '[]'::json)
          FROM (SELECT reporter_phone, category, json_agg(received_at) AS times FROM cases
                WHERE reporter_phone = ${list(phones)} AND received_at >= ${since}::timestamptz
                GROUP BY reporter_phone, category) r) AS repeats,
        (SELECT coalesce(json_agg(row_to_json(k)), '[]'::json) FROM idempotency_keys k WHERE k.key = ${list(keys)}) AS keys,
        (SELECT coalesce(json_agg(a.key), '[]'::json) FROM alerts a WHERE a.key = ${list(alertKeys)}) AS alerts,
        (SELECT coalesce(json_agg(row_to_json(a)), '[]'::json) FROM alerts a WHERE a.id = ${list(alertIds)}) AS acks,
        (SELECT coalesce(json_agg(row_to_json(a) ORDER BY a.seq), '[]'::json) FROM alerts a
          WHERE a.subject = ${list(subjects)} AND a.raised_at > now() - make_interval(days => ${WARNING_MEMORY_DAYS})) AS warnings`,
    );
    if (!loaded) return;
    for (const json of parseJson(loaded.cases)) this.remember(fromColumnJson<CaseRow>(cases, json));
    for (const r of parseJson(loaded.repeats)) this.repeats.set(`${r.phone}|${r.category}`, r.times.map((t) => Date.parse(t)));
    for (const key of parseJson(loaded.alerts)) this.raisedKeys.add(key);
    for (const json of parseJson(loaded.acks)) {
      const alert = fromColumnJson<AlertRow>(alerts, json);
      this.loadedAlerts.set(alert.id, alert);
    }
    for (const json of parseJson(loaded.warnings)) {
      const alert = fromColumnJson<AlertRow>(alerts, json);
      this.loadedAlerts.set(alert.id, alert);
      this.raisedKeys.add(alert.key);
      this.warnings.set(alert.subject!, [...(this.warnings.get(alert.subject!) ?? []), alert]);
    }
    for (const json of parseJson(loaded.keys)) {
      const stored = fromColumnJson<typeof idempotencyKeys.$inferSelect>(idempotencyKeys, json);
      this.storedAnswers.set(stored.key, { requestHash: stored.requestHash, status: stored.status, body: stored.body as Record<string, unknown>, createdAt: stored.createdAt });
    }
  }

  /** When an intake counts as received (its report time, clamped to the database clock). */
  private receivedAtOf(input: CaseIntake): Date {
    const received = receivedTime(input.reportedAt, this.now);
    return 'at' in received ? received.at : this.now;
  }

  private remember(row: CaseRow): void {
    this.loaded.set(row.id, row);
    if (row.externalId) this.byExternal.set(`${row.channel}|${row.externalId}`, row);
  }

  private current(id: string): CaseRow | undefined {
    return this.inserted.get(id) ?? this.updated.get(id) ?? this.loaded.get(id);
  }

  apply(op: Op): Answer {
    if (op.kind === 'alerts') return this.applyAlerts(op);
    if (op.kind === 'ack') return this.applyAck(op);
    if (op.kind === 'warnings') return this.applyWarnings(op);
    if (op.idempotency) {
      const stored = this.storedAnswer(op.idempotency);
      if (stored) {
        if (stored.requestHash !== op.idempotency.requestHash) {
          return {
            status: 422,
            error: 'Idempotency-Key was already used with a different request',
            issues: [{ path: 'Idempotency-Key', message: `key "${op.idempotency.key}" belongs to another request body` }],
          };
        }
        return replayAnswer(stored);
      }
    }
    const answer = op.kind === 'intake' ? this.applyIntake(op) : this.applyTransition(op);
    if (op.idempotency) {
      const body = 'row' in answer ? { row: answer.row, warnings: answer.warnings } : { error: answer.error, issues: answer.issues };
      const stored = { requestHash: op.idempotency.requestHash, status: answer.status, body: JSON.parse(JSON.stringify(body)) };
      this.storedAnswers.set(op.idempotency.key, { ...stored, createdAt: this.now });
      this.newAnswers.push({ key: op.idempotency.key, ...stored });
    }
    return answer;
  }

  /** The answer stored under the request's key (or one of its other keys) that still counts. */
  private storedAnswer(request: IdempotencyRequest) {
    for (const key of [request.key, ...(request.alsoKeys ?? [])]) {
      const stored = this.storedAnswers.get(key);
      if (!stored) continue;
      if (request.withinMs !== undefined && this.now.getTime() - stored.createdAt.getTime() > request.withinMs) continue;
      return stored;
    }
    return undefined;
  }

  /** Alerts still due now (checked again under the lock) and not raised before. */
  private applyAlerts(op: Extract<Op, { kind: 'alerts' }>): Answer {
    const raised: AlertRow[] = [];
    for (const wanted of op.candidates) {
      if (this.raisedKeys.has(wanted.key)) continue;
      const row = this.current(wanted.caseId);
      if (!row) continue;
      const due = dueAlerts(lifecycleSubject(row, this.config.risk), this.now).find((a) => a.key === wanted.key);
      if (!due) continue;
      const seq = this.nextSeq();
      const alert: AlertRow = {
        id: `AL${seq}`,
        key: due.key,
        kind: due.kind,
        severity: due.severity,
        caseId: row.id,
        stage: due.stage,
        deadline: due.deadline,
        raisedAt: this.now,
        seq,
        text: alertText(due, row, this.config),
        ackedAt: null,
        ackedBy: null,
        subject: null,
        caseIds: null,
        caseCount: null,
        street: row.streetCode,
        updatedAt: null,
      };
      this.raisedKeys.add(due.key);
      this.newAlerts.push(alert);
      raised.push(alert);
      this.events.push(this.event(seq, row.id, 'alert.raised', null, this.now, op.actor, null, alert));
    }
    return { status: 200, raised };
  }

  /** Early-warning alerts: a new cluster is raised, a known one grows (see `raiseWarnings`). */
  private applyWarnings(op: Extract<Op, { kind: 'warnings' }>): Answer {
    const raised: AlertRow[] = [];
    for (const wanted of op.candidates) {
      if (wanted.caseIds.length === 0) continue;
      const wantedIds = new Set(wanted.caseIds);
      const known = this.warnings.get(wanted.subject) ?? [];
      const index = known.findIndex((a) => (a.caseIds ?? []).some((id) => wantedIds.has(id)));
      if (index >= 0) {
        const alert = this.changedAlerts.get(known[index]!.id) ?? known[index]!;
        const named = new Set(alert.caseIds ?? []);
        const added = wanted.caseIds.filter((id) => !named.has(id));
        if (!grewEnough(alert.caseCount ?? named.size, added.length)) continue;
        const seq = this.nextSeq();
        const caseIds = [...(alert.caseIds ?? []), ...added].slice(0, NAMED_CASES);
        const caseCount = (alert.caseCount ?? named.size) + added.length;
        const grown: AlertRow = { ...alert, caseIds, caseCount, text: wanted.text, updatedAt: this.now };
        known[index] = grown;
        this.changedAlerts.set(grown.id, grown);
        raised.push(grown);
        const change = { alertId: grown.id, caseIds, caseCount, text: grown.text, updatedAt: this.now };
        this.events.push(this.event(seq, added[added.length - 1]!, 'alert.updated', null, this.now, op.actor, null, change));
        continue;
      }
      const key = `${wanted.subject}|${wanted.caseIds[0]}`;
      if (this.raisedKeys.has(key)) continue;
      const seq = this.nextSeq();
      const anchor = wanted.caseIds[wanted.caseIds.length - 1]!;
      const alert: AlertRow = {
        id: `AL${seq}`,
        key,
        kind: wanted.kind,
        severity: wanted.severity,
        caseId: anchor,
        stage: null,
        deadline: null,
        raisedAt: this.now,
        seq,
        text: wanted.text,
        ackedAt: null,
        ackedBy: null,
        subject: wanted.subject,
        caseIds: wanted.caseIds.slice(0, NAMED_CASES),
        caseCount: wanted.caseIds.length,
        street: wanted.street,
        updatedAt: null,
      };
      this.raisedKeys.add(key);
      this.newAlerts.push(alert);
      this.warnings.set(wanted.subject, [...known, alert]);
      raised.push(alert);
      this.events.push(this.event(seq, anchor, 'alert.raised', null, this.now, op.actor, null, alert));
    }
    return { status: 200, raised };
  }

  private applyAck(op: Extract<Op, { kind: 'ack' }>): AckAnswer {
    const alert = this.changedAlerts.get(op.alertId) ?? this.loadedAlerts.get(op.alertId);
    if (!alert) return { status: 404, error: `no alert ${op.alertId}`, issues: [{ path: 'id', message: `no alert ${op.alertId}` }] };
    if (alert.ackedAt) return { status: 200, alert };
    const seq = this.nextSeq();
    const acked: AlertRow = { ...alert, ackedAt: this.now, ackedBy: op.actor.label };
    this.changedAlerts.set(acked.id, acked);
    this.events.push(this.event(seq, alert.caseId, 'alert.acked', null, this.now, op.actor, null, { alertId: alert.id, ackedBy: op.actor.label }));
    return { status: 200, alert: acked };
  }

  private nextSeq(): number {
    this.seq += 1;
    return this.seq;
  }

  private applyIntake(op: Extract<Op, { kind: 'intake' }>): WriteAnswer {
    const { input } = op;
    const externalKey = input.externalId ? `${input.channel}|${input.externalId}` : undefined;
    const existing = externalKey ? this.byExternal.get(externalKey) : undefined;
    if (existing) {
      const current = this.current(existing.id) ?? existing;
      if (current.intakeHash === intakeHash(input)) return { status: 200, row: current, warnings: [] };
      return {
        status: 409,
        error: `case ${current.id} already has channel ${input.channel} and externalId ${input.externalId} with a different body`,
        issues: [{ path: 'externalId', message: `already used by case ${current.id}` }],
      };
    }
    const phone = input.reporter?.phone;
    const repeatKey = phone ? `${phone}|${input.category}` : undefined;
    const receivedAt = this.receivedAtOf(input).getTime();
    const windowStart = receivedAt - this.config.repeatWindowDays * 86_400_000;
    const earlier = repeatKey ? (this.repeats.get(repeatKey) ?? []) : [];
    const repeatCount = earlier.filter((t) => t >= windowStart && t < receivedAt).length;
    const built = buildNewCase(input, { seq: this.seq + 1, now: this.now, config: this.config, repeatCount, demo: op.demo });
    if (!built.ok) return { status: 400, error: `invalid case: ${describe(built.issues)}`, issues: built.issues };

    // Validate the whole history before anything is taken from the log.
    let row = built.row;
    const steps: { seq: number; action: string; at: Date; note: string | null; changes: Record<string, unknown> }[] = [];
    let previousAt = row.receivedAt;
    for (const [i, step] of (input.history ?? []).entries()) {
      const stated = Date.parse(step.at);
      if (stated > this.now.getTime() + FUTURE_SKEW_MS) return invalidField(`history.${i}.at`, 'is in the future');
      const at = new Date(Math.min(stated, this.now.getTime())); // within the clock-skew tolerance
      if (at < previousAt) return invalidField(`history.${i}.at`, `is before the previous step (${previousAt.toISOString()})`);
      const outcome = this.decide(row, step, at);
      if (!outcome.ok) return invalidField(`history.${i}.${outcome.field ?? 'action'}`, outcome.reason);
      steps.push({ seq: 0, action: step.action, at, note: step.note ?? null, changes: outcome.changes });
      const reopen = returnVisitReopens(row, step) ? this.decide(outcome.row, { action: 'reopen' }, at) : null;
      if (reopen?.ok) steps.push({ seq: 0, action: 'reopen', at, note: HEAD_REHANDLE_NOTE, changes: reopen.changes });
      row = reopen?.ok ? reopen.row : outcome.row;
      previousAt = at;
    }

    const createdSeq = this.nextSeq();
    const created = { ...built.row, lastSeq: createdSeq };
    this.events.push(this.event(createdSeq, created.id, 'case.created', null, created.receivedAt, op.actor, null, withoutNulls(created)));
    for (const step of steps) {
      const seq = this.nextSeq();
      this.events.push(this.event(seq, created.id, 'case.transitioned', step.action, step.at, op.actor, step.note, step.changes));
    }
    const final: CaseRow = { ...row, id: created.id, version: 1 + steps.length, lastSeq: this.seq };
    this.inserted.set(final.id, final);
    if (externalKey) this.byExternal.set(externalKey, final);
    if (repeatKey) this.repeats.set(repeatKey, [...earlier, final.receivedAt.getTime()]);
    return { status: 201, row: final, warnings: built.warnings };
  }

  private applyTransition(op: Extract<Op, { kind: 'transition' }>): WriteAnswer {
    const row = this.current(op.caseId);
    if (!row) return { status: 404, error: `no case ${op.caseId}`, issues: [{ path: 'id', message: `no case ${op.caseId}` }] };
    if (op.command.version !== undefined && op.command.version !== row.version) {
      return {
        status: 409,
        error: `case ${row.id} is at version ${row.version}, not ${op.command.version}: reload it and try again`,
        issues: [{ path: 'version', message: `stale: the case is at version ${row.version}` }],
      };
    }
    const outcome = this.decide(row, op.command, this.now);
    if (!outcome.ok) {
      const status = outcome.kind === 'illegal' ? 409 : 400;
      return { status, error: outcome.reason, issues: [{ path: outcome.field ?? 'action', message: outcome.reason }] };
    }
    let seq = this.nextSeq();
    let next: CaseRow = { ...outcome.row, version: row.version + 1, lastSeq: seq };
    this.events.push(
      this.event(seq, row.id, 'case.transitioned', op.command.action, this.now, op.actor, op.command.note ?? null, {
        ...outcome.changes,
        version: next.version,
      }),
    );
    // A return visit that finds the citizen unsatisfied hands the case to the department head at once (RV1).
    const reopen = returnVisitReopens(row, op.command) ? this.decide(next, { action: 'reopen' }, this.now) : null;
    if (reopen?.ok) {
      seq = this.nextSeq();
      next = { ...reopen.row, version: next.version + 1, lastSeq: seq };
      this.events.push(this.event(seq, row.id, 'case.transitioned', 'reopen', this.now, op.actor, HEAD_REHANDLE_NOTE, { ...reopen.changes, version: next.version }));
    }
    if (this.inserted.has(row.id)) this.inserted.set(row.id, next);
    else this.updated.set(row.id, next);
    return { status: 200, row: next, warnings: [] };
  }

  /** Runs the state machine on a row and folds its changes back into a row. */
  private decide(
    row: CaseRow,
    command: ActionCommand,
    at: Date,
  ): { ok: true; row: CaseRow; changes: Record<string, unknown> } | { ok: false; kind: 'illegal' | 'invalid'; field?: string; reason: string } {
    const { config } = this;
    const reopen =
      command.action === 'reopen'
        ? addDuration(at, config.sla.tiers[row.tier as keyof typeof config.sla.tiers].resolve, config.calendar).at
        : undefined;
    const target = command.intoCaseId ? this.current(command.intoCaseId) : undefined;
    const outcome = applyAction(lifecycleOf(row), command, {
      at,
      caseId: row.id,
      reopenResolveBy: reopen,
      isDepartment: (code) => config.taxonomy.department(code) !== undefined,
      mergeTargetStatus: target?.status as Status | undefined,
    });
    if (!outcome.ok) return outcome;
    const changes: Record<string, unknown> = { ...outcome.changes };
    if (outcome.changes.resolveBy) {
      changes.resolveRiskAt = atRiskAt(outcome.next.resolveStartedAt, outcome.next.resolveBy, config.sla.atRiskFraction);
    }
    return { ok: true, row: { ...row, ...(changes as Partial<CaseRow>) }, changes };
  }

  private event(
    seq: number,
    caseId: string,
    type: string,
    action: string | null,
    at: Date,
    actor: Actor,
    note: string | null,
    data: object,
  ): EventRow {
    return {
      seq,
      caseId,
      type,
      action,
      at,
      recordedAt: this.now,
      actor: actor.label,
      origin: actor.origin,
      note,
      data: data as Record<string, unknown>,
    };
  }

  /** All the batch's writes in one statement, the log head last. */
  async flush(tx: Tx): Promise<void> {
    if (this.seq === this.startSeq && this.newAnswers.length === 0) return;
    const writes: SQL[] = [];
    if (this.inserted.size > 0) writes.push(insertFromJson(cases, [...this.inserted.values()]));
    if (this.updated.size > 0) writes.push(updateFromJson(cases, [...this.updated.values()]));
    if (this.events.length > 0) writes.push(insertFromJson(caseEvents, this.events));
    if (this.newAlerts.length > 0) writes.push(insertFromJson(alerts, this.newAlerts));
    if (this.changedAlerts.size > 0) writes.push(updateFromJson(alerts, [...this.changedAlerts.values()]));
    if (this.newAnswers.length > 0) writes.push(insertFromJson(idempotencyKeys, this.newAnswers.map((a) => ({ ...a, createdAt: this.now }))));
    const ctes = sql.join(
      writes.map((write, i) => sql`${sql.identifier(`w${i}`)} AS (${write})`),
      sql`, `,
    );
    await tx.execute(sql`WITH ${ctes} UPDATE log_head SET seq = ${this.seq} WHERE id = 1`);
  }
}

function replayAnswer(stored: { status: number; body: Record<string, unknown> }): WriteAnswer {
  if (stored.status === 200 || stored.status === 201) {
    return { status: stored.status, row: rowFromJson(stored.body.row as Record<string, unknown>), warnings: (stored.body.warnings as string[]) ?? [] };
  }
  return {
    status: stored.status as 400 | 404 | 409 | 422,
    error: String(stored.body.error),
    issues: (stored.body.issues as FieldIssue[]) ?? [],
  };
}

function describe(issues: FieldIssue[]): string {
  return issues.map((i) => `${i.path} ${i.message}`).join('; ');
}

function invalidField(path: string, message: string): WriteAnswer {
  return { status: 400, error: `invalid case: ${path} ${message}`, issues: [{ path, message }] };
}

/** A created case's event carries its row without the empty fields (a replay reads them as null). */
function withoutNulls(row: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) if (value !== null && value !== undefined) out[key] = value;
  return out;
}

/** json columns arrive parsed from node-postgres and PGlite alike; be tolerant of text. */
function parseJson<T>(value: T[] | string | null): T[] {
  if (value === null) return [];
  return typeof value === 'string' ? (JSON.parse(value) as T[]) : value;
}
