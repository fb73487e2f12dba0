/**
 * The job domain's vocabulary, in one place: what a source collects, what the store keeps, the statuses a
 * posting moves through and how a job id typed by a person is read. Sources, the store, tracking, search,
 * the Sheets layout and the commands all import it; it imports nothing heavier than the error types, so
 * a command can parse its arguments without loading a store.
 */
import { UsageError } from '../core/errors.js';

/** Where a posting is in the user's application process (SPEC §4), in the order a search lists them. */
export const JOB_STATUSES = [
  'new',
  'saved',
  'applied',
  'interviewing',
  'offer',
  'rejected',
  'archived',
] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export function isJobStatus(value: string): value is JobStatus {
  return (JOB_STATUSES as readonly string[]).includes(value);
}

/** A status as typed (any case, spaces around it) → the stored value, or exit 2 listing the valid ones. */
export function parseJobStatus(value: string): JobStatus {
  const status = value.trim().toLowerCase();
  if (!isJobStatus(status)) {
    throw new UsageError(`"${value}" is not a status: expected one of ${JOB_STATUSES.join(', ')}.`);
  }
  return status;
}

/**
 * The job id in a LinkedIn job link (`/jobs/view/slug-123/`, `/jobs/view/123`, `/jobPosting/123`,
 * `currentJobId=123`) or job URN (`urn:li:jobPosting:123`), or null. The one reader of job links: the parser, the Sheets sync (a row's link)
 * and `djs jobs` (a link pasted from a browser) all use it.
 */
export function jobIdFromLink(link: string | null | undefined): string | null {
  if (!link) return null;
  let path = link;
  try {
    path = decodeURIComponent(link);
  } catch {
    // a malformed escape: read the raw text
  }
  const match =
    /\/jobs\/view\/(?:externalApply\/)?(?:[^/?#]*?-)?(\d{5,})(?=[/?#]|$)/.exec(path) ??
    /\/jobPosting\/(\d{5,})(?=[/?#]|$)/.exec(path) ??
    /[?&]currentJobId=(\d{5,})/.exec(path) ??
    /urn:li:(?:jobPosting|fs_normalized_jobPosting|fsd_jobPosting):(\d{5,})/.exec(path);
  return match ? match[1]! : null;
}

const JOB_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/;

/**
 * The job id as `djs search` shows it; a LinkedIn job link (…/jobs/view/<slug>-<id>/ or …?currentJobId=<id>)
 * is accepted too, since that is what people copy from a browser.
 */
export function parseJobId(value: string): string {
  const trimmed = value.trim();
  if (JOB_ID.test(trimmed)) return trimmed;
  const fromLink = jobIdFromLink(trimmed);
  if (fromLink) return fromLink;
  throw new UsageError(
    `"${value.slice(0, 80)}" is not a job id. Use the id shown by \`djs search\` (for LinkedIn, the number in the posting's link).`,
  );
}

/** A job link found by a search (the seed's "Job Search Results" row). */
export interface FoundLink {
  jobId: string;
  link: string;
}

/** A posting as collected (the seed's "Job Postings" columns plus djs's own). */
export interface CollectedPosting {
  jobId: string;
  link: string;
  title: string | null;
  company: string | null;
  location: string | null;
  dateText: string | null;
  applicantsText: string | null;
  salary: string | null;
  description: string | null;
  seniority: string | null;
  employmentType: string | null;
  jobFunction: string | null;
  industries: string | null;
  companyUrl: string | null;
  applyUrl: string | null;
  postedDate: string | null;
  applicants: number | null;
}

/** A stored posting with the seed's column names (SPEC §4, `djs jobs show --json`), `id` being the job id. */
export interface PostingRecord {
  id: string;
  link: string;
  job_title: string | null;
  job_company: string | null;
  job_location: string | null;
  job_date: string | null;
  job_applicants: string | null;
  job_salary: string | null;
  job_description: string | null;
  job_seniority: string | null;
  job_employment_type: string | null;
  job_function: string | null;
  job_industries: string | null;
  added_at: string;
  status: JobStatus;
  notes: string | null;
  apply_url: string | null;
}

/** What `djs jobs show` prints beyond the seed's columns. */
export interface PostingDetails {
  record: PostingRecord;
  source: string;
  companyUrl: string | null;
  postedDate: string | null;
  applicants: number | null;
  statusChangedAt: string | null;
  fetchedAt: string;
  updatedAt: string;
  history: StatusChange[];
}

export interface StatusChange {
  oldStatus: JobStatus;
  newStatus: JobStatus;
  note: string | null;
  changedAt: string;
}
