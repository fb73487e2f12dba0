import { boardKeyFromUrl } from '../../core/job-identity.js';
import { webUrl } from '../../core/sanitize.js';
import type { SalaryPeriod, WorkplaceType } from '../../jobs/model.js';

/**
 * Reading the JSON a board sends, which djs does not trust: each reader gives the field when it has the
 * expected type and null (or an empty list) otherwise, so one odd job never stops a board's parse.
 */

export function asRecord(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

export function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/**
 * The `jobs` array of a board's answer (Greenhouse, Ashby). Anything else is not the board's listing (an
 * HTML error page, `{ok:false}`): a clear error rather than an empty board, which would close every job.
 */
export function jobsOf(value: unknown, board: string): unknown[] {
  const jobs = asRecord(value)?.jobs;
  if (!Array.isArray(jobs)) throw new Error(`${board} answered with something that is not its job list.`);
  return jobs;
}

/** A non-empty string, trimmed (Ramp's first title starts with a space). */
export function asText(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

export function asNumber(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** A job id as the board writes it: a string, or a number (Greenhouse). */
export function asId(value: unknown): string | null {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? String(value) : null;
  return asText(value);
}

/**
 * A posting's own link: the URL the board gives when it names this very job (its board key is `jobId`),
 * else the board's canonical page for the job. So a posting's link always leads back to its id, even
 * when a company points its Greenhouse jobs at a careers page without the id.
 */
export function postingLink(given: unknown, jobId: string, canonical: string): string {
  const url = webUrl(asText(given));
  return url !== null && boardKeyFromUrl(url) === jobId ? url : canonical;
}

/**
 * The calendar date of a timestamp: an ISO string gives the date as the board wrote it (in the company's
 * own zone, "2026-06-26T09:48:43-04:00" → "2026-06-26"), epoch milliseconds (Lever) the UTC date.
 */
export function isoDate(value: unknown): string | null {
  if (typeof value === 'string') {
    const match = /^(\d{4}-\d{2}-\d{2})(?:$|[T ])/.exec(value.trim());
    return match && !Number.isNaN(Date.parse(match[1]!)) ? match[1]! : null;
  }
  const ms = asNumber(value);
  if (ms === null) return null;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? null : date.toISOString().slice(0, 10);
}

/**
 * A board's remote/hybrid/on-site word ("Remote", "Hybrid (Travel-Required)", "On-Site", "OnSite",
 * "onsite"); anything else, Lever's "unspecified" included, is null.
 */
export function workplaceTypeOf(value: unknown): WorkplaceType | null {
  const text = asText(value)?.toLowerCase() ?? '';
  if (/\bremote\b/.test(text)) return 'remote';
  if (/\bhybrid\b/.test(text)) return 'hybrid';
  if (/\bon-?\s?site\b|\bin[- ]office\b/.test(text)) return 'onsite';
  return null;
}

/** Several locations as one field, the way boards write them ("New York City, NY; San Francisco, CA"). */
export function joinLocations(locations: Array<string | null>): string | null {
  const distinct = [...new Set(locations.filter((location): location is string => location !== null))];
  return distinct.length > 0 ? distinct.join('; ') : null;
}

/** Pay as numbers plus the text `job_salary` keeps. */
export interface BoardPay {
  salary: string | null;
  salaryMin: number | null;
  salaryMax: number | null;
  salaryCurrency: string | null;
  salaryPeriod: SalaryPeriod | null;
}

export const NO_PAY: BoardPay = {
  salary: null,
  salaryMin: null,
  salaryMax: null,
  salaryCurrency: null,
  salaryPeriod: null,
};

/**
 * Structured pay written out for `job_salary` when the board gives only numbers: "120,000–150,000 USD per
 * year", "240,000 USD per year" for a point range.
 */
export function formatPay(
  min: number,
  max: number,
  currency: string | null,
  period: SalaryPeriod | null,
): string {
  const amount = (value: number) => value.toLocaleString('en-US', { maximumFractionDigits: 2 });
  const range = min === max ? amount(min) : `${amount(min)}–${amount(max)}`;
  return [range, currency, period ? `per ${period}` : null].filter(Boolean).join(' ');
}

/** Numeric pay from a board's structured fields, or NO_PAY when there is no usable range. */
export function structuredPay(
  min: number | null,
  max: number | null,
  currency: string | null,
  period: SalaryPeriod | null,
  text: string | null = null,
): BoardPay {
  if (min === null || max === null || min < 0 || max < min || max === 0) return NO_PAY;
  return {
    salary: text ?? formatPay(min, max, currency, period),
    salaryMin: min,
    salaryMax: max,
    salaryCurrency: currency?.toUpperCase() ?? null,
    salaryPeriod: period,
  };
}
