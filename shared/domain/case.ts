/**
 * The closed loop of a case (收集-分拨-处置-监管-评价) as a pure state machine.
 *
 * `applyAction` decides whether a move is legal and what it changes; it never reads a clock or a
 * database: the caller passes the event time and anything that needs other modules (a new resolve
 * deadline on reopen, whether a merge target exists). The case engine on the server composes it
 * with routing, deadlines and risk, and writes the result with its event in one transaction.
 */
import type { DeadlineStage, RiskGrade, Satisfaction } from './vocabulary.js';

/** Where a case is in its lifecycle. */
export const STATUSES = [
  'received', //  受理
  'dispatched', // 分拨
  'accepted', //  签收
  'in_progress', // 处置
  'resolved', //  办结
  'evaluated', // 回访评价
  'closed', //    归档
  'returned', //  退单: a department said "not ours"; back to dispatch
  'reopened', //  重办: the citizen was unsatisfied; the department head re-handles
  'merged', //    duplicate of another case
] as const;
export type Status = (typeof STATUSES)[number];

/** Statuses after which the case no longer counts as open work. */
export const DONE_STATUSES: readonly Status[] = ['resolved', 'evaluated', 'closed', 'merged'];

export function isOpen(status: Status): boolean {
  return !DONE_STATUSES.includes(status);
}

/** What an actor can do to a case. */
export const ACTIONS = [
  'dispatch',
  'accept',
  'start',
  'resolve',
  'evaluate',
  'close',
  'return',
  'reopen',
  'escalate',
  'merge',
  'cohandle',
] as const;
export type Action = (typeof ACTIONS)[number];

export const ESCALATION_LEVELS = ['street', 'district'] as const;
export type EscalationLevel = (typeof ESCALATION_LEVELS)[number];

/** Legal source statuses per action. `escalate` and `cohandle` keep the status. */
export const LEGAL_FROM: Readonly<Record<Action, readonly Status[]>> = {
  dispatch: ['received', 'returned'],
  accept: ['dispatched'],
  start: ['accepted', 'reopened'],
  resolve: ['accepted', 'in_progress', 'reopened'],
  evaluate: ['resolved'],
  close: ['resolved', 'evaluated'],
  return: ['dispatched', 'accepted'],
  reopen: ['resolved', 'evaluated'],
  escalate: ['received', 'dispatched', 'accepted', 'in_progress', 'returned', 'reopened'],
  merge: ['received', 'dispatched', 'accepted', 'in_progress', 'returned', 'reopened'],
  cohandle: ['dispatched', 'accepted', 'in_progress', 'reopened'],
};

/** The part of a case the state machine reads and changes. */
export interface LifecycleState {
  status: Status;
  department: string;
  coDepartments: readonly string[];
  escalationLevel: EscalationLevel | null;
  riskGrade: RiskGrade;
  /** First handling action (dispatch or accept): stops the respond clock. */
  respondedAt: Date | null;
  acceptedAt: Date | null;
  resolvedAt: Date | null;
  evaluatedAt: Date | null;
  closedAt: Date | null;
  satisfaction: Satisfaction | null;
  mergedInto: string | null;
  returnCount: number;
  reopenCount: number;
  /** When the running resolve clock started: intake, or the latest reopen. */
  resolveStartedAt: Date;
  resolveBy: Date;
  /** Why the case closed: evaluated, or not evaluated in time. */
  closeReason: 'evaluated' | 'not_evaluated' | null;
}

/** The lifecycle of a case just received: routed to `department`, nothing done yet. */
export function newLifecycle(init: Pick<LifecycleState, 'department' | 'riskGrade' | 'resolveStartedAt' | 'resolveBy'>): LifecycleState {
  return {
    status: 'received',
    coDepartments: [],
    escalationLevel: null,
    respondedAt: null,
    acceptedAt: null,
    resolvedAt: null,
    evaluatedAt: null,
    closedAt: null,
    satisfaction: null,
    mergedInto: null,
    returnCount: 0,
    reopenCount: 0,
    closeReason: null,
    ...init,
  };
}

/** A command as the API receives it (already shape-validated). */
export interface ActionCommand {
  action: Action;
  note?: string;
  department?: string;
  departments?: readonly string[];
  satisfaction?: Satisfaction;
  level?: EscalationLevel;
  intoCaseId?: string;
}

/** What the caller supplies from outside the state machine. */
export interface ActionContext {
  at: Date;
  caseId: string;
  /** The resolve deadline a reopen starts (computed by the SLA module from `at`). */
  reopenResolveBy?: Date;
  /** Whether a department code exists in the duty list. */
  isDepartment: (code: string) => boolean;
  /** The merge target's status, or undefined when there is no such case. */
  mergeTargetStatus?: Status;
}

export type ActionRejection = {
  ok: false;
  /** `illegal` → 409 (wrong state), `invalid` → 400 (a field is missing or wrong). */
  kind: 'illegal' | 'invalid';
  field?: string;
  reason: string;
};

export type ActionOutcome =
  | { ok: true; next: LifecycleState; changes: Partial<LifecycleState> }
  | ActionRejection;

/**
 * The deadline stages still running for a case in `state`: a stage stops once its action happened,
 * and nothing runs once the case is done.
 */
