/**
 * The one database schema, for PGlite and PostgreSQL alike. Migrations in server/db/migrations
 * are generated from this file by drizzle-kit (`npm run db:generate`) and never edited by hand.
 *
 * The event log (`case_events`) is the source of truth: a case row is the fold of its events.
 * `log_head` is a single counter row: every append takes its row lock first, so events become
 * visible in exactly seq order even with several writers on several nodes.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

const instant = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** The head of the event log: the last seq handed out and the log's epoch. One row, id = 1. */
export const logHead = pgTable('log_head', {
  id: integer('id').primaryKey(),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  /** Changes if the log is ever reset, so clients resuming by (epoch, lastSeq) notice. */
  epoch: text('epoch').notNull(),
});

/** The current state of each case: a projection of its events, kept in the same transaction. */
export const cases = pgTable(
  'cases',
  {
    id: text('id').primaryKey(),
    channel: text('channel').notNull(),
    externalId: text('external_id'),
    /** sha-256 of the intake body, to tell a retry (same body) from a conflict (other body). */
    intakeHash: text('intake_hash').notNull(),
    category: text('category').notNull(),
    item: text('item'),
    title: text('title').notNull(),
    description: text('description'),
    lat: doublePrecision('lat'),
    lng: doublePrecision('lng'),
    address: text('address'),
    streetCode: text('street_code'),
    communityCode: text('community_code'),
    gridCode: text('grid_code'),
    outOfArea: boolean('out_of_area').notNull().default(false),
    reporterName: text('reporter_name'),
    reporterPhone: text('reporter_phone'),
    /** Open311 extras and anything else a channel sent that we keep but do not interpret. */
    extras: jsonb('extras').$type<Record<string, unknown>>(),
    peopleInvolved: integer('people_involved').notNull(),
    amountCny: doublePrecision('amount_cny').notNull(),
    urgency: text('urgency').notNull(),
    tier: text('tier').notNull(),
    riskGrade: text('risk_grade').notNull(),
    riskReasons: jsonb('risk_reasons').$type<string[]>().notNull(),
    department: text('department').notNull(),
    routedBy: text('routed_by').notNull(),
    coDepartments: jsonb('co_departments').$type<string[]>().notNull(),
    escalationLevel: text('escalation_level'),
    status: text('status').notNull(),
    demo: boolean('demo').notNull().default(false),
    receivedAt: instant('received_at').notNull(),
    respondBy: instant('respond_by').notNull(),
    acceptBy: instant('accept_by').notNull(),
    resolveBy: instant('resolve_by').notNull(),
    /** The instants each deadline turns at-risk (80 % of its span), so SQL can count them. */
    respondRiskAt: instant('respond_risk_at').notNull(),
    acceptRiskAt: instant('accept_risk_at').notNull(),
    resolveRiskAt: instant('resolve_risk_at').notNull(),
    resolveStartedAt: instant('resolve_started_at').notNull(),
    respondedAt: instant('responded_at'),
    acceptedAt: instant('accepted_at'),
    resolvedAt: instant('resolved_at'),
    evaluatedAt: instant('evaluated_at'),
    closedAt: instant('closed_at'),
    closeReason: text('close_reason'),
    satisfaction: text('satisfaction'),
    mergedInto: text('merged_into'),
    returnCount: integer('return_count').notNull().default(0),
    reopenCount: integer('reopen_count').notNull().default(0),
    /** Bumped by every event; a transition may name the version it saw (409 when stale). */
    version: integer('version').notNull(),
    lastSeq: bigint('last_seq', { mode: 'number' }).notNull(),
  },
  (t) => [
    uniqueIndex('cases_channel_external_id').on(t.channel, t.externalId),
    index('cases_received_at').on(t.receivedAt),
    index('cases_reporter_phone').on(t.reporterPhone, t.receivedAt),
    // Open cases only: what the deadline monitor and the backlog figures scan.
    index('cases_open')
      .on(t.receivedAt)
      .where(sql`status NOT IN ('resolved', 'evaluated', 'closed', 'merged')`),
  ],
);

