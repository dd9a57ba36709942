import { describe, expect, it } from 'vitest';
import {
  ACTIONS,
  LEGAL_FROM,
  STATUSES,
  applyAction,
  newLifecycle,
  pendingStages,
  returnVisitReopens,
  type ActionCommand,
  type ActionContext,
  type LifecycleState,
  type Status,
} from './case.js';

const T0 = new Date('2026-11-23T02:00:00Z');
const AT = new Date('2026-11-23T03:00:00Z');

function state(status: Status, extra: Partial<LifecycleState> = {}): LifecycleState {
  const fresh = newLifecycle({
    department: 'urban_management',
    riskGrade: 'green',
    resolveStartedAt: T0,
    resolveBy: new Date('2026-11-30T02:00:00Z'),
  });
  return { ...fresh, status, ...extra };
}

const ctx: ActionContext = {
  at: AT,
  caseId: 'GM20261123-000001',
  reopenResolveBy: new Date('2026-11-26T03:00:00Z'),
  isDepartment: (code) => ['urban_management', 'housing', 'dispatch_centre'].includes(code),
  mergeTargetStatus: 'in_progress',
};

/** A command that is well formed for its action, so only the state decides legality. */
function complete(action: ActionCommand['action']): ActionCommand {
  return {
    action,
    note: 'not within our duty list',
    department: 'housing',
    departments: ['housing'],
    satisfaction: 'satisfied',
    level: 'street',
    intoCaseId: 'GM20261123-000002',
  };
}

