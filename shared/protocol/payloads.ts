/**
 * The shapes that cross the wire, as zod schemas shared by the server (which enforces them on
 * every HTTP body) and the client (which reads the answers). Types describe, schemas enforce.
 */
import { z } from 'zod';
import { ACTIONS, ESCALATION_LEVELS, STATUSES } from '../domain/case.js';
import { ALERT_KINDS, ALERT_SEVERITIES } from '../domain/alerts.js';
import { CHANNELS, DEADLINE_STAGES, RISK_GRADES, SATISFACTIONS, TIERS, URGENCIES } from '../domain/vocabulary.js';

const isoInstant = z.iso.datetime({ offset: true, message: 'must be an ISO 8601 time with a zone, e.g. 2026-11-23T09:30:00+08:00' });

export const LocationInput = z
  .object({
    lat: z.number().min(-90).max(90).optional(),
    lng: z.number().min(-180).max(180).optional(),
    address: z.string().trim().min(1).max(500).optional(),
    communityCode: z.string().regex(/^\d{12}$/, 'must be a 12-digit community code').optional(),
    gridCode: z.string().trim().min(1).max(64).optional(),
  })
  .strict()
  .refine((l) => (l.lat === undefined) === (l.lng === undefined), {
    message: 'lat and lng come together',
    path: ['lng'],
  });

export const ReporterInput = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    phone: z.string().trim().regex(/^[0-9+\-() ]{3,32}$/, 'must be a phone number').optional(),
    email: z.email().max(254).optional(),
  })
  .strict();

/** A transition as an importer supplies it: what happened to the case at the source, and when. */
export const HistoryStep = z
  .object({
    action: z.enum(ACTIONS),
    at: isoInstant,
    note: z.string().max(2000).optional(),
    department: z.string().min(1).max(64).optional(),
    departments: z.array(z.string().min(1).max(64)).min(1).max(20).optional(),
    satisfaction: z.enum(SATISFACTIONS).optional(),
    level: z.enum(ESCALATION_LEVELS).optional(),
    intoCaseId: z.string().min(1).max(64).optional(),
  })
  .strict();

export const CaseIntake = z
  .object({
    channel: z.enum(CHANNELS),
    externalId: z.string().trim().min(1).max(128).optional(),
    category: z.string().trim().min(1).max(64),
    item: z.string().trim().min(1).max(64).optional(),
    title: z.string().trim().min(1).max(200),
    description: z.string().max(10_000).optional(),
    location: LocationInput.optional(),
    reporter: ReporterInput.optional(),
    peopleInvolved: z.number().int().min(1).max(1_000_000).optional(),
    amountCny: z.number().min(0).max(1e12).optional(),
    urgency: z.enum(URGENCIES).optional(),
    reportedAt: isoInstant.optional(),
    /** Channel extras kept verbatim (e.g. Open311 media_url, attribute[...]). */
    extras: z.record(z.string(), z.unknown()).optional(),
    /** Past transitions of an imported record (import-capable tokens only). */
    history: z.array(HistoryStep).max(100).optional(),
  })
  .strict();
export type CaseIntake = z.infer<typeof CaseIntake>;

export const MAX_BATCH = 1000;
export const CaseBatch = z.object({ cases: z.array(z.unknown()).min(1).max(MAX_BATCH) }).strict();

export const TransitionRequest = z
  .object({
    action: z.enum(ACTIONS),
    note: z.string().max(2000).optional(),
    department: z.string().min(1).max(64).optional(),
    departments: z.array(z.string().min(1).max(64)).min(1).max(20).optional(),
    satisfaction: z.enum(SATISFACTIONS).optional(),
    level: z.enum(ESCALATION_LEVELS).optional(),
    intoCaseId: z.string().min(1).max(64).optional(),
    /** The case version the caller saw; 409 if the case changed since. */
    version: z.number().int().min(1).optional(),
  })
  .strict();
export type TransitionRequest = z.infer<typeof TransitionRequest>;

export const Deadlines = z.object({ respondBy: z.string(), acceptBy: z.string(), resolveBy: z.string() });

/** A case as the API answers it. Personal fields are masked for walls and public reads. */
export const CaseView = z.object({
  id: z.string(),
  seq: z.number().int(),
  version: z.number().int(),
  status: z.enum(STATUSES),
  channel: z.enum(CHANNELS),
  externalId: z.string().nullable(),
  category: z.string(),
  item: z.string().nullable(),
  title: z.string(),
  description: z.string().nullable(),
  tier: z.enum(TIERS),
  urgency: z.enum(URGENCIES),
  riskGrade: z.enum(RISK_GRADES),
  riskReasons: z.array(z.string()),
  department: z.string(),
  routedBy: z.string(),
  coDepartments: z.array(z.string()),
  escalationLevel: z.enum(ESCALATION_LEVELS).nullable(),
  streetCode: z.string().nullable(),
  communityCode: z.string().nullable(),
  outOfArea: z.boolean(),
  location: z.object({
    lat: z.number().nullable(),
    lng: z.number().nullable(),
    address: z.string().nullable(),
    gridCode: z.string().nullable(),
  }),
  reporter: z.object({ name: z.string().nullable(), phone: z.string().nullable() }),
  peopleInvolved: z.number(),
  amountCny: z.number(),
  receivedAt: z.string(),
  deadlines: Deadlines,
  respondedAt: z.string().nullable(),
  acceptedAt: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  evaluatedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  closeReason: z.string().nullable(),
  satisfaction: z.enum(SATISFACTIONS).nullable(),
  mergedInto: z.string().nullable(),
  returnCount: z.number().int(),
  reopenCount: z.number().int(),
  demo: z.boolean(),
  masked: z.boolean(),
});
export type CaseView = z.infer<typeof CaseView>;

