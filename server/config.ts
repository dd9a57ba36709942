/**
 * Process settings (environment) and the domain configuration (jurisdiction, duty list, SLA,
 * risk, holiday calendar): the defaults ship with the code in shared/domain, and an optional
 * CONFIG_FILE (JSON) overrides any part. Both are validated at start; a bad value stops the
 * server with a message naming the setting.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { CN_CALENDAR, createCalendar, type HolidayCalendar } from '../shared/domain/calendar.js';
import { GUANGMING, createJurisdiction, type Jurisdiction, type JurisdictionData } from '../shared/domain/jurisdiction.js';
import { DEFAULT_RISK, gradeRisk, type RiskConfig } from '../shared/domain/risk.js';
import { DEFAULT_SLA, computeDeadlines, type SlaConfig } from '../shared/domain/sla.js';
import type { StationInput } from '../shared/domain/service-network.js';
import { DEFAULT_WARNING, type WarningSettings } from '../shared/domain/early-warning.js';
import { TIERS, URGENCIES } from '../shared/domain/vocabulary.js';
import type { PostgresTimeouts } from './db/client.js';
import { parseTrustedProxies } from './http/client-address.js';
import type { BlockList } from 'node:net';
import { DEFAULT_TAXONOMY, createTaxonomy, type Category, type Department, type Taxonomy } from '../shared/domain/taxonomy.js';

/** The case writer's bounds when WRITER_QUEUE_LIMIT / WRITER_MAX_WAIT_MS are not set. */
export const WRITER_DEFAULTS = { maxQueue: 5_000, maxWaitMs: 10_000 };

const flag = z
  .enum(['0', '1', 'true', 'false'])
  .transform((v) => v === '1' || v === 'true')
  .optional();

const EnvSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('0.0.0.0'),
  DATA_DIR: z.string().min(1).default('./data'),
  /** Where the built client is served from (dist/client when unset). */
  CLIENT_DIR: z.string().min(1).optional(),
  DATABASE_URL: z.string().min(1).optional(),
  CONFIG_FILE: z.string().min(1).optional(),
  DEMO: flag,
  INTAKE_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  OFFICER_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  WALL_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** Public origin of the server, used in the wall link printed at first start. */
  PUBLIC_URL: z.string().url().optional(),
  /** Other origins whose pages may open the live stream (comma-separated). */
  ALLOWED_ORIGINS: z.string().optional(),
  /** Reverse proxies / load balancers whose X-Forwarded-For is believed (IPs or CIDRs, comma-separated). */
  TRUSTED_PROXIES: z.string().optional(),
  /** Shortest time between two stream frames, ms (0 sends every batch at once). */
  FRAME_MS: z.coerce.number().int().min(0).max(2000).default(100),
  /** An unacknowledged critical alert is announced again this often, seconds. */
  REANNOUNCE_SECONDS: z.coerce.number().min(0.1).max(86_400).default(300),
  /** How often the stream sends the risk map's changed features, seconds. */
  RISK_DELTA_SECONDS: z.coerce.number().min(0.1).max(3_600).default(10),
  /** How often the live projections are checkpointed, seconds. */
  CHECKPOINT_SECONDS: z.coerce.number().min(1).max(86_400).default(30),
  /** Most live connections one token may hold at once. */
  MAX_SOCKETS_PER_TOKEN: z.coerce.number().int().min(1).max(100_000).default(500),
  /** Fold and send stream events one by one (for the benchmark's comparison only). */
  STREAM_ONE_BY_ONE: flag,
  /** PostgreSQL: longest wait for a new connection, ms. */
  PG_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  /** PostgreSQL statement_timeout, ms (reports over a quarter are the longest statements). */
  PG_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
  /** PostgreSQL lock_timeout, ms: a write stuck behind a lock fails (503) instead of hanging. */
  PG_LOCK_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(10_000),
  /** PostgreSQL idle_in_transaction_session_timeout, ms: a stalled node's transaction cannot hold the log. */
  PG_IDLE_IN_TRANSACTION_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(60_000),
  /** What Open311's public reads show of a case's description: masked, or none at all. */
  OPEN311_DESCRIPTION: z.enum(['masked', 'none']).default('masked'),
  /** How long the audit log keeps its rows, days. */
  AUDIT_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(180),
  /** Longest a read (GET) may take before it is answered 503, ms. */
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  /** Most intakes and transitions waiting for the writer; past it they answer 503 at once. */
  WRITER_QUEUE_LIMIT: z.coerce.number().int().min(1).max(1_000_000).default(WRITER_DEFAULTS.maxQueue),
  /** Longest a write waits for the database before it answers 503 unwritten, ms. */
  WRITER_MAX_WAIT_MS: z.coerce.number().int().min(100).max(600_000).default(WRITER_DEFAULTS.maxWaitMs),
});

