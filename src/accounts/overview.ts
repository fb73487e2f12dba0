import type { Db } from '../db/database.js';
import { NewPostings } from '../jobs/new-postings.js';
import type { RunCounts } from '../jobs/store.js';

export interface LastUpdate extends Omit<RunCounts, 'sheetRowsAppended'> {
  startedAt: string;
  finishedAt: string | null;
  outcome: string | null;
}

/** A posting that failed on several runs, so that update-db no longer asks for it (migration 006). */
export interface FailedPosting {
  jobId: string;
  link: string | null;
  attempts: number;
  lastError: string;
  failedForGoodAt: string;
}

export interface AccountOverview {
  google: { linked: boolean; linkedAt: string | null };
  spreadsheet: { id: string; url: string; title: string | null } | null;
  postings: number;
  /** Postings not yet seen in a `djs review` (issue 13). */
  newPostings: number;
  lastUpdate: LastUpdate | null;
  failedForGood: FailedPosting[];
}

export const spreadsheetUrl = (id: string): string => `https://docs.google.com/spreadsheets/d/${id}/edit`;

/** What `status` reports about a user's data, in one read. */
export function accountOverview(db: Db, userId: number): AccountOverview {
  const google = db.prepare('SELECT linked_at FROM user_google_credentials WHERE user_id = ?').get(userId) as
    { linked_at: string } | undefined;
  const sheet = db
    .prepare(
      `SELECT spreadsheet_id, spreadsheet_name FROM user_spreadsheets
       WHERE user_id = ? AND is_active = 1 ORDER BY updated_at DESC LIMIT 1`,
    )
    .get(userId) as { spreadsheet_id: string; spreadsheet_name: string | null } | undefined;
  const { postings } = db
    .prepare('SELECT COUNT(*) AS postings FROM job_postings WHERE user_id = ?')
    .get(userId) as {
    postings: number;
  };
  const run = db
    .prepare('SELECT * FROM update_runs WHERE user_id = ? ORDER BY started_at DESC, id DESC LIMIT 1')
    .get(userId) as
    | {
        started_at: string;
        finished_at: string | null;
        outcome: string | null;
        searches: number;
        links_found: number;
        new_links: number;
        postings_fetched: number;
        failed: number;
        blocked: number;
      }
    | undefined;
  const failedForGood = db
    .prepare(
      `SELECT f.job_id AS jobId, (SELECT MIN(r.link) FROM job_search_results r
           WHERE r.user_id = f.user_id AND r.source = f.source AND r.job_id = f.job_id) AS link,
         f.attempts, f.last_error AS lastError, f.gave_up_at AS failedForGoodAt
       FROM posting_failures f WHERE f.user_id = ? AND f.gave_up_at IS NOT NULL ORDER BY f.gave_up_at, f.job_id`,
    )
    .all(userId) as FailedPosting[];
  return {
    google: {
      linked: Boolean(google),
      linkedAt: google?.linked_at ?? null,
    },
    spreadsheet: sheet
      ? { id: sheet.spreadsheet_id, url: spreadsheetUrl(sheet.spreadsheet_id), title: sheet.spreadsheet_name }
      : null,
    postings,
    newPostings: new NewPostings(db, userId).count(),
    lastUpdate: run
      ? {
          startedAt: run.started_at,
          finishedAt: run.finished_at,
          outcome: run.outcome,
          searches: run.searches,
          linksFound: run.links_found,
          newLinks: run.new_links,
          postingsFetched: run.postings_fetched,
          failed: run.failed,
          blocked: run.blocked === 1,
        }
      : null,
    failedForGood,
  };
}