/** The append-only event log. `seq` is global and gap-free; `at` is when it happened. */
export const caseEvents = pgTable(
  'case_events',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey(),
    caseId: text('case_id').notNull(),
    /** `case.created` or `case.transitioned` (more kinds arrive with the live stream). */
    type: text('type').notNull(),
    action: text('action'),
    at: instant('at').notNull(),
    recordedAt: instant('recorded_at').notNull().default(sql`now()`),
    /** The token label that did it, and where from (IP or process). */
    actor: text('actor').notNull(),
    origin: text('origin').notNull(),
    note: text('note'),
    /** For `case.created` the whole case; for transitions the fields that changed. */
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
  },
  (t) => [index('case_events_case').on(t.caseId, t.seq)],
);

/**
 * Alerts raised from the log (deadline at risk or breached, red cases): one row per alert, its
 * `key` unique so an alert is raised once however many monitors race or restart. The row is a
 * projection of its `alert.raised` event, written in the same transaction.
 */
export const alerts = pgTable(
  'alerts',
  {
    id: text('id').primaryKey(),
    /** What makes the alert the same alert: case, kind, stage and the deadline it is about. */
    key: text('key').notNull().unique(),
    kind: text('kind').notNull(),
    severity: text('severity').notNull(),
    caseId: text('case_id').notNull(),
    stage: text('stage'),
    deadline: instant('deadline'),
    raisedAt: instant('raised_at').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    text: text('text').notNull(),
    ackedAt: instant('acked_at'),
    ackedBy: text('acked_by'),
    /**
     * Alerts about a place, group or day (recurring, surge, day_red): what they are about
     * (`recurring|<category>`, `surge|<group>|<hour>`, `day_red|<date>`), the cases they name
     * (growing with the cluster), the street they belong to (null: the district) and when they
     * last grew.
     */
    subject: text('subject'),
    caseIds: jsonb('case_ids').$type<string[]>(),
    /** How many cases it is about (`case_ids` names the first 1,000). */
    caseCount: integer('case_count'),
    street: text('street'),
    updatedAt: instant('updated_at'),
  },
  (t) => [index('alerts_case').on(t.caseId), index('alerts_subject').on(t.subject, t.raisedAt)],
);

/** Responsible units of the duty list, seeded from the taxonomy configuration at start. */
export const departments = pgTable('departments', {
  code: text('code').primaryKey(),
  name: text('name').notNull(),
  nameEn: text('name_en').notNull(),
});

/** Small named settings shared by all nodes (e.g. the simulator's backfill marker). */
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: jsonb('value').notNull(),
  updatedAt: instant('updated_at').notNull().default(sql`now()`),
});

/** API tokens, stored only as sha-256 hashes; the label is the actor on every event. */
export const apiTokens = pgTable('api_tokens', {
  id: text('id').primaryKey(),
  hash: text('hash').notNull().unique(),
  role: text('role').notNull(),
  label: text('label').notNull(),
  /** An officer bound to these departments' cases (server/auth/scope.ts); null: any department. */
  departments: text('departments').array(),
  /** An officer bound to these streets' cases; null: the whole district. */
  streets: text('streets').array(),
  createdAt: instant('created_at').notNull().default(sql`now()`),
  revokedAt: instant('revoked_at'),
});

/** Answers kept for `Idempotency-Key` retries: same key and body → the same answer. */
export const idempotencyKeys = pgTable('idempotency_keys', {
  key: text('key').primaryKey(),
  requestHash: text('request_hash').notNull(),
  status: integer('status').notNull(),
  body: jsonb('body').notNull(),
  createdAt: instant('created_at').notNull().default(sql`now()`),
});

/**
 * Checkpoints of the live projections (server/live/projection.ts): the state after `seq`, so a
 * node starts from the newest one and replays only the log after it. Any node may write one; a
 * checkpoint is a pure function of the log up to its seq, so whoever writes it, it is the same.
 */
export const projectionCheckpoints = pgTable('projection_checkpoints', {
  name: text('name').primaryKey(),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  epoch: text('epoch').notNull(),
  version: integer('version').notNull(),
  state: jsonb('state').notNull(),
  savedAt: instant('saved_at').notNull().default(sql`now()`),
});

