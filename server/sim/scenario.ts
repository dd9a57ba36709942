/**
 * The demo scenario: a pure, deterministic generator of believable Guangming appeal traffic.
 *
 * `planDay(seed, date, config, opts)` lists every case the simulator will receive on a civil date
 * (Asia/Shanghai) together with its whole planned life: when it is dispatched, accepted, started,
 * resolved, evaluated and closed, and the detours some cases take (退单 returns, escalations,
 * joint handling, an unsatisfied evaluation that reopens the case for 一把手重办). Steps may lie in the future;
 * the simulator writes the ones already past and applies the rest as their time comes.
 *
 * Every case is generated from its own random stream, keyed by (seed, date, index), so one case can
 * be regenerated from its external id alone (`planCase(parseExternalId(id))`), and changing the
 * day's volume only adds or removes cases: the others stay byte-identical, which keeps re-running
 * the backfill idempotent. Nothing here reads a clock; the config (jurisdiction, duty list, SLA,
 * calendar, risk) is an argument, so a custom district works too.
 */
import { addCalendarDays, isWorkingDay, shanghaiIso, shanghaiMidnight } from '../../shared/domain/calendar.js';
import type { Action, EscalationLevel } from '../../shared/domain/case.js';
import type { Community } from '../../shared/domain/jurisdiction.js';
import { gradeRisk } from '../../shared/domain/risk.js';
import { addDuration, computeDeadlines, tierFor, type Deadlines } from '../../shared/domain/sla.js';
import { DISPATCH_CENTRE, routeCase, type Category } from '../../shared/domain/taxonomy.js';
import type { Channel, Satisfaction, Tier, Urgency } from '../../shared/domain/vocabulary.js';
import type { CaseIntake } from '../../shared/protocol/payloads.js';
import type { DomainConfig } from '../config.js';
import { forKey, type Random, type WeightedEntry } from './random.js';

// ---------------------------------------------------------------------------------------------
// What a plan looks like.

/** One planned transition of a case. */
export interface PlannedStep {
  action: Action;
  at: Date;
  note?: string;
  department?: string;
  departments?: string[];
  satisfaction?: Satisfaction;
  level?: EscalationLevel;
}

/** Facts about a plan that tests and logs use; never sent to the server. */
export interface PlanTags {
  /** The hotspot the case belongs to, if any. */
  hotspot?: string;
  /** Deliberately placed just outside the district. */
  outOfArea: boolean;
  /** Part of a burst of related cases (e.g. a water outage), by burst number. */
  burst?: number;
  tier: Tier;
  deadlines: Deadlines;
}

/** A case as the simulator will send it, with its whole planned life. */
export interface PlannedCase {
  externalId: string;
  ref: CaseRef;
  input: Omit<CaseIntake, 'history'>;
  receivedAt: Date;
  steps: PlannedStep[];
  tags: PlanTags;
}

export interface PlanOptions {
  /** Cases on an ordinary working day; weekends get about 65 % of it. */
  casesPerDay: number;
}

/** Which case of which day: an ordinary one by index, or a member of one of the day's bursts. */
export type CaseRef =
  | { date: string; kind: 'regular'; index: number }
  | { date: string; kind: 'burst'; burst: number; member: number };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const SHANGHAI_OFFSET = 8 * HOUR;

// ---------------------------------------------------------------------------------------------
// External ids: sim-20261123-0042 (ordinary), sim-20261123-b1-07 (burst 1, member 7).

export function externalIdFor(ref: CaseRef): string {
  const day = ref.date.replaceAll('-', '');
  if (ref.kind === 'regular') return `sim-${day}-${String(ref.index).padStart(4, '0')}`;
  return `sim-${day}-b${ref.burst}-${String(ref.member).padStart(2, '0')}`;
}

const REGULAR_ID = /^sim-(\d{4})(\d{2})(\d{2})-(\d{4,})$/;
const BURST_ID = /^sim-(\d{4})(\d{2})(\d{2})-b(\d+)-(\d{2,})$/;

