/**
 * Which of a person's postings a list shows, beyond what they searched for: blocked companies' postings
 * never, closed jobs only when asked, and with --min-salary only those whose pay reaches it. Each filter is
 * answered from a narrow index (migration 008), so applying it never reads the wide posting rows.
 */
import type { Db } from '../db/database.js';

/**
 * The ids of one user's postings from blocked companies, as a subquery taking the user id twice: read from
 * idx_job_postings_company, so leaving them out never reads the wide posting rows.
 */
export const BLOCKED_POSTING_IDS = `SELECT id FROM job_postings INDEXED BY idx_job_postings_company
  WHERE user_id = ? AND company_key IN (SELECT company_key FROM blocked_companies WHERE user_id = ?)`;

/** SQL on the user's job_postings rows (unqualified columns, `id` being the row id) and its parameters. */
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
const PERIODS_PER_YEAR = { year: 1, month: 12, hour: 2080 } as const;

const ANNUAL_PAY = `coalesce(salary_max, salary_min) * CASE salary_period
  WHEN 'month' THEN ${PERIODS_PER_YEAR.month} WHEN 'hour' THEN ${PERIODS_PER_YEAR.hour} ELSE 1 END`;

/**
 * The sets of this user's postings a list leaves out (each a `SELECT id …` with its parameters): those of
 * blocked companies, and closed jobs unless included. A set is only there when it has members, so a person
 * who blocks nothing and has no closed job pays nothing for either.
 */
function hiddenSets(db: Db, userId: number, options: VisibilityOptions): PostingCondition[] {
  const sets: PostingCondition[] = [];
  if (db.prepare('SELECT 1 FROM blocked_companies WHERE user_id = ? LIMIT 1').get(userId)) {
    sets.push({ sql: BLOCKED_POSTING_IDS, params: [userId, userId] });
  }
  if (!options.includeClosed) {
    const closed = `SELECT id FROM job_postings INDEXED BY idx_job_postings_closed
      WHERE user_id = ? AND closed_at IS NOT NULL`;
    if (db.prepare(`${closed} LIMIT 1`).get(userId)) sets.push({ sql: closed, params: [userId] });
  }
  return sets;
}

/** The conditions (on job_postings rows) that leave out what this user should not see in a list. */
export function visibilityConditions(
  db: Db,
  userId: number,
  options: Pick<VisibilityOptions, 'includeClosed'> = {},
): PostingCondition[] {
  return hiddenSets(db, userId, options).map((set) => ({
    sql: `id NOT IN (${set.sql})`,
    params: set.params,
  }));
}

/** The ids of this user's postings a list leaves out (hiddenSets), or null when there are none. */
export function hiddenPostingIds(
  db: Db,
  userId: number,
  options: Pick<VisibilityOptions, 'includeClosed'> = {},
): Set<number> | null {
  const sets = hiddenSets(db, userId, options);
  if (sets.length === 0) return null;
  const hidden = new Set<number>();
  for (const set of sets) for (const id of idsOf(db, set)) hidden.add(id);
  return hidden;
}

function idsOf(db: Db, set: PostingCondition): number[] {
  return db
    .prepare(set.sql)
    .pluck()
    .all(...set.params) as number[];
}

/**
 * Search's set of postings to score (a flag per row id, null: every posting in the database is the user's)
 * narrowed by the options: hidden postings unflagged, and with --min-salary only those whose pay reaches
 * it kept. The id lists come from the narrow indexes and are applied here, in the flags, rather than as
 * NOT IN conditions that SQLite would check once per posting.
 */
export function visiblePostings(
  db: Db,
  userId: number,
  options: VisibilityOptions,
  allowed: Uint8Array | null,
  maxId: number,
): Uint8Array | null {
  const hidden = hiddenPostingIds(db, userId, options);
  if (hidden === null && !options.minSalary) return allowed;
  const visible = allowed ?? new Uint8Array(maxId + 1).fill(1);
  for (const id of hidden ?? []) if (id <= maxId) visible[id] = 0;
  if (options.minSalary) {
    const { amount, currency } = options.minSalary;
    const paying = new Uint8Array(maxId + 1);
    const set = {
      sql: `SELECT id FROM job_postings INDEXED BY idx_job_postings_pay
        WHERE user_id = ? AND coalesce(salary_max, salary_min) IS NOT NULL AND ${ANNUAL_PAY} >= ?
        ${currency === undefined ? '' : 'AND salary_currency = ?'}`,
      params: currency === undefined ? [userId, amount] : [userId, amount, currency],
    };
    for (const id of idsOf(db, set)) if (id <= maxId) paying[id] = 1;
    for (let id = 0; id <= maxId; id++) visible[id]! &= paying[id]!;
  }
  return visible;
}