export interface Env {
  port: number;
  host: string;
  dataDir: string;
  /** The built client's folder, when not dist/client (CLIENT_DIR). */
  clientDir?: string;
  databaseUrl?: string;
  configFile?: string;
  /** On by default only on the embedded database; DEMO=1 turns it on for PostgreSQL. */
  demo: boolean;
  tokens: { intake?: string; officer?: string; admin?: string; wall?: string };
  publicUrl?: string;
  /** TRUSTED_PROXIES, parsed; null when unset (X-Forwarded-For is then ignored). */
  trustedProxies: BlockList | null;
  stream: { allowedOrigins: string[]; frameMs: number; reannounceMs: number; riskMs: number; checkpointMs: number; oneByOne: boolean; maxSocketsPerToken: number };
  /** PostgreSQL's timeouts (ignored on the embedded database). */
  postgres: PostgresTimeouts;
  writer: { maxQueue: number; maxWaitMs: number };
  requestTimeoutMs: number;
  auditRetentionDays: number;
  open311Descriptions: 'masked' | 'none';
}

export class ConfigError extends Error {}

function describeIssues(prefix: string, error: z.ZodError): string {
  return error.issues.map((i) => `${prefix}${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}

function trustedProxiesOf(list: string | undefined): BlockList | null {
  try {
    return parseTrustedProxies(list);
  } catch (error) {
    throw new ConfigError(`bad environment: TRUSTED_PROXIES: ${(error as Error).message}`);
  }
}

export function readEnv(source: NodeJS.ProcessEnv = process.env): Env {
  const blankless = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = EnvSchema.safeParse(blankless);
  if (!parsed.success) throw new ConfigError(`bad environment: ${describeIssues('', parsed.error)}`);
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: e.DATA_DIR,
    clientDir: e.CLIENT_DIR,
    databaseUrl: e.DATABASE_URL,
    configFile: e.CONFIG_FILE,
    demo: e.DEMO ?? !e.DATABASE_URL,
    tokens: { intake: e.INTAKE_TOKEN, officer: e.OFFICER_TOKEN, admin: e.ADMIN_TOKEN, wall: e.WALL_TOKEN },
    publicUrl: e.PUBLIC_URL,
    trustedProxies: trustedProxiesOf(e.TRUSTED_PROXIES),
    stream: {
      allowedOrigins: (e.ALLOWED_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean),
      frameMs: e.FRAME_MS,
      reannounceMs: Math.round(e.REANNOUNCE_SECONDS * 1000),
      riskMs: Math.round(e.RISK_DELTA_SECONDS * 1000),
      checkpointMs: Math.round(e.CHECKPOINT_SECONDS * 1000),
      oneByOne: e.STREAM_ONE_BY_ONE ?? false,
      maxSocketsPerToken: e.MAX_SOCKETS_PER_TOKEN,
    },
    postgres: {
      connectMs: e.PG_CONNECT_TIMEOUT_MS,
      statementMs: e.PG_STATEMENT_TIMEOUT_MS,
      lockMs: e.PG_LOCK_TIMEOUT_MS,
      idleInTransactionMs: e.PG_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    },
    writer: { maxQueue: e.WRITER_QUEUE_LIMIT, maxWaitMs: e.WRITER_MAX_WAIT_MS },
    requestTimeoutMs: e.REQUEST_TIMEOUT_MS,
    auditRetentionDays: e.AUDIT_RETENTION_DAYS,
    open311Descriptions: e.OPEN311_DESCRIPTION,
  };
}

/** Everything the case engine needs to know about this district. */
export interface DomainConfig {
  jurisdiction: Jurisdiction;
  taxonomy: Taxonomy;
  sla: SlaConfig;
  risk: RiskConfig;
  calendar: HolidayCalendar;
  /** A resolved case not evaluated within this many days closes as "not evaluated". */
  evaluationDays: number;
  /** Earlier cases of the same reporter and category within this many days count as repeats. */
  repeatWindowDays: number;
  /** The service stations (群众诉求服务站) besides the halls, each serving a 500 m circle (shared/domain/service-network.ts). */
  serviceStations: StationInput[];
  /** Early warning's thresholds (shared/domain/early-warning.ts): recurring N in D days, surges. */
  earlyWarning: WarningSettings;
}

export const DEFAULT_DOMAIN: DomainConfig = {
  jurisdiction: GUANGMING,
  taxonomy: DEFAULT_TAXONOMY,
  sla: DEFAULT_SLA,
  risk: DEFAULT_RISK,
  calendar: CN_CALENDAR,
  evaluationDays: 3,
  repeatWindowDays: 30,
  serviceStations: [],
  earlyWarning: DEFAULT_WARNING,
};

const ConfigFileSchema = z
  .object({
    sla: z.record(z.string(), z.unknown()).optional(),
    risk: z.record(z.string(), z.unknown()).optional(),
    calendar: z
      .object({ coveredYears: z.array(z.number().int()), holidays: z.array(z.string()), workdays: z.array(z.string()) })
      .optional(),
    taxonomy: z.object({ categories: z.array(z.unknown()).min(1), departments: z.array(z.unknown()).min(1) }).optional(),
    jurisdiction: z.record(z.string(), z.unknown()).optional(),
    evaluationDays: z.number().int().min(1).max(60).optional(),
    repeatWindowDays: z.number().int().min(1).max(365).optional(),
    earlyWarning: z
      .object({
        recurring: z
          .object({
            minCases: z.number().int().min(2).max(1_000),
            days: z.number().int().min(1).max(60),
            cellResolution: z.number().int().min(6).max(12),
            ring: z.number().int().min(0).max(5),
            neighbourRing: z.number().int().min(1).max(12),
            historyDays: z.number().int().min(7).max(365),
            alpha: z.number().gt(0).lt(0.5),
          })
          .partial()
          .strict()
          .optional(),
        surge: z
          .object({
            minCases: z.number().int().min(1).max(100_000),
            minRatio: z.number().min(1).max(100),
            historyWeeks: z.number().int().min(1).max(52),
            priorWeeks: z.number().min(0).max(52),
            alpha: z.number().gt(0).lt(0.5),
          })
          .partial()
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
    serviceStations: z
      .array(z.object({ name: z.string().min(1).max(100), lng: z.number().min(-180).max(180), lat: z.number().min(-90).max(90) }).strict())
      .max(5_000)
      .optional(),
  })
  .strict();

/** Defaults overridden by CONFIG_FILE: plain objects merge key by key, arrays and values replace. */
export function loadDomainConfig(configFile?: string): DomainConfig {
  if (!configFile) return DEFAULT_DOMAIN;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(configFile, 'utf8'));
  } catch (error) {
    throw new ConfigError(`CONFIG_FILE ${configFile}: ${(error as Error).message}`);
  }
  const parsed = ConfigFileSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(`CONFIG_FILE ${configFile}: ${describeIssues('', parsed.error)}`);
  const file = parsed.data;
  try {
    return checkedConfig({
      jurisdiction: file.jurisdiction ? createJurisdiction(file.jurisdiction as unknown as JurisdictionData) : DEFAULT_DOMAIN.jurisdiction,
      taxonomy: file.taxonomy
        ? createTaxonomy({
            categories: file.taxonomy.categories as Category[],
            departments: file.taxonomy.departments as Department[],
          })
        : DEFAULT_DOMAIN.taxonomy,
      sla: deepMerge(DEFAULT_SLA, file.sla),
      risk: deepMerge(DEFAULT_RISK, file.risk),
      calendar: file.calendar ? createCalendar(file.calendar) : DEFAULT_DOMAIN.calendar,
      evaluationDays: file.evaluationDays ?? DEFAULT_DOMAIN.evaluationDays,
      repeatWindowDays: file.repeatWindowDays ?? DEFAULT_DOMAIN.repeatWindowDays,
      serviceStations: file.serviceStations ?? DEFAULT_DOMAIN.serviceStations,
      earlyWarning: {
        recurring: { ...DEFAULT_WARNING.recurring, ...file.earlyWarning?.recurring },
        surge: { ...DEFAULT_WARNING.surge, ...file.earlyWarning?.surge },
      },
    });
  } catch (error) {
    throw new ConfigError(`CONFIG_FILE ${configFile}: ${(error as Error).message}`);
  }
}

/**
 * Runs every tier's deadlines and one risk grading once, so a bad duration or threshold in
 * CONFIG_FILE stops the server at start instead of failing the first intake.
 */
function checkedConfig(config: DomainConfig): DomainConfig {
  const probe = new Date('2026-03-02T01:00:00Z');
  if (!(config.sla.atRiskFraction > 0 && config.sla.atRiskFraction < 1)) throw new Error('sla.atRiskFraction must be between 0 and 1');
  for (const tier of TIERS) {
    const { deadlines } = computeDeadlines(probe, tier, config.sla, config.calendar);
    for (const [stage, at] of Object.entries(deadlines)) {
      if (!(at instanceof Date) || Number.isNaN(at.getTime()) || at <= probe) throw new Error(`sla.tiers.${tier}: ${stage} deadline is not a valid duration`);
    }
  }
  for (const urgency of URGENCIES) {
    if (!TIERS.includes(config.sla.urgencyTier[urgency])) throw new Error(`sla.urgencyTier.${urgency} must be one of ${TIERS.join(', ')}`);
  }
  const graded = gradeRisk({ peopleInvolved: 1, amountCny: 0, urgency: 'normal', category: 'other', repeatCount: 0 }, config.risk);
  if (!graded.grade) throw new Error('risk configuration does not grade a case');
  return config;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function deepMerge<T>(base: T, override: Record<string, unknown> | undefined): T {
  if (!override) return base;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(override)) {
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
  }
  return out as T;
}
