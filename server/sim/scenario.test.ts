// The demo scenario is pure: these tests replay its plans against the domain rules (state machine,
// deadlines, risk, jurisdiction) and check the shares the simulator promises in docs/simulator.md.
import { describe, expect, it } from 'vitest';
import { addCalendarDays } from '../../shared/domain/calendar.js';
import { applyAction, newLifecycle, returnVisitReopens, type LifecycleState } from '../../shared/domain/case.js';
import { gradeRisk } from '../../shared/domain/risk.js';
import { addDuration } from '../../shared/domain/sla.js';
import { DEFAULT_DOMAIN } from '../config.js';
import {
  CHANNEL_MIX,
  dayRefs,
  externalIdFor,
  parseExternalId,
  planCase,
  planDay,
  type CaseRef,
  type PlannedCase,
} from './scenario.js';

const SEED = 20190101;
const config = DEFAULT_DOMAIN;
const opts = { casesPerDay: 1200 };
/** A full week, Monday 2026-11-16 to Sunday 2026-11-22 (no public holidays). */
const WEEK = Array.from({ length: 7 }, (_, i) => addCalendarDays('2026-11-16', i));
const weekPlans: PlannedCase[] = WEEK.flatMap((date) => planDay(SEED, date, config, opts));

function shanghaiHour(at: Date): number {
  return new Date(at.getTime() + 8 * 3_600_000).getUTCHours();
}

function share(count: number, total: number): number {
  return count / total;
}

function initialState(plan: PlannedCase): LifecycleState {
  return newLifecycle({
    department: 'dispatch_centre',
    riskGrade: 'green',
    resolveStartedAt: plan.receivedAt,
    resolveBy: plan.tags.deadlines.resolveBy,
  });
}

