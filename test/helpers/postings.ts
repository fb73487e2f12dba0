import type { Db } from '../../src/db/database.js';
import type { CollectedPosting } from '../../src/jobs/model.js';
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
