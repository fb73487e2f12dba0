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
  /** The company the search card names, when it does: a blocked company's jobs are not fetched in detail. */
  company?: string | null;
}

/** Company boards, watched by name (`greenhouse:stripe`): every posting of the board is kept. */
export const BOARD_KINDS = [
  'greenhouse',
  'lever',
  'ashby',
  'smartrecruiters',
  'recruitee',
  'workable',
] as const;
/** Open feeds (`remotive`): a posting is kept when it matches the person's saved searches. */
export const FEED_KINDS = ['remotive', 'arbeitnow', 'remoteok'] as const;
export type BoardKind = (typeof BOARD_KINDS)[number];
export type FeedKind = (typeof FEED_KINDS)[number];
export type SourceKind = BoardKind | FeedKind;
/** Where a listing came from: `source` in `search --json`, `jobs show --json` and the Sheet. */
export type PostingSource = 'linkedin' | SourceKind;

/** A watched source: `greenhouse:stripe` is { kind: 'greenhouse', name: 'stripe' }; a feed's name is ''. */
export interface SourceSpec {
  kind: SourceKind;
  name: string;
}

export function isBoardKind(kind: string): kind is BoardKind {
  return (BOARD_KINDS as readonly string[]).includes(kind);
}

export function isFeedKind(kind: string): kind is FeedKind {
  return (FEED_KINDS as readonly string[]).includes(kind);
}

/** What board names look like on every board djs reads: letters, digits, `.`, `_`, `-` (no `/`, no `?`). */
const BOARD_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/**
 * `greenhouse:stripe`, `lever:palantir`, `remotive` … → the spec, or exit 2 saying what is wrong (an
 * unknown kind, a board kind without a name, a feed with one, a name no board could have).
 */
export function parseSourceSpec(raw: string): SourceSpec {
  const value = raw.trim();
  const colon = value.indexOf(':');
  const kind = (colon < 0 ? value : value.slice(0, colon)).toLowerCase();
  const name = colon < 0 ? '' : value.slice(colon + 1).trim();
  const known = [...BOARD_KINDS.map((k) => `${k}:<name>`), ...FEED_KINDS].join(', ');
  if (isFeedKind(kind)) {
    if (name !== '')
      throw new UsageError(`"${value}": ${kind} is a feed and takes no name; write just "${kind}".`);
    return { kind, name: '' };
  }
  if (!isBoardKind(kind)) throw new UsageError(`"${value}" is not a source: expected one of ${known}.`);
  if (name === '') throw new UsageError(`"${value}": give the board's name, e.g. "${kind}:stripe".`);
  if (!BOARD_NAME.test(name))
    throw new UsageError(`"${value}": a ${kind} board name has only letters, digits, ".", "_" and "-".`);
  return { kind, name };
}

/** The spec as people write it: `greenhouse:stripe`, `remotive`. */
export function formatSourceSpec(spec: SourceSpec): string {
  return spec.name === '' ? spec.kind : `${spec.kind}:${spec.name}`;
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
  /** Pay as numbers, from the source's structured fields or from the text (`salary` keeps the text). */
  salaryMin?: number | null;
  salaryMax?: number | null;
  salaryCurrency?: string | null;
  salaryPeriod?: SalaryPeriod | null;
  workplaceType?: WorkplaceType | null;
  /** The page says the job no longer takes applications (LinkedIn's closed banner, in any language). */
  closed?: boolean;
}

export type SalaryPeriod = 'year' | 'month' | 'hour';
export type WorkplaceType = 'remote' | 'hybrid' | 'onsite';

/** A posting as a board or feed lists it: `jobId` is its printable id ("greenhouse:8026689"). */
export interface ListedPosting extends CollectedPosting {
  source: SourceKind;
}

/** --currency: three letters (an ISO 4217 code such as USD, EUR), any case → upper case; else exit 2. */
export function parseCurrency(value: string): string {
  const code = value.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(code))
    throw new UsageError(
      `"${value.slice(0, 20)}" is not a currency code: give three letters, e.g. USD or EUR.`,
    );
  return code;
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
  /** Issue 12: where the job was first stored from, every URL where it is listed, closed, pay as numbers. */
  source: string;
  links: string[];
  closed_at: string | null;
  salary_min: number | null;
  salary_max: number | null;
  salary_currency: string | null;
  salary_period: SalaryPeriod | null;
}

/** Pay as numbers (all null when the posting states none). */
export interface Pay {
  min: number | null;
  max: number | null;
  currency: string | null;
  period: SalaryPeriod | null;
}

/** One place a job is listed (a posting_links row). */
export interface PostingLink {
  source: PostingSource;
  /** The listing's printable id: LinkedIn's number, or "greenhouse:8026689". */
  sourceJobId: string;
  board: string | null;
  url: string;
  firstSeenAt: string;
  lastSeenAt: string;
  closedAt: string | null;
}

/** What `djs jobs show` prints beyond the seed's columns. */
export interface PostingDetails {
  record: PostingRecord;
  source: string;
  /** Every listing of the job, oldest first. */
  listings: PostingLink[];
  pay: Pay;
  workplaceType: WorkplaceType | null;
  /** When djs first saw the job listed anywhere. */
  firstSeenAt: string;
  /** Whole days from first seen to closed (or, while open, to now). */
  daysOpen: number;
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
