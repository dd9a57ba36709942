/**
 * Masking measured on corpora of realistic appeal texts (RULES MASK13): each text lists the
 * personal data in it and the places, counts and times that must stay readable, and how it should
 * read masked. All three were written for this project, apart from the code, in the style of the
 * seed reports:
 * - masking-corpus.json (355 texts): the rules were tuned on it;
 * - masking-holdout.json (176): measured once untouched, then its misses led to general rules
 *   (roles before names, lists, estates' flat numbers), so it is no longer held out;
 * - masking-holdout-2.json (206): its texts were never looked at while writing rules, so its
 *   figures are the honest ones (its aggregate name figure, 67.9 %, led to one general rule:
 *   common given-name characters, GIVEN_NAME_CHARS; 81.0 % after).
 * Phones, IDs, e-mails and plates must be masked everywhere, and places left alone (≤ 3 %); names
 * and house numbers must reach the goal (97 %) where the rules were tuned, and stay above a floor
 * (what was measured, rounded down) on the others, so a change that loses ground fails.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { maskFreeText } from './masking.js';

interface Entry {
  id: string;
  text: string;
  reporter?: string;
  personal: { kind: 'mobile' | 'landline' | 'id' | 'email' | 'plate' | 'house' | 'name'; text: string }[];
  places: string[];
  masked: string;
}

interface Figures {
  texts: number;
  /** Per kind of personal data: occurrences, and how many no longer appear in the masked text. */
  masked: Record<string, { found: number; of: number }>;
  placesKept: { kept: number; of: number };
  exact: number;
}

function measure(corpus: Entry[]): Figures {
  const figures: Figures = { texts: corpus.length, masked: {}, placesKept: { kept: 0, of: 0 }, exact: 0 };
  for (const entry of corpus) {
    const out = maskFreeText(entry.text, { name: entry.reporter });
    if (out === entry.masked) figures.exact += 1;
    for (const item of entry.personal) {
      const tally = (figures.masked[item.kind] ??= { found: 0, of: 0 });
      tally.of += 1;
      if (!out.includes(item.text)) tally.found += 1;
    }
    for (const place of entry.places) {
      figures.placesKept.of += 1;
      if (out.includes(place)) figures.placesKept.kept += 1;
    }
  }
  return figures;
}

const share = (part: number, whole: number) => (whole === 0 ? 1 : part / whole);
const percent = (part: number, whole: number) => `${(100 * share(part, whole)).toFixed(1)} %`;
const sum = (figures: Figures, kinds: string[]) =>
  kinds.reduce((total, kind) => ({ found: total.found + (figures.masked[kind]?.found ?? 0), of: total.of + (figures.masked[kind]?.of ?? 0) }), { found: 0, of: 0 });

function report(name: string, figures: Figures): string {
  const line = (label: string, kinds: string[]) => {
    const { found, of } = sum(figures, kinds);
    return `${label} ${percent(found, of)} (${found}/${of})`;
  };
  const wrong = figures.placesKept.of - figures.placesKept.kept;
  return [
    `${name}: ${figures.texts} texts`,
    line('phone, ID and e-mail masked', ['mobile', 'landline', 'id', 'email']),
    line('plates', ['plate']),
    line('house numbers', ['house']),
    line('names', ['name']),
    `places wrongly masked ${percent(wrong, figures.placesKept.of)} (${wrong}/${figures.placesKept.of})`,
    `masked exactly as written ${figures.exact}/${figures.texts}`,
  ].join('; ');
}

/** The floors on the second held-out corpus: what was measured (99.0 %, 81.0 %), rounded down. */
const HOUSE_FLOOR_2 = 0.98;
const NAMES_FLOOR_2 = 0.8;

const load = (file: string) => JSON.parse(readFileSync(new URL(file, import.meta.url), 'utf8')) as Entry[];

const CORPORA = [
  { name: 'tuning corpus', file: './masking-corpus.json', texts: 300, floor: { house: 0.97, names: 0.97 } },
  { name: 'first held-out corpus', file: './masking-holdout.json', texts: 150, floor: { house: 0.97, names: 0.9 } },
  { name: 'second held-out corpus', file: './masking-holdout-2.json', texts: 150, floor: { house: HOUSE_FLOOR_2, names: NAMES_FLOOR_2 } },
] as const;

describe('masking on realistic appeal texts', () => {
  for (const corpus of CORPORA) {
    it(`[MASK13] ${corpus.name}: every phone, ID, e-mail and plate; house numbers ≥ ${corpus.floor.house * 100} %, names ≥ ${corpus.floor.names * 100} %; ≤ 3 % of places touched`, () => {
      const entries = load(corpus.file);
      expect(entries.length).toBeGreaterThanOrEqual(corpus.texts);
      const figures = measure(entries);
      console.log(report(corpus.name, figures));
      const exact = sum(figures, ['mobile', 'landline', 'id', 'email', 'plate']);
      expect(exact.found, 'phones, IDs, e-mails and plates masked').toBe(exact.of);
      const house = sum(figures, ['house']);
      expect(share(house.found, house.of), 'house numbers masked').toBeGreaterThanOrEqual(corpus.floor.house);
      const names = sum(figures, ['name']);
      expect(share(names.found, names.of), 'names masked').toBeGreaterThanOrEqual(corpus.floor.names);
      expect(share(figures.placesKept.of - figures.placesKept.kept, figures.placesKept.of), 'places wrongly masked').toBeLessThanOrEqual(0.03);
    });
  }
});
