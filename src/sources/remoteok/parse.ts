import type { ListedPosting } from '../../jobs/model.js';
import { htmlToMarkdown } from '../common/html-markdown.js';
import { httpUrl, isObject, isoDate, parseEach, text, type JsonObject } from '../common/json-fields.js';
import { listedPosting, listingId } from '../common/listed-posting.js';

/**
 * `salary_min` / `salary_max`: whole US dollars a year by Remote OK's form, 0 when the job states none.
 * Taken as given, even the few that are plainly hourly amounts (30–30, 80–140).
 */
function pay(job: JsonObject): Partial<ListedPosting> {
  const amount = (value: unknown): number | null =>
    typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : null;
  const min = amount(job.salary_min);
  const max = amount(job.salary_max);
  if (min === null && max === null) return {};
  const low = min ?? max!;
  const high = max ?? min!;
  const dollars = (value: number): string => `$${value.toLocaleString('en-US')}`;
  return {
    salaryMin: low,
    salaryMax: high,
    salaryCurrency: 'USD',
    salaryPeriod: 'year',
    salary: low === high ? `${dollars(low)} per year` : `${dollars(low)} - ${dollars(high)} per year`,
  };
}

function parseJob(job: JsonObject): ListedPosting | null {
  const id = text(job.id);
  const link = httpUrl(job.url);
  if (id === null || link === null) return null;
  return listedPosting({
    source: 'remoteok',
    jobId: listingId('remoteok', id),
    link,
    applyUrl: httpUrl(job.apply_url),
    // Remote OK lists a few jobs with an empty position and company: kept (the id and link are real).
    title: text(job.position),
    company: text(job.company),
    location: text(job.location),
    workplaceType: 'remote',
    postedDate: isoDate(job.date) ?? isoDate(job.epoch),
    description: htmlToMarkdown(text(job.description) ?? ''),
    ...pay(job),
  });
}

/**
 * `GET remoteok.com/api` → the feed's jobs. The answer is an array whose first element is Remote OK's
 * legal notice ({last_updated, legal}), not a job: skipped. Any other top level is a clear Error.
 */
export function parseRemoteOk(value: unknown): ListedPosting[] {
  if (!Array.isArray(value)) throw new Error('Remote OK did not answer with a list of jobs.');
  const jobs = value.filter((item) => !(isObject(item) && 'legal' in item && !('id' in item)));
  return parseEach(jobs, parseJob);
}
