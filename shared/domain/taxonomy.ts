/**
 * The duty list (职责清单): 18 major categories of appeals, their items, and the department that
 * owns each item, for a district of Shenzhen (Guangming by default). Routing is a lookup in this
 * list; anything it cannot place goes to the dispatch centre, whose staff route it by hand.
 *
 * Shenzhen's real list has 4,096 items; this default carries the common ones, and a CONFIG_FILE may
 * replace it whole. Municipal bureaus appear as their Guangming branches (市…局光明管理局/分局).
 */

export interface Department {
  code: string;
  name: string;
  nameEn: string;
}

export interface CategoryItem {
  code: string;
  name: string;
  nameEn: string;
  department: string;
}

export interface Category {
  code: string;
  name: string;
  nameEn: string;
  /** The category's default owner, used when a case names no item. */
  department: string;
  items: readonly CategoryItem[];
}

export interface Taxonomy {
  categories: readonly Category[];
  departments: readonly Department[];
  category(code: string): Category | undefined;
  department(code: string): Department | undefined;
}

/** Where cases of unclear ownership go (区民意速办中心). */
export const DISPATCH_CENTRE = 'dispatch_centre';

/**
 * Indexes a duty list and checks it: codes unique (categories, departments, items within a
 * category), every department named by a category or item exists, and the dispatch centre is among
 * the departments. Throws an Error naming the first problem.
 */
export function createTaxonomy(data: { categories: Category[]; departments: Department[] }): Taxonomy {
  const departments = new Map<string, Department>();
  for (const dept of data.departments) {
    if (!dept.code) throw new Error(`taxonomy: a department has no code (${dept.name ?? '?'})`);
    if (departments.has(dept.code)) throw new Error(`taxonomy: department "${dept.code}" is listed twice`);
    departments.set(dept.code, dept);
  }
  if (!departments.has(DISPATCH_CENTRE)) throw new Error(`taxonomy: the departments must include "${DISPATCH_CENTRE}"`);

  const categories = new Map<string, Category>();
  for (const category of data.categories) {
    if (!category.code) throw new Error(`taxonomy: a category has no code (${category.name ?? '?'})`);
    if (categories.has(category.code)) throw new Error(`taxonomy: category "${category.code}" is listed twice`);
    if (!departments.has(category.department)) {
      throw new Error(`taxonomy: category "${category.code}" names unknown department "${category.department}"`);
    }
    const items = new Set<string>();
    for (const item of category.items ?? []) {
      if (!item.code) throw new Error(`taxonomy: an item of "${category.code}" has no code (${item.name ?? '?'})`);
      if (items.has(item.code)) throw new Error(`taxonomy: item "${category.code}/${item.code}" is listed twice`);
      if (!departments.has(item.department)) {
        throw new Error(`taxonomy: item "${category.code}/${item.code}" names unknown department "${item.department}"`);
      }
      items.add(item.code);
    }
    categories.set(category.code, { ...category, items: category.items ?? [] });
  }

  return {
    categories: [...categories.values()],
    departments: [...departments.values()],
    category: (code) => categories.get(code),
    department: (code) => departments.get(code),
  };
}

/**
 * Duty-list routing: item → its department; category only → the category's default owner;
 * unknown category/item or 'other' → dispatch centre. An empty item counts as no item.
 */
export function routeCase(
  tax: Taxonomy,
  category: string,
  item?: string,
): { department: string; routedBy: 'duty_list' | 'dispatch_centre' } {
  const toDispatch = { department: DISPATCH_CENTRE, routedBy: 'dispatch_centre' } as const;
  const found = tax.category(category);
  if (!found || found.code === 'other') return toDispatch;
  let department = found.department;
  if (item) {
    const match = found.items.find((i) => i.code === item);
    if (!match) return toDispatch;
    department = match.department;
  }
  return department === DISPATCH_CENTRE ? toDispatch : { department, routedBy: 'duty_list' };
}

