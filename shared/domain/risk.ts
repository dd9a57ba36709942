/**
 * Risk grade of a case (green / yellow / red) from the people involved, the money at stake, the
 * urgency, sensitive categories and repeat complaints (涉及人数、紧急程度、涉案金额).
 *
 * The reading of DESIGN.md's thresholds, applied in this order (RISK1–RISK5):
 * 1. red if people ≥ red.people, amount ≥ red.amountCny, or a *safety emergency*: urgency
 *    'emergency' in one of `safetyCategories` (fire, gas, flooding, food poisoning, violence…);
 * 2. otherwise yellow if people ≥ yellow.people, amount ≥ yellow.amountCny, or the urgency is
 *    'urgent' or 'emergency' (an emergency outside the safety categories is at least urgent);
 * 3. otherwise green;
 * 4. a sensitive category (wage arrears, disputes) lifts green to yellow;
 * 5. then repeat complaints (repeatCount ≥ repeatThreshold) lift the grade one step, yellow → red
 *    included, so a dispute or wage claim that keeps coming back reaches the leaders' red list.
 * `reasons` lists every rule that applied, in that order; a plain green case has none.
 */
import { RISK_GRADES, type RiskGrade, type Urgency } from './vocabulary.js';

export interface RiskConfig {
  red: { people: number; amountCny: number };
  yellow: { people: number; amountCny: number };
  /** Category codes whose cases are never green (group and wage conflicts escalate). */
  sensitiveCategories: string[];
  /** Category codes where an 'emergency' means danger to life or property: red. */
  safetyCategories: string[];
  /** Earlier cases of the same reporter or place and category from which a case counts as a repeat. */
  repeatThreshold: number;
}

export const DEFAULT_RISK: RiskConfig = {
  red: { people: 30, amountCny: 1_000_000 },
  yellow: { people: 5, amountCny: 100_000 },
  sensitiveCategories: ['labour_wages', 'disputes'],
  safetyCategories: ['fire_safety', 'public_security', 'water', 'market_food', 'housing_property'],
  repeatThreshold: 2,
};

export interface RiskInput {
  peopleInvolved: number;
  amountCny: number;
  urgency: Urgency;
  category: string;
  /** Earlier open-or-recent cases of the same reporter/place + category. */
  repeatCount: number;
}

function raise(grade: RiskGrade): RiskGrade {
  return RISK_GRADES[Math.min(RISK_GRADES.indexOf(grade) + 1, RISK_GRADES.length - 1)] ?? grade;
}

/** Grades a case and says why (short codes such as 'people>=30', 'safety_emergency', 'repeat'). */
export function gradeRisk(input: RiskInput, cfg: RiskConfig): { grade: RiskGrade; reasons: string[] } {
  const red: string[] = [];
  const yellow: string[] = [];
  const safety = cfg.safetyCategories.includes(input.category);

  if (input.peopleInvolved >= cfg.red.people) red.push(`people>=${cfg.red.people}`);
  else if (input.peopleInvolved >= cfg.yellow.people) yellow.push(`people>=${cfg.yellow.people}`);

  if (input.amountCny >= cfg.red.amountCny) red.push(`amount>=${cfg.red.amountCny}`);
  else if (input.amountCny >= cfg.yellow.amountCny) yellow.push(`amount>=${cfg.yellow.amountCny}`);

  if (input.urgency === 'emergency' && safety) red.push('safety_emergency');
  else if (input.urgency === 'emergency') yellow.push('emergency');
  else if (input.urgency === 'urgent') yellow.push('urgent');

  let grade: RiskGrade = red.length > 0 ? 'red' : yellow.length > 0 ? 'yellow' : 'green';
  const reasons = [...red, ...yellow];

  if (cfg.sensitiveCategories.includes(input.category)) {
    reasons.push('sensitive_category');
    if (grade === 'green') grade = 'yellow';
  }
  if (input.repeatCount >= cfg.repeatThreshold) {
    reasons.push('repeat');
    grade = raise(grade);
  }
  return { grade, reasons };
}