/** A case in brief, as the stream's newest-cases list carries it; the API has the details. */
export const CaseBrief = CaseView.pick({
  id: true,
  seq: true,
  status: true,
  channel: true,
  category: true,
  title: true,
  tier: true,
  riskGrade: true,
  department: true,
  streetCode: true,
  communityCode: true,
  outOfArea: true,
  location: true,
  receivedAt: true,
  demo: true,
  masked: true,
});
export type CaseBrief = z.infer<typeof CaseBrief>;

/** The short answer for each item of a batch. */
export const CaseReceipt = CaseView.pick({
  id: true,
  seq: true,
  status: true,
  tier: true,
  riskGrade: true,
  department: true,
  streetCode: true,
  communityCode: true,
  outOfArea: true,
  deadlines: true,
});
export type CaseReceipt = z.infer<typeof CaseReceipt>;

export const CaseEventView = z.object({
  seq: z.number().int(),
  type: z.string(),
  action: z.string().nullable(),
  at: z.string(),
  recordedAt: z.string(),
  actor: z.string(),
  origin: z.string(),
  note: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
});
export type CaseEventView = z.infer<typeof CaseEventView>;

/** An alert as the API answers it (texts are built without personal data; walls get them masked too). */
export const AlertView = z.object({
  id: z.string(),
  kind: z.enum(ALERT_KINDS),
  severity: z.enum(ALERT_SEVERITIES),
  caseId: z.string(),
  stage: z.enum(DEADLINE_STAGES).nullable(),
  deadline: z.string().nullable(),
  /** When it was raised. */
  at: z.string(),
  seq: z.number().int(),
  text: z.string(),
  ackedAt: z.string().nullable(),
  ackedBy: z.string().nullable(),
  /** The cases it names: its own case, or the first 50 of an early warning's or a day's (oldest first, growing). */
  caseIds: z.array(z.string()),
  /** How many cases it is about in all. */
  caseCount: z.number().int(),
  /** When an early warning last grew. */
  updatedAt: z.string().nullable(),
});
export type AlertView = z.infer<typeof AlertView>;

export const ErrorBody = z.object({
  error: z.string(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** The cohort figures of RULES.md F1–F4 and the open count, for the district or one group. */
const CohortFigures = z.object({
  received: z.number().int(),
  resolved: z.number().int(),
  resolutionRate: z.number().nullable(),
  onTimeRate: z.number().nullable(),
  satisfactionRate: z.number().nullable(),
  open: z.number().int(),
});

/** One group's figures (a channel, category, street, community or department); `open` is within the cohort. */
export const GroupFigures = CohortFigures.extend({ key: z.string(), name: z.string() });
export type GroupFigures = z.infer<typeof GroupFigures>;

/** One department's community-order execution (RULES ORD2, ORD6). */
export const OrderExecution = z.object({
  key: z.string(),
  /** Times it was summoned in the window. */
  summonses: z.number().int(),
  /** Of those, arrived or past their deadline (judged). */
  due: z.number().int(),
  onTime: z.number().int(),
  /** onTime ÷ due; null with none due. */
  executionRate: z.number().nullable(),
});

/** Community orders issued in the window (社区发令、部门执行) and how they were executed. */
export const OrderFigures = z.object({
  issued: z.number().int(),
  summonses: z.number().int(),
  due: z.number().int(),
  onTime: z.number().int(),
  executionRate: z.number().nullable(),
  /** Departments summoned, most summoned first. */
  byDepartment: z.array(OrderExecution),
});
export type OrderFigures = z.infer<typeof OrderFigures>;

/** GET /api/stats/summary; `open`, `atRisk` and `breached` are open cases now (F5). */
export const Summary = CohortFigures.extend({
  seq: z.number().int(),
  from: z.string(),
  to: z.string(),
  /** The street these figures are for (F11); null for the whole district. */
  street: z.string().nullable(),
  atRisk: z.number().int(),
  breached: z.number().int(),
  /** Lower median of whole minutes from receipt to the first handling action (F10). */
  medianResponseMinutes: z.number().int().nullable(),
  /**
   * Cases of the cohort re-handled by their department head after an unsatisfied return visit
   * (一把手重办, RV2), and how that ended: resolved again, then satisfied or still unsatisfied.
   */
  rehandled: z.object({ cases: z.number().int(), resolved: z.number().int(), satisfied: z.number().int(), unsatisfied: z.number().int() }),
  orders: OrderFigures,
  byChannel: z.array(GroupFigures),
  byCategory: z.array(GroupFigures),
  byStreet: z.array(GroupFigures),
  byCommunity: z.array(GroupFigures),
  byDepartment: z.array(GroupFigures),
});
export type Summary = z.infer<typeof Summary>;

/** One department summoned by a community order, as the API shows it (RULES ORD1). */
export const SummonsView = z.object({
  department: z.string(),
  departmentName: z.string(),
  rank: z.string(),
  arriveBy: z.string(),
  arrivedAt: z.string().nullable(),
  arrivedRank: z.string().nullable(),
  /** pending · on_time · late (not arrived, deadline passed) · not_on_time (late or below the rank). */
  state: z.enum(['pending', 'on_time', 'late', 'not_on_time']),
});

/** A community order (社区发令) with its summonses. */
export const OrderView = z.object({
  id: z.string(),
  externalId: z.string().nullable(),
  communityCode: z.string(),
  communityName: z.string(),
  streetCode: z.string(),
  caseId: z.string().nullable(),
  title: z.string(),
  issuedAt: z.string(),
  issuedBy: z.string(),
  resolveBy: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  resolution: z.string().nullable(),
  demo: z.boolean(),
  summonses: z.array(SummonsView),
});
export type OrderView = z.infer<typeof OrderView>;
