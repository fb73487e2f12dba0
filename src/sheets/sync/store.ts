import type { Db } from '../../db/database.js';
import { BLOCKED_POSTING_IDS } from '../../jobs/posting-filters.js';
import type { JobStatus } from '../../jobs/model.js';

/** The record changes a plan settles (plan.ts decides them; this store writes them). */
export interface RecordChanges {
  /** Postings found in the sheet without a 'synced' record: recorded as 'synced' with the sheet's status/notes. */
  recordPostings: Array<{ postingId: number; status: string | null; notes: string | null }>;
  /** Intents (or, with `full`, records) of postings the sheet lacks: dropped, so the append sends them again. */
  dropPostings: number[];
  recordResults: number[];
  dropResults: number[];
}

/** A posting as the sync compares it with the sheet (id is the job_postings row id). */
export interface PostingState {
  id: number;
  jobId: string;
  status: JobStatus;
  notes: string | null;
  statusChangedAt: string | null;
}

/** A search result as the sync compares it with the sheet. */
export interface ResultState {
  id: number;
  link: string;
  query: string;
  location: string;
}

export type RowState = 'pending' | 'synced';

/** What djs knows about a posting's row in the sheet: the intent's state and the status/notes base. */
export interface PostingMark {
  state: RowState;
  status: string | null;
  notes: string | null;
}

/** Everything local the plan compares with the sheet. */
export interface LocalState {
  postings: Map<number, PostingState>;
  results: ResultState[];
  postingMarks: Map<number, PostingMark>;
  resultMarks: Map<number, RowState>;
}

export type AppendTable = 'sheet_posting_rows' | 'sheet_result_rows';

/** A job_postings row as the Job Postings tab shows it (the seed's column names). */
export type PostingToAppend = Record<string, string | number | null> & { id: number };
export interface ResultToAppend {
  id: number;
  link: string;
  added_at: string;
  query: string;
  location: string;
}

const ID_COLUMN: Record<AppendTable, 'posting_id' | 'result_id'> = {
  sheet_posting_rows: 'posting_id',
  sheet_result_rows: 'result_id',
};

/**
 * The SQL of one user's sync with one spreadsheet: sheet_posting_rows / sheet_result_rows (what the sheet holds,
 * migration 004), the sync state row, and the reads of postings and results to compare or append.
 */
export class SyncStore {
  constructor(
    private readonly db: Db,
    private readonly userId: number,
    private readonly sheetRowId: number,
  ) {}

  transaction(work: () => void): void {
    this.db.transaction(work).immediate();
  }

  local(): LocalState {
    const postings = this.db
      .prepare(
        `SELECT id, job_id AS jobId, status, notes, status_changed_at AS statusChangedAt
         FROM job_postings WHERE user_id = ?`,
      )
      .all(this.userId) as PostingState[];
    const postingMarks = this.db
      .prepare(
        'SELECT posting_id AS id, state, status, notes FROM sheet_posting_rows WHERE spreadsheet_row_id = ?',
      )
      .all(this.sheetRowId) as Array<PostingMark & { id: number }>;
    const resultMarks = this.db
      .prepare('SELECT result_id AS id, state FROM sheet_result_rows WHERE spreadsheet_row_id = ?')
      .all(this.sheetRowId) as Array<{ id: number; state: RowState }>;
    const results = this.db
      .prepare('SELECT id, link, query, location FROM job_search_results WHERE user_id = ?')
      .all(this.userId) as ResultState[];
    return {
      postings: new Map(postings.map((posting) => [posting.id, posting])),
      results,
      postingMarks: new Map(
        postingMarks.map(({ id, state, status, notes }) => [id, { state, status, notes }]),
      ),
      resultMarks: new Map(resultMarks.map((mark) => [mark.id, mark.state])),
    };
  }

  /** Records the rows found in the sheet and drops the intents it lacks, with the read time, in one transaction. */
  settleRecords(plan: RecordChanges, readAt: string): void {
    const recordPosting = this.db.prepare(
      `INSERT INTO sheet_posting_rows (spreadsheet_row_id, posting_id, state, status, notes, updated_at)
       VALUES (?, ?, 'synced', ?, ?, ?)
       ON CONFLICT (spreadsheet_row_id, posting_id) DO UPDATE SET state = 'synced', status = excluded.status,
         notes = excluded.notes, updated_at = excluded.updated_at`,
    );
    const dropPosting = this.db.prepare(
      'DELETE FROM sheet_posting_rows WHERE spreadsheet_row_id = ? AND posting_id = ?',
    );
    const recordResult = this.db.prepare(
      `INSERT INTO sheet_result_rows (spreadsheet_row_id, result_id, state, updated_at) VALUES (?, ?, 'synced', ?)
       ON CONFLICT (spreadsheet_row_id, result_id) DO UPDATE SET state = 'synced', updated_at = excluded.updated_at`,
    );
    const dropResult = this.db.prepare(
      'DELETE FROM sheet_result_rows WHERE spreadsheet_row_id = ? AND result_id = ?',
    );
    this.transaction(() => {
      for (const posting of plan.recordPostings)
        recordPosting.run(this.sheetRowId, posting.postingId, posting.status, posting.notes, readAt);
      for (const postingId of plan.dropPostings) dropPosting.run(this.sheetRowId, postingId);
      for (const resultId of plan.recordResults) recordResult.run(this.sheetRowId, resultId, readAt);
      for (const resultId of plan.dropResults) dropResult.run(this.sheetRowId, resultId);
      this.db
        .prepare('UPDATE sheet_sync_state SET last_read_at = ? WHERE spreadsheet_row_id = ? AND user_id = ?')
        .run(readAt, this.sheetRowId, this.userId);
    });
  }

