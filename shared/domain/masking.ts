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

const ID_CARD = /(?<!\d)\d{6}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?!\d)/g;
const MOBILE = /(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)/g;
const LANDLINE = /(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)/g;

/**
 * Masks ID-card and phone numbers inside free text (descriptions, titles, alert texts), and the
 * case's own reporter name and address wherever the text repeats them (a caller's name cannot be
 * recognised in general text, but the one the case carries can).
 */
export function maskFreeText(text: string, known: { name?: string | null; address?: string | null } = {}): string {
  let masked = text;
  const address = known.address?.trim();
  if (address && address.length >= 2) masked = masked.replaceAll(address, maskAddress(address));
  const name = known.name?.trim();
  if (name && [...name].length >= 2) masked = masked.replaceAll(name, maskName(name));
  return masked
    .replace(ID_CARD, (id) => `${id.slice(0, 3)}***********${id.slice(-4)}`)
    .replace(MOBILE, (phone) => maskPhone(phone))
    .replace(LANDLINE, (phone) => maskPhone(phone));
}
