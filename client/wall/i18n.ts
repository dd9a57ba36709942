/**
 * The wall's words in Chinese (the default) and English (`?lang=en`): labels, panel titles, alert
 * kinds, and English names for the groups the server names in Chinese, looked up in /api/config.
 */
import { CHANNEL_NAMES, type Channel } from '../../shared/domain/vocabulary.js';
import type { AlertView } from '../../shared/protocol/payloads.js';
import type { GroupDimension } from '../../shared/protocol/figures.js';

export type Lang = 'zh' | 'en';

type Rehandled = { satisfied: number; unsatisfied: number };
type Execution = { onTime: number; due: number };

export const WORDS = {
  zh: {
    title: '民生诉求指挥大屏',
    kpi: {
      received: '今日受理',
      resolved: '今日办结',
      resolutionRate: '化解率',
      onTimeRate: '按时办结率',
      satisfactionRate: '满意率',
      open: '在办',
      atRisk: '临期预警',
      breached: '已超期',
      executionRate: '发令执行率·7日',
      rehandled: '一把手重办·7日',
    },
    executionDetail: (o: Execution) => `按时 ${o.onTime} / 应到 ${o.due}`,
    rehandledDetail: (r: Rehandled) => `满意 ${r.satisfied} · 仍不满意 ${r.unsatisfied}`,
    hourly: '24小时受理与办结',
    channels: '今日渠道构成',
    categories: '今日诉求类别',
    streets: '街道排名 · 今日',
    departments: '部门办理 · 近7日',
    alerts: '预警',
    latest: '最新诉求',
    columns: { received: '受理', resolutionRate: '办结率', onTimeRate: '按时率', satisfactionRate: '满意率', executionRate: '发令执行', open: '在办' },
    live: '实时',
    connecting: '连接中…',
    staleSince: (time: string) => `数据停在 ${time}`,
    needToken: '需要登录：用大屏链接（/?code=…）打开',
    soundOff: '声音未开启 · 点击开启',
    soundOffKiosk: '声音未开启',
    soundOn: '声音已开启',
    noAlerts: '暂无未处理预警',
    legend: { cells: '风险网格', breached: '已超期', red: '红色诉求', risk: '风险（对比常态）', service: '500米服务圈', inside: '今日圈内' },
    riskLevels: { low: '低', medium: '中 ≥1.5倍', high: '高 ≥2倍', severe: '极高 ≥3倍·前5%' },
    stages: { respond: '响应', accept: '签收', resolve: '办结' },
    kinds: { sla_at_risk: '即将超期', sla_breached: '已超期', red_case: '红色诉求', group_dispute: '群体性诉求', recurring: '同类问题反复出现', surge: '诉求激增', day_red: '日终红色清单', order_late: '发令未按时报到' },
    unknownPlace: '位置未知',
  },
  en: {
    title: 'Citizen Appeals',
    kpi: {
      received: 'Received today',
      resolved: 'Resolved today',
      resolutionRate: 'Resolution rate',
      onTimeRate: 'On time',
      satisfactionRate: 'Satisfied',
      open: 'Open',
      atRisk: 'At risk',
      breached: 'Breached',
      executionRate: 'Orders on time, 7d',
      rehandled: 'Re-handled, 7d',
    },
    executionDetail: (o: Execution) => `on time ${o.onTime} of ${o.due}`,
    rehandledDetail: (r: Rehandled) => `satisfied ${r.satisfied} · still not ${r.unsatisfied}`,
    hourly: 'Intake and resolved, last 24 hours',
    channels: 'Channels today',
    categories: 'Categories today',
    streets: 'Streets · today',
    departments: 'Departments · 7 days',
    alerts: 'Alerts',
    latest: 'Newest cases',
    columns: { received: 'In', resolutionRate: 'Done', onTimeRate: 'On time', satisfactionRate: 'Satisfied', executionRate: 'Orders', open: 'Open' },
    live: 'Live',
    connecting: 'Connecting…',
    staleSince: (time: string) => `Stale since ${time}`,
    needToken: 'Not signed in: open the wall link (/?code=…)',
    soundOff: 'Sound off · click to arm',
    soundOffKiosk: 'Sound off',
    soundOn: 'Sound on',
    noAlerts: 'No open alerts',
    legend: { cells: 'Risk hexagons', breached: 'Breached', red: 'Red case', risk: 'Risk (against the usual place)', service: '500 m service circles', inside: 'today inside' },
    riskLevels: { low: 'low', medium: 'medium ≥1.5×', high: 'high ≥2×', severe: 'severe ≥3× · top 5 %' },
    stages: { respond: 'Respond', accept: 'Accept', resolve: 'Resolve' },
    kinds: { sla_at_risk: 'at risk', sla_breached: 'breached', red_case: 'Red case', group_dispute: 'Group dispute', recurring: 'Recurring problem', surge: 'Surge', day_red: 'End-of-day red list', order_late: 'Summons not answered' },
    unknownPlace: 'Location unknown',
  },
} as const;

