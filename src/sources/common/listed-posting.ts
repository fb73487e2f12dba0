import type { ListedPosting, SourceKind } from '../../jobs/model.js';

/** What every board or feed posting has; the rest of a ListedPosting is optional here. */
type Required_ = Pick<ListedPosting, 'source' | 'jobId' | 'link' | 'title'>;

/**
 * A board or feed posting with every field it does not state set to null: the LinkedIn-only fields
 * (applicants, seniority, job function …) and whatever the source leaves out.
 */
export function listedPosting(fields: Required_ & Partial<ListedPosting>): ListedPosting {
  return {
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
    salaryMin: null,
    salaryMax: null,
    salaryCurrency: null,
    salaryPeriod: null,
    workplaceType: null,
    ...fields,
  };
}

/** The printable id of a board or feed posting: "greenhouse:8026689", "remotive:1934567". */
export function listingId(kind: SourceKind, id: string | number): string {
  return `${kind}:${String(id).trim().toLowerCase()}`;
}