describe('case lifecycle', () => {
  for (const action of ACTIONS) {
    for (const status of STATUSES) {
      const legal = LEGAL_FROM[action].includes(status);
      it(`[CASE1] ${action} from ${status} is ${legal ? 'legal' : 'rejected as illegal'}`, () => {
        const outcome = applyAction(state(status), complete(action), ctx);
        if (legal) {
          expect(outcome.ok).toBe(true);
        } else {
          expect(outcome).toMatchObject({ ok: false, kind: 'illegal' });
          if (!outcome.ok) expect(outcome.reason).toContain(`cannot ${action} a case that is ${status}`);
        }
      });
    }
  }

  it('[CASE2] the main loop walks 受理 → 分拨 → 签收 → 处置 → 办结 → 回访评价 → 归档', () => {
    let s = state('received');
    const walk: ActionCommand[] = [
      { action: 'dispatch' },
      { action: 'accept' },
      { action: 'start' },
      { action: 'resolve' },
      { action: 'evaluate', satisfaction: 'basically_satisfied' },
      { action: 'close' },
    ];
    const seen: Status[] = [];
    for (const command of walk) {
      const outcome = applyAction(s, command, ctx);
      if (!outcome.ok) throw new Error(outcome.reason);
      s = outcome.next;
      seen.push(s.status);
    }
    expect(seen).toEqual(['dispatched', 'accepted', 'in_progress', 'resolved', 'evaluated', 'closed']);
    expect(s.respondedAt).toEqual(AT);
    expect(s.acceptedAt).toEqual(AT);
    expect(s.closeReason).toBe('evaluated');
    expect(s.satisfaction).toBe('basically_satisfied');
  });

  it('[CASE3] respond stops at the first handling action, dispatch or accept', () => {
    const dispatched = applyAction(state('received'), { action: 'dispatch' }, ctx);
    expect(dispatched.ok && dispatched.next.respondedAt).toEqual(AT);
    const earlier = new Date('2026-11-23T02:30:00Z');
    const accepted = applyAction(state('dispatched', { respondedAt: earlier }), { action: 'accept' }, ctx);
    expect(accepted.ok && accepted.next.respondedAt).toEqual(earlier);
  });

  it('[CASE4] a return needs a reason, clears the acceptance and goes back to dispatch', () => {
    expect(applyAction(state('accepted'), { action: 'return' }, ctx)).toMatchObject({ ok: false, kind: 'invalid', field: 'note' });
    const outcome = applyAction(state('accepted', { acceptedAt: T0 }), { action: 'return', note: '不属于本单位职责' }, ctx);
    expect(outcome.ok && outcome.next).toMatchObject({ status: 'returned', acceptedAt: null, returnCount: 1 });
    const redispatched = outcome.ok && applyAction(outcome.next, { action: 'dispatch', department: 'housing' }, ctx);
    expect(redispatched && redispatched.ok && redispatched.next).toMatchObject({ status: 'dispatched', department: 'housing' });
  });

  it('[CASE5] a reopen starts a new resolve deadline and clears the evaluation', () => {
    const s = state('evaluated', { resolvedAt: T0, evaluatedAt: T0, satisfaction: 'unsatisfied' });
    const outcome = applyAction(s, { action: 'reopen' }, ctx);
    expect(outcome.ok && outcome.next).toMatchObject({
      status: 'reopened',
      resolvedAt: null,
      satisfaction: null,
      reopenCount: 1,
      resolveStartedAt: AT,
      resolveBy: ctx.reopenResolveBy,
    });
    expect(applyAction(s, { action: 'reopen' }, { ...ctx, reopenResolveBy: undefined })).toMatchObject({ ok: false });
  });

  it('[CASE6] escalation goes street then district, never down or twice', () => {
    const once = applyAction(state('in_progress'), { action: 'escalate' }, ctx);
    expect(once.ok && once.next).toMatchObject({ status: 'in_progress', escalationLevel: 'street' });
    const twice = once.ok && applyAction(once.next, { action: 'escalate' }, ctx);
    expect(twice && twice.ok && twice.next.escalationLevel).toBe('district');
    const again = applyAction(state('in_progress', { escalationLevel: 'district' }), { action: 'escalate', level: 'street' }, ctx);
    expect(again).toMatchObject({ ok: false, kind: 'illegal' });
  });

  it('[CASE7] a merge needs an existing other case that is not itself merged', () => {
    const s = state('received');
    expect(applyAction(s, { action: 'merge' }, ctx)).toMatchObject({ ok: false, field: 'intoCaseId' });
    expect(applyAction(s, { action: 'merge', intoCaseId: ctx.caseId }, ctx)).toMatchObject({ ok: false, field: 'intoCaseId' });
    expect(applyAction(s, { action: 'merge', intoCaseId: 'X' }, { ...ctx, mergeTargetStatus: undefined })).toMatchObject({
      ok: false,
      reason: 'no case "X"',
    });
    expect(applyAction(s, { action: 'merge', intoCaseId: 'X' }, { ...ctx, mergeTargetStatus: 'merged' })).toMatchObject({ ok: false });
    const merged = applyAction(s, { action: 'merge', intoCaseId: 'X' }, ctx);
    expect(merged.ok && merged.next).toMatchObject({ status: 'merged', mergedInto: 'X' });
  });

  it('[CASE8] co-handling adds known departments once and rejects unknown ones', () => {
    const s = state('accepted', { coDepartments: ['housing'] });
    const outcome = applyAction(s, { action: 'cohandle', departments: ['housing', 'dispatch_centre', 'urban_management'] }, ctx);
    expect(outcome.ok && outcome.next.coDepartments).toEqual(['housing', 'dispatch_centre']);
    expect(applyAction(s, { action: 'cohandle', departments: ['nope'] }, ctx)).toMatchObject({ ok: false, field: 'departments' });
  });

  it('[CASE9] a dispatch to an unknown department is rejected naming it', () => {
    expect(applyAction(state('received'), { action: 'dispatch', department: 'nope' }, ctx)).toMatchObject({
      ok: false,
      field: 'department',
      reason: 'unknown department "nope"',
    });
  });

  it('[CASE10] closing a resolved case that was never evaluated records why', () => {
    const outcome = applyAction(state('resolved', { resolvedAt: T0 }), { action: 'close' }, ctx);
    expect(outcome.ok && outcome.next.closeReason).toBe('not_evaluated');
  });

  it('[CASE11] pending deadline stages stop once their action happened and when the case is done', () => {
    expect(pendingStages(state('received'))).toEqual(['respond', 'accept', 'resolve']);
    expect(pendingStages(state('dispatched', { respondedAt: T0 }))).toEqual(['accept', 'resolve']);
    expect(pendingStages(state('in_progress', { respondedAt: T0, acceptedAt: T0 }))).toEqual(['resolve']);
    expect(pendingStages(state('resolved', { respondedAt: T0, acceptedAt: T0 }))).toEqual([]);
  });

  it('[RV1] the first unsatisfied evaluation reopens the case for the department head; a second one does not', () => {
    expect(returnVisitReopens({ reopenCount: 0 }, { action: 'evaluate', satisfaction: 'unsatisfied' })).toBe(true);
    expect(returnVisitReopens({ reopenCount: 1 }, { action: 'evaluate', satisfaction: 'unsatisfied' })).toBe(false);
    expect(returnVisitReopens({ reopenCount: 0 }, { action: 'evaluate', satisfaction: 'basically_satisfied' })).toBe(false);
    expect(returnVisitReopens({ reopenCount: 0 }, { action: 'close' })).toBe(false);
  });
});