/** The case a simulator external id names, or null for anything else. */
export function parseExternalId(externalId: string): CaseRef | null {
  const regular = REGULAR_ID.exec(externalId);
  if (regular) {
    const [, y, m, d, index] = regular;
    return { date: `${y}-${m}-${d}`, kind: 'regular', index: Number(index) };
  }
  const burst = BURST_ID.exec(externalId);
  if (burst) {
    const [, y, m, d, number, member] = burst;
    return { date: `${y}-${m}-${d}`, kind: 'burst', burst: Number(number), member: Number(member) };
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Rhythm: how many cases a day, at which hours, by which channel.

/** Weight of each hour of an ordinary working day (quiet at night, peaks 9–11 and 14–17). */
export const WORKDAY_HOURS: readonly number[] = [
  0.9, 0.55, 0.35, 0.25, 0.25, 0.4, 0.9, 2.0, 4.5, 7.6, 8.3, 7.4, 4.6, 4.6, 7.1, 7.7, 7.4, 6.0, 4.4, 4.0, 3.8, 3.2, 2.3, 1.5,
];
/** Weekends and holidays start later and stay busier in the evening. */
export const RESTDAY_HOURS: readonly number[] = [
  1.2, 0.8, 0.5, 0.3, 0.25, 0.35, 0.7, 1.4, 3.0, 5.2, 6.6, 6.8, 5.4, 4.8, 5.6, 6.0, 5.9, 5.2, 4.6, 4.8, 4.9, 4.2, 3.0, 2.0,
];
/** Service halls and letters: office hours only. */
const OFFICE_HOURS: readonly number[] = [
  0, 0, 0, 0, 0, 0, 0, 0, 2.5, 9, 10, 8, 2.5, 1, 8, 9, 8.5, 6, 0.8, 0, 0, 0, 0, 0,
];
/** Grid workers and patrols: daylight, with a short evening round. */
const PATROL_HOURS: readonly number[] = [
  0.1, 0.05, 0.05, 0.05, 0.05, 0.1, 0.3, 1.5, 6, 8.5, 9, 7.5, 3, 3.5, 7.5, 8.5, 8, 6, 2.5, 2.5, 2.5, 1.5, 0.6, 0.2,
];

/** The channel mix (多渠道收集), in percent. */
export const CHANNEL_MIX: readonly WeightedEntry<Channel>[] = [
  ['hotline_12345', 45],
  ['app', 18],
  ['wechat', 12],
  ['grid', 13],
  ['hall', 5],
  ['secretary_online', 3],
  ['letters_visits', 1],
  ['proactive', 3],
];

function hoursFor(channel: Channel, workingDay: boolean): readonly number[] {
  switch (channel) {
    case 'hall':
    case 'letters_visits':
      return OFFICE_HOURS;
    case 'grid':
    case 'proactive':
      return PATROL_HOURS;
    default:
      return workingDay ? WORKDAY_HOURS : RESTDAY_HOURS;
  }
}

/** Volume of a weekday relative to an ordinary working day (Sunday first). */
const WEEKDAY_FACTOR = [0.62, 1.06, 1.02, 1.0, 0.99, 0.96, 0.68];

/** How many cases a date gets, relative to `casesPerDay` (weekends ~65 %, holidays less). */
export function dayFactor(date: string, config: DomainConfig): number {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  const working = isWorkingDay(date, config.calendar);
  const base = WEEKDAY_FACTOR[weekday] ?? 1;
  if (working && (weekday === 0 || weekday === 6)) return 0.95; // 调休 make-up working day
  if (!working && weekday !== 0 && weekday !== 6) return 0.6; // public holiday
  return base;
}

// ---------------------------------------------------------------------------------------------
// Places: hotspots, roads, neighbourhoods.

type PlaceKind = 'estate' | 'village' | 'park' | 'site' | 'market' | 'school' | 'commercial' | 'street';

interface HotspotSpec {
  id: string;
  name: string;
  kind: PlaceKind;
  /** Community (by short name) the hotspot lies in; another one is used if the config lacks it. */
  community: string;
  /** Metres east and north of the community's centroid. */
  offset: readonly [number, number];
  /** Share of hotspot traffic. */
  weight: number;
  /** The problems this place is known for. */
  profile: readonly WeightedEntry<string>[];
}

/** Places where trouble gathers: estates, industrial parks, sites, a market, a school, a night market. */
const HOTSPOTS: readonly HotspotSpec[] = [
  {
    id: 'cuilin',
    name: '凤凰城翠林华庭',
    kind: 'estate',
    community: '凤凰',
    offset: [350, -250],
    weight: 12,
    profile: [['housing_property', 30], ['environment_noise', 12], ['water', 10], ['transport', 8], ['fire_safety', 6], ['community_affairs', 8], ['disputes', 6], ['city_management', 10]],
  },
  {
    id: 'huaxia',
    name: '华夏路华夏花园',
    kind: 'estate',
    community: '光明',
    offset: [-300, 280],
    weight: 11,
    profile: [['environment_noise', 26], ['city_management', 20], ['housing_property', 22], ['water', 8], ['disputes', 8], ['fire_safety', 6]],
  },
  {
    id: 'vgn_park',
    name: '维珍妮工业园',
    kind: 'park',
    community: '玉律',
    offset: [400, 500],
    weight: 10,
    profile: [['labour_wages', 40], ['fire_safety', 14], ['environment_noise', 12], ['transport', 10], ['public_security', 8], ['health', 4]],
  },
  {
    id: 'shangcun_park',
    name: '上村工业区',
    kind: 'park',
    community: '上村',
    offset: [200, -300],
    weight: 10,
    profile: [['labour_wages', 34], ['environment_noise', 24], ['fire_safety', 14], ['city_management', 8], ['public_security', 8]],
  },
  {
    id: 'science_site',
    name: '光明科学城启动区建设项目',
    kind: 'site',
    community: '新羌',
    offset: [450, 350],
    weight: 11,
    profile: [['environment_noise', 34], ['labour_wages', 28], ['housing_property', 12], ['transport', 12], ['fire_safety', 6], ['city_management', 8]],
  },
  {
    id: 'gongming_market',
    name: '公明农贸市场',
    kind: 'market',
    community: '公明',
    offset: [150, 120],
    weight: 9,
    profile: [['market_food', 34], ['city_management', 30], ['transport', 12], ['environment_noise', 10], ['public_security', 8]],
  },
  {
    id: 'loucun_school',
    name: '楼村小学',
    kind: 'school',
    community: '楼村',
    offset: [-200, 150],
    weight: 6,
    profile: [['transport', 34], ['education', 40], ['city_management', 12], ['market_food', 8]],
  },
  {
    id: 'jiangwei_village',
    name: '将围新村',
    kind: 'village',
    community: '将围',
    offset: [250, 200],
    weight: 10,
    profile: [['fire_safety', 22], ['community_affairs', 20], ['city_management', 20], ['housing_property', 14], ['public_security', 12], ['disputes', 8], ['water', 6]],
  },
  {
    id: 'dongzhou_night',
    name: '东周商业街夜市',
    kind: 'commercial',
    community: '东周',
    offset: [-250, -200],
    weight: 8,
    profile: [['environment_noise', 30], ['city_management', 28], ['market_food', 18], ['public_security', 14], ['transport', 8]],
  },
  {
    id: 'changzhen_housing',
    name: '长圳公共住房',
    kind: 'estate',
    community: '长圳',
    offset: [300, 300],
    weight: 11,
    profile: [['housing_property', 34], ['transport', 14], ['water', 10], ['community_affairs', 12], ['education', 10], ['environment_noise', 8], ['disputes', 6]],
  },
  {
    id: 'jiazitang_park',
    name: '甲子塘工业区',
    kind: 'park',
    community: '甲子塘',
    offset: [-200, -250],
    weight: 7,
    profile: [['labour_wages', 34], ['environment_noise', 22], ['fire_safety', 16], ['public_security', 10], ['transport', 8]],
  },
];

/** Share of cases that come from a hotspot (the rest scatter around the communities). */
const HOTSPOT_SHARE = 0.3;
/** Share of hotspot cases reported by one of its regulars (the same phone again: repeats). */
const REGULAR_SHARE = 0.06;

const ROADS = [
  '光明大道', '华夏路', '观光路', '东长路', '光侨路', '公明北环大道', '松白路', '创投路', '科裕路', '同观路', '长凤路',
  '双明大道', '光明大街', '碧眼路', '根玉路', '公常路', '振明路', '塘明大道', '华裕路', '楼村一路', '红花北路', '将石路',
];
const ESTATE_SUFFIX = ['花园', '雅苑', '家园', '华庭', '新村', '名苑', '嘉园', '公馆'];
const PARK_SUFFIX = ['工业区', '工业园', '科技园', '第二工业区'];
const SITE_SUFFIX = ['城市更新项目', '保障性住房项目', '道路改造工程', '学校扩建工程', '综合管廊工程'];
const SCHOOL_SUFFIX = ['小学', '学校', '中学', '实验学校', '幼儿园'];
const SHOPS = ['烧烤店', '餐馆', '大排档', '奶茶店', 'KTV', '麻将馆', '便利店', '生鲜店', '理发店', '宵夜档'];
const COMPANY_WORDS = ['明辉', '鑫达', '华锐', '恒通', '博创', '宏源', '嘉信', '利康', '德兴', '东成', '汇源', '永昌', '聚力', '盛达', '兆丰'];
const COMPANY_TRADES = ['电子', '精密', '塑胶', '五金', '包装', '科技', '实业', '模具', '光电', '建筑劳务', '服装', '印刷'];
const BUS = ['M336', 'M373', 'B821', 'M425', '768', 'M528', 'B895', '863'];
const ATTRACTIONS = ['光明农场大观园', '虹桥公园', '光明小镇欢乐田园', '大顶岭绿道', '新城公园'];

/** Where a case lies just outside the district: which side, and how the address reads there. */
const NEIGHBOURS = [
  { side: 'west', address: '宝安区石岩街道' },
  { side: 'east', address: '龙华区观澜街道' },
  { side: 'north', address: '东莞市黄江镇' },
  { side: 'south', address: '南山区西丽街道' },
] as const;

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高梁郑谢宋唐许邓冯韩曹曾彭萧蔡潘田董袁叶蒋杜苏魏程吕丁沈钟姜崔谭廖范汪陆金石戴贾韦夏邱方侯邹熊孟秦白江薛尹段雷黎龙陶贺顾毛邵万严覃武洪赖莫';
const GIVEN_CHARS = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志红梅辉鹏俊峰婷玉雪琳晨宇浩然轩欣怡涵远琪豪博萱春秀英文斌凯林海波燕丹亮飞慧晓';
const GIVEN = [...GIVEN_CHARS];
const SURNAME_LIST = [...SURNAMES];
const PHONE_PREFIXES = ['130', '131', '132', '133', '135', '136', '137', '138', '139', '150', '151', '152', '155', '157', '158', '159', '166', '176', '177', '180', '181', '186', '187', '188', '189', '199'];

// ---------------------------------------------------------------------------------------------
// What people write: templates per duty-list item, in the callers' own words.

interface Template {
  category: string;
  item: string;
  title: string;
  body: string;
  places: readonly PlaceKind[];
  weight?: number;
  /** Weights of normal / urgent / emergency. */
  urgency?: readonly [number, number, number];
  /** 'group': 5–80 people (群体性); 'few': 2–6. */
  people?: 'group' | 'few';
  amount?: 'wage_single' | 'wage_group' | 'consumer' | 'deposit';
  /** How long it takes to resolve, relative to the usual (consultations < 1, disputes > 1). */
  effort?: number;
  /** More common late in the evening (noise, fights). */
  night?: boolean;
  /** For items the duty list sends to the dispatch centre: where the centre dispatches them. */
  dispatchTo?: string;
}

const NORMAL: readonly [number, number, number] = [0.952, 0.043, 0.005];
const PRESSING: readonly [number, number, number] = [0.8, 0.18, 0.02];
const DANGER: readonly [number, number, number] = [0.15, 0.35, 0.5];

const T = (
  category: string,
  item: string,
  places: readonly PlaceKind[],
  title: string,
  body: string,
  extra: Partial<Template> = {},
): Template => ({ category, item, places, title, body, ...extra });

const LIVING: readonly PlaceKind[] = ['estate', 'village'];
const ANYWHERE: readonly PlaceKind[] = ['estate', 'village', 'street', 'commercial', 'market'];
const WORK: readonly PlaceKind[] = ['park', 'site'];

const TEMPLATES: readonly Template[] = [
  // 城市管理
  T('city_management', 'street_vending', ['market', 'commercial', 'school', 'street', 'village'], '{place}门口流动摊贩占道经营', '{road}靠近{place}门口每天傍晚聚集十多个流动摊贩，占用人行道经营，污水随地倒，行人只能走机动车道，存在安全隐患。', { weight: 3 }),
  T('city_management', 'street_vending', ['market', 'commercial', 'village'], '{place}周边商户出店经营占用人行道', '{place}周边多家商户长期把货架、桌椅摆到店外，人行道被占去大半，推婴儿车和坐轮椅的居民过不去。', { weight: 2 }),
  T('city_management', 'illegal_ads', LIVING, '{place}楼道及电梯内小广告泛滥', '{place}{building}楼道、电梯间被贴满开锁、通下水道、贷款的小广告，清理后没几天又贴满，影响小区环境。'),
  T('city_management', 'garbage_collection', ['estate', 'village', 'market', 'commercial'], '{place}垃圾桶满溢多日无人清运', '{place}{building}旁的垃圾收集点已经{days}天没有清运，垃圾堆到路边，天气热发出恶臭，蚊蝇很多。', { weight: 3 }),
  T('city_management', 'garbage_collection', ['street', 'site', 'village'], '{road}路边被倾倒大量建筑垃圾', '{road}靠近{place}一侧的空地夜间被人倾倒大量装修垃圾和余泥，已经堆成小山，影响通行和市容。', { weight: 2 }),
  T('city_management', 'street_lights', ['street', 'estate', 'village', 'park'], '{road}{place}路段路灯不亮', '{road}{place}附近约{n}百米路段的路灯坏了一个多星期，晚上漆黑一片，行人和电动车出行很不安全。', { weight: 2 }),
  T('city_management', 'illegal_construction', LIVING, '{place}楼顶违规搭建铁皮房', '{place}{building}楼顶有住户私自搭建铁皮房，近几天还在继续施工，担心影响楼体安全和消防。'),
  T('city_management', 'greenery', ['street', 'estate', 'school'], '{road}绿化带大树倒伏需清理', '{road}{place}路段有一棵大树被风刮倒，压在人行道上，枝干挡住了非机动车道，请尽快清理。'),
  T('city_management', 'public_toilets', ['market', 'commercial', 'street'], '{place}附近公厕长期无人打扫', '{place}附近的公共厕所卫生很差，洗手池损坏、没有纸巾，气味很大，希望加强保洁。'),
  T('city_management', 'cooking_fumes', ['estate', 'commercial', 'village'], '{place}楼下餐馆油烟扰民', '{place}{building}楼下新开的{shop}没有安装油烟净化设施，油烟直接排向住宅，家里窗户不敢开，老人孩子咳嗽不止。', { weight: 3 }),

  // 住房和物业
  T('housing_property', 'property_service', ['estate'], '{place}物业管理混乱、服务不到位', '{place}物业对公共区域卫生、绿化长期不管，门禁损坏一个多月没人修，业主多次向物业反映无果。', { weight: 3 }),
  T('housing_property', 'property_service', ['estate'], '{place}物业擅自上调停车费', '{place}物业未经业主大会表决，把月租车位费从{fee}元涨到{fee2}元，业主意见很大，要求物业公开收支。', { weight: 2, people: 'few' }),
  T('housing_property', 'elevator_fault', ['estate'], '{place}{building}电梯频繁故障停运', '{place}{building}电梯本月已经停运{n}次，楼里不少老人，上下楼非常困难，物业一直说在等配件。', { weight: 2, urgency: PRESSING }),
  T('housing_property', 'elevator_fault', ['estate'], '{place}{building}电梯困人', '{place}{building}电梯突然停在{floor}楼附近，里面困了{n}个人，物业联系不上维保单位，请求紧急处置。', { weight: 0.5, urgency: DANGER, effort: 0.2 }),
  T('housing_property', 'construction_site', ['site'], '{place}工地施工车辆带泥上路', '{place}工地出入口没有冲洗设施，泥头车带泥上路，{road}整条路都是泥浆，下雨天路滑。'),
  T('housing_property', 'housing_quality', ['estate'], '{place}房屋外墙渗水开裂', '{place}{building}{room}房收楼不到两年，外墙大面积渗水，卧室墙面发霉，开发商一直拖着不修。'),
  T('housing_property', 'dangerous_building', ['village'], '{place}老旧房屋墙体开裂', '{place}有一栋老房子外墙出现多条裂缝，最近下雨后裂缝变宽，里面还住着租户，担心倒塌。', { urgency: [0.45, 0.4, 0.15] }),
  T('housing_property', 'affordable_housing', ['estate'], '咨询{place}公共住房配租进度', '已在公共住房轮候库中排队{n}年，想了解{place}公共住房项目配租的时间、条件和需要准备的材料。', { effort: 0.4 }),
  T('housing_property', 'rental_housing', LIVING, '{place}房东拒不退还押金', '租住{place}{building}{room}房，租约到期正常退租，房东以墙面弄脏为由扣留押金{money}，协商无果。', { amount: 'deposit', weight: 2 }),
  T('housing_property', 'maintenance_fund', ['estate'], '{place}申请维修资金更换水泵', '{place}{building}二次供水水泵老化经常停水，业主想申请使用维修资金更换，咨询办理流程。', { effort: 0.8 }),

  // 交通出行
  T('transport', 'bus_service', ['estate', 'park', 'village'], '建议加密{place}附近公交班次', '{place}附近居民和上班族很多，早晚高峰{bus}路公交要等半个多小时，建议加密班次或增开到光明城站的线路。', { weight: 2 }),
  T('transport', 'bus_service', ['street'], '{road}{bus}路公交站台顶棚损坏', '{road}{place}公交站台顶棚破损漏雨，座椅也坏了，等车的老人只能站在雨里。'),
  T('transport', 'taxi', ['street', 'commercial'], '网约车司机绕路多收费', '从光明城站打网约车到{place}，司机故意绕路，比平时多收了{n}十元，向平台投诉后没有处理结果。'),
  T('transport', 'road_damage', ['street', 'park', 'village'], '{road}路面坑洼破损', '{road}靠近{place}路段路面有多处坑洞，下雨后积水看不清，已经有骑电动车的人摔倒。', { weight: 2 }),
  T('transport', 'shared_bikes', ['commercial', 'school', 'estate', 'street'], '{place}门口共享单车乱停放', '{place}出入口大量共享单车乱停乱放，堵住盲道和人行道，早高峰尤其严重。', { weight: 2 }),
  T('transport', 'traffic_signals', ['street'], '{road}与{road2}路口信号灯故障', '{road}与{road2}交叉路口红绿灯一直闪黄灯，车辆和行人争道，早晚高峰非常危险。', { urgency: PRESSING }),
  T('transport', 'illegal_parking', ['school', 'market', 'commercial', 'estate', 'park'], '{place}周边车辆乱停占用车道', '{place}周边道路两侧长期停满车辆，还有大货车过夜，上下学、上下班高峰堵得走不动。', { weight: 2 }),

  // 环境和噪声
  T('environment_noise', 'construction_noise', ['site', 'estate'], '{place}夜间施工噪音扰民', '{place}附近工地每天晚上{hour}点以后还在打桩、浇筑混凝土，噪音很大，周边居民无法休息，请核查是否办理了夜间施工许可。', { weight: 3, night: true }),
  T('environment_noise', 'industrial_noise', ['park'], '{place}工厂设备噪音扰民', '{place}里{company}的冷却塔和风机24小时运转，低频噪音很大，附近居民晚上睡不着觉。', { night: true }),
  T('environment_noise', 'commercial_noise', ['commercial', 'market', 'village'], '{place}商铺音响外放扰民', '{place}的{shop}每天用大音响循环播放促销广告，从早到晚不停，严重影响附近居民。', { weight: 2 }),
  T('environment_noise', 'commercial_noise', ['estate', 'commercial'], '{place}广场舞音响声音过大', '每晚7点到10点，{place}广场跳舞的音响开得很大，楼上住户无法休息，孩子没法写作业。', { weight: 2, night: true }),
  T('environment_noise', 'commercial_noise', ['commercial', 'village'], '{place}{shop}深夜喧哗扰民', '{place}的{shop}每天营业到凌晨两三点，客人喝酒划拳、大声喧哗，住在楼上根本睡不着。', { weight: 2, night: true }),
  T('environment_noise', 'air_pollution', ['park', 'estate'], '{place}附近工厂排放刺鼻废气', '{place}周边每天傍晚都能闻到刺鼻的油漆味和塑料味，怀疑附近工厂晚上偷排废气，居民出现头痛、咽喉痛。', { weight: 2, night: true }),
  T('environment_noise', 'water_pollution', ['street', 'park'], '{road}旁排洪渠河水发黑发臭', '{road}{place}旁的排洪渠近期河水发黑、漂着油污，气味刺鼻，怀疑有企业偷排污水。'),
  T('environment_noise', 'solid_waste', ['park', 'street'], '{place}空地堆放工业废料', '{place}旁的空地被堆放了大量废旧塑料和不明桶装废液，下雨后流到路面，气味难闻。'),

  // 市场监管和食品安全
  T('market_food', 'food_safety', ['commercial', 'market', 'school'], '{place}{shop}就餐后腹泻呕吐', '在{place}的{shop}吃饭后，家里{n}个人出现腹泻呕吐，怀疑食材不新鲜，要求查处。', { urgency: [0.75, 0.2, 0.05] }),
  T('market_food', 'food_safety', ['market', 'commercial'], '{place}超市售卖过期食品', '在{place}的超市买到已经过期{n}天的牛奶和面包，找商家理论，商家态度很差，只同意换货。', { weight: 2 }),
  T('market_food', 'unlicensed_business', ['village', 'market'], '{place}无证经营食品小作坊', '{place}有一家小作坊没有任何证照，在出租屋里加工凉皮、肠粉供应周边早餐店，卫生条件很差。'),
  T('market_food', 'pricing', ['market', 'commercial'], '{place}商户短斤少两', '在{place}买的猪肉回家一称少了近二两，周边不少街坊都遇到过，希望市场监管部门检查电子秤。', { weight: 2 }),
  T('market_food', 'consumer_rights', ['commercial', 'market'], '{place}商家拒不退换质量问题商品', '在{place}买的电器用了{n}天就坏了，商家拒绝退换，要求按规定处理，涉及金额{money}。', { amount: 'consumer', weight: 2 }),
  T('market_food', 'product_quality', ['commercial', 'village'], '购买的电动自行车电池鼓包', '在{place}附近车行买的电动自行车电池用了不到半年就鼓包，担心起火，商家不给换。'),
  T('market_food', 'prepaid_cards', ['commercial'], '{place}健身房关门跑路预付卡无法退费', '{place}的一家健身房突然关门，办的年卡还有{money}没用，像我这样的会员还有不少，要求退费。', { amount: 'consumer', people: 'few' }),
  T('market_food', 'drug_safety', ['commercial', 'village'], '{place}药店无处方销售处方药', '{place}的一家药店不用处方就卖抗生素和处方药，还推销保健品说能治病。'),

  // 劳动保障和欠薪
  T('labour_wages', 'wage_arrears', WORK, '{company}拖欠{months}个月工资', '在{place}的{company}上班，公司已拖欠{months}个月工资共{money}，多次讨要无果，老板说资金困难让再等等。', { amount: 'wage_single', weight: 4, effort: 1.4 }),
  T('labour_wages', 'wage_arrears', ['park'], '{place}{company}拖欠{people}名员工工资约{money}', '{place}的{company}近期停产，老板联系不上，{people}名员工{months}个月工资约{money}没有发放，工人聚集在厂门口，情绪激动。', { amount: 'wage_group', people: 'group', weight: 1, urgency: [0.45, 0.45, 0.1], effort: 1.8 }),
  T('labour_wages', 'construction_wage_arrears', ['site'], '{place}拖欠{people}名工人工资约{money}', '{place}劳务分包单位拖欠{people}名工人{months}个月工资约{money}，总包单位说已经支付了进度款，双方互相推诿，工人要求尽快结清。', { amount: 'wage_group', people: 'group', weight: 1.5, urgency: [0.5, 0.42, 0.08], effort: 1.8 }),
  T('labour_wages', 'construction_wage_arrears', ['site'], '{place}班组长拖欠工钱', '在{place}做木工，班组长拖欠工钱{money}，工地快完工了，担心以后找不到人。', { amount: 'wage_single', weight: 2, effort: 1.4 }),
  T('labour_wages', 'labour_contract', WORK, '{company}无故辞退不支付经济补偿', '在{company}工作了{n}年，公司以经营调整为由口头辞退，不签解除协议、不支付经济补偿。', { effort: 1.3 }),
  T('labour_wages', 'social_insurance', WORK, '{company}未依法缴纳社保', '入职{company}已经{n}个月，公司一直没有缴纳社保和公积金，要求依法补缴。'),
  T('labour_wages', 'working_hours', ['park'], '{company}长期强制加班不给加班费', '{place}的{company}要求员工每天工作12小时、每月只休两天，加班费按最低标准都不到。'),
  T('labour_wages', 'employment_services', ['street', 'estate'], '咨询光明区招聘会和就业补贴', '想了解近期光明区有没有招聘会，以及灵活就业人员社保补贴怎么申请。', { effort: 0.3 }),

  // 社会治安
  T('public_security', 'theft', LIVING, '{place}电动车电瓶频繁被盗', '{place}{building}楼下停放的电动车这个月已有{n}辆被偷电瓶，监控坏了没人修，希望加强巡逻。', { weight: 2 }),
  T('public_security', 'fraud', ['estate', 'street'], '接到冒充客服电话被骗{money}', '接到自称快递客服的电话，说要理赔，按对方指引操作后被转走{money}，已向派出所报警，希望尽快追回。', { amount: 'consumer' }),
  T('public_security', 'public_order', ['commercial', 'village', 'street'], '{place}深夜有人聚集酗酒滋事', '{place}附近每晚有一伙人聚集喝酒、大声喧哗，还摔酒瓶，居民晚上不敢出门。', { night: true, urgency: PRESSING, weight: 2 }),
  T('public_security', 'public_order', ['commercial', 'village'], '{place}有人打架斗殴', '{place}有两伙人发生冲突，有人手里拿着棍棒，已经有人受伤，请求马上出警。', { night: true, urgency: DANGER, weight: 0.4, effort: 0.3 }),
  T('public_security', 'vice', ['village'], '{place}出租屋疑似聚众赌博', '{place}{building}有一间出租屋每天晚上人员进进出出，怀疑有人聚众赌博。', { night: true }),
  T('public_security', 'household_registration', ['street'], '咨询随迁入户办理材料', '父母想随迁落户光明，咨询需要准备哪些材料、在哪里办理、要多长时间。', { effort: 0.3 }),

  // 教育
  T('education', 'school_admission', ['school', 'estate'], '咨询{school}学位申请', '孩子明年上一年级，家住{community}社区，想了解{school}的学位申请条件、积分规则和报名时间。', { weight: 3, effort: 0.4 }),
  T('education', 'school_fees', ['school'], '{school}代收费用不透明', '{school}让家长交校服费、资料费，没有公示收费标准和明细，家长有疑问。'),
  T('education', 'off_campus_training', ['commercial', 'estate'], '{place}校外培训机构收费后停课', '孩子在{place}的培训机构报了一年的课，交了{money}，机构突然停课，联系不上负责人。', { amount: 'consumer', people: 'few' }),
  T('education', 'campus_safety', ['school'], '{school}门口上下学时段交通混乱', '{school}门口上下学时段家长车辆乱停，泥头车也从门口经过，孩子过马路很危险，建议设置护学岗。', { weight: 2 }),
  T('education', 'kindergartens', ['school', 'estate'], '{school}幼儿园伙食质量差', '孩子在{place}附近的幼儿园，最近经常说吃不饱，家长看到午餐菜量少、质量差。'),
  T('education', 'teacher_conduct', ['school'], '反映{school}老师体罚学生', '孩子反映在{school}因为作业没完成被老师罚站一整节课，还被当众批评，孩子不愿意上学。'),

  // 医疗卫生
  T('health', 'medical_service', ['estate', 'street'], '{place}社康中心排队时间长', '{place}附近的社康中心每天上午排队一个多小时，号源少，老人看病很不方便，建议增加医生。', { weight: 2 }),
  T('health', 'medical_dispute', ['street'], '对光明区人民医院治疗结果有异议', '家人在光明区人民医院做完手术后出现并发症，对治疗过程有异议，希望有关部门协调。', { effort: 1.6 }),
  T('health', 'vaccination', ['estate'], '咨询{place}附近流感疫苗接种', '想给家里老人孩子打流感疫苗，{place}附近社康一直约不上，咨询哪里可以接种。', { effort: 0.3 }),
  T('health', 'illegal_practice', ['village'], '{place}出租屋内疑似无证诊所', '{place}{building}一楼有人开诊所给人打针输液，没有挂牌，怀疑无证行医。'),
  T('health', 'medical_insurance', ['street'], '医保异地报销进度咨询', '今年在老家住院的医保报销材料交了{n}个月还没有结果，咨询办理进度。', { effort: 0.5 }),
  T('health', 'pest_control', ['estate', 'village', 'site'], '{place}积水多蚊虫滋生', '{place}周边绿化带和空置地块积水很多，蚊子特别多，担心登革热、基孔肯雅热传播，请安排消杀。', { weight: 2 }),

  // 民政服务
  T('civil_affairs', 'elderly_care', ['estate', 'village'], '{place}独居老人需要上门照护', '{place}{building}住着一位{age}岁独居老人，行动不便，子女在外地，邻居担心老人安全，希望社区上门关照。'),
  T('civil_affairs', 'subsistence_allowance', ['street', 'village'], '咨询最低生活保障申请条件', '家里有人重病失去劳动能力，想了解低保的申请条件和需要的材料。', { effort: 0.6 }),
  T('civil_affairs', 'temporary_assistance', ['village', 'park'], '外来务工人员遭遇变故申请临时救助', '在{place}打工，家人突发重病，花光积蓄，想申请临时救助。'),
  T('civil_affairs', 'disability_services', ['estate', 'village'], '残疾人两项补贴未按时发放', '家里有一级肢体残疾人，这{n}个月的护理补贴没有到账，咨询原因。'),
  T('civil_affairs', 'marriage_registration', ['street'], '婚姻登记预约号难约', '想在光明区婚姻登记处办理结婚登记，网上预约一直约不上，希望增加号源。', { effort: 0.4 }),
  T('civil_affairs', 'funerals', ['street', 'village'], '{place}附近山林私自修坟', '{place}后面的山林里有人私自修建坟墓，还砍了树，清明前后焚烧纸钱容易引发火灾。'),

  // 水务
  T('water', 'water_supply', ['estate', 'village'], '{place}突然停水未提前通知', '{place}从{clock}点起突然停水，物业说是市政管网的问题，没有提前通知，也不知道什么时候恢复。', { weight: 3, urgency: PRESSING, effort: 0.3 }),
  T('water', 'water_supply', ['estate'], '{place}高层水压不足', '{place}{building}{floor}楼以上水压很低，早晚用水高峰热水器都打不着火。'),
  T('water', 'water_quality', ['estate', 'village'], '{place}自来水发黄有异味', '{place}这几天打开水龙头流出来的水发黄，有铁锈味，不敢饮用，担心水质问题。', { urgency: PRESSING }),
  T('water', 'drainage', ['street', 'village', 'market'], '{road}下水道堵塞污水外溢', '{road}{place}附近下水道堵塞，污水从井盖冒出来流到路面，臭气熏天。', { weight: 2 }),
  T('water', 'waterlogging', ['street', 'estate'], '{road}暴雨后严重积水', '{road}{place}路段下雨后积水没过小腿，车辆熄火，行人被困，请求派人排水。', { urgency: [0.5, 0.38, 0.12], effort: 0.3 }),
  T('water', 'rivers', ['street', 'park'], '{place}旁河道垃圾漂浮', '{place}旁边的河道里漂着大量生活垃圾和泡沫，好久没人打捞了。'),
  T('water', 'manhole_covers', ['street', 'estate'], '{road}人行道井盖缺失', '{road}{place}人行道上有一个井盖不见了，只用一根树枝插着提示，晚上很容易掉进去。', { urgency: [0.6, 0.35, 0.05], effort: 0.3 }),

  // 规划和土地
  T('planning_land', 'planning_approval', ['estate'], '{place}旁规划调整公示咨询', '看到{place}旁边地块的规划调整公示，担心新建楼栋影响采光，咨询具体规划内容和意见反馈渠道。', { effort: 0.8 }),
  T('planning_land', 'illegal_land_use', ['village', 'park'], '{place}旁空地被占用搭建厂房', '{place}旁边的一块空地最近被人围起来搭建铁皮厂房，晚上还在施工，怀疑违法占地。', { weight: 2 }),
  T('planning_land', 'geological_hazard', ['village', 'estate'], '{place}后山边坡出现裂缝', '{place}后山边坡最近出现裂缝，下雨后有泥沙流下来，坡下住着不少人，担心滑坡。', { urgency: [0.45, 0.4, 0.15] }),
  T('planning_land', 'property_registration', ['estate'], '{place}多年办不了不动产权证', '{place}交楼已经{n}年，开发商一直没有办理不动产权证，小孩上学、买卖都受影响。', { people: 'group', effort: 1.8 }),
  T('planning_land', 'urban_renewal', ['village'], '{place}城市更新项目补偿标准争议', '{place}城市更新项目的补偿方案公示后，部分业主认为补偿标准偏低，要求重新评估。', { people: 'group', effort: 2 }),

  // 消防和应急安全
  T('fire_safety', 'fire_hazard', ['estate', 'village', 'commercial'], '{place}消防通道被占用', '{place}的消防通道长期被车辆和杂物堵住，万一发生火灾，消防车根本进不来。', { weight: 2 }),
  T('fire_safety', 'fire_hazard', ['park'], '{place}厂房灭火器过期、消防栓无水', '{place}{company}厂房里的灭火器已经过期，消防栓打开没有水，车间还堆着大量易燃材料。'),
  T('fire_safety', 'fire_hazard', ['park', 'village'], '{place}仓库内违规住人', '{place}有一间仓库里面用木板隔出宿舍住了十几个人，和货物放在一起，存在很大的火灾隐患。'),
  T('fire_safety', 'ebike_charging', ['village', 'estate'], '{place}楼道内电动车违规充电', '{place}{building}一楼楼道每晚停放十几辆电动车飞线充电，存在严重的火灾隐患。', { weight: 3, night: true }),
  T('fire_safety', 'gas_safety', ['estate', 'village', 'commercial'], '{place}闻到浓烈燃气味', '{place}{building}楼道里闻到很浓的燃气味，怀疑管道泄漏，居民很害怕，请求马上派人处理。', { urgency: DANGER, effort: 0.15 }),
  T('fire_safety', 'hazardous_chemicals', ['park'], '{place}仓库违规存放危险化学品', '{place}的一间仓库存放大量油漆、稀释剂等化学品，没有任何防护措施，附近就是员工宿舍。', { urgency: PRESSING }),
  T('fire_safety', 'work_safety', ['site'], '{place}脚手架松动存在坍塌风险', '{place}工地外侧脚手架有几处明显松动，下面就是人行道，工人照常施工，随时可能坍塌。', { urgency: [0.3, 0.4, 0.3] }),
  T('fire_safety', 'flood_typhoon', ['site'], '台风来临前{place}塔吊未加固', '台风预警已经发布，{place}工地的塔吊和围挡还没有加固，担心被大风吹倒砸到行人。', { urgency: [0.35, 0.45, 0.2], effort: 0.3 }),

  // 文化旅游体育
  T('culture_tourism', 'venues', ['street'], '咨询光明文化艺术中心开放时间', '想带孩子去光明文化艺术中心看展览，咨询开放时间和是否需要预约。', { effort: 0.3 }),
  T('culture_tourism', 'entertainment_venues', ['commercial', 'village'], '{place}网吧接纳未成年人上网', '{place}的一家网吧经常有穿校服的中学生上网到深夜，网吧没有核验身份证。', { night: true }),
  T('culture_tourism', 'tourism', ['street'], '{attraction}节假日停车难秩序乱', '节假日去{attraction}游玩，停车场早早停满，周边道路乱停车，游客服务跟不上。'),
  T('culture_tourism', 'fitness_equipment', ['estate', 'village'], '{place}公共健身器材损坏', '{place}小广场的健身器材有{n}件已经损坏，有螺丝外露，老人孩子使用有危险。'),
  T('culture_tourism', 'performances', ['commercial'], '{place}演出活动散场拥堵', '{place}周末举办演出活动，音响很大，散场时人车混杂，周边道路严重拥堵。', { night: true }),

  // 社区事务
  T('community_affairs', 'community_services', ['estate', 'village'], '{community}社区党群服务中心办事咨询', '想在{community}社区党群服务中心办理居住登记，咨询办理时间和需要带的材料。', { effort: 0.3 }),
  T('community_affairs', 'rental_registration', ['village'], '{place}出租屋住户未登记、人员复杂', '{place}{building}的二房东把房间隔成小间出租，住户频繁更换，很多没有登记，居民担心安全。', { weight: 2 }),
  T('community_affairs', 'urban_village', ['village'], '{place}巷道私拉电线杂乱', '{place}巷道上空私拉乱接的电线像蜘蛛网一样，有的已经垂到头顶，下雨天很危险。', { weight: 2 }),
  T('community_affairs', 'owners_committee', ['estate'], '{place}业委会换届选举程序不规范', '{place}业委会换届选举没有公示候选人名单，投票过程不透明，部分业主要求社区指导重新选举。', { people: 'few', effort: 1.6 }),
  T('community_affairs', 'community_facilities', ['estate'], '{place}老旧小区加装电梯协调难', '{place}{building}大部分住户同意加装电梯，但一楼住户反对，希望社区出面协调。', { effort: 1.8 }),
  T('community_affairs', 'community_facilities', ['estate', 'village'], '{place}儿童游乐设施损坏', '{place}小区里的儿童滑梯有一块踏板断裂，边缘锋利，孩子玩耍有危险，希望尽快维修。'),

  // 矛盾纠纷
  T('disputes', 'neighbour_dispute', LIVING, '{place}楼上漏水引发邻里纠纷', '{place}{building}{room}房卫生间漏水，楼下天花板发霉脱落，楼上住户拒绝维修，双方多次争吵。', { weight: 2 }),
  T('disputes', 'neighbour_dispute', LIVING, '{place}邻居在公共走廊堆放杂物', '{place}{building}邻居长期在公共走廊堆放纸箱和旧家具，沟通多次不听，双方发生口角。'),
  T('disputes', 'family_dispute', LIVING, '{place}家庭矛盾激烈需调解', '{place}一户人家婆媳矛盾已经僵持了好几个小时，吵得很厉害，家属请求社区派人调解。', { night: true, urgency: PRESSING }),
  T('disputes', 'group_dispute', ['estate'], '{place}业主与物业因停车费冲突约{people}人聚集', '{place}业主因停车费上涨与物业发生冲突，约{people}名业主聚集在物业中心，情绪激动，要求物业负责人出面。', { people: 'group', urgency: [0.4, 0.45, 0.15], effort: 1.6 }),
  T('disputes', 'group_dispute', ['commercial', 'market'], '{place}商户与主办方因活动临时取消发生纠纷', '{place}美食节活动临时被叫停，{people}户商户已经投入的摊位费和备货损失没人承担，商户与主办方发生冲突。', { people: 'group', urgency: [0.45, 0.45, 0.1], effort: 1.6 }),
  T('disputes', 'shareholding_company', ['village'], '{community}股份合作公司分红纠纷', '{community}股份合作公司今年的分红方案没有经过股东大会表决，部分股东对分配结果有意见。', { people: 'group', effort: 2 }),
  T('disputes', 'civil_dispute', LIVING, '{place}装修公司收款后停工', '请{place}附近的装修公司装修，已经付了{money}，工程做了一半就停工，老板拖着不处理。', { amount: 'consumer', effort: 1.5 }),

  // 政务服务
  T('government_services', 'service_hall', ['street'], '{street}群众诉求服务大厅排队时间长', '上午到{street}群众诉求服务大厅办事，等了两个多小时，只有{n}个窗口在办理，建议增加窗口。'),
  T('government_services', 'online_services', ['street'], 'i深圳App预约办事系统无法提交', '用i深圳App预约办理居住证，填完资料一直提示系统繁忙，无法提交，试了好几天都不行。', { effort: 0.5 }),
  T('government_services', 'staff_conduct', ['street'], '办事窗口工作人员服务态度差', '在{street}办事窗口咨询业务，工作人员态度冷淡、不耐烦，材料要求也没有一次性告知。'),
  T('government_services', 'policy_enquiry', ['street'], '咨询光明区人才住房补贴申请', '刚取得本科学历入职光明区企业，咨询新引进人才租房补贴的申请条件和办理渠道。', { weight: 2, effort: 0.3 }),
  T('government_services', 'business_environment', ['park'], '{company}企业补贴审批进度慢', '{company}申请的企业技术改造补贴已经提交{n}个月，一直显示审核中，希望加快办理。', { effort: 1.3 }),

  // 其他
  T('other', 'suggestion', ['estate', 'street', 'commercial'], '建议在{place}附近增设公共停车场', '{place}附近停车位严重不足，每天晚上都有车辆乱停，建议利用周边空地增设公共停车场。', { dispatchTo: 'transport' }),
  T('other', 'praise', ['estate', 'village'], '表扬{community}社区工作人员', '前几天家里老人走失，{community}社区工作人员和网格员连夜帮忙寻找，特此表扬感谢。', { effort: 0.2, dispatchTo: 'street_office' }),
  T('other', 'unclassified', ['estate', 'village', 'street'], '{place}附近流浪狗伤人隐患', '{place}附近有一群流浪狗，最近追咬路人，已经有小孩被吓到，希望有关部门处理。', { dispatchTo: 'urban_management' }),
];

/** The usual share of each major category (city management, housing, noise, transport, wages lead). */
const CATEGORY_MIX: Readonly<Record<string, number>> = {
  city_management: 16,
  housing_property: 14,
  environment_noise: 12,
  transport: 10,
  labour_wages: 8,
  market_food: 6,
  public_security: 5,
  community_affairs: 4,
  disputes: 4,
  water: 4,
  education: 3,
  health: 3,
  civil_affairs: 3,
  planning_land: 2,
  fire_safety: 2.5,
  government_services: 2,
  culture_tourism: 1,
  other: 1.5,
};

/** How a channel shifts the category mix (grid workers see streets, letters carry old grievances). */
const CHANNEL_BIAS: Partial<Record<Channel, Readonly<Record<string, number>>>> = {
  grid: { city_management: 2, fire_safety: 2.5, community_affairs: 2, environment_noise: 1.3, disputes: 1.3, education: 0.3, health: 0.4, government_services: 0.2, civil_affairs: 0.5 },
  letters_visits: { labour_wages: 3, planning_land: 3, disputes: 2.5, housing_property: 1.5, city_management: 0.4, transport: 0.4 },
  hall: { government_services: 3, civil_affairs: 2.5, labour_wages: 2, disputes: 2, education: 1.5, environment_noise: 0.5 },
  proactive: { city_management: 2, environment_noise: 2, fire_safety: 2, transport: 1.3, education: 0.3, civil_affairs: 0.3 },
  secretary_online: { community_affairs: 2, housing_property: 1.5 },
};

/** How the hour shifts it: noise and fights at night, offices asleep. */
function hourBias(hour: number): Readonly<Record<string, number>> {
  if (hour >= 21 || hour < 2) return { environment_noise: 2.5, public_security: 2, government_services: 0.2, education: 0.3, civil_affairs: 0.4 };
  if (hour < 6) return { public_security: 2, fire_safety: 1.5, water: 1.5, government_services: 0.1, education: 0.1 };
  return {};
}

/** Outcomes written on resolve, per major category. */
const RESOLVE_NOTES: Readonly<Record<string, readonly string[]>> = {
  city_management: ['已安排执法队员到场，摊贩已劝离并纳入重点巡查', '已督促环卫作业单位清运完毕，并增加清运频次', '已完成维修，恢复正常', '已责令当事人限期整改'],
  housing_property: ['已约谈物业服务企业，责令限期整改', '已督促维保单位完成检修，恢复正常使用', '已组织双方协商，达成一致意见'],
  transport: ['已通知养护单位修复', '已协调公交企业优化班次', '已安排交警加强巡逻疏导', '已组织运营企业清理归位'],
  environment_noise: ['已现场执法检查，责令停止夜间施工', '已约谈商户，督促安装油烟净化设施并整改', '经监测排放达标，已向来电人解释', '已责令停止使用高音设备'],
  market_food: ['已对商户立案调查', '经调解，商家同意退款', '已责令下架问题商品并依法处罚'],
  labour_wages: ['经劳动监察介入，企业已承诺于本月底前足额支付工资', '已督促总包单位代发工资，工人已领取', '已告知来电人劳动仲裁途径并协助申请'],
  public_security: ['已安排民警加强巡逻', '已受案调查', '已现场处置，秩序恢复'],
  education: ['已向来电人解释相关政策', '已约谈学校负责人并督促整改'],
  health: ['已组织消杀', '已向来电人解释相关政策', '已立案调查'],
  civil_affairs: ['已安排社工上门走访', '已受理申请，正在审核'],
  water: ['已完成抢修，恢复供水', '已清疏管道', '已完成井盖更换', '已组织抽排，积水已消退'],
  planning_land: ['已现场核查，责令停止违法行为', '已向来电人解释规划情况'],
  fire_safety: ['已清理楼道电动车并张贴警示', '已督促整改消防设施', '燃气公司已到场排查并关闭阀门', '已责令停工整改'],
  culture_tourism: ['已检查并责令整改', '已答复来电人'],
  community_affairs: ['社区已上门协调', '已纳入社区民生微实事项目'],
  disputes: ['经社区人民调解委员会调解，双方达成调解协议', '已联合派出所、司法所现场调处，当事人情绪平稳'],
  government_services: ['已向来电人解释办理流程', '已对窗口人员进行批评教育并改进'],
  other: ['已转相关单位参考', '已答复来电人'],
};

/** Departments commonly mistaken for each other: where a misrouted case first lands. */
const CONFUSED_WITH: Readonly<Record<string, readonly string[]>> = {
  urban_management: ['ecology_env', 'street_office'],
  ecology_env: ['urban_management', 'housing'],
  housing: ['street_office', 'urban_management'],
  market_regulation: ['housing', 'urban_management'],
  transport: ['public_security', 'urban_management'],
  public_security: ['transport', 'street_office'],
  human_resources: ['street_office', 'housing'],
  water: ['urban_management', 'housing'],
  planning: ['urban_management', 'urban_renewal'],
  urban_renewal: ['planning', 'street_office'],
  fire_rescue: ['emergency', 'street_office'],
  emergency: ['fire_rescue', 'housing'],
  street_office: ['housing', 'civil_affairs'],
  health: ['market_regulation', 'street_office'],
  medical_security: ['health'],
  civil_affairs: ['street_office'],
  education: ['street_office'],
  culture_tourism: ['street_office', 'market_regulation'],
  government_services: ['street_office'],
};

const CHANNEL_PREFIX: Readonly<Record<Channel, readonly string[]>> = {
  hotline_12345: ['市民来电反映：', '来电人反映：'],
  app: ['市民通过i深圳反映：'],
  wechat: ['市民通过微信公众号反映：'],
  grid: ['网格员巡查发现：'],
  hall: ['群众到{street}群众诉求服务大厅反映：'],
  secretary_online: ['居民通过“书记在线”扫码反映：'],
  letters_visits: ['来信反映：'],
  proactive: ['舆情监测发现：', '日常巡查发现：'],
};
const ASKS = ['希望有关部门尽快处理。', '请相关部门核实处理。', '要求尽快解决并回复。', '希望尽快协调解决。', '请尽快派人查看。'];

// ---------------------------------------------------------------------------------------------
// Preparing a config once: hotspots placed inside the district, templates matched to its duty list.

interface PlacedHotspot extends HotspotSpec {
  community: string;
  communityRef: Community;
  lat: number;
  lng: number;
}

interface Prepared {
  communities: readonly Community[];
  hotspots: readonly PlacedHotspot[];
  /** Templates per configured category code (generic ones for items we have no words for). */
  templates: ReadonlyMap<string, readonly Template[]>;
  categoryCodes: readonly string[];
  days: Map<string, DaySpec>;
}

const prepared = new WeakMap<DomainConfig, Prepared>();

function prepare(config: DomainConfig): Prepared {
  const cached = prepared.get(config);
  if (cached) return cached;
  const { jurisdiction, taxonomy } = config;
  const communities = jurisdiction.communities;
  if (communities.length === 0) throw new Error('simulator: the jurisdiction has no communities');

  const hotspots = HOTSPOTS.map((spec, i): PlacedHotspot => {
    const community = communities.find((c) => c.name.startsWith(spec.community)) ?? communities[(i * 7) % communities.length]!;
    const [lat, lng] = placeNear(config, community, spec.offset);
    return { ...spec, community: shortName(community), communityRef: community, lat, lng };
  });

  const templates = new Map<string, Template[]>();
  for (const category of taxonomy.categories) {
    const own = TEMPLATES.filter((t) => t.category === category.code).map((t) =>
      category.items.some((item) => item.code === t.item) ? t : { ...t, item: '' },
    );
    const covered = new Set(own.map((t) => t.item));
    const generic = category.items.filter((item) => !covered.has(item.code)).map((item) => genericTemplate(category, item.code, item.name));
    const list = [...own, ...generic];
    if (list.length === 0) list.push(genericTemplate(category, '', category.name));
    templates.set(category.code, list);
  }
  const result: Prepared = {
    communities,
    hotspots,
    templates,
    categoryCodes: taxonomy.categories.map((c) => c.code),
    days: new Map(),
  };
  prepared.set(config, result);
  return result;
}

function genericTemplate(category: Category, item: string, name: string): Template {
  return T(category.code, item, ANYWHERE, `反映{place}${name}问题`, `{place}存在${name}方面的问题，已经持续一段时间，影响周边居民。`, { weight: 0.5 });
}

/** A point `offset` metres from the community centroid that the jurisdiction places in that community. */
function placeNear(config: DomainConfig, community: Community, offset: readonly [number, number]): [number, number] {
  const [lng0, lat0] = community.centroid;
  for (const scale of [1, 0.6, 0.3, 0.1]) {
    const [lat, lng] = shift(lat0, lng0, offset[0] * scale, offset[1] * scale);
    if (config.jurisdiction.locate(lat, lng).communityCode === community.code) return [lat, lng];
  }
  return [lat0, lng0];
}

function shift(lat: number, lng: number, eastMetres: number, northMetres: number): [number, number] {
  const dLat = northMetres / 111_320;
  const dLng = eastMetres / (111_320 * Math.cos((lat * Math.PI) / 180));
  return [lat + dLat, lng + dLng];
}

function shortName(community: Community): string {
  return community.name.replace(/社区(居委会)?$/, '');
}

// ---------------------------------------------------------------------------------------------
// A day: how many ordinary cases, and which bursts.

interface BurstKind {
  id: string;
  category: string;
  item: string;
  hotspotKinds: readonly PlaceKind[];
  /** Members at 1,200 cases a day. */
  size: readonly [number, number];
  hours: readonly number[];
  /** Minutes over which the calls come in. */
  spread: number;
  /** The first member is the group case (e.g. the workers' representative), the rest individual calls. */
  groupFirst?: boolean;
  /** Scattered over the district (a rainstorm) rather than at one hotspot. */
  districtWide?: boolean;
}

const BURSTS: readonly BurstKind[] = [
  { id: 'outage', category: 'water', item: 'water_supply', hotspotKinds: ['estate', 'village'], size: [8, 20], hours: [7, 8, 9, 10, 17, 18, 19, 20], spread: 120 },
  { id: 'night_works', category: 'environment_noise', item: 'construction_noise', hotspotKinds: ['site', 'estate'], size: [5, 12], hours: [21, 22, 23], spread: 90 },
  { id: 'wages', category: 'labour_wages', item: 'wage_arrears', hotspotKinds: ['park'], size: [4, 10], hours: [9, 10, 14, 15], spread: 180, groupFirst: true },
  { id: 'site_wages', category: 'labour_wages', item: 'construction_wage_arrears', hotspotKinds: ['site'], size: [4, 10], hours: [8, 9, 15, 16], spread: 180, groupFirst: true },
  { id: 'odour', category: 'environment_noise', item: 'air_pollution', hotspotKinds: ['park', 'estate'], size: [5, 12], hours: [18, 19, 20, 21], spread: 120 },
  { id: 'rainstorm', category: 'water', item: 'waterlogging', hotspotKinds: [], size: [10, 25], hours: [6, 7, 16, 17, 18], spread: 150, districtWide: true },
];

interface BurstSpec {
  kind: BurstKind;
  hotspot: number;
  start: Date;
  size: number;
}

interface DaySpec {
  count: number;
  bursts: BurstSpec[];
}

function daySpec(seed: number, date: string, config: DomainConfig, opts: PlanOptions): DaySpec {
  const prep = prepare(config);
  const key = `${seed}|${date}|${opts.casesPerDay}`;
  const cached = prep.days.get(key);
  if (cached) return cached;
  const rng = forKey(seed, `day:${date}`);
  const factor = dayFactor(date, config);
  const count = Math.max(0, Math.round(opts.casesPerDay * factor * Math.exp(0.05 * rng.normal())));
  const scale = opts.casesPerDay / 1200;
  const bursts: BurstSpec[] = [];
  const burstCount = opts.casesPerDay > 0 ? Math.min(3, rng.poisson(factor > 0.9 ? 0.8 : 0.5)) : 0;
  for (let b = 0; b < burstCount; b++) {
    const kind = rng.pick(BURSTS);
    const category = config.taxonomy.category(kind.category);
    const hotspotIndexes = prep.hotspots.map((h, i) => (kind.hotspotKinds.includes(h.kind) ? i : -1)).filter((i) => i >= 0);
    const size = Math.max(2, Math.round(rng.int(kind.size[0], kind.size[1]) * scale));
    const hour = rng.pick(kind.hours);
    const start = new Date(shanghaiMidnight(date).getTime() + hour * HOUR + rng.int(0, 59) * MINUTE);
    const hotspot = hotspotIndexes.length > 0 ? rng.pick(hotspotIndexes) : -1;
    if (!category || (!kind.districtWide && hotspot < 0) || size === 0) continue;
    bursts.push({ kind, hotspot: kind.districtWide ? -1 : hotspot, start, size });
  }
  const spec = { count, bursts };
  if (prep.days.size > 400) prep.days.clear();
  prep.days.set(key, spec);
  return spec;
}

// ---------------------------------------------------------------------------------------------
// Planning.

/** Every case received on `date` (Asia/Shanghai), in order of arrival, each with its whole life. */
export function planDay(seed: number, date: string, config: DomainConfig, opts: PlanOptions): PlannedCase[] {
  const spec = daySpec(seed, date, config, opts);
  const plans: PlannedCase[] = [];
  for (let index = 0; index < spec.count; index++) plans.push(planCase(seed, { date, kind: 'regular', index }, config, opts));
  spec.bursts.forEach((burst, b) => {
    for (let member = 0; member < burst.size; member++) plans.push(planCase(seed, { date, kind: 'burst', burst: b + 1, member }, config, opts));
  });
  return plans.sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime() || (a.externalId < b.externalId ? -1 : 1));
}

/** The refs of a day's cases (cheap: nothing is generated). */
export function dayRefs(seed: number, date: string, config: DomainConfig, opts: PlanOptions): CaseRef[] {
  const spec = daySpec(seed, date, config, opts);
  const refs: CaseRef[] = [];
  for (let index = 0; index < spec.count; index++) refs.push({ date, kind: 'regular', index });
  spec.bursts.forEach((burst, b) => {
    for (let member = 0; member < burst.size; member++) refs.push({ date, kind: 'burst', burst: b + 1, member });
  });
  return refs;
}

interface Draft {
  channel: Channel;
  receivedAt: Date;
  template: Template;
  place: Place;
  hotspot?: PlacedHotspot;
  burst?: number;
}

interface Place {
  name: string;
  kind: PlaceKind;
  community: Community;
  /** undefined: the case gives no coordinates (address or community only). */
  point?: [lat: number, lng: number];
  /** How the location is given. */
  form: 'point' | 'address+community' | 'address' | 'outside';
  outsideAddress?: string;
}

/** One case's plan, regenerated from its ref alone. */
export function planCase(seed: number, ref: CaseRef, config: DomainConfig, opts: PlanOptions): PlannedCase {
  const prep = prepare(config);
  const externalId = externalIdFor(ref);
  const rng = forKey(seed, externalId);
  const workingDay = isWorkingDay(ref.date, config.calendar);
  const dayStart = shanghaiMidnight(ref.date);

  let draft: Draft;
  if (ref.kind === 'burst') {
    const spec = daySpec(seed, ref.date, config, opts);
    const burst = spec.bursts[ref.burst - 1];
    if (!burst) throw new RangeError(`simulator: ${externalId} names no burst of ${ref.date}`);
    draft = draftBurstMember(rng, prep, config, burst, ref.member, dayStart);
    draft.burst = ref.burst;
  } else {
    draft = draftOrdinary(rng, prep, config, workingDay, dayStart);
  }
  return finish(rng, seed, config, ref, externalId, draft);
}

function draftOrdinary(rng: Random, prep: Prepared, config: DomainConfig, workingDay: boolean, dayStart: Date): Draft {
  const channel = rng.weighted(CHANNEL_MIX);
  const hour = rng.weighted(hoursFor(channel, workingDay).map((w, h) => [h, w] as const));
  const receivedAt = new Date(dayStart.getTime() + hour * HOUR + rng.int(0, 3599) * 1000);
  const bias = { ...(CHANNEL_BIAS[channel] ?? {}) };
  const byHour = hourBias(hour);
  const night = hour >= 21 || hour < 2;

  const atHotspot = rng.chance(HOTSPOT_SHARE);
  if (atHotspot) {
    const hotspot = prep.hotspots[rng.weighted(prep.hotspots.map((h, i) => [i, h.weight] as const))]!;
    const profile = hotspot.profile
      .filter(([code]) => prep.templates.has(code))
      .map(([code, w]) => [code, w * (bias[code] ?? 1) * (byHour[code] ?? 1)] as const);
    if (profile.length > 0) {
      const category = rng.weighted(profile);
      const candidates = (prep.templates.get(category) ?? []).filter((t) => t.places.includes(hotspot.kind));
      if (candidates.length > 0) {
        const template = rng.weighted(candidates.map((t) => [t, templateWeight(t, night)] as const));
        return { channel, receivedAt, template, place: hotspotPlace(rng, config, hotspot), hotspot };
      }
    }
  }
  const categories = prep.categoryCodes.map((code) => [code, (CATEGORY_MIX[code] ?? 1) * (bias[code] ?? 1) * (byHour[code] ?? 1)] as const);
  const category = rng.weighted(categories);
  const template = rng.weighted((prep.templates.get(category) ?? []).map((t) => [t, templateWeight(t, night)] as const));
  return { channel, receivedAt, template, place: backgroundPlace(rng, prep, config, rng.pick(template.places)) };
}

function templateWeight(template: Template, night: boolean): number {
  return (template.weight ?? 1) * (night && template.night ? 3 : 1);
}

function draftBurstMember(rng: Random, prep: Prepared, config: DomainConfig, burst: BurstSpec, member: number, dayStart: Date): Draft {
  // Calls follow the incident: most in the first half hour, a tail over the spread.
  const delay = Math.min(burst.kind.spread, (burst.kind.spread / 3) * -Math.log(1 - rng.next() * 0.95));
  let receivedAt = new Date(burst.start.getTime() + (member === 0 ? 0 : Math.round(delay * MINUTE)));
  const dayEnd = dayStart.getTime() + DAY - 1000;
  if (receivedAt.getTime() > dayEnd) receivedAt = new Date(dayEnd);
  receivedAt = new Date(Math.floor(receivedAt.getTime() / 1000) * 1000);
  const channel = member === 0 && burst.kind.groupFirst ? rng.weighted<Channel>([['hall', 3], ['hotline_12345', 3], ['grid', 2], ['letters_visits', 1]]) : rng.weighted(CHANNEL_MIX);
  const all = (prep.templates.get(burst.kind.category) ?? []).filter((t) => t.item === burst.kind.item);
  const wanted = burst.kind.groupFirst ? (member === 0 ? all.filter((t) => t.people === 'group') : all.filter((t) => t.people !== 'group')) : all;
  const pool = wanted.length > 0 ? wanted : all.length > 0 ? all : (prep.templates.get(burst.kind.category) ?? []);
  const template = rng.weighted(pool.map((t) => [t, t.weight ?? 1] as const));
  const hotspot = burst.hotspot >= 0 ? prep.hotspots[burst.hotspot] : undefined;
  const place = hotspot ? hotspotPlace(rng, config, hotspot) : backgroundPlace(rng, prep, config, rng.pick(template.places));
  return { channel, receivedAt, template, place, hotspot };
}

function hotspotPlace(rng: Random, config: DomainConfig, hotspot: PlacedHotspot): Place {
  // Within ~150 m of the hotspot's point, staying in the district.
  for (let attempt = 0; attempt < 4; attempt++) {
    const [lat, lng] = shift(hotspot.lat, hotspot.lng, rng.normal() * 120, rng.normal() * 120);
    if (!config.jurisdiction.locate(lat, lng).outOfArea) {
      return { name: hotspot.name, kind: hotspot.kind, community: hotspot.communityRef, point: [lat, lng], form: 'point' };
    }
  }
  return { name: hotspot.name, kind: hotspot.kind, community: hotspot.communityRef, point: [hotspot.lat, hotspot.lng], form: 'point' };
}

function backgroundPlace(rng: Random, prep: Prepared, config: DomainConfig, kind: PlaceKind): Place {
  const community = rng.pick(prep.communities);
  const name = placeName(rng, community, kind);
  const roll = rng.next();
  // Shares of all cases (background is ~70 % of them): ~0.5 % just outside, ~3 % without coordinates.
  if (roll < 0.008) return outsidePlace(rng, config, community, kind, name);
  if (roll < 0.038) return { name, kind, community, form: 'address+community' };
  if (roll < 0.051) return { name, kind, community, form: 'address' };
  const [lng0, lat0] = community.centroid;
  for (let attempt = 0; attempt < 5; attempt++) {
    const [lat, lng] = shift(lat0, lng0, rng.normal() * 400, rng.normal() * 400);
    if (!config.jurisdiction.locate(lat, lng).outOfArea) return { name, kind, community, point: [lat, lng], form: 'point' };
  }
  return { name, kind, community, point: [lat0, lng0], form: 'point' };
}

/** Just across the district line (0.5–3 km beyond its bounding box), with a neighbour's address. */
function outsidePlace(rng: Random, config: DomainConfig, community: Community, kind: PlaceKind, name: string): Place {
  const [west, south, east, north] = config.jurisdiction.bbox;
  const neighbour = rng.pick(NEIGHBOURS);
  const beyond = rng.uniform(500, 3000);
  let lat: number;
  let lng: number;
  switch (neighbour.side) {
    case 'west':
      [lat, lng] = shift(rng.uniform(south, north), west, -beyond, 0);
      break;
    case 'east':
      [lat, lng] = shift(rng.uniform(south, north), east, beyond, 0);
      break;
    case 'north':
      [lat, lng] = shift(north, rng.uniform(west, east), 0, beyond);
      break;
    default:
      [lat, lng] = shift(south, rng.uniform(west, east), 0, -beyond);
  }
  return { name, kind, community, point: [lat, lng], form: 'outside', outsideAddress: `${neighbour.address}${rng.pick(ROADS)}${rng.int(1, 300)}号` };
}

function placeName(rng: Random, community: Community, kind: PlaceKind): string {
  const c = shortName(community);
  switch (kind) {
    case 'estate':
      return `${c}${rng.pick(ESTATE_SUFFIX)}`;
    case 'village':
      return `${c}${rng.pick(['老村', '新村', '村'])}`;
    case 'park':
      return `${c}${rng.pick(PARK_SUFFIX)}`;
    case 'site':
      return `${c}${rng.pick(SITE_SUFFIX)}`;
    case 'market':
      return `${c}农贸市场`;
    case 'school':
      return `光明区${c}${rng.pick(SCHOOL_SUFFIX)}`;
    case 'commercial':
      return `${c}${rng.pick(['商业街', '步行街', '综合市场', '广场'])}`;
    default:
      return `${c}${rng.pick(['公交站', '公园', '天桥', '路口', '党群服务中心', '体育公园'])}`;
  }
}

// ---------------------------------------------------------------------------------------------
// From a draft to a complete plan: words, people, money, urgency, location, then the life.

function formatMoney(amount: number): string {
  if (amount >= 10_000) {
    const wan = amount / 10_000;
    return `${wan >= 100 ? Math.round(wan) : Math.round(wan * 10) / 10}万元`;
  }
  return `${amount}元`;
}

function groupSize(rng: Random): number {
  return Math.max(5, Math.min(80, Math.round(rng.logNormal(14, 0.65))));
}

function finish(rng: Random, seed: number, config: DomainConfig, ref: CaseRef, externalId: string, draft: Draft): PlannedCase {
  const { template, place, channel } = draft;
  const categoryCode = template.category;
  const street = config.jurisdiction.street(place.community.streetCode);
  const streetName = street?.name ?? '';
  const burstLead = ref.kind === 'burst' && ref.member === 0;

  let people = 1;
  if (template.people === 'group') people = burstLead ? Math.max(20, groupSize(rng) + 10) : groupSize(rng);
  else if (template.people === 'few') people = rng.int(2, 6);

  const months = rng.int(1, 4);
  let amount = 0;
  switch (template.amount) {
    case 'wage_single':
      amount = Math.round((rng.int(5_500, 9_500) * months) / 100) * 100;
      break;
    case 'wage_group':
      amount = Math.round((people * rng.int(5_500, 9_000) * months) / 1000) * 1000;
      break;
    case 'consumer':
      amount = Math.round(rng.logNormal(4_000, 0.9) / 100) * 100 + 100;
      break;
    case 'deposit':
      amount = rng.int(2, 8) * 1000 + rng.pick([0, 500]);
      break;
    default:
      break;
  }

  const floor = rng.int(3, 32);
  const values: Record<string, string> = {
    place: place.name,
    road: rng.pick(ROADS),
    road2: rng.pick(ROADS),
    community: shortName(place.community),
    street: streetName,
    building: `${rng.int(1, 16)}栋`,
    room: `${floor}0${rng.int(1, 8)}`,
    floor: String(floor),
    n: String(rng.int(2, 9)),
    days: String(rng.int(2, 5)),
    hour: String(rng.pick([10, 11, 11, 12])),
    clock: String(Math.max(0, Math.floor(shanghaiHour(draft.receivedAt.getTime())) - rng.int(0, 2))),
    people: String(people),
    months: String(months),
    money: formatMoney(amount),
    fee: String(rng.pick([300, 350, 400, 450])),
    fee2: String(rng.pick([500, 550, 600, 650, 800])),
    company: `深圳市${rng.pick(COMPANY_WORDS)}${rng.pick(COMPANY_TRADES)}有限公司`,
    shop: rng.pick(SHOPS),
    school: place.kind === 'school' ? place.name : `光明区${shortName(place.community)}${rng.pick(SCHOOL_SUFFIX)}`,
    bus: rng.pick(BUS),
    age: String(rng.int(75, 93)),
    attraction: rng.pick(ATTRACTIONS),
  };
  if (values.road2 === values.road) values.road2 = ROADS[(ROADS.indexOf(values.road!) + 3) % ROADS.length]!;
  const fill = (text: string): string => text.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? '');

  const title = fill(template.title).slice(0, 200);
  const prefix = fill(rng.pick(CHANNEL_PREFIX[channel]));
  const description = `${prefix}${fill(template.body)}${rng.pick(ASKS)}`;

  const urgency = rng.weighted<Urgency>(zipUrgency(template.urgency ?? NORMAL));
  const reporter = reporterFor(rng, seed, channel, draft);

  const address =
    place.form === 'outside'
      ? place.outsideAddress!
      : `${config.jurisdiction.district.name}${streetName}${place.community.name}${place.name}${LIVING.includes(place.kind) ? values.building : ''}`;
  const location: NonNullable<CaseIntake['location']> = { address };
  if (place.point) {
    location.lat = round6(place.point[0]);
    location.lng = round6(place.point[1]);
  }
  if (place.form === 'address+community') location.communityCode = place.community.code;
  if (channel === 'grid' && place.form !== 'outside') location.gridCode = `${place.community.code}-${String(rng.int(1, 24)).padStart(2, '0')}`;

  const category = config.taxonomy.category(categoryCode);
  const item = template.item && category?.items.some((i) => i.code === template.item) ? template.item : undefined;
  const receivedAt = draft.receivedAt;
  const input: Omit<CaseIntake, 'history'> = {
    channel,
    externalId,
    category: categoryCode,
    ...(item ? { item } : {}),
    title,
    description,
    location,
    ...(reporter ? { reporter } : {}),
    ...(people > 1 ? { peopleInvolved: people } : {}),
    ...(amount > 0 ? { amountCny: amount } : {}),
    urgency,
    reportedAt: shanghaiIso(receivedAt),
  };

  const tier = tierFor({ urgency, channel, category: categoryCode }, config.sla);
  const { deadlines } = computeDeadlines(receivedAt, tier, config.sla, config.calendar);
  const route = routeCase(config.taxonomy, categoryCode, item);
  const risk = gradeRisk({ peopleInvolved: people, amountCny: amount, urgency, category: categoryCode, repeatCount: 0 }, config.risk);
  const steps = planLife(rng, config, {
    receivedAt,
    tier,
    deadlines,
    department: route.department,
    dispatchTo: route.department === DISPATCH_CENTRE ? pickDispatchTarget(rng, config, template) : undefined,
    category: categoryCode,
    effort: template.effort ?? 1,
    red: risk.grade === 'red',
    people,
  });
  return {
    externalId,
    ref,
    input,
    receivedAt,
    steps,
    tags: {
      ...(draft.hotspot ? { hotspot: draft.hotspot.id } : {}),
      outOfArea: place.form === 'outside',
      ...(draft.burst ? { burst: draft.burst } : {}),
      tier,
      deadlines,
    },
  };
}

