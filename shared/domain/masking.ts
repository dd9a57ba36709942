/**
 * Masking of personal data for walls and public reads (张*, 138****5678). The server applies it
 * before anything leaves for a reader without the right to see it; the client never unmasks.
 */

/** Keeps the family name (the first character) and hides the rest: 张三丰 → 张**. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  if (chars.length === 0) return '';
  return chars[0] + '*'.repeat(Math.max(1, chars.length - 1));
}

/** Keeps the first three and last four digits of a mobile number (13812345678 → 138****5678), two and two of any other. */
export function maskPhone(phone: string): string {
  const all = phone.replace(/\D/g, '');
  const digits = all.length === 13 && all.startsWith('86') ? all.slice(2) : all; // drop China's +86
  if (digits.length === 11 && digits.startsWith('1')) return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
  if (digits.length >= 7) return `${digits.slice(0, 2)}****${digits.slice(-2)}`;
  return '*'.repeat(digits.length || 3);
}

/**
 * Cuts an address back to its road or community: everything from the first house number on goes.
 * 光明区华夏路12号3栋402 → 光明区华夏路…
 */
export function maskAddress(address: string): string {
  const cut = address.search(/[0-9０-９#]/);
  if (cut < 0) return address;
  return `${address.slice(0, cut).trimEnd()}…`;
}

/**
 * Full-width digits, letters and the signs numbers are written with (１３８－１２３４…, ＠) as
 * their ASCII twins, one UTF-16 unit for one, so a match in the result has the same offsets in
 * the text as written. (NFKC would do more, but it changes lengths and the text's punctuation.)
 */
function asciiTwins(text: string): string {
  return text.replace(/[\uFF01-\uFF5E]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0)).replace(/\u3000/g, ' ');
}

const keepEnds = (value: string, head: number, tail: number) => {
  const chars = [...value];
  return chars.slice(0, head).join('') + '*'.repeat(Math.max(1, chars.length - head - tail)) + chars.slice(chars.length - tail).join('');
};
const starDigits = (value: string) => value.replace(/[0-9零〇一二三四五六七八九十百两]/g, '*');

/** What personal data in free text looks like, found in the ASCII-twin form; each with its mask. */
const DETECTORS: { pattern: RegExp; mask: (found: string) => string }[] = [
  // ID cards: 18 digits (the last may be X) with a real date, and the old 15-digit form.
  { pattern: /(?<![0-9A-Za-z])\d{6}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])/g, mask: (id) => keepEnds(id, 3, 4) },
  { pattern: /(?<![0-9A-Za-z])\d{8}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}(?![0-9A-Za-z])/g, mask: (id) => keepEnds(id, 3, 3) },
  // E-mail addresses: the first character of the name and the domain stay.
  { pattern: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g, mask: (mail) => `${mail[0]}***${mail.slice(mail.indexOf('@'))}` },
  // Mobiles, with +86 and spaces or dashes anywhere.
  { pattern: /(?<![0-9A-Za-z])(?:\+?86[- ]?)?1[3-9]\d(?:[- ]?\d){8}(?![0-9A-Za-z])/g, mask: (phone) => maskPhone(phone) },
  // Landlines with an area code, and 7–8-digit local numbers (never part of a code or an id).
  { pattern: /(?<![0-9A-Za-z])0\d{2,3}[- ]?[2-9](?:[- ]?\d){6,7}(?![0-9A-Za-z])/g, mask: (phone) => maskPhone(phone) },
  { pattern: /(?<![0-9A-Za-z.\-_/])[2-9]\d{6,7}(?![0-9A-Za-z.\-_/])/g, mask: (phone) => maskPhone(phone) },
  // Plates: a province, a letter, five or six letters and digits (粤B·12345 → 粤B·*****).
  { pattern: /[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z][·. ]?[A-HJ-NP-Z0-9]{5,6}(?![A-Za-z0-9])/g, mask: (plate) => plate.slice(0, 2) + (/[·. ]/.test(plate[2]!) ? plate[2] : '') + '*'.repeat(plate.replace(/[·. ]/, '').length - 2) },
  // House numbers, buildings, units, rooms, floors, households: the number goes, the word stays
  // (华夏路十二号三栋402 → 华夏路**号*栋***); a metro line (3号线) is a place, not a home.
  { pattern: /[0-9零〇一二三四五六七八九十百两]+-?(?:号(?!线)|栋|幢|座|单元|室|楼|层|户)/g, mask: starDigits },
  { pattern: /(?<=(?:栋|幢|座|单元|号楼)-?)[0-9]{2,5}(?![0-9])/g, mask: starDigits },
];

/**
 * Masks personal data inside free text (descriptions, titles, notes, alert texts) for readers
 * without the right to see it: ID-card numbers (18 and 15 digits), e-mail addresses, mobile and
 * landline numbers in any digit form, plate numbers, house numbers and rooms in digits or Chinese
 * numerals, and the case's own reporter name and address wherever the text repeats them (a
 * caller's name cannot be recognised in general text, but the one the case carries can). Roads,
 * communities, companies and schools stay readable, so a wall still says where the problem is.
 */
export function maskFreeText(text: string, known: { name?: string | null; address?: string | null } = {}): string {
  let masked = text;
  const address = known.address?.trim();
  if (address && address.length >= 2) masked = masked.replaceAll(address, maskAddress(address));
  const name = known.name?.trim();
  if (name && [...name].length >= 2) masked = masked.replaceAll(name, maskName(name));
  const probe = asciiTwins(masked);
  const spans: { start: number; end: number; replacement: string }[] = [];
  for (const { pattern, mask } of DETECTORS) {
    for (const match of probe.matchAll(pattern)) {
      const start = match.index!;
      const end = start + match[0].length;
      if (spans.some((s) => start < s.end && end > s.start)) continue; // an earlier detector has it
      spans.push({ start, end, replacement: mask(match[0]) });
    }
  }
  spans.sort((a, b) => a.start - b.start);
  let out = '';
  let at = 0;
  for (const span of spans) {
    out += masked.slice(at, span.start) + span.replacement;
    at = span.end;
  }
  return out + masked.slice(at);
}
