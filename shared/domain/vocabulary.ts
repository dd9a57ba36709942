/**
 * The fixed value sets of the domain: channels, urgencies, tiers, risk grades, satisfaction.
 * Kept in one small file so every other module (and the wire schemas) derive their types from it.
 */

/** Where a case came from (多渠道收集). */
export const CHANNELS = [
  'hotline_12345',
  'app',
  'wechat',
  'grid',
  'hall',
  'secretary_online',
  'letters_visits',
  'proactive',
] as const;
export type Channel = (typeof CHANNELS)[number];

/** How urgent the reporter or the intake clerk says the case is. */
export const URGENCIES = ['normal', 'urgent', 'emergency'] as const;
export type Urgency = (typeof URGENCIES)[number];

/** Deadline tiers (DESIGN.md SLA table). */
export const TIERS = ['urgent', 'important', 'general'] as const;
export type Tier = (typeof TIERS)[number];

/** Risk grades, lowest first. */
export const RISK_GRADES = ['green', 'yellow', 'red'] as const;
export type RiskGrade = (typeof RISK_GRADES)[number];

/** A citizen's evaluation at the return visit (回访评价). */
export const SATISFACTIONS = ['satisfied', 'basically_satisfied', 'unsatisfied'] as const;
export type Satisfaction = (typeof SATISFACTIONS)[number];

/** The three deadline stages of a case. */
export const DEADLINE_STAGES = ['respond', 'accept', 'resolve'] as const;
export type DeadlineStage = (typeof DEADLINE_STAGES)[number];

/** How each channel is named on the wall. */
export const CHANNEL_NAMES: Readonly<Record<Channel, { zh: string; en: string }>> = {
  hotline_12345: { zh: '12345热线', en: '12345 hotline' },
  app: { zh: 'i深圳', en: 'i Shenzhen app' },
  wechat: { zh: '微信', en: 'WeChat' },
  grid: { zh: '网格上报', en: 'Grid report' },
  hall: { zh: '窗口受理', en: 'Service hall' },
  secretary_online: { zh: '书记在线', en: 'Secretary online' },
  letters_visits: { zh: '信访', en: 'Letters & visits' },
  proactive: { zh: '主动发现', en: 'Proactive' },
};