const DEPARTMENTS: Department[] = [
  { code: DISPATCH_CENTRE, name: '光明区民意速办中心（调度中心）', nameEn: 'District Appeals Dispatch Centre' },
  { code: 'street_office', name: '街道办事处', nameEn: 'Street Office' },
  { code: 'urban_management', name: '光明区城市管理和综合执法局', nameEn: 'Urban Management and Law Enforcement Bureau' },
  { code: 'housing', name: '光明区住房和建设局', nameEn: 'Housing and Construction Bureau' },
  { code: 'transport', name: '深圳市交通运输局光明管理局', nameEn: 'Transport Bureau, Guangming Office' },
  { code: 'ecology_env', name: '深圳市生态环境局光明管理局', nameEn: 'Ecology and Environment Bureau, Guangming Office' },
  { code: 'market_regulation', name: '深圳市市场监督管理局光明监管局', nameEn: 'Market Regulation Administration, Guangming Bureau' },
  { code: 'human_resources', name: '光明区人力资源局', nameEn: 'Human Resources Bureau' },
  { code: 'public_security', name: '深圳市公安局光明分局', nameEn: 'Public Security Bureau, Guangming Branch' },
  { code: 'education', name: '光明区教育局', nameEn: 'Education Bureau' },
  { code: 'health', name: '光明区卫生健康局', nameEn: 'Health Commission' },
  { code: 'medical_security', name: '深圳市医疗保障局光明分局', nameEn: 'Healthcare Security Bureau, Guangming Branch' },
  { code: 'civil_affairs', name: '光明区民政局', nameEn: 'Civil Affairs Bureau' },
  { code: 'water', name: '光明区水务局', nameEn: 'Water Affairs Bureau' },
  { code: 'planning', name: '深圳市规划和自然资源局光明管理局', nameEn: 'Planning and Natural Resources Bureau, Guangming Office' },
  { code: 'urban_renewal', name: '光明区城市更新和土地整备局', nameEn: 'Urban Renewal and Land Consolidation Bureau' },
  { code: 'emergency', name: '光明区应急管理局', nameEn: 'Emergency Management Bureau' },
  { code: 'fire_rescue', name: '光明区消防救援大队', nameEn: 'Fire and Rescue Brigade' },
  { code: 'culture_tourism', name: '光明区文化广电旅游体育局', nameEn: 'Culture, Radio, Tourism and Sports Bureau' },
  { code: 'government_services', name: '光明区政务服务和数据管理局', nameEn: 'Government Services and Data Administration' },
];

function item(code: string, name: string, nameEn: string, department: string): CategoryItem {
  return { code, name, nameEn, department };
}