function zipUrgency(weights: readonly [number, number, number]): WeightedEntry<Urgency>[] {
  return [
    ['normal', weights[0]],
    ['urgent', weights[1]],
    ['emergency', weights[2]],
  ];
}

function round6(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

function personName(rng: Random): string {
  const given = rng.chance(0.7) ? `${rng.pick(GIVEN)}${rng.pick(GIVEN)}` : rng.pick(GIVEN);
  return `${rng.pick(SURNAME_LIST)}${given}`;
}

function phoneNumber(rng: Random): string {
  let digits = rng.pick(PHONE_PREFIXES);
  for (let i = 0; i < 8; i++) digits += String(rng.int(0, 9));
  return digits;
}

function reporterFor(rng: Random, seed: number, channel: Channel, draft: Draft): CaseIntake['reporter'] | undefined {
  if (channel === 'proactive') return undefined;
  // A hotspot's regulars call again and again (same name, same phone): repeat complaints.
  if (draft.hotspot && rng.chance(REGULAR_SHARE)) {
    const regular = forKey(seed, `regular:${draft.hotspot.id}:${rng.int(0, 4)}`);
    return { name: personName(regular), phone: phoneNumber(regular) };
  }
  const name = personName(rng);
  const phone = phoneNumber(rng);
  if ((channel === 'hotline_12345' || channel === 'app') && rng.chance(0.08)) return { phone };
  return { name, phone };
}

function pickDispatchTarget(rng: Random, config: DomainConfig, template: Template): string | undefined {
  const candidates = [template.dispatchTo, 'street_office']
    .filter((code): code is string => !!code && code !== DISPATCH_CENTRE && config.taxonomy.department(code) !== undefined);
  if (candidates.length > 0) return candidates[0];
  const any = config.taxonomy.departments.filter((d) => d.code !== DISPATCH_CENTRE);
  return any.length > 0 ? rng.pick(any).code : undefined;
}

// ---------------------------------------------------------------------------------------------
// The life of a case.

interface LifeInput {
  receivedAt: Date;
  tier: Tier;
  deadlines: Deadlines;
  /** Where the duty list routes it. */
  department: string;
  /** Where the dispatch centre sends a case the duty list could not place. */
  dispatchTo?: string;
  category: string;
  effort: number;
  red: boolean;
  people: number;
}

/** Shares of the lifecycle detours. */
export const LIFE_SHARES = {
  lateDispatch: 0.04,
  lateAccept: 0.05,
  lateResolve: 0.07,
  returned: 0.05,
  started: 0.82,
  evaluated: 0.87,
  satisfaction: [
    ['satisfied', 90],
    ['basically_satisfied', 6],
    ['unsatisfied', 4],
  ] as const satisfies readonly WeightedEntry<Satisfaction>[],
} as const;

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/** Shanghai clock hour (fractional) of an instant. */
function shanghaiHour(at: number): number {
  return (((at + SHANGHAI_OFFSET) % DAY) + DAY) % DAY / HOUR;
}

/**
 * Moves an instant that falls in the night (21:00–08:00) to the next morning (08:30 + a little):
 * departments handle ordinary cases in working hours.
 */
function nextOfficeTime(rng: Random, at: number): number {
  const hour = shanghaiHour(at);
  if (hour >= 8.5 && hour < 21) return at;
  const midnight = at - hour * HOUR;
  const morning = (hour >= 21 ? midnight + DAY : midnight) + 8.5 * HOUR;
  return morning + Math.round(rng.logNormal(35, 0.8)) * MINUTE;
}

function planLife(rng: Random, config: DomainConfig, life: LifeInput): PlannedStep[] {
  const steps: PlannedStep[] = [];
  const received = life.receivedAt.getTime();
  const respondBy = life.deadlines.respondBy.getTime();
  const acceptBy = life.deadlines.acceptBy.getTime();
  const resolveBy = life.deadlines.resolveBy.getTime();
  const officeBound = life.tier === 'general';
  let last = received;

  const push = (action: Action, at: number, extra: Omit<PlannedStep, 'action' | 'at'> = {}): number => {
    const t = Math.max(Math.round(at / 1000) * 1000, last + 1000);
    steps.push({ action, at: new Date(t), ...extra });
    last = t;
    return t;
  };
  const office = (at: number, deadline: number): number => {
    if (!officeBound) return at;
    const moved = nextOfficeTime(rng, at);
    return moved <= deadline || at > deadline ? moved : at;
  };

  // Dispatch (分拨): well inside the respond deadline, a few late.
  const respondSpan = Math.max(MINUTE, respondBy - received);
  const dispatchAt = rng.chance(LIFE_SHARES.lateDispatch)
    ? respondBy + respondSpan * rng.uniform(0.05, 1.2) + MINUTE
    : received + respondSpan * clamp(rng.logNormal(0.18, 0.7), 0.01, 0.95);
  const rightDepartment = life.dispatchTo ?? life.department;
  const explicit = life.dispatchTo ? { department: life.dispatchTo } : {};

  // A return (退单): first sent to a department that says "not ours", then re-dispatched.
  const returned = rng.chance(LIFE_SHARES.returned);
  if (returned) {
    const wrong = wrongDepartment(rng, config, rightDepartment);
    if (wrong) {
      let t = push('dispatch', dispatchAt, { department: wrong });
      if (rng.chance(0.4)) t = push('accept', t + rng.logNormal(25, 0.8) * MINUTE);
      const rightName = config.taxonomy.department(rightDepartment)?.name ?? rightDepartment;
      t = push('return', office(t + rng.logNormal(50, 0.9) * MINUTE, acceptBy), {
        note: rng.pick([`不属于本单位职责，建议转${rightName}办理`, `经核实该事项不属于本单位职责范围，请调度中心改派${rightName}`, '不属于本单位职责']),
      });
      push('dispatch', t + rng.logNormal(20, 0.7) * MINUTE, { department: rightDepartment, note: `经调度中心核实，改派${rightName}` });
    } else {
      push('dispatch', dispatchAt, explicit);
    }
  } else {
    push('dispatch', dispatchAt, explicit);
  }

  // Red cases go up at once (street, the biggest to the district) and are handled jointly.
  if (life.red || (life.people >= 5 && rng.chance(0.1))) {
    push('escalate', last + rng.logNormal(15, 0.6) * MINUTE, { level: 'street', note: '涉及人数多、影响大，提级街道统筹协调处置' });
    if (life.red && life.people >= 50 && rng.chance(0.6)) {
      push('escalate', last + rng.logNormal(60, 0.6) * MINUTE, { level: 'district', note: '事态较大，报区级领导协调' });
    }
  }

  // Accept (签收).
  const lateAccept = rng.chance(LIFE_SHARES.lateAccept);
  const acceptAt = lateAccept
    ? Math.max(acceptBy, last) + Math.max(MINUTE, (acceptBy - received) * rng.uniform(0.03, 0.6))
    : acceptBy > last
      ? office(last + (acceptBy - last) * clamp(rng.logNormal(0.1, 0.9), 0.01, 0.95), acceptBy)
      : last + rng.logNormal(10, 0.5) * MINUTE;
  push('accept', acceptAt);

  const jointDepartments = jointFor(config, life);
  if (jointDepartments.length > 0) push('cohandle', last + rng.logNormal(30, 0.6) * MINUTE, { departments: jointDepartments, note: '联合处置' });

  // Start (处置), then resolve (办结) lognormal over the resolve window, a few late.
  const resolveSpan = Math.max(HOUR, resolveBy - received);
  if (rng.chance(LIFE_SHARES.started)) {
    push('start', last + Math.min(rng.logNormal(45, 0.9) * MINUTE, resolveSpan * 0.1), rng.chance(0.5) ? { note: rng.pick(['已安排人员到现场核查', '已联系来电人了解情况', '已约谈相关责任方']) } : {});
  }
  const lateResolve = rng.chance(clamp(LIFE_SHARES.lateResolve * (life.effort >= 1.5 ? 1.8 : life.effort < 0.5 ? 0.3 : 1), 0, 0.5));
  const resolveAt = lateResolve
    ? Math.max(resolveBy, last) + resolveSpan * rng.uniform(0.02, 0.5)
    : office(received + resolveSpan * clamp(rng.logNormal(0.22 * life.effort, 0.75), 0.01, 0.96), resolveBy);
  const resolveNote = () => rng.pick(RESOLVE_NOTES[life.category] ?? ['已处理完毕并答复来电人']);
  let resolvedAt = push('resolve', resolveAt, { note: resolveNote() });

  // Evaluation (回访评价), an unsatisfied one reopened (一把手重办), then close (归档).
  let reopened = false;
  for (;;) {
    if (!rng.chance(LIFE_SHARES.evaluated)) {
      push('close', resolvedAt + config.evaluationDays * DAY + rng.int(1, 60) * MINUTE, { note: '回访期满未评价，自动归档' });
      break;
    }
    const evaluateAt = nextCallTime(rng, resolvedAt + rng.uniform(1, Math.max(2, Math.min(44, config.evaluationDays * 24 * 0.6))) * HOUR);
    const satisfaction = reopened
      ? rng.weighted<Satisfaction>([['satisfied', 70], ['basically_satisfied', 22], ['unsatisfied', 8]])
      : rng.weighted<Satisfaction>(LIFE_SHARES.satisfaction);
    const unsatisfiedNote = rng.pick(['问题没有实际解决', '处理结果不满意', '只是电话回复，没有到现场处理', '问题反复出现']);
    const t = push('evaluate', evaluateAt, satisfaction === 'unsatisfied' ? { satisfaction, note: unsatisfiedNote } : { satisfaction });
    if (satisfaction !== 'unsatisfied' || reopened) {
      push('close', t + rng.logNormal(60, 0.8) * MINUTE, { note: '回访评价后归档' });
      break;
    }
    // 一把手重办: the evaluation itself reopens the case for the department head, with a fresh
    // resolve deadline (RULES RV1); a second unsatisfied evaluation is closed as it stands.
    reopened = true;
    const reopenAt = t;
    const reopenBy = addDuration(new Date(reopenAt), config.sla.tiers[life.tier].resolve, config.calendar).at.getTime();
    const reopenSpan = Math.max(HOUR, reopenBy - reopenAt);
    push('start', reopenAt + rng.logNormal(60, 0.8) * MINUTE, { note: '部门主要负责人已联系市民并到现场核查' });
    resolvedAt = push('resolve', office(reopenAt + reopenSpan * clamp(rng.logNormal(0.25, 0.6), 0.02, 0.95), reopenBy), { note: resolveNote() });
  }
  return steps;
}

/** Return-visit calls happen 09:00–20:00. */
function nextCallTime(rng: Random, at: number): number {
  const hour = shanghaiHour(at);
  if (hour >= 9 && hour < 20) return at;
  const midnight = at - hour * HOUR;
  const morning = (hour >= 20 ? midnight + DAY : midnight) + 9 * HOUR;
  return morning + rng.int(0, 180) * MINUTE;
}

function wrongDepartment(rng: Random, config: DomainConfig, right: string): string | undefined {
  const known = (CONFUSED_WITH[right] ?? []).filter((code) => code !== right && config.taxonomy.department(code));
  if (known.length > 0) return rng.pick(known);
  const others = config.taxonomy.departments.filter((d) => d.code !== right && d.code !== DISPATCH_CENTRE);
  return others.length > 0 ? rng.pick(others).code : undefined;
}

/** Group and wage cases are handled jointly (联合处置): labour, police, the street. */
function jointFor(config: DomainConfig, life: LifeInput): string[] {
  if (!life.red && life.people < 20) return [];
  const wanted =
    life.category === 'labour_wages'
      ? ['human_resources', 'public_security', 'street_office']
      : life.category === 'disputes'
        ? ['public_security', 'street_office', 'housing']
        : ['street_office', 'emergency'];
  const main = life.dispatchTo ?? life.department;
  return wanted.filter((code) => code !== main && config.taxonomy.department(code) !== undefined).slice(0, 2);
}

// ---------------------------------------------------------------------------------------------
// Time helpers shared with the simulator.

/** The civil dates from `from` to `to`, both included (empty when from > to). */
export function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addCalendarDays(d, 1)) out.push(d);
  return out;
}

/**
 * The demo's service stations (群众诉求服务站): one at each hotspot, where people gather (estates,
 * industrial parks, a site, a market, a school), as the district built them "where the people are".
 */
export function demoStations(config: DomainConfig): { name: string; lng: number; lat: number }[] {
  return prepare(config).hotspots.map((h) => ({ name: `${h.name}群众诉求服务站`, lng: h.lng, lat: h.lat }));
}

/** The demo's hotspots, where the simulator gathers trouble (its recurring places), with their weights: benchmarks check the risk map finds them. */
export function demoHotspots(config: DomainConfig): { id: string; name: string; weight: number; lng: number; lat: number }[] {
  return prepare(config).hotspots.map((h) => ({ id: h.id, name: h.name, weight: h.weight, lng: h.lng, lat: h.lat }));
}
