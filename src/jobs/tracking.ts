import type { Clock } from '../core/clock.js';
import { UsageError } from '../core/errors.js';
import { webUrl } from '../core/sanitize.js';
import type { Db } from '../db/database.js';
import type {
  JobStatus,
  PostingDetails,
  PostingLink,
  PostingRecord,
  StatusChange,
  WorkplaceType,
} from './model.js';
import { linksOf } from './posting-links.js';

export interface StatusUpdate {
  jobId: string;
  oldStatus: JobStatus;
  newStatus: JobStatus;
  /** The notes after the change (the note appended to what was there). */
  notes: string | null;
  changedAt: string;
  /** False when the status was already that and no note was given: nothing was written. */
  changed: boolean;
}

/** A job_postings row: the seed's columns of PostingRecord (keyed by job_id there) plus djs's own. */
type PostingRow = Omit<PostingRecord, 'id' | 'links'> & {
  row_id: number;
  job_id: string;
  workplace_type: WorkplaceType | null;
  /** The blocklist entry that hides the job, if any. */
  blocked_as: string | null;
  company_url: string | null;
  posted_date: string | null;
  applicants: number | null;
  status_changed_at: string | null;
  fetched_at: string;
  updated_at: string;
};

/** Longest note accepted at once; notes also end up in a spreadsheet cell (≤ 50,000 characters). */
export const MAX_NOTE_LENGTH = 2000;

/**
 * Application tracking for one user (`djs jobs`). Every statement filters by the user id, so another
 * user's job id is simply not found. Status changes update the posting (status, notes, status_changed_at,
 * which the Sheets sync compares) and append a row to job_status_changes, in one transaction.
 */
export class JobTracking {
  constructor(
    private readonly db: Db,
    private readonly userId: number,
    private readonly clock: Clock,
  ) {}

  /**
   * The job with this id: any of its listings' printable ids (LinkedIn's number, "greenhouse:8026689", in
   * any case), or the id it was first stored under. A job of a company the person blocks is hidden.
   */
  private find(jobId: string): PostingRow {
    const row = this.db
      .prepare(
        `SELECT id AS row_id, *, (SELECT b.company FROM blocked_companies b
             WHERE b.user_id = p.user_id AND b.company_key = p.company_key) AS blocked_as
         FROM job_postings p WHERE user_id = @userId AND id = coalesce(
           (SELECT posting_id FROM posting_links
             WHERE user_id = @userId AND source_job_id IN (@jobId, lower(@jobId)) LIMIT 1),
           (SELECT id FROM job_postings WHERE user_id = @userId AND job_id = @jobId
             ORDER BY source = 'linkedin' DESC, id LIMIT 1))`,
      )
      .get({ userId: this.userId, jobId }) as PostingRow | undefined;
    if (!row) {
      throw new UsageError(
        `No posting with job id ${jobId} in your database. Run \`djs search <keyword>\` to see the job ids you have.`,
      );
    }
    if (row.blocked_as !== null) {
      throw new UsageError(
        `${jobId} is a posting of a company you block ("${row.blocked_as}"). \`djs blocklist remove "${row.blocked_as}"\` shows its postings again.`,
      );
    }
    return row;
  }

  show(jobId: string): PostingDetails {
    const row = this.find(jobId);
    const history = this.db
      .prepare(
        `SELECT old_status AS oldStatus, new_status AS newStatus, note, changed_at AS changedAt
         FROM job_status_changes WHERE posting_id = ? AND user_id = ? ORDER BY id`,
      )
      .all(row.row_id, this.userId) as StatusChange[];
    const listings = linksOf(this.db, this.userId, [row.row_id]).get(row.row_id) ?? [];
    const firstSeenAt = [row.added_at, ...listings.map((link) => link.firstSeenAt)].sort()[0]!;
    const openUntil = row.closed_at ?? this.clock.now().toISOString();
    return {
      record: toRecord(row, listings),
      source: row.source,
      listings,
      pay: {
        min: row.salary_min,
        max: row.salary_max,
        currency: row.salary_currency,
        period: row.salary_period,
      },
      workplaceType: row.workplace_type,
      firstSeenAt,
      daysOpen: Math.max(0, Math.floor((Date.parse(openUntil) - Date.parse(firstSeenAt)) / 86_400_000)),
      companyUrl: webUrl(row.company_url),
      postedDate: row.posted_date,
      applicants: row.applicants,
      statusChangedAt: row.status_changed_at,
      fetchedAt: row.fetched_at,
      updatedAt: row.updated_at,
      history,
    };
  }