describe('demo scenario', () => {
  it('[SIM1] the same seed and date give identical plans; another seed gives others', () => {
    const a = planDay(SEED, '2026-11-17', config, opts);
    const b = planDay(SEED, '2026-11-17', config, opts);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    const other = planDay(SEED + 1, '2026-11-17', config, opts);
    expect(JSON.stringify(other)).not.toBe(JSON.stringify(a));
  });

  it('[SIM1] a case is regenerated from its external id alone, and a different volume keeps the shared cases identical', () => {
    const plans = planDay(SEED, '2026-11-18', config, opts);
    for (const plan of plans.filter((_, i) => i % 37 === 0)) {
      const ref = parseExternalId(plan.externalId);
      expect(ref).not.toBeNull();
      expect(externalIdFor(ref!)).toBe(plan.externalId);
      expect(JSON.stringify(planCase(SEED, ref!, config, opts))).toBe(JSON.stringify(plan));
    }
    const smaller = planDay(SEED, '2026-11-18', config, { casesPerDay: 600 });
    const byId = new Map(plans.map((p) => [p.externalId, p]));
    const regulars = smaller.filter((p) => p.ref.kind === 'regular');
    expect(regulars.length).toBeGreaterThan(400);
    for (const plan of regulars) expect(JSON.stringify(byId.get(plan.externalId))).toBe(JSON.stringify(plan));
    expect(parseExternalId('GM20261118-000001')).toBeNull();
  });

  it('[SIM2] the day is quiet at 3 am and busy at 10 am; weekends carry about 65 % of a weekday', () => {
    const byHour = new Array<number>(24).fill(0);
    for (const plan of weekPlans) byHour[shanghaiHour(plan.receivedAt)]! += 1;
    expect(byHour[3]!).toBeGreaterThan(0);
    expect(byHour[3]! * 15).toBeLessThan(byHour[10]!);
    expect(byHour[10]!).toBeGreaterThan(byHour[13]!);
    expect(byHour[15]!).toBeGreaterThan(byHour[20]!);

    const perDay = WEEK.map((date) => dayRefs(SEED, date, config, opts).length);
    const weekday = (perDay[0]! + perDay[1]! + perDay[2]! + perDay[3]! + perDay[4]!) / 5;
    const weekend = (perDay[5]! + perDay[6]!) / 2;
    expect(weekday).toBeGreaterThan(1050);
    expect(weekday).toBeLessThan(1350);
    expect(weekend / weekday).toBeGreaterThan(0.55);
    expect(weekend / weekday).toBeLessThan(0.75);
    // Every case of a day is received on that day (Asia/Shanghai).
    for (const date of WEEK) {
      for (const plan of planDay(SEED, date, config, { casesPerDay: 100 })) {
        expect(new Date(plan.receivedAt.getTime() + 8 * 3_600_000).toISOString().slice(0, 10)).toBe(date);
      }
    }
  });

  it('[SIM3] every plan is a legal walk through the state machine, in time order, ending closed', () => {
    const isDepartment = (code: string) => config.taxonomy.department(code) !== undefined;
    for (const plan of weekPlans) {
      let state = initialState(plan);
      let previous = plan.receivedAt.getTime();
      for (const step of plan.steps) {
        expect(step.at.getTime()).toBeGreaterThanOrEqual(previous);
        previous = step.at.getTime();
        const reopenResolveBy = addDuration(step.at, config.sla.tiers[plan.tags.tier].resolve, config.calendar).at;
        const outcome = applyAction(state, step, { at: step.at, caseId: plan.externalId, reopenResolveBy, isDepartment });
        if (!outcome.ok) throw new Error(`${plan.externalId}: ${step.action} rejected: ${outcome.reason}`);
        // An unsatisfied first evaluation reopens the case by itself (RV1), as the writer does.
        const reopened = returnVisitReopens(state, step) ? applyAction(outcome.next, { action: 'reopen' }, { at: step.at, caseId: plan.externalId, reopenResolveBy, isDepartment }) : null;
        if (reopened && !reopened.ok) throw new Error(`${plan.externalId}: return-visit reopen rejected: ${reopened.reason}`);
        state = reopened?.ok ? reopened.next : outcome.next;
      }
      expect(state.status).toBe('closed');
    }
  });

  it('[SIM4] channel mix, urgency and category shares are within tolerance', () => {
    const total = weekPlans.length;
    for (const [channel, percent] of CHANNEL_MIX) {
      const n = weekPlans.filter((p) => p.input.channel === channel).length;
      expect(Math.abs(share(n, total) - percent / 100), channel).toBeLessThan(0.025);
    }
    const urgency = (u: string) => share(weekPlans.filter((p) => p.input.urgency === u).length, total);
    expect(urgency('normal')).toBeGreaterThan(0.86);
    expect(urgency('normal')).toBeLessThan(0.93);
    expect(urgency('urgent')).toBeGreaterThan(0.05);
    expect(urgency('urgent')).toBeLessThan(0.11);
    expect(urgency('emergency')).toBeGreaterThan(0.01);
    expect(urgency('emergency')).toBeLessThan(0.03);

    const categories = new Map<string, number>();
    for (const plan of weekPlans) categories.set(plan.input.category, (categories.get(plan.input.category) ?? 0) + 1);
    const ranked = [...categories.entries()].sort((a, b) => b[1] - a[1]).map(([code]) => code);
    expect(ranked.slice(0, 5).sort()).toEqual(['city_management', 'environment_noise', 'housing_property', 'labour_wages', 'transport']);
    expect(categories.size).toBe(config.taxonomy.categories.length);
  });

  it('[SIM4] red cases of every kind appear: groups of 30+, arrears of a million, safety emergencies', () => {
    const graded = weekPlans.map((p) => ({
      plan: p,
      risk: gradeRisk(
        {
          peopleInvolved: p.input.peopleInvolved ?? 1,
          amountCny: p.input.amountCny ?? 0,
          urgency: p.input.urgency ?? 'normal',
          category: p.input.category,
          repeatCount: 0,
        },
        config.risk,
      ),
    }));
    const red = graded.filter((g) => g.risk.grade === 'red');
    expect(share(red.length, weekPlans.length)).toBeGreaterThan(0.005);
    expect(share(red.length, weekPlans.length)).toBeLessThan(0.04);
    expect(red.some((g) => g.risk.reasons.includes('people>=30'))).toBe(true);
    expect(red.some((g) => g.risk.reasons.includes('safety_emergency'))).toBe(true);
    expect(graded.some((g) => g.risk.reasons.includes('amount>=1000000'))).toBe(true);
    // Red cases are escalated at once.
    for (const g of red) expect(g.plan.steps.some((s) => s.action === 'escalate')).toBe(true);
    // Wage arrears carry amounts; group disputes name their people.
    const wages = weekPlans.filter((p) => p.input.category === 'labour_wages' && p.input.item === 'wage_arrears');
    expect(wages.filter((p) => (p.input.amountCny ?? 0) > 0).length).toBeGreaterThan(wages.length / 2);
    const groups = weekPlans.filter((p) => (p.input.peopleInvolved ?? 1) >= 5);
    expect(groups.length).toBeGreaterThan(20);
    for (const p of groups) expect(p.input.peopleInvolved).toBeLessThanOrEqual(90);
  });

  it('[SIM4] some dispatches, accepts and resolves are late; some cases are returned, some reopened after an unsatisfied evaluation', () => {
    const total = weekPlans.length;
    const first = (p: PlannedCase, action: string) => p.steps.find((s) => s.action === action)!.at.getTime();
    const lateDispatch = weekPlans.filter((p) => first(p, 'dispatch') > p.tags.deadlines.respondBy.getTime()).length;
    const lastAccept = (p: PlannedCase) => [...p.steps].reverse().find((s) => s.action === 'accept')!.at.getTime();
    const lateAccept = weekPlans.filter((p) => lastAccept(p) > p.tags.deadlines.acceptBy.getTime()).length;
    const lateResolve = weekPlans.filter((p) => first(p, 'resolve') > p.tags.deadlines.resolveBy.getTime()).length;
    expect(share(lateDispatch, total)).toBeGreaterThan(0.025);
    expect(share(lateDispatch, total)).toBeLessThan(0.06);
    expect(share(lateAccept, total)).toBeGreaterThan(0.03);
    expect(share(lateAccept, total)).toBeLessThan(0.09);
    expect(share(lateResolve, total)).toBeGreaterThan(0.035);
    expect(share(lateResolve, total)).toBeLessThan(0.09);

    const returned = weekPlans.filter((p) => p.steps.some((s) => s.action === 'return'));
    expect(share(returned.length, total)).toBeGreaterThan(0.035);
    expect(share(returned.length, total)).toBeLessThan(0.065);
    for (const p of returned) {
      const i = p.steps.findIndex((s) => s.action === 'return');
      expect(p.steps[i]!.note).toMatch(/不属于本单位职责/);
      const redispatch = p.steps.slice(i + 1).find((s) => s.action === 'dispatch');
      const firstDispatch = p.steps.find((s) => s.action === 'dispatch');
      expect(redispatch?.department).toBeDefined();
      expect(redispatch?.department).not.toBe(firstDispatch?.department);
    }

    const evaluated = weekPlans.filter((p) => p.steps.some((s) => s.action === 'evaluate'));
    expect(share(evaluated.length, total)).toBeGreaterThan(0.8);
    expect(share(evaluated.length, total)).toBeLessThan(0.92);
    const unsatisfied = weekPlans.filter((p) => p.steps.some((s) => s.action === 'evaluate' && s.satisfaction === 'unsatisfied'));
    expect(unsatisfied.length).toBeGreaterThan(0);
    for (const p of unsatisfied) {
      // The first unsatisfied evaluation reopens by itself (RV1): the plan goes on to handle it again.
      expect(p.steps.some((s) => s.action === 'reopen')).toBe(false);
      const i = p.steps.findIndex((s) => s.action === 'evaluate' && s.satisfaction === 'unsatisfied');
      expect(p.steps.slice(i + 1).map((s) => s.action)).toContain('resolve');
    }
    expect(share(unsatisfied.length, total)).toBeGreaterThan(0.015);
    expect(share(unsatisfied.length, total)).toBeLessThan(0.06);

    // Never evaluated: closed evaluationDays after the resolve, as "not evaluated".
    const unevaluated = weekPlans.filter((p) => !p.steps.some((s) => s.action === 'evaluate'));
    for (const p of unevaluated) {
      const resolve = first(p, 'resolve');
      const close = p.steps.at(-1)!;
      expect(close.action).toBe('close');
      expect(close.at.getTime() - resolve).toBeGreaterThanOrEqual(config.evaluationDays * 86_400_000);
    }
  });

  it('[SIM5] coordinates lie inside the district except the deliberate few just outside; ~3 % give no coordinates', () => {
    const outside = weekPlans.filter((p) => p.tags.outOfArea);
    const noCoordinates = weekPlans.filter((p) => p.input.location?.lat === undefined);
    for (const plan of weekPlans) {
      const { lat, lng } = plan.input.location ?? {};
      if (lat === undefined || lng === undefined) continue;
      const placed = config.jurisdiction.locate(lat, lng);
      expect(placed.outOfArea, plan.externalId).toBe(plan.tags.outOfArea);
    }
    expect(share(outside.length, weekPlans.length)).toBeGreaterThan(0.002);
    expect(share(outside.length, weekPlans.length)).toBeLessThan(0.01);
    expect(share(noCoordinates.length, weekPlans.length)).toBeGreaterThan(0.015);
    expect(share(noCoordinates.length, weekPlans.length)).toBeLessThan(0.045);
    for (const plan of noCoordinates) expect(plan.input.location?.address).toBeTruthy();
    // Hotspots gather cases: the busiest community has well over its even share.
    const perCommunity = new Map<string, number>();
    for (const plan of weekPlans) {
      const { lat, lng } = plan.input.location ?? {};
      if (lat === undefined || lng === undefined || plan.tags.outOfArea) continue;
      const code = config.jurisdiction.locate(lat, lng).communityCode!;
      perCommunity.set(code, (perCommunity.get(code) ?? 0) + 1);
    }
    const even = weekPlans.length / config.jurisdiction.communities.length;
    expect(Math.max(...perCommunity.values())).toBeGreaterThan(1.5 * even);
    expect(weekPlans.filter((p) => p.tags.hotspot).length / weekPlans.length).toBeGreaterThan(0.2);
  });

  it('[SIM6] cases read like real appeals: Chinese titles, a reporter with a mobile number, a known item', () => {
    for (const plan of weekPlans.filter((_, i) => i % 11 === 0)) {
      expect(plan.input.title).toMatch(/[\u4e00-\u9fff]/);
      expect(plan.input.title).not.toMatch(/[{}]/);
      expect(plan.input.description).not.toMatch(/[{}]/);
      expect(plan.input.title.length).toBeLessThanOrEqual(60);
      if (plan.input.reporter?.phone) expect(plan.input.reporter.phone).toMatch(/^1[3-9]\d{9}$/);
      const category = config.taxonomy.category(plan.input.category);
      expect(category).toBeDefined();
      if (plan.input.item) expect(category!.items.some((i) => i.code === plan.input.item)).toBe(true);
      expect(plan.input.reportedAt).toMatch(/\+08:00$/);
      expect(new Date(plan.input.reportedAt!).getTime()).toBe(plan.receivedAt.getTime());
    }
  });

  it('[SIM6] a burst of related cases lands at one place within a few hours', () => {
    const bursts = new Map<string, PlannedCase[]>();
    for (const plan of weekPlans) {
      if (plan.ref.kind !== 'burst') continue;
      const key = `${plan.ref.date}#${plan.ref.burst}`;
      bursts.set(key, [...(bursts.get(key) ?? []), plan]);
    }
    expect(bursts.size).toBeGreaterThan(0);
    for (const members of bursts.values()) {
      const categories = new Set(members.map((m) => m.input.category));
      expect(categories.size).toBe(1);
      const times = members.map((m) => m.receivedAt.getTime());
      expect(Math.max(...times) - Math.min(...times)).toBeLessThanOrEqual(4 * 3_600_000);
    }
    const ref: CaseRef = { date: '2026-11-16', kind: 'burst', burst: 1, member: 0 };
    expect(parseExternalId(externalIdFor(ref))).toEqual(ref);
  });
});
