/** How the wall lines up an alert in either language (RULES WALL8). */
import { expect, it } from 'vitest';
import { DEFAULT_DOMAIN } from '../../server/config.js';
import type { AlertView } from '../../shared/protocol/payloads.js';
import { alertLine, englishNames, WORDS } from './i18n.js';

const alert = (kind: AlertView['kind'], text: string, stage: AlertView['stage'] = null): AlertView => ({
  id: 'AL1', kind, severity: 'warning', caseId: 'GM1', stage, deadline: null, at: '', seq: 1, text, ackedAt: null, ackedBy: null, caseIds: ['GM1'], caseCount: 1, updatedAt: null,
});

it('[WALL8] an alert reads "what · where": the server\'s words in Chinese, the kind and English names in English', () => {
  const { byChinese } = englishNames({ taxonomy: DEFAULT_DOMAIN.taxonomy, jurisdiction: DEFAULT_DOMAIN.jurisdiction });
  const recurring = alert('recurring', '反复出现 4件 · 7日内 常态约0.2件 · 水务 · 碧眼社区');
  expect(alertLine(recurring, WORDS.zh, null)).toEqual({ what: '反复出现 4件', where: '水务 · 碧眼社区' });
  expect(alertLine(recurring, WORDS.en, byChinese)).toEqual({ what: 'Recurring problem', where: 'Water · 碧眼社区' });
  const surge = alert('surge', '诉求激增 18件 · 10时 常态约3.0件 · 全部类别 · 公明街道');
  expect(alertLine(surge, WORDS.en, byChinese).where).toBe('All categories · Gongming Subdistrict');
  const breached = alert('sla_breached', '签收已超期 · GM1 · 城市管理 · 光明街道', 'accept');
  expect(alertLine(breached, WORDS.zh, null)).toEqual({ what: '签收已超期', where: '城市管理 · 光明街道' });
  expect(alertLine(breached, WORDS.en, byChinese).what).toBe(`${WORDS.en.stages.accept} ${WORDS.en.kinds.sla_breached}`);
  expect(alertLine(alert('day_red', '日终红色清单 9件 · 12月1日 黄3 绿40 · 全区'), WORDS.en, byChinese)).toEqual({ what: 'End-of-day red list', where: 'District' });
});