const CATEGORIES: Category[] = [
  {
    code: 'city_management',
    name: '城市管理',
    nameEn: 'City management',
    department: 'urban_management',
    items: [
      item('street_vending', '占道经营', 'Street vending blocking the way', 'urban_management'),
      item('illegal_ads', '违规广告', 'Illegal advertising and flyers', 'urban_management'),
      item('garbage_collection', '垃圾清运', 'Rubbish collection', 'urban_management'),
      item('street_lights', '路灯损坏', 'Broken street lights', 'urban_management'),
      item('illegal_construction', '违法建设', 'Illegal construction', 'urban_management'),
      item('greenery', '绿化养护', 'Parks and greenery upkeep', 'urban_management'),
      item('public_toilets', '公厕管理', 'Public toilets', 'urban_management'),
      item('cooking_fumes', '餐饮油烟', 'Restaurant cooking fumes', 'urban_management'),
    ],
  },
  {
    code: 'housing_property',
    name: '住房和物业',
    nameEn: 'Housing and property',
    department: 'housing',
    items: [
      item('property_service', '物业服务', 'Property management service', 'housing'),
      item('elevator_fault', '电梯故障', 'Lift breakdowns and entrapment', 'market_regulation'),
      item('construction_site', '建筑工地施工管理', 'Construction site management', 'housing'),
      item('housing_quality', '房屋质量', 'Housing quality (leaks, cracks)', 'housing'),
      item('dangerous_building', '危房隐患', 'Unsafe buildings', 'housing'),
      item('affordable_housing', '保障性住房', 'Affordable and public housing', 'housing'),
      item('rental_housing', '房屋租赁', 'Rental housing', 'housing'),
      item('maintenance_fund', '维修资金', 'Building maintenance fund', 'housing'),
    ],
  },
  {
    code: 'transport',
    name: '交通出行',
    nameEn: 'Transport',
    department: 'transport',
    items: [
      item('bus_service', '公交线路与站点', 'Bus routes and stops', 'transport'),
      item('taxi', '出租车与网约车', 'Taxis and ride-hailing', 'transport'),
      item('road_damage', '道路破损', 'Damaged roads', 'transport'),
      item('shared_bikes', '共享单车乱停放', 'Shared bikes parked in the way', 'transport'),
      item('traffic_signals', '交通信号灯与标志', 'Traffic lights and signs', 'public_security'),
      item('illegal_parking', '违章停车', 'Illegal parking', 'public_security'),
    ],
  },
  {
    code: 'environment_noise',
    name: '环境和噪声',
    nameEn: 'Environment and noise',
    department: 'ecology_env',
    items: [
      item('construction_noise', '施工噪声', 'Construction noise', 'ecology_env'),
      item('industrial_noise', '工业噪声', 'Industrial noise', 'ecology_env'),
      item('commercial_noise', '商铺经营噪声', 'Shop loudspeakers and business noise', 'urban_management'),
      item('air_pollution', '废气异味', 'Air pollution and odours', 'ecology_env'),
      item('water_pollution', '污水偷排', 'Illegal discharge of waste water', 'ecology_env'),
      item('solid_waste', '工业固废与危废', 'Industrial and hazardous waste', 'ecology_env'),
    ],
  },
  {
    code: 'market_food',
    name: '市场监管和食品安全',
    nameEn: 'Market regulation and food safety',
    department: 'market_regulation',
    items: [
      item('food_safety', '食品安全', 'Food safety', 'market_regulation'),
      item('unlicensed_business', '无证无照经营', 'Unlicensed business', 'market_regulation'),
      item('pricing', '价格违法', 'Pricing violations', 'market_regulation'),
      item('consumer_rights', '消费维权', 'Consumer complaints', 'market_regulation'),
      item('product_quality', '产品质量', 'Product quality', 'market_regulation'),
      item('prepaid_cards', '预付卡退费', 'Prepaid card refunds', 'market_regulation'),
      item('drug_safety', '药品安全', 'Drug safety', 'market_regulation'),
    ],
  },
  {
    code: 'labour_wages',
    name: '劳动保障和欠薪',
    nameEn: 'Labour and wage arrears',
    department: 'human_resources',
    items: [
      item('wage_arrears', '拖欠工资', 'Unpaid wages', 'human_resources'),
      item('construction_wage_arrears', '工程建设领域欠薪', 'Unpaid wages on construction projects', 'human_resources'),
      item('labour_contract', '劳动合同', 'Labour contracts', 'human_resources'),
      item('social_insurance', '社保缴纳', 'Social insurance contributions', 'human_resources'),
      item('working_hours', '超时加班与休息休假', 'Overtime, rest days and leave', 'human_resources'),
      item('employment_services', '就业与招聘服务', 'Employment and recruitment services', 'human_resources'),
    ],
  },
  {
    code: 'public_security',
    name: '社会治安',
    nameEn: 'Public security',
    department: 'public_security',
    items: [
      item('theft', '盗窃', 'Theft', 'public_security'),
      item('fraud', '诈骗', 'Fraud', 'public_security'),
      item('public_order', '扰乱公共秩序', 'Disturbing public order', 'public_security'),
      item('vice', '涉黄涉赌涉毒', 'Gambling, drugs and prostitution', 'public_security'),
      item('household_registration', '户籍办理', 'Household registration (hukou)', 'public_security'),
    ],
  },
  {
    code: 'education',
    name: '教育',
    nameEn: 'Education',
    department: 'education',
    items: [
      item('school_admission', '入学学位', 'School places and admission', 'education'),
      item('school_fees', '学校收费', 'School fees', 'education'),
      item('off_campus_training', '校外培训', 'Off-campus tutoring', 'education'),
      item('campus_safety', '校园安全', 'Campus safety', 'education'),
      item('kindergartens', '幼儿园', 'Kindergartens', 'education'),
      item('teacher_conduct', '师德师风', 'Teacher conduct', 'education'),
    ],
  },
  {
    code: 'health',
    name: '医疗卫生',
    nameEn: 'Health',
    department: 'health',
    items: [
      item('medical_service', '医疗服务', 'Hospital and clinic service', 'health'),
      item('medical_dispute', '医疗纠纷', 'Medical disputes', 'health'),
      item('vaccination', '疫苗接种', 'Vaccination', 'health'),
      item('illegal_practice', '非法行医', 'Unlicensed medical practice', 'health'),
      item('medical_insurance', '医保报销', 'Medical insurance claims', 'medical_security'),
      item('pest_control', '病媒生物防制', 'Mosquitoes, rats and pests', 'health'),
    ],
  },
  {
    code: 'civil_affairs',
    name: '民政服务',
    nameEn: 'Civil affairs',
    department: 'civil_affairs',
    items: [
      item('elderly_care', '养老服务', 'Care for the elderly', 'civil_affairs'),
      item('subsistence_allowance', '最低生活保障', 'Minimum living allowance', 'civil_affairs'),
      item('temporary_assistance', '临时救助', 'Emergency assistance', 'civil_affairs'),
      item('disability_services', '残疾人服务', 'Services for disabled people', 'civil_affairs'),
      item('marriage_registration', '婚姻登记', 'Marriage registration', 'civil_affairs'),
      item('funerals', '殡葬管理', 'Funerals and burials', 'civil_affairs'),
    ],
  },
  {
    code: 'water',
    name: '水务',
    nameEn: 'Water',
    department: 'water',
    items: [
      item('water_supply', '停水与水压', 'Water outages and low pressure', 'water'),
      item('water_quality', '自来水水质', 'Tap water quality', 'water'),
      item('drainage', '排水管网堵塞', 'Blocked drains and sewers', 'water'),
      item('waterlogging', '积水内涝', 'Flooding and waterlogging', 'water'),
      item('rivers', '河道治理', 'Rivers and channels', 'water'),
      item('manhole_covers', '井盖缺失破损', 'Missing or broken manhole covers', 'water'),
    ],
  },
  {
    code: 'planning_land',
    name: '规划和土地',
    nameEn: 'Planning and land',
    department: 'planning',
    items: [
      item('planning_approval', '规划审批', 'Planning approval', 'planning'),
      item('illegal_land_use', '违法占用土地', 'Illegal occupation of land', 'planning'),
      item('geological_hazard', '地质灾害与边坡', 'Landslides and unstable slopes', 'planning'),
      item('property_registration', '不动产登记', 'Real-estate registration', 'planning'),
      item('urban_renewal', '城市更新与旧改', 'Urban renewal and redevelopment', 'urban_renewal'),
    ],
  },
  {
    code: 'fire_safety',
    name: '消防和应急安全',
    nameEn: 'Fire and emergency safety',
    department: 'emergency',
    items: [
      item('fire_hazard', '消防隐患', 'Fire hazards, blocked fire exits', 'fire_rescue'),
      item('ebike_charging', '电动自行车违规充电', 'Unsafe e-bike charging', 'fire_rescue'),
      item('gas_safety', '燃气安全', 'Gas safety', 'urban_management'),
      item('hazardous_chemicals', '危险化学品', 'Hazardous chemicals', 'emergency'),
      item('work_safety', '安全生产', 'Workplace safety', 'emergency'),
      item('flood_typhoon', '三防（防汛防风）', 'Flood and typhoon preparedness', 'emergency'),
    ],
  },
  {
    code: 'culture_tourism',
    name: '文化旅游体育',
    nameEn: 'Culture, tourism and sports',
    department: 'culture_tourism',
    items: [
      item('venues', '文体场馆', 'Cultural and sports venues', 'culture_tourism'),
      item('entertainment_venues', '网吧与娱乐场所', 'Internet cafés and entertainment venues', 'culture_tourism'),
      item('tourism', '旅游投诉', 'Tourism complaints', 'culture_tourism'),
      item('fitness_equipment', '公共健身设施', 'Public fitness equipment', 'culture_tourism'),
      item('performances', '演出活动', 'Performances and events', 'culture_tourism'),
    ],
  },
  {
    code: 'community_affairs',
    name: '社区事务',
    nameEn: 'Community affairs',
    department: 'street_office',
    items: [
      item('community_services', '社区服务', 'Community services', 'street_office'),
      item('rental_registration', '出租屋管理', 'Rented-room registration', 'street_office'),
      item('urban_village', '城中村治理', 'Urban village management', 'street_office'),
      item('owners_committee', '业主委员会', "Homeowners' committees", 'street_office'),
      item('community_facilities', '社区公共设施', 'Community facilities', 'street_office'),
    ],
  },
  {
    code: 'disputes',
    name: '矛盾纠纷',
    nameEn: 'Neighbour and family disputes',
    department: 'street_office',
    items: [
      item('neighbour_dispute', '邻里纠纷', 'Neighbour disputes', 'street_office'),
      item('family_dispute', '婚姻家庭纠纷', 'Marriage and family disputes', 'street_office'),
      item('group_dispute', '群体性纠纷', 'Group disputes', 'street_office'),
      item('shareholding_company', '股份合作公司纠纷', 'Community shareholding company disputes', 'street_office'),
      item('civil_dispute', '合同与债务纠纷', 'Contract and debt disputes', 'street_office'),
    ],
  },
  {
    code: 'government_services',
    name: '政务服务',
    nameEn: 'Government services',
    department: 'government_services',
    items: [
      item('service_hall', '办事大厅服务', 'Service hall', 'government_services'),
      item('online_services', '网上办事', 'Online services (i Shenzhen)', 'government_services'),
      item('staff_conduct', '工作人员作风', 'Staff conduct', 'government_services'),
      item('policy_enquiry', '政策咨询', 'Policy enquiries', 'government_services'),
      item('business_environment', '营商环境', 'Business environment', 'government_services'),
    ],
  },
  {
    code: 'other',
    name: '其他',
    nameEn: 'Other',
    department: DISPATCH_CENTRE,
    items: [
      item('suggestion', '意见建议', 'Suggestions', DISPATCH_CENTRE),
      item('praise', '表扬感谢', 'Praise and thanks', DISPATCH_CENTRE),
      item('unclassified', '其他事项', 'Unclassified', DISPATCH_CENTRE),
    ],
  },
];

/** The default duty list: 18 categories, 20 departments (the dispatch centre and street offices included). */
export const DEFAULT_TAXONOMY: Taxonomy = createTaxonomy({ categories: CATEGORIES, departments: DEPARTMENTS });