  /**
   * Records what the sheet now holds for a posting (after a pull, a push or when both sides agree): the base
   * the next sync compares both sides against. A null status or notes leaves that part of the base as it was.
   */
  recordBase(
    postingId: number,
    status: string | null,
    notes: { value: string | null } | null,
    at: string,
  ): void {
    this.db
      .prepare(
        `UPDATE sheet_posting_rows SET status = COALESCE(?, status), notes = CASE WHEN ? THEN ? ELSE notes END,
           updated_at = ? WHERE spreadsheet_row_id = ? AND posting_id = ?`,
      )
      .run(status, notes ? 1 : 0, notes?.value ?? null, at, this.sheetRowId, postingId);
  }

  /**
   * Postings with no row in the sheet yet, after `afterId`, in id order. A blocked company's postings are
   * never appended (the rows already in the sheet stay).
   */
  postingsToAppend(afterId: number, limit: number): PostingToAppend[] {
    return this.db
      .prepare(
        `SELECT p.id, p.job_id, p.link, p.job_title, p.job_company, p.job_location, p.job_date, p.job_applicants,
           p.job_salary, p.job_description, p.job_seniority, p.job_employment_type, p.job_function, p.job_industries,
           p.added_at, p.status, p.notes, p.source, p.salary_min, p.salary_max, p.salary_currency, p.salary_period
         FROM job_postings p
         WHERE p.user_id = ? AND p.id > ? AND NOT EXISTS (
           SELECT 1 FROM sheet_posting_rows r WHERE r.spreadsheet_row_id = ? AND r.posting_id = p.id)
         AND p.id NOT IN (${BLOCKED_POSTING_IDS})
         ORDER BY p.id LIMIT ?`,
      )
      .all(this.userId, afterId, this.sheetRowId, this.userId, this.userId, limit) as PostingToAppend[];
  }

  /** Search results with no row in the sheet yet, after `afterId`, in id order. */
  resultsToAppend(afterId: number, limit: number): ResultToAppend[] {
    return this.db
      .prepare(
        `SELECT r.id, r.link, r.added_at, r.query, r.location FROM job_search_results r
         WHERE r.user_id = ? AND r.id > ? AND NOT EXISTS (
           SELECT 1 FROM sheet_result_rows s WHERE s.spreadsheet_row_id = ? AND s.result_id = r.id)
         ORDER BY r.id LIMIT ?`,
      )
      .all(this.userId, afterId, this.sheetRowId, limit) as ResultToAppend[];
  }

  /** Intent before effect: the batch's rows as 'pending', in one transaction, before the append is sent. */
  intendPostings(
    batch: Array<{ id: number; status: string | null; notes: string | null }>,
    now: string,
  ): void {
    const intend = this.db.prepare(
      `INSERT INTO sheet_posting_rows (spreadsheet_row_id, posting_id, state, status, notes, updated_at)
       VALUES (?, ?, 'pending', ?, ?, ?)`,
    );
    this.transaction(() => {
      for (const posting of batch)
        intend.run(this.sheetRowId, posting.id, posting.status, posting.notes, now);
    });
  }

  intendResults(ids: number[], now: string): void {
    const intend = this.db.prepare(
      `INSERT INTO sheet_result_rows (spreadsheet_row_id, result_id, state, updated_at) VALUES (?, ?, 'pending', ?)`,
    );
    this.transaction(() => {
      for (const id of ids) intend.run(this.sheetRowId, id, now);
    });
  }

  /** Google answered: the batch's intents become 'synced'. */
  markSynced(table: AppendTable, ids: number[], now: string): void {
    const update = this.db.prepare(
      `UPDATE ${table} SET state = 'synced', updated_at = ? WHERE spreadsheet_row_id = ? AND ${ID_COLUMN[table]} = ?`,
    );
    this.transaction(() => {
      for (const id of ids) update.run(now, this.sheetRowId, id);
    });
  }

  /** Google refused the append (nothing was written): the batch's intents go. */
  dropIntents(table: AppendTable, ids: number[]): void {
    const drop = this.db.prepare(
      `DELETE FROM ${table} WHERE spreadsheet_row_id = ? AND ${ID_COLUMN[table]} = ? AND state = 'pending'`,
    );
    this.transaction(() => {
      for (const id of ids) drop.run(this.sheetRowId, id);
    });
  }

  finish(now: string): void {
    this.db
      .prepare(
        'UPDATE sheet_sync_state SET last_synced_at = ?, needs_full = 0 WHERE spreadsheet_row_id = ? AND user_id = ?',
      )
      .run(now, this.sheetRowId, this.userId);
  }
}
