import type { SalaryPeriod } from '../../jobs/model.js';

/**
 * Salary from a posting's description: the first clearly stated range with a currency, e.g.
 * "$123,700 - $179,200", "124,000 USD - 195,500 USD", "€50.000 – €60.000", "$50/hr - $60/hr",
 * "$88,680 to $168,480", optionally followed by "per year", "a year", "annually", "/yr" …
 * A lone number is never taken: a range needs two amounts, at least one with a currency, low ≤ high.
 */

// Non-ASCII characters in patterns are written as \u escapes: the bundle keeps those of String.raw
// templates and regular expressions as they are, and one makes V8 hold it all as a two-byte string
// (scripts/build.mjs).
const SYMBOL = String.raw`(?:(?:US|CA|C|A|AU|NZ|HK|S|R|MX)\$|\$|\u20ac|\u00a3|\u00a5|\u20b9|\u20a9)`;
const CODE = String.raw`(?:USD|EUR|GBP|CAD|AUD|NZD|CHF|INR|JPY|CNY|SEK|NOK|DKK|PLN|CZK|HUF|RON|BRL|MXN|SGD|HKD|ZAR|ILS|AED|KRW)`;
// 123,700 | 60.000 | 1 234 567 | 50.00 | 124000 | 120k
const NUMBER = String.raw`(?:\d{1,3}(?:[,.\u00a0\u202f ]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?)`;
const AMOUNT = String.raw`${NUMBER}(?:\s?[kK](?![\p{L}]))?`;
const UNIT = String.raw`(?:\s?(?:/|per\s)\s?(?:hour|hr|h|year|yr|annum|month|mo|week|wk|day)\b)?`;
const WITH_CURRENCY = String.raw`(?:(?:${CODE}\s?)?${SYMBOL}\s?${AMOUNT}(?:\s?${CODE})?|${CODE}\s?${AMOUNT}|${AMOUNT}\s?(?:${CODE}|${SYMBOL}))${UNIT}`;
const BARE = String.raw`${AMOUNT}${UNIT}`;
const H = String.raw`[ \t\u00a0\u202f]`; // spaces, but not a line break: a range sits on one line
const DASH = String.raw`${H}*(?:--|[-\u2013\u2014])${H}*`;
const WORD_SEPARATOR = String.raw`${H}+(?:to|and|\u00e0|a|bis|und|al|y|at\u00e9|e|tot|do)${H}+`;
const SUFFIX = String.raw`(?:${H}*(?:(?:per|a|an|each|/)${H}?(?:year|yr|annum|hour|hr|month|week)\b|annually|yearly|hourly|monthly|p\.a\.|(?:gross|brut|brutto|lordi)\b))?`;
const START = String.raw`(?<![\p{L}\d.,$\u20ac\u00a3])`;
const END = String.raw`(?![\d])`;

const RANGE = new RegExp(
  [
    `${START}${WITH_CURRENCY}(?:${DASH}|${WORD_SEPARATOR})${WITH_CURRENCY}${END}${SUFFIX}`,
    `${START}${WITH_CURRENCY}(?:${DASH}|${H}+to${H}+)${BARE}${END}${SUFFIX}`,
    `${START}${BARE}(?:${DASH}|${H}+to${H}+)${WITH_CURRENCY}${END}${SUFFIX}`,
  ]
    .map((r) => `(?:${r})`)
    .join('|'),
  'gu',
);
const NUMBER_IN = new RegExp(`${NUMBER}(?:\\s?[kK](?![\\p{L}]))?`, 'gu');

