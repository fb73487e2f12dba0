import type { Statement } from 'better-sqlite3';
import { boardKeyFromUrl, companyKey, matchKey } from '../core/job-identity.js';
import type { Db } from '../db/database.js';
import type { CollectedPosting, PostingSource } from './model.js';

/** A posting from any source, LinkedIn included: what `Listings.record` stores. */
export type SourcedPosting = CollectedPosting & { source: PostingSource };

/** What recording a listing did: a new job, a new link of a stored job, or a listing seen again. */
export type RecordOutcome = 'new-job' | 'linked' | 'seen';

/** A listing being recorded: where it was listed, and when it closed if it says so (LinkedIn's banner). */
interface Arrival {
  posting: SourcedPosting;
  board: string | null;
  closedAt: string | null;
  now: string;
  /** core/job-identity.ts keys, computed once. */
  applyKey: string | null;
  matchKey: string | null;
}

/** Two listings on different sources with the same company, title and location this close are one job. */
const MATCH_WINDOW_DAYS = 30;

/**
 * One job, many links (issue 12): every place a job is listed is a posting_links row of one job_postings
 * row. The store's writes for listings, scoped to one user; each write is its own short transaction, so
 * whatever has arrived survives a crash.
 */
export class Listings {
  private readonly statements = new Map<string, Statement>();

  constructor(
    private readonly db: Db,
    private readonly userId: number,
  ) {}

