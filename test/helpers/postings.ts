import type { Db } from '../../src/db/database.js';
import { companyKey } from '../../src/core/job-identity.js';
import type { CollectedPosting, PostingSource } from '../../src/jobs/model.js';
import { JobStore } from '../../src/jobs/store.js';

/** A posting as a source delivers it, with every field the test does not name left empty. */
export function postingWith(
  fields: Pick<CollectedPosting, 'jobId'> & Partial<CollectedPosting>,
): CollectedPosting {
  return {
    link: `https://www.linkedin.com/jobs/view/${fields.jobId}/`,
    title: null,
    company: null,
    location: null,
    dateText: null,
    applicantsText: null,
    salary: null,
    description: null,
    seniority: null,
    employmentType: null,
    jobFunction: null,
    industries: null,
    companyUrl: null,
    applyUrl: null,
    postedDate: null,
    applicants: null,
    ...fields,
  };
}

/**
 * Stores a posting for a user the way update-db does (JobStore.savePosting), with every field the test
 * does not name left empty: tests say only what matters to them.
 */
export function insertPosting(
  db: Db,
  userId: number,
  fields: Pick<CollectedPosting, 'jobId'> & Partial<CollectedPosting>,
  now: string,
): void {
  new JobStore(db, userId).savePosting(postingWith(fields), now);
}

/** One more place a job is listed (a posting_links row). */
export interface ListingSeed {
  source: PostingSource;
  sourceJobId: string;
  url: string;
  board?: string | null;
  firstSeenAt?: string;
  closedAt?: string | null;
}

/** What migration 008 added to a job: where it was first listed, its other listings, pay, open or closed. */
export type JobSeed = Pick<CollectedPosting, 'jobId'> &
  Partial<CollectedPosting> & {
    source?: PostingSource;
    closedAt?: string | null;
    listings?: ListingSeed[];
  };

/**
 * Stores a job with what migration 008 added (pay numbers, workplace, closed, the company key, and a
 * posting_links row for each listing, its own first), whatever the store of the day writes itself: tests
 * say only what matters to them. Returns the job's job_postings row id.
 */
export function insertJob(db: Db, userId: number, job: JobSeed, now: string): number {
  const { source = 'linkedin', closedAt = null, listings = [], ...fields } = job;
  const posting = postingWith(fields);
  insertPosting(db, userId, posting, now);
  const id = db
    .prepare('SELECT id FROM job_postings WHERE user_id = ? AND job_id = ?')
    .pluck()
    .get(userId, posting.jobId) as number;
  db.prepare(
    `UPDATE job_postings SET source = ?, salary_min = ?, salary_max = ?, salary_currency = ?, salary_period = ?,
       workplace_type = ?, closed_at = ?, company_key = ? WHERE id = ?`,
  ).run(
    source,
    posting.salaryMin ?? null,
    posting.salaryMax ?? null,
    posting.salaryCurrency ?? null,
    posting.salaryPeriod ?? null,
    posting.workplaceType ?? null,
    closedAt,
    companyKey(posting.company),
    id,
  );
  const link = db.prepare(
    `INSERT INTO posting_links (user_id, posting_id, source, source_job_id, board, url, first_seen_at, last_seen_at, closed_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (user_id, source_job_id) DO NOTHING`,
  );
  const own: ListingSeed = { source, sourceJobId: posting.jobId, url: posting.link, closedAt };
  for (const listing of [own, ...listings]) {
    const seen = listing.firstSeenAt ?? now;
    link.run(
      userId,
      id,
      listing.source,
      listing.sourceJobId,
      listing.board ?? null,
      listing.url,
      seen,
      seen,
      listing.closedAt ?? null,
    );
  }
  return id;
}