export function pendingStages(state: Pick<LifecycleState, 'status' | 'respondedAt' | 'acceptedAt'>): DeadlineStage[] {
  if (!isOpen(state.status)) return [];
  const stages: DeadlineStage[] = [];
  if (!state.respondedAt) stages.push('respond');
  if (!state.acceptedAt) stages.push('accept');
  stages.push('resolve');
  return stages;
}

function illegal(state: LifecycleState, command: ActionCommand): ActionRejection {
  const allowed = LEGAL_FROM[command.action].join(', ');
  return {
    ok: false,
    kind: 'illegal',
    reason: `cannot ${command.action} a case that is ${state.status} (allowed from: ${allowed})`,
  };
}

function invalid(field: string, reason: string): ActionRejection {
  return { ok: false, kind: 'invalid', field, reason };
}

/** The note on the reopen a return visit starts (RULES RV1). */
export const HEAD_REHANDLE_NOTE = '回访不满意，按“一把手重办”机制由部门主要负责人领办';

/**
 * Satisfaction return visits (回访, RULES RV1): the first `unsatisfied` evaluation of a case reopens
 * it at once for the head of its department (一把手重办), with a new resolve deadline. A case the
 * head has already re-handled and that is still unsatisfied is not reopened again: it stays
 * evaluated, counted as unsatisfied after re-handling, and closes as any other.
 */
export function returnVisitReopens(before: Pick<LifecycleState, 'reopenCount'>, command: Pick<ActionCommand, 'action' | 'satisfaction'>): boolean {
  return command.action === 'evaluate' && command.satisfaction === 'unsatisfied' && before.reopenCount === 0;
}

/** Applies one action to a case; rejects illegal moves with a reason naming the state or field. */
export function applyAction(state: LifecycleState, command: ActionCommand, ctx: ActionContext): ActionOutcome {
  if (!LEGAL_FROM[command.action].includes(state.status)) return illegal(state, command);
  const changes = changesFor(state, command, ctx);
  if ('ok' in changes) return changes;
  return { ok: true, next: { ...state, ...changes }, changes };
}

function changesFor(
  state: LifecycleState,
  command: ActionCommand,
  ctx: ActionContext,
): Partial<LifecycleState> | ActionRejection {
  const at = ctx.at;
  const respondedAt = state.respondedAt ?? at;
  switch (command.action) {
    case 'dispatch': {
      const department = command.department ?? state.department;
      if (!ctx.isDepartment(department)) return invalid('department', `unknown department "${department}"`);
      return { status: 'dispatched', department, respondedAt };
    }
    case 'accept':
      return { status: 'accepted', respondedAt, acceptedAt: state.acceptedAt ?? at };
    case 'start':
      return { status: 'in_progress' };
    case 'resolve':
      return { status: 'resolved', resolvedAt: at };
    case 'evaluate':
      if (!command.satisfaction) return invalid('satisfaction', 'evaluate needs satisfaction');
      return { status: 'evaluated', evaluatedAt: at, satisfaction: command.satisfaction };
    case 'close':
      return {
        status: 'closed',
        closedAt: at,
        closeReason: state.status === 'evaluated' ? 'evaluated' : 'not_evaluated',
      };
    case 'return':
      if (!command.note?.trim()) return invalid('note', 'return needs a note saying why the case is not ours');
      return { status: 'returned', acceptedAt: null, returnCount: state.returnCount + 1 };
    case 'reopen':
      if (!ctx.reopenResolveBy) return invalid('reopen', 'reopen needs a new resolve deadline');
      return {
        status: 'reopened',
        resolvedAt: null,
        evaluatedAt: null,
        satisfaction: null,
        reopenCount: state.reopenCount + 1,
        resolveStartedAt: at,
        resolveBy: ctx.reopenResolveBy,
      };
    case 'escalate': {
      const level = command.level ?? (state.escalationLevel === 'street' ? 'district' : 'street');
      if (state.escalationLevel === 'district' || (state.escalationLevel === 'street' && level === 'street')) {
        return { ok: false, kind: 'illegal', reason: `case is already escalated to ${state.escalationLevel}` };
      }
      return { escalationLevel: level };
    }
    case 'merge': {
      if (!command.intoCaseId) return invalid('intoCaseId', 'merge needs intoCaseId');
      if (command.intoCaseId === ctx.caseId) return invalid('intoCaseId', 'a case cannot be merged into itself');
      if (!ctx.mergeTargetStatus) return invalid('intoCaseId', `no case "${command.intoCaseId}"`);
      if (ctx.mergeTargetStatus === 'merged') {
        return invalid('intoCaseId', `case "${command.intoCaseId}" is itself merged; merge into the case it was merged into`);
      }
      return { status: 'merged', mergedInto: command.intoCaseId, closedAt: at };
    }
    case 'cohandle': {
      const departments = command.departments ?? [];
      if (departments.length === 0) return invalid('departments', 'cohandle needs at least one department');
      const unknown = departments.find((code) => !ctx.isDepartment(code));
      if (unknown) return invalid('departments', `unknown department "${unknown}"`);
      const added = departments.filter((code) => code !== state.department && !state.coDepartments.includes(code));
      return { coDepartments: [...state.coDepartments, ...added] };
    }
    default: {
      const exhaustive: never = command.action;
      return invalid('action', `unknown action ${String(exhaustive)}`);
    }
  }
}