  /** Prepared once per store: a statement per posting would hold native memory until V8 collects it. */
  private sql(text: string): Statement {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  /**
   * Stores one listing. A listing already stored is seen again (and reopened if it had closed); a new one
   * joins the job it belongs to (the LinkedIn posting whose apply link points at it, the board job a
   * LinkedIn apply link names, or the same company + title + location on another source within 30 days)
   * or becomes a new job.
   */
  record(posting: SourcedPosting, board: string | null, now: string): RecordOutcome {
    return this.db.transaction((): RecordOutcome => {
      const link = this.sql(
        'SELECT id, posting_id AS jobRowId, closed_at AS closedAt FROM posting_links WHERE user_id = ? AND source_job_id = ?',
      ).get(this.userId, posting.jobId) as
        { id: number; jobRowId: number; closedAt: string | null } | undefined;
      const arrival: Arrival = {
        posting,
        board,
        closedAt: posting.closed ? now : null,
        now,
        applyKey: boardKeyFromUrl(posting.applyUrl),
        matchKey: matchKey(posting.company, posting.title, posting.location),
      };
      if (link) {
        this.seenAgain(link, arrival);
        return 'seen';
      }
      const jobRowId = this.jobOf(arrival);
      if (jobRowId === null) {
        this.insertLink(this.insertJob(arrival), arrival);
        return 'new-job';
      }
      this.insertLink(jobRowId, arrival);
      this.fillGaps(jobRowId, arrival);
      return 'linked';
    })();
  }

  /**
   * A complete listing of a watched board: its open links not in `seenIds` have left the board. Each is
   * closed, and so is its job unless another watched board still lists it. Returns how many links closed.
   */
  closeMissing(source: PostingSource, board: string, seenIds: readonly string[], now: string): number {
    return this.db.transaction(() => {
      const closed = this.sql(
        `UPDATE posting_links SET closed_at = @now
         WHERE user_id = @userId AND source = @source AND board = @board AND closed_at IS NULL
           AND source_job_id NOT IN (SELECT value FROM json_each(@seen))
         RETURNING posting_id AS jobRowId`,
      ).all({ userId: this.userId, source, board, seen: JSON.stringify(seenIds), now }) as Array<{
        jobRowId: number;
      }>;
      const closeJob = this.sql(
        `UPDATE job_postings SET closed_at = @now, updated_at = @now
         WHERE id = @jobRowId AND user_id = @userId AND closed_at IS NULL AND NOT EXISTS (
           SELECT 1 FROM posting_links l WHERE l.posting_id = @jobRowId AND l.board IS NOT NULL AND l.closed_at IS NULL)`,
      );
      for (const { jobRowId } of closed) closeJob.run({ jobRowId, userId: this.userId, now });
      return closed.length;
    })();
  }

  /** Whether any job of this user has a link with this printable id. */
  isStored(sourceJobId: string): boolean {
    return (
      this.sql('SELECT 1 FROM posting_links WHERE user_id = ? AND source_job_id = ?').get(
        this.userId,
        sourceJobId,
      ) !== undefined
    );
  }

  /**
   * Whether a company is on the user's blocklist (`djs blocklist`, read once here): its postings are
   * never fetched in detail.
   */
  blockedCompanies(): (company: string | null | undefined) => boolean {
    const rows = this.sql('SELECT company_key AS key FROM blocked_companies WHERE user_id = ?').all(
      this.userId,
    ) as Array<{ key: string }>;
    const keys = new Set(rows.map((row) => row.key));
    return (company) => {
      const key = companyKey(company);
      return key !== null && keys.has(key);
    };
  }

  private seenAgain(
    link: { id: number; jobRowId: number; closedAt: string | null },
    { posting, board, closedAt, now }: Arrival,
  ): void {
    // Open again unless the listing itself says it closed (LinkedIn's banner), which keeps its first date;
    // a link first read through an apply link belongs to the watched board that now lists it.
    this.sql(
      `UPDATE posting_links SET last_seen_at = @now, url = @url, board = COALESCE(@board, board),
         closed_at = CASE WHEN @closed THEN COALESCE(closed_at, @now) ELSE NULL END
       WHERE id = @id`,
    ).run({ now, url: posting.link, board, closed: closedAt === null ? 0 : 1, id: link.id });
    if (closedAt !== null) {
      this.sql(
        'UPDATE job_postings SET closed_at = ?, updated_at = ? WHERE id = ? AND closed_at IS NULL',
      ).run(closedAt, now, link.jobRowId);
    } else if (link.closedAt !== null) {
      // Back on its board: the job reopens when it was this link's leaving that closed it.
      this.sql('UPDATE job_postings SET closed_at = NULL, updated_at = ? WHERE id = ? AND closed_at = ?').run(
        now,
        link.jobRowId,
        link.closedAt,
      );
    }
    // The board changed the pay or the description: the job follows (a field the board left out stays).
    this.sql(
      `UPDATE job_postings SET ${BOARD_WINS}, updated_at = @now WHERE id = @jobRowId AND (${BOARD_CHANGED})`,
    ).run({ ...payAndText(posting), jobRowId: link.jobRowId, now });
  }

  /** The stored job a new listing belongs to, or null when it is a job of its own. */
  private jobOf({ posting, now, applyKey, matchKey: key }: Arrival): number | null {
    // A LinkedIn posting whose apply link points at this board job.
    const applying = this.sql(
      'SELECT id FROM job_postings WHERE user_id = ? AND apply_key = ? ORDER BY id LIMIT 1',
    ).get(this.userId, posting.jobId) as { id: number } | undefined;
    if (applying) return applying.id;
    // The board job this (LinkedIn) posting's apply link names, already stored.
    if (applyKey !== null) {
      const board = this.sql(
        'SELECT posting_id AS id FROM posting_links WHERE user_id = ? AND source_job_id = ?',
      ).get(this.userId, applyKey) as { id: number } | undefined;
      if (board) return board.id;
    }
    if (key === null) return null;
    const since = new Date(Date.parse(now) - MATCH_WINDOW_DAYS * 86_400_000).toISOString();
    const same = this.sql(
      `SELECT p.id FROM job_postings p WHERE p.user_id = @userId AND p.match_key = @key AND p.added_at >= @since
         AND NOT EXISTS (SELECT 1 FROM posting_links l WHERE l.posting_id = p.id AND l.source = @source)
       ORDER BY p.id LIMIT 1`,
    ).get({ userId: this.userId, key, since, source: posting.source }) as { id: number } | undefined;
    return same?.id ?? null;
  }

  private insertJob({ posting, closedAt, now, applyKey, matchKey: key }: Arrival): number {
    const row = this.sql(
      `INSERT INTO job_postings (user_id, source, job_id, link, job_title, job_company, job_location, job_date,
           job_applicants, job_salary, job_description, job_seniority, job_employment_type, job_function,
           job_industries, added_at, company_url, apply_url, posted_date, applicants, fetched_at, updated_at,
           salary_min, salary_max, salary_currency, salary_period, workplace_type, closed_at, company_key,
           match_key, apply_key)
         VALUES (@userId, @source, @jobId, @link, @title, @company, @location, @dateText, @applicantsText,
           @salary, @description, @seniority, @employmentType, @jobFunction, @industries, @now, @companyUrl,
           @applyUrl, @postedDate, @applicants, @now, @now, @salaryMin, @salaryMax, @salaryCurrency,
           @salaryPeriod, @workplaceType, @closedAt, @companyKey, @matchKey, @applyKey)
         ON CONFLICT (user_id, source, job_id) DO UPDATE SET updated_at = excluded.updated_at
         RETURNING id`,
    ).get({
      ...posting,
      ...payAndText(posting),
      workplaceType: posting.workplaceType ?? null,
      userId: this.userId,
      closedAt,
      companyKey: companyKey(posting.company),
      matchKey: key,
      applyKey,
      now,
    }) as { id: number };
    return row.id;
  }

  private insertLink(jobRowId: number, { posting, board, closedAt, now }: Arrival): void {
    this.sql(
      `INSERT INTO posting_links (user_id, posting_id, source, source_job_id, board, url, first_seen_at,
         last_seen_at, closed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(this.userId, jobRowId, posting.source, posting.jobId, board, posting.link, now, now, closedAt);
  }

  /** A new link of a stored job fills what the job lacks: pay, description, workplace; and says if it closed. */
  private fillGaps(jobRowId: number, { posting, closedAt, now }: Arrival): void {
    this.sql(
      `UPDATE job_postings SET ${STORED_WINS}, workplace_type = COALESCE(workplace_type, @workplaceType),
         closed_at = CASE WHEN @closedAt IS NULL THEN NULL ELSE COALESCE(closed_at, @closedAt) END,
         updated_at = @now
       WHERE id = @jobRowId`,
    ).run({
      ...payAndText(posting),
      workplaceType: posting.workplaceType ?? null,
      closedAt,
      jobRowId,
      now,
    });
  }
}

/** The columns a board may change or fill in, and the parameter payAndText gives each. */
const PAY_AND_TEXT = [
  ['job_description', 'description'],
  ['job_salary', 'salary'],
  ['salary_min', 'salaryMin'],
  ['salary_max', 'salaryMax'],
  ['salary_currency', 'salaryCurrency'],
  ['salary_period', 'salaryPeriod'],
] as const;
/** A listing seen again: what it states replaces what is stored. */
const BOARD_WINS = PAY_AND_TEXT.map(([column, param]) => `${column} = COALESCE(@${param}, ${column})`).join(
  ', ',
);
const BOARD_CHANGED = PAY_AND_TEXT.map(
  ([column, param]) => `${column} IS NOT COALESCE(@${param}, ${column})`,
).join(' OR ');
/** A new link of a stored job: it fills only what the job lacks. */
const STORED_WINS = PAY_AND_TEXT.map(([column, param]) => `${column} = COALESCE(${column}, @${param})`).join(
  ', ',
);

/** The fields a board may change or fill in, with the optional ones as null. */
function payAndText(posting: SourcedPosting) {
  return {
    description: posting.description,
    salary: posting.salary,
    salaryMin: posting.salaryMin ?? null,
    salaryMax: posting.salaryMax ?? null,
    salaryCurrency: posting.salaryCurrency ?? null,
    salaryPeriod: posting.salaryPeriod ?? null,
  };
}
