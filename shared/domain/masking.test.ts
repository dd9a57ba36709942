import { describe, expect, it } from 'vitest';
import { DEFAULT_DOMAIN } from '../../server/config.js';
import { maskAddress, maskFreeText, maskName, maskPhone } from './masking.js';

describe('masking personal data', () => {
  it('[MASK1] a name keeps only its first character', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧***');
    expect(maskName('李')).toBe('李*');
  });

  it('[MASK2] a mobile keeps its first three and last four digits', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('+86 138-1234-5678')).toBe('138****5678');
    expect(maskPhone('0755-2345678')).toBe('07****78');
  });

  it('[MASK3] an address is cut back to its road or community', () => {
    expect(maskAddress('光明区华夏路12号3栋402')).toBe('光明区华夏路…');
    expect(maskAddress('公明街道上村社区')).toBe('公明街道上村社区');
  });

  it('[MASK4] phone and ID-card numbers inside free text are masked', () => {
    const text = '业主王先生13812345678反映，身份证440311199001011234，座机0755-23456789';
    const masked = maskFreeText(text);
    expect(masked).not.toContain('13812345678');
    expect(masked).not.toContain('440311199001011234');
    expect(masked).not.toContain('23456789');
    expect(masked).toContain('138****5678');
    expect(masked).toContain('440***********1234');
  });

  it('[MASK5] the case\'s own reporter name and address are masked where free text repeats them', () => {
    const text = '欧阳明月反映光明区华夏路88号3栋1201楼道堵塞，欧阳明月要求尽快处理';
    const masked = maskFreeText(text, { name: '欧阳明月', address: '光明区华夏路88号3栋1201' });
    expect(masked).not.toContain('欧阳明月');
    expect(masked).not.toContain('88号');
    expect(masked).toContain('欧***反映光明区华夏路…楼道堵塞');
    expect(maskFreeText('张三', { name: '张' })).toBe('张三'); // one character is too little to find
  });

  it('[MASK6] phones in any digit form: full-width, spaced, dashed, +86, and 7–8-digit local numbers', () => {
    const masked = maskFreeText('来电１３８１２３４５６７８，又说138 1234 5678或+86-138-1234-5678，座机23456789，办公室0755 2345 678');
    for (const gone of ['１３８１２３４５６７８', '138 1234 5678', '1234-5678', '23456789', '2345 678']) expect(masked).not.toContain(gone);
    expect(masked).toContain('138****5678');
  });

  it('[MASK7] 15-digit ID numbers, e-mail addresses and plate numbers', () => {
    const masked = maskFreeText('身份证440311900101123，邮箱zhang.san@example.com，车牌粤B·12345和粤BD12345占道');
    expect(masked).not.toMatch(/440311900101123|zhang\.san|12345/);
    expect(masked).toContain('z***@example.com');
    expect(masked).toContain('粤B·*****');
  });

  it('[MASK8] house numbers, buildings and rooms in digits or Chinese numerals; the road stays', () => {
    expect(maskFreeText('住华夏路12号3栋402，邻居每晚装修')).toBe('住华夏路**号*栋***，邻居每晚装修');
    expect(maskFreeText('住华夏路十二号三栋四零二室')).toBe('住华夏路**号*栋***室');
    expect(maskFreeText('碧眼社区5栋2单元1803房')).toBe('碧眼社区*栋*单元****房');
    expect(maskFreeText('１２号３栋')).toBe('**号*栋');
  });

  it('[MASK8][MASK9] places, amounts, case ids, dates and metro lines stay readable', () => {
    const text = '光明区马田街道合水口社区华夏路与光明大道交汇处，地铁6号线光明站旁，欠薪12000元，案件GM20261207-000008，2026年12月7日';
    expect(maskFreeText(text)).toBe(text);
  });

  it('[MASK14] personal names introduced the usual ways keep only the family name; a family name alone stays', () => {
    expect(maskFreeText('住华夏路12号3栋402，邻居李四每晚装修')).toBe('住华夏路**号*栋***，邻居李*每晚装修');
    expect(maskFreeText('已电话联系张三丰，约定明早上门；张三丰表示同意')).toBe('已电话联系张**，约定明早上门；张**表示同意');
    expect(maskFreeText('张三丰与李四漏水纠纷（华夏路12号3栋402）')).toBe('张**与李*漏水纠纷（华夏路**号*栋***）');
    expect(maskFreeText('市民李红梅女士来电，登记摊主蒋明、卢秀英')).toBe('市民李**女士来电，登记摊主蒋*、卢**');
    expect(maskFreeText('已联系房东邱振华关闭总阀。熊春花，13512345673')).toBe('已联系房东邱**关闭总阀。熊**，135****5673');
    for (const kept of ['请陈师傅处理，刘阿姨在场', '姓张的居民反映', '与华夏路交汇处', '与施工方协商', '并向黄老师反映', '12户居民', '两栋楼之间', '一栋七层出租楼']) {
      expect(maskFreeText(kept), kept).toBe(kept);
    }
  });

  it('[MASK15] every configured name (categories, items, departments, streets, communities) reads unchanged, alone and in an alert text', () => {
    const { taxonomy, jurisdiction } = DEFAULT_DOMAIN;
    const names = [
      ...taxonomy.categories.flatMap((c) => [c.name, ...c.items.map((i) => i.name)]),
      ...taxonomy.departments.map((d) => d.name),
      ...jurisdiction.streets.map((s) => s.name),
      ...jurisdiction.communities.map((c) => c.name),
    ];
    expect(names.length).toBeGreaterThan(150);
    for (const name of names) {
      for (const text of [name, `办结已超期 · GM20261207-000001 · ${name} · 光明街道`, `反复出现 7件 · 7日内 常见 1 · ${name}`]) expect(maskFreeText(text), text).toBe(text);
    }
  });
});