/**
 * Community orders (社区发令、部门执行): a community summons departments to a dispute. The row is a
 * projection of its `order.issued` and `order.resolved` events, written in the same transaction;
 * `external_id` makes a retried or replayed order the same order.
 */
export const communityOrders = pgTable(
  'community_orders',
  {
    id: text('id').primaryKey(),
    externalId: text('external_id').unique(),
    /** sha-256 of the order as asked, to tell a retry (same body) from a conflict (other body). */
    requestHash: text('request_hash').notNull(),
    communityCode: text('community_code').notNull(),
    streetCode: text('street_code').notNull(),
    caseId: text('case_id'),
    title: text('title').notNull(),
    issuedAt: instant('issued_at').notNull(),
    issuedBy: text('issued_by').notNull(),
    /** By when the dispute should be settled (化解时间), if the order says. */
    resolveBy: instant('resolve_by'),
    resolvedAt: instant('resolved_at'),
    resolution: text('resolution'),
    demo: boolean('demo').notNull().default(false),
    seq: bigint('seq', { mode: 'number' }).notNull(),
  },
  (t) => [index('community_orders_issued_at').on(t.issuedAt)],
);

/**
 * One department summoned by one order, and its arrival (`order.arrived`). Late is not a column:
 * a summons past its deadline is late once the order monitor's `order_late` alert is in the log.
 */
export const orderSummonses = pgTable(
  'order_summonses',
  {
    orderId: text('order_id').notNull(),
    department: text('department').notNull(),
    rank: text('rank').notNull(),
    arriveBy: instant('arrive_by').notNull(),
    arrivedAt: instant('arrived_at'),
    arrivedRank: text('arrived_rank'),
    arrivedRecordedBy: text('arrived_recorded_by'),
    /** Arrived by the deadline with the rank asked for or higher (RULES ORD1); null until arrived. */
    onTime: boolean('on_time'),
  },
  (t) => [
    primaryKey({ columns: [t.orderId, t.department] }),
    index('order_summonses_waiting').on(t.arriveBy).where(sql`arrived_at IS NULL`),
  ],
);

/**
 * Who read a citizen's personal data, and who made or revoked a token or session: one row per
 * act, kept AUDIT_RETENTION_DAYS (server/audit/audit-log.ts). Not part of the event log: it
 * records reads, which change nothing a wall shows.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    at: instant('at').notNull().default(sql`now()`),
    /** The token's label (its role beside it), as events name their actors. */
    actor: text('actor').notNull(),
    role: text('role').notNull(),
    tokenId: text('token_id'),
    /** case.read, cases.list, cases.search, report.export, token.create, token.revoke, session.create, session.revoke, wall-link.create */
    action: text('action').notNull(),
    subject: text('subject'),
    detail: jsonb('detail').$type<Record<string, unknown>>(),
    /** Where from: the client's address (behind TRUSTED_PROXIES, the forwarded one). */
    origin: text('origin').notNull(),
  },
  (t) => [index('audit_at').on(t.at), index('audit_action_at').on(t.action, t.at)],
);

/**
 * Browser sessions (server/auth/sessions.ts): the cookie holds a random secret, stored here only
 * as its sha-256 hash, for one token; it expires (30 days for walls, 12 hours for the rest) and is
 * revoked alone or with its token.
 */
export const sessions = pgTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    hash: text('hash').notNull().unique(),
    tokenId: text('token_id').notNull(),
    createdAt: instant('created_at').notNull().default(sql`now()`),
    expiresAt: instant('expires_at').notNull(),
    revokedAt: instant('revoked_at'),
    /** Where it was opened from (the client's address). */
    origin: text('origin').notNull(),
  },
  (t) => [index('sessions_token').on(t.tokenId)],
);

/** One-time wall links (`/?code=…`): a code, stored hashed, that opens one session for a wall token within minutes. */
export const wallLinks = pgTable('wall_links', {
  hash: text('hash').primaryKey(),
  tokenId: text('token_id').notNull(),
  createdAt: instant('created_at').notNull().default(sql`now()`),
  expiresAt: instant('expires_at').notNull(),
  usedAt: instant('used_at'),
  createdBy: text('created_by').notNull(),
});