  /**
   * Sets the status; a note is appended to the posting's notes as a new line "YYYY-MM-DD: text" (notes are a
   * log, so earlier ones are kept). Setting the status it already has without a note changes nothing.
   */
  setStatus(jobId: string, status: JobStatus, note?: string): StatusUpdate {
    const text = note === undefined ? undefined : normaliseNote(note);
    return this.db
      .transaction((): StatusUpdate => {
        const row = this.find(jobId);
        const now = this.clock.now().toISOString();
        if (row.status === status && text === undefined) {
          return {
            jobId: row.job_id,
            oldStatus: row.status,
            newStatus: status,
            notes: row.notes,
            changedAt: now,
            changed: false,
          };
        }
        const line = text === undefined ? null : `${now.slice(0, 10)}: ${text}`;
        const notes = line === null ? row.notes : row.notes ? `${row.notes}\n${line}` : line;
        this.write(row.row_id, row, { status, notes }, { note: text ?? null }, now);
        return {
          jobId: row.job_id,
          oldStatus: row.status,
          newStatus: status,
          notes,
          changedAt: now,
          changed: true,
        };
      })
      .immediate();
  }

  /**
   * A status and/or notes edit pulled from the spreadsheet by `djs sheets sync` (posting row id), written only
   * if the posting still holds what the sync compared (`from`): a change made meanwhile is left for the next
   * sync to weigh. A status change goes into the history like one set with `djs jobs set-status`, noted as
   * coming from the spreadsheet; a notes-only edit is not a status change and leaves no history row.
   * False when the posting had moved on and nothing was written.
   */
  applySheetEdit(
    postingRowId: number,
    from: { status: JobStatus; notes: string | null },
    to: { status: JobStatus; notes: string | null },
  ): boolean {
    const history = to.status === from.status ? null : { note: 'changed in the spreadsheet' };
    return this.write(postingRowId, from, to, history, this.clock.now().toISOString());
  }

  /**
   * The one write of a status change: the posting (only while it still holds `from`) and, with `history`, its
   * row in job_status_changes. status_changed_at is what the Sheets sync compares with its previous read.
   */
  private write(
    postingRowId: number,
    from: { status: JobStatus; notes: string | null },
    to: { status: JobStatus; notes: string | null },
    history: { note: string | null } | null,
    now: string,
  ): boolean {
    const { changes } = this.db
      .prepare(
        `UPDATE job_postings SET status = ?, notes = ?, status_changed_at = ?, updated_at = ?
         WHERE id = ? AND user_id = ? AND status = ? AND notes IS ?`,
      )
      .run(to.status, to.notes, now, now, postingRowId, this.userId, from.status, from.notes);
    if (changes === 0) return false;
    if (history) {
      this.db
        .prepare(
          `INSERT INTO job_status_changes (user_id, posting_id, old_status, new_status, note, changed_at)
           VALUES (?, ?, ?, ?, ?, ?)`,
        )
        .run(this.userId, postingRowId, from.status, to.status, history.note, now);
    }
    return true;
  }
}

function normaliseNote(note: string): string {
  const text = note.replace(/\r\n?/g, '\n').trim();
  if (!text) throw new UsageError('The note is empty.');
  if (text.length > MAX_NOTE_LENGTH)
    throw new UsageError(`The note is longer than ${MAX_NOTE_LENGTH} characters.`);
  if (/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/.test(text))
    throw new UsageError('The note contains control characters.');
  return text.replace(/\n+/g, ' ');
}

function toRecord(row: PostingRow, listings: PostingLink[]): PostingRecord {
  return {
    id: row.job_id,
    link: row.link,
    job_title: row.job_title,
    job_company: row.job_company,
    job_location: row.job_location,
    job_date: row.job_date,
    job_applicants: row.job_applicants,
    job_salary: row.job_salary,
    job_description: row.job_description,
    job_seniority: row.job_seniority,
    job_employment_type: row.job_employment_type,
    job_function: row.job_function,
    job_industries: row.job_industries,
    added_at: row.added_at,
    status: row.status,
    notes: row.notes,
    // Rows stored before the parser checked the scheme may hold a javascript: or file: URL: never hand it out.
    apply_url: webUrl(row.apply_url),
    source: row.source,
    links: listings.length > 0 ? listings.map((link) => link.url) : [row.link],
    closed_at: row.closed_at,
    salary_min: row.salary_min,
    salary_max: row.salary_max,
    salary_currency: row.salary_currency,
    salary_period: row.salary_period,
  };
}