export type Words = (typeof WORDS)[Lang];

export function langFromUrl(): Lang {
  return new URL(window.location.href).searchParams.get('lang') === 'en' ? 'en' : 'zh';
}

/** The part of GET /api/config that names things in English. */
type Named = { code: string; name: string; nameEn: string };

export interface NamedConfig {
  jurisdiction: { streets: readonly Named[]; communities: readonly Named[] };
  taxonomy: { categories: readonly Named[]; departments: readonly Named[] };
}

/** English names by dimension and code, and by Chinese name (for the names inside alert texts). */
export function englishNames(config: NamedConfig): { byKey: Record<GroupDimension, Record<string, string>>; byChinese: Record<string, string> } {
  const byKey: Record<GroupDimension, Record<string, string>> = {
    channel: Object.fromEntries(Object.entries(CHANNEL_NAMES).map(([code, n]) => [code, n.en])),
    category: Object.fromEntries(config.taxonomy.categories.map((c) => [c.code, c.nameEn])),
    street: Object.fromEntries(config.jurisdiction.streets.map((s) => [s.code, s.nameEn.replace(/ Subdistrict$/, '')])),
    community: Object.fromEntries(config.jurisdiction.communities.map((c) => [c.code, c.nameEn])),
    department: Object.fromEntries(config.taxonomy.departments.map((d) => [d.code, d.nameEn])),
  };
  const byChinese: Record<string, string> = {};
  for (const list of [config.taxonomy.categories, config.jurisdiction.streets, config.taxonomy.departments]) for (const n of list) byChinese[n.name] = n.nameEn;
  for (const [, n] of Object.entries(CHANNEL_NAMES) as [Channel, { zh: string; en: string }][]) byChinese[n.zh] = n.en;
  // The places and groups of alerts about the whole district (surges, the end-of-day list).
  Object.assign(byChinese, { 全区: 'District', 全部类别: 'All categories' });
  return { byKey, byChinese };
}

/**
 * An alert as the wall lines it up: what happened, then where (category · place). The server's
 * text is `what · case · category · place` (early warnings: `what · baseline · category · place`);
 * the second part is left for the console.
 */
export function alertLine(alert: AlertView, words: Words, byChinese: Record<string, string> | null): { what: string; where: string } {
  const parts = alert.text.split(' · ');
  const deadline = alert.kind === 'sla_at_risk' || alert.kind === 'sla_breached';
  const what = deadline ? `${words.stages[alert.stage ?? 'resolve']} ${words.kinds[alert.kind]}` : words.kinds[alert.kind];
  const where = parts.slice(2).map((p) => (byChinese ? (byChinese[p] ?? p) : p));
  return { what: byChinese ? what : (parts[0] ?? what), where: where.join(' · ') };
}
