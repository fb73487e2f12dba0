/**
 * Which of a person's postings a list shows, beyond what they searched for: blocked companies' postings
 * never, closed jobs only when asked, and with --min-salary only those whose pay reaches it. Each filter is
 * a condition on the user's job_postings rows (unqualified columns, `id` being the row id) answered from a
 * narrow index (migration 008), so adding it to a search never reads the wide posting rows.
 */
import { UsageError } from '../core/errors.js';
import type { Db } from '../db/database.js';
import { BLOCKED_POSTING_IDS } from './blocklist.js';

export interface PostingCondition {
  sql: string;
  params: unknown[];
}

/** A pay floor: annual amount, optionally in one currency (ISO 4217 code, upper case). */
export interface MinSalary {
  amount: number;
  currency?: string;
}

export interface VisibilityOptions {
  /** Closed jobs (job_postings.closed_at set) too. */
  includeClosed?: boolean;
  minSalary?: MinSalary;
}

/** Periods a year holds: a month's pay ×12, an hour's ×2080 (52 weeks of 40 hours); no period is a year. */
export const PERIODS_PER_YEAR = { year: 1, month: 12, hour: 2080 } as const;

const ANNUAL_PAY = `coalesce(salary_max, salary_min) * CASE salary_period
  WHEN 'month' THEN ${PERIODS_PER_YEAR.month} WHEN 'hour' THEN ${PERIODS_PER_YEAR.hour} ELSE 1 END`;

/** --currency: three letters (an ISO 4217 code such as USD, EUR), any case → upper case; else exit 2. */
export function parseCurrency(value: string): string {
  const code = value.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(code))
    throw new UsageError(
      `"${value.slice(0, 20)}" is not a currency code: give three letters, e.g. USD or EUR.`,
    );
  return code;
}

/** The conditions that leave out what this user should not see in a list of postings. */
export function visibilityConditions(
  db: Db,
  userId: number,
  options: VisibilityOptions = {},
): PostingCondition[] {
  const conditions: PostingCondition[] = [];
  // Checked first so that a person who blocks nothing (or has no closed job) pays nothing for the filter.
  if (db.prepare('SELECT 1 FROM blocked_companies WHERE user_id = ? LIMIT 1').get(userId)) {
    conditions.push({ sql: `id NOT IN (${BLOCKED_POSTING_IDS})`, params: [userId, userId] });
  }
  if (!options.includeClosed) {
    const closed = `SELECT id FROM job_postings INDEXED BY idx_job_postings_closed
      WHERE user_id = ? AND closed_at IS NOT NULL`;
    if (db.prepare(`${closed} LIMIT 1`).get(userId)) {
      conditions.push({ sql: `id NOT IN (${closed})`, params: [userId] });
    }
  }
  if (options.minSalary) {
    const { amount, currency } = options.minSalary;
    conditions.push({
      sql: `id IN (SELECT id FROM job_postings INDEXED BY idx_job_postings_pay
        WHERE user_id = ? AND coalesce(salary_max, salary_min) IS NOT NULL AND ${ANNUAL_PAY} >= ?
        ${currency === undefined ? '' : 'AND salary_currency = ?'})`,
      params: currency === undefined ? [userId, amount] : [userId, amount, currency],
    });
  }
  return conditions;
}
