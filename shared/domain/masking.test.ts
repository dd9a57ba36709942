import { describe, expect, it } from 'vitest';
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
});
