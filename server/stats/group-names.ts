/**
 * The display name of a figures group (a channel, category, street, community or department), so
 * the SQL summary and the live projection name their rows alike. Cases without a place count under
 * the key `unknown`, shown as 位置未知.
 */
import { CHANNEL_NAMES, type Channel } from '../../shared/domain/vocabulary.js';
import type { DomainConfig } from '../config.js';

import type { GroupDimension } from '../../shared/protocol/figures.js';

export const UNKNOWN_KEY = 'unknown';

export function groupName(config: DomainConfig, dimension: GroupDimension, key: string): string {
  if (key === UNKNOWN_KEY) return dimension === 'street' || dimension === 'community' ? '位置未知' : '—';
  switch (dimension) {
    case 'channel':
      return CHANNEL_NAMES[key as Channel]?.zh ?? key;
    case 'category':
      return config.taxonomy.category(key)?.name ?? key;
    case 'street':
      return config.jurisdiction.street(key)?.name ?? key;
    case 'community':
      return config.jurisdiction.community(key)?.name ?? key;
    case 'department':
      return config.taxonomy.department(key)?.name ?? key;
  }
}

type GroupNames = Record<GroupDimension, Record<string, string>>;
const namesByConfig = new WeakMap<DomainConfig, GroupNames>();

/**
 * Every group's name by dimension and key, for clients that receive rows as counts alone. Built
 * once per configuration: every snapshot carries it.
 */
export function groupNames(config: DomainConfig): GroupNames {
  const known = namesByConfig.get(config);
  if (known) return known;
  const keys: Record<GroupDimension, string[]> = {
    channel: Object.keys(CHANNEL_NAMES),
    category: config.taxonomy.categories.map((c) => c.code),
    street: config.jurisdiction.streets.map((s) => s.code),
    community: config.jurisdiction.communities.map((c) => c.code),
    department: config.taxonomy.departments.map((d) => d.code),
  };
  const names = {} as GroupNames;
  for (const [dimension, list] of Object.entries(keys) as [GroupDimension, string[]][]) {
    names[dimension] = Object.fromEntries([...list, UNKNOWN_KEY].map((key) => [key, groupName(config, dimension, key)]));
  }
  namesByConfig.set(config, names);
  return names;
}
