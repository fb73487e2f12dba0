/**
 * The seed's "Job Postings" columns (SPEC §7), written out here rather than imported from src/: tests pin
 * the contract, so a change in the code cannot silently change what they expect.
 */
export const SEED_POSTING_COLUMNS = [
  'link',
  'job_title',
  'job_company',
  'job_location',
  'job_date',
  'job_applicants',
  'job_salary',
  'job_description',
  'job_seniority',
  'job_employment_type',
  'job_function',
  'job_industries',
  'added_at',
];

/** What issue 12 adds to `search --json` and `jobs show --json` rows (SPEC §14). */
export const SOURCE_KEYS = [
  'source',
  'links',
  'closed_at',
  'salary_min',
  'salary_max',
  'salary_currency',
  'salary_period',
];

/** The keys of `djs jobs show --json` (SPEC §4, §14): the job id, the seed's columns, then djs's own. */
export const JOBS_SHOW_KEYS = ['id', ...SEED_POSTING_COLUMNS, 'status', 'notes', 'apply_url', ...SOURCE_KEYS];