/** "123,700" → 123700, "60.000" → 60000, "50.00" → 50, "120k" → 120000. */
export function parseAmount(raw: string): number | null {
  let s = raw.replace(/[\s\u00a0\u202f]/g, '');
  let factor = 1;
  if (/[kK]$/.test(s)) {
    factor = 1000;
    s = s.slice(0, -1);
  }
  const grouped = /^\d{1,3}([.,])\d{3}(?:\1\d{3})*(?:([.,])(\d{1,2}))?$/.exec(s);
  let value: number;
  if (grouped && grouped[1] !== grouped[2]) {
    const [intPart, decimals] = grouped[2] ? [s.slice(0, -(grouped[3]!.length + 1)), grouped[3]] : [s, ''];
    value = Number(intPart.replace(/[.,]/g, '') + (decimals ? `.${decimals}` : ''));
  } else if (/^\d+(?:[.,]\d{1,2})?$/.test(s)) {
    value = Number(s.replace(',', '.'));
  } else if (/^\d+$/.test(s.replace(/[.,]/g, ''))) {
    value = Number(s.replace(/[.,]/g, ''));
  } else {
    return null;
  }
  return Number.isFinite(value) ? value * factor : null;
}

/** The first clearly stated salary range in `text` (as written, whitespace collapsed), or null. */
export function findSalaryRange(text: string): string | null {
  RANGE.lastIndex = 0;
  for (let m = RANGE.exec(text); m !== null; m = RANGE.exec(text)) {
    const found = m[0];
    const amounts = (found.match(NUMBER_IN) ?? []).map(parseAmount);
    const low = amounts[0];
    const high = amounts[1];
    if (low != null && high != null && low > 0 && low <= high) {
      return found.replace(/\s+/g, ' ').trim();
    }
    RANGE.lastIndex = m.index + 1;
  }
  return null;
}

/** Pay as numbers: `salary_min`, `salary_max`, `salary_currency` (ISO 4217), `salary_period`. */
export interface SalaryNumbers {
  min: number;
  max: number;
  currency: string | null;
  period: SalaryPeriod | null;
}

const SYMBOL_CURRENCY: Array<[RegExp, string]> = [
  [/(?:US)\$/, 'USD'],
  [/(?:CA|C)\$/, 'CAD'],
  [/(?:AU|A)\$/, 'AUD'],
  [/NZ\$/, 'NZD'],
  [/HK\$/, 'HKD'],
  [/S\$/, 'SGD'],
  [/MX\$/, 'MXN'],
  [/R\$/, 'BRL'],
  [/\$/, 'USD'],
  [/\u20ac/, 'EUR'],
  [/\u00a3/, 'GBP'],
  [/\u00a5/, 'JPY'],
  [/\u20b9/, 'INR'],
  [/\u20a9/, 'KRW'],
];
const CODE_IN_TEXT = new RegExp(`\\b${CODE}\\b`);
const PERIOD_WORDS: Array<[RegExp, SalaryPeriod]> = [
  [/\b(?:hour|hr|h|hourly)\b/i, 'hour'],
  [/\b(?:month|mo|monthly)\b/i, 'month'],
  [/\b(?:year|yr|annum|annually|yearly|p\.a\.)/i, 'year'],
];

/**
 * The first clearly stated range in `text` as numbers: "$123,700 - $179,200" → 123700–179200 USD, period
 * from the words after it ("per hour", "/yr", "annually") or null when the text does not say. A range
 * whose period is a week or a day is not one djs can compare, so it gives null too (the text is kept).
 */
export function parseSalary(text: string): SalaryNumbers | null {
  const range = findSalaryRange(text);
  if (range === null) return null;
  const amounts = (range.match(NUMBER_IN) ?? []).map(parseAmount);
  const [min, max] = [amounts[0]!, amounts[1]!];
  if (/\b(?:week|wk|day|weekly|daily)\b/i.test(range)) return null;
  const code = CODE_IN_TEXT.exec(range)?.[0] ?? null;
  const currency = code ?? SYMBOL_CURRENCY.find(([symbol]) => symbol.test(range))?.[1] ?? null;
  const period = PERIOD_WORDS.find(([words]) => words.test(range))?.[1] ?? null;
  return { min, max, currency, period };
}
