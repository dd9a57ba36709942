import { describe, expect, it } from 'vitest';
import { DEFAULT_TAXONOMY, DISPATCH_CENTRE, createTaxonomy, routeCase, type Category, type Department } from './taxonomy.js';

const CATEGORY_CODES = [
  'city_management', 'housing_property', 'transport', 'environment_noise', 'market_food', 'labour_wages',
  'public_security', 'education', 'health', 'civil_affairs', 'water', 'planning_land', 'fire_safety',
  'culture_tourism', 'community_affairs', 'disputes', 'government_services', 'other',
];

const HAN = /\p{Script=Han}/u;

describe('the default duty list', () => {
  it('[TAX1] has the 18 major categories, each with 3–8 items and Chinese and English names', () => {
    expect(DEFAULT_TAXONOMY.categories.map((c) => c.code)).toEqual(CATEGORY_CODES);
    for (const category of DEFAULT_TAXONOMY.categories) {
      expect(category.name, category.code).toMatch(HAN);
      expect(category.nameEn, category.code).toMatch(/^[A-Z]/);
      expect(category.items.length, category.code).toBeGreaterThanOrEqual(3);
      expect(category.items.length, category.code).toBeLessThanOrEqual(8);
      for (const item of category.items) {
        expect(item.name, item.code).toMatch(HAN);
        expect(item.nameEn, item.code).not.toBe('');
      }
    }
  });

  it('[TAX1] every department a category or item names exists, and the district departments are there', () => {
    for (const category of DEFAULT_TAXONOMY.categories) {
      expect(DEFAULT_TAXONOMY.department(category.department), category.code).toBeDefined();
      for (const item of category.items) expect(DEFAULT_TAXONOMY.department(item.department), item.code).toBeDefined();
    }
    const codes = DEFAULT_TAXONOMY.departments.map((d) => d.code);
    for (const code of [
      'urban_management', 'housing', 'transport', 'ecology_env', 'market_regulation', 'human_resources', 'public_security',
      'education', 'health', 'civil_affairs', 'water', 'planning', 'emergency', 'culture_tourism', 'government_services',
      DISPATCH_CENTRE, 'street_office',
    ]) {
      expect(codes).toContain(code);
    }
    expect(DEFAULT_TAXONOMY.department('urban_management')?.name).toBe('光明区城市管理和综合执法局');
    expect(DEFAULT_TAXONOMY.category('city_management')?.items.map((i) => i.name)).toEqual(
      expect.arrayContaining(['占道经营', '违规广告', '垃圾清运', '路灯损坏']),
    );
  });

  it('[TAX1] lookups by code; unknown codes give undefined', () => {
    expect(DEFAULT_TAXONOMY.category('water')?.name).toBe('水务');
    expect(DEFAULT_TAXONOMY.category('nope')).toBeUndefined();
    expect(DEFAULT_TAXONOMY.department('nope')).toBeUndefined();
  });
});

describe('duty-list routing', () => {
  it('[TAX2] an item goes to its own department, which may differ from the category owner', () => {
    expect(routeCase(DEFAULT_TAXONOMY, 'city_management', 'street_vending')).toEqual({ department: 'urban_management', routedBy: 'duty_list' });
    expect(routeCase(DEFAULT_TAXONOMY, 'housing_property', 'elevator_fault')).toEqual({ department: 'market_regulation', routedBy: 'duty_list' });
    expect(routeCase(DEFAULT_TAXONOMY, 'transport', 'illegal_parking')).toEqual({ department: 'public_security', routedBy: 'duty_list' });
  });

  it('[TAX2] a category without an item goes to the category default owner', () => {
    expect(routeCase(DEFAULT_TAXONOMY, 'labour_wages')).toEqual({ department: 'human_resources', routedBy: 'duty_list' });
    expect(routeCase(DEFAULT_TAXONOMY, 'disputes')).toEqual({ department: 'street_office', routedBy: 'duty_list' });
    expect(routeCase(DEFAULT_TAXONOMY, 'water', '')).toEqual({ department: 'water', routedBy: 'duty_list' });
  });

  it('[TAX3] unknown category, unknown item or "other" goes to the dispatch centre', () => {
    const dispatch = { department: DISPATCH_CENTRE, routedBy: 'dispatch_centre' };
    expect(routeCase(DEFAULT_TAXONOMY, 'ufo_sightings')).toEqual(dispatch);
    expect(routeCase(DEFAULT_TAXONOMY, 'city_management', 'no_such_item')).toEqual(dispatch);
    expect(routeCase(DEFAULT_TAXONOMY, 'water', 'street_vending')).toEqual(dispatch); // an item of another category
    expect(routeCase(DEFAULT_TAXONOMY, 'other')).toEqual(dispatch);
    expect(routeCase(DEFAULT_TAXONOMY, 'other', 'praise')).toEqual(dispatch);
  });
});

describe('createTaxonomy', () => {
  const departments: Department[] = [
    { code: DISPATCH_CENTRE, name: '调度中心', nameEn: 'Dispatch centre' },
    { code: 'water', name: '水务局', nameEn: 'Water' },
  ];
  const water: Category = {
    code: 'water',
    name: '水务',
    nameEn: 'Water',
    department: 'water',
    items: [{ code: 'leak', name: '漏水', nameEn: 'Leak', department: 'water' }],
  };

  it('[TAX4] builds a custom duty list', () => {
    const tax = createTaxonomy({ categories: [water], departments });
    expect(routeCase(tax, 'water', 'leak')).toEqual({ department: 'water', routedBy: 'duty_list' });
  });

  it('[TAX4] refuses a department that does not exist, naming it', () => {
    const badItem = { ...water, items: [{ code: 'leak', name: '漏水', nameEn: 'Leak', department: 'plumbing' }] };
    expect(() => createTaxonomy({ categories: [badItem], departments })).toThrow(/"water\/leak".*"plumbing"/);
    expect(() => createTaxonomy({ categories: [{ ...water, department: 'waterworks' }], departments })).toThrow(/"waterworks"/);
  });

  it('[TAX4] refuses duplicate codes and a list without the dispatch centre', () => {
    expect(() => createTaxonomy({ categories: [water, water], departments })).toThrow(/category "water" is listed twice/);
    expect(() => createTaxonomy({ categories: [], departments: [...departments, departments[1]!] })).toThrow(/department "water" is listed twice/);
    expect(() => createTaxonomy({ categories: [water], departments: departments.slice(1) })).toThrow(/dispatch_centre/);
  });
});
