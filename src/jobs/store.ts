import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/database.js';
import { Listings } from './listings.js';
import type { CollectedPosting, FoundLink } from './model.js';

export interface SavedSearch {
  query: string;
  location: string;
}

export interface RunCounts {
  searches: number;
  linksFound: number;
  newLinks: number;
  postingsFetched: number;
  failed: number;
  blocked: boolean;
  sheetRowsAppended: number;
}

/** What a run did with the watched boards and feeds (update_runs.sources, postings_closed). */
export interface SourceCounts {
  /** Watched boards and feeds that answered (changed or not). */
  sources: number;
  /** Listings gone from their board this run. */
  postingsClosed: number;
}

/**
 * The SQL behind collection, scoped to one user: every statement filters by user id, and every write
 * is its own short transaction so whatever has arrived survives a crash (SPEC §7).
 */
export class JobStore {
  private deleteFailure: Statement | undefined;
  /** Where every posting is stored, LinkedIn's and the boards' alike: one job, many links. */
  readonly listings: Listings;

  constructor(
    private readonly db: Db,
    private readonly userId: number,
  ) {
    this.listings = new Listings(db, userId);
  }

  /** Records one page of links at once; returns how many of them were new to this user. */
  saveLinks(links: FoundLink[], query: string, location: string, addedAt: string): number {
    const insert = this.db.prepare(
      `INSERT INTO job_search_results (user_id, job_id, link, query, location, added_at)
       VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    );
    const known = this.db.prepare(
      'SELECT 1 FROM job_search_results WHERE user_id = ? AND job_id = ? LIMIT 1',
    );
    return this.db.transaction(() => {
      let fresh = 0;
      for (const { jobId, link } of links) {
        if (!known.get(this.userId, jobId)) fresh++;
        insert.run(this.userId, jobId, link, query, location, addedAt);
      }
      return fresh;
    })();
  }

  /**
   * Job ids found by some search that have no posting yet: this run's and earlier runs' leftovers, minus
   * those that failed for good unless `includeFailedForGood`.
   */
  pendingJobIds({ includeFailedForGood = false } = {}): FoundLink[] {
    return this.db
      .prepare(
        `SELECT r.job_id AS jobId, MIN(r.link) AS link FROM job_search_results r
         WHERE r.user_id = @userId AND r.gone_at IS NULL AND NOT EXISTS (
           SELECT 1 FROM posting_links l WHERE l.user_id = r.user_id AND l.source_job_id = r.job_id)
         AND (@includeFailedForGood OR NOT EXISTS (
           SELECT 1 FROM posting_failures f WHERE f.user_id = r.user_id AND f.source = r.source
             AND f.job_id = r.job_id AND f.gave_up_at IS NOT NULL))
         GROUP BY r.job_id ORDER BY MIN(r.id)`,
      )
      .all({ userId: this.userId, includeFailedForGood: includeFailedForGood ? 1 : 0 }) as FoundLink[];
  }

  /** The job's detail page is gone from the source: stop asking for it. */
  markGone(jobId: string, now: string): void {
    this.db.transaction(() => {
      this.db
        .prepare(
          'UPDATE job_search_results SET gone_at = ? WHERE user_id = ? AND job_id = ? AND gone_at IS NULL',
        )
        .run(now, this.userId, jobId);
      this.forgetFailure(jobId);
    })();
  }

  /**
   * Counts one more failed run for each posting (with its last reason) and marks those that have now
   * failed on `giveUpAfter` runs as failed for good. Returns the job ids failed for good by this call.
   */
  recordPostingFailures(
    failures: Array<[jobId: string, reason: string]>,
    now: string,
    giveUpAfter: number,
  ): Set<string> {
    const upsert = this.db.prepare(
      `INSERT INTO posting_failures (user_id, job_id, attempts, last_error, first_failed_at, last_failed_at)
       VALUES (@userId, @jobId, 1, @reason, @now, @now)
       ON CONFLICT (user_id, source, job_id) DO UPDATE SET attempts = attempts + 1,
         last_error = excluded.last_error, last_failed_at = excluded.last_failed_at
       RETURNING attempts, gave_up_at AS gaveUpAt`,
    );
    const giveUp = this.db.prepare(
      'UPDATE posting_failures SET gave_up_at = ? WHERE user_id = ? AND job_id = ? AND gave_up_at IS NULL',
    );
    return this.db.transaction(() => {
      const gaveUp = new Set<string>();
      for (const [jobId, reason] of failures) {
        const row = upsert.get({ userId: this.userId, jobId, reason, now }) as {
          attempts: number;
          gaveUpAt: string | null;
        };
        if (row.attempts >= giveUpAfter && row.gaveUpAt === null) {
          giveUp.run(now, this.userId, jobId);
          gaveUp.add(jobId);
        }
      }
      return gaveUp;
    })();
  }

  /**
   * A LinkedIn posting: a link of its own job, or of the board job its apply link points at (a LinkedIn
   * id merged that way has no job_postings row of its own, hence pendingJobIds reads posting_links).
   */
  savePosting(posting: CollectedPosting, now: string): void {
    this.db.transaction(() => {
      this.listings.record({ ...posting, source: 'linkedin' }, null, now);
      this.forgetFailure(posting.jobId);
    })();
  }

  /** A posting that arrived (or is gone) has no failures to count any more. */
  private forgetFailure(jobId: string): void {
    this.deleteFailure ??= this.db.prepare('DELETE FROM posting_failures WHERE user_id = ? AND job_id = ?');
    this.deleteFailure.run(this.userId, jobId);
  }

  savedSearches(): SavedSearch[] {
    return this.db
      .prepare('SELECT query, location FROM saved_searches WHERE user_id = ? ORDER BY id')
      .all(this.userId) as SavedSearch[];
  }

  saveSearches(searches: SavedSearch[], now: string): number {
    const insert = this.db.prepare(
      'INSERT INTO saved_searches (user_id, query, location, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
    );
    return this.db.transaction(() =>
      searches.reduce((added, s) => added + insert.run(this.userId, s.query, s.location, now).changes, 0),
    )();
  }

  startRun(now: string): number {
    const { lastInsertRowid } = this.db
      .prepare('INSERT INTO update_runs (user_id, started_at) VALUES (?, ?)')
      .run(this.userId, now);
    return Number(lastInsertRowid);
  }

  finishRun(
    runId: number,
    counts: RunCounts & SourceCounts,
    outcome: string,
    now: string,
    error: string | null = null,
  ): void {
    this.db
      .prepare(
        `UPDATE update_runs SET finished_at = @now, searches = @searches, links_found = @linksFound,
           new_links = @newLinks, postings_fetched = @postingsFetched, failed = @failed, blocked = @blocked,
           sheet_rows_appended = @sheetRowsAppended, sources = @sources, postings_closed = @postingsClosed,
           outcome = @outcome, error = @error
         WHERE id = @runId AND user_id = @userId`,
      )
      .run({ ...counts, blocked: counts.blocked ? 1 : 0, outcome, error, now, runId, userId: this.userId });
  }

  /** The rows the spreadsheet sync after a run appended (update-db syncs after recording the run). */
  recordSheetRowsAppended(runId: number, rows: number): void {
    this.db
      .prepare('UPDATE update_runs SET sheet_rows_appended = ? WHERE id = ? AND user_id = ?')
      .run(rows, runId, this.userId);
  }
}
