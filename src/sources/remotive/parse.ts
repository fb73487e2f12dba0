import { webUrl } from '../../core/sanitize.js';
import type { ListedPosting } from '../../jobs/model.js';
import { asId, asText, isoDate } from '../common/board-fields.js';
import { htmlToMarkdown } from '../common/html-markdown.js';
import { arrayField, employmentLabel, parseEach, type JsonObject } from '../common/json-fields.js';
import { listedPosting, listingId } from '../common/listed-posting.js';
import { parseSalary } from '../common/salary.js';

/** Remotive's free-text `salary` ("$18 - $22/hr", "$80k - $100k"): kept as written, numbers when it states a range. */
function pay(job: JsonObject): Partial<ListedPosting> {
  const salary = asText(job.salary);
  if (salary === null) return {};
  const numbers = parseSalary(salary);
  return {
    salary,
    salaryMin: numbers?.min ?? null,
    salaryMax: numbers?.max ?? null,
    salaryCurrency: numbers?.currency ?? null,
    salaryPeriod: numbers?.period ?? null,
  };
}

function parseJob(job: JsonObject): ListedPosting | null {
  const id = asId(job.id);
  const title = asText(job.title);
  const link = webUrl(asText(job.url));
  if (id === null || title === null || link === null) return null;
  return listedPosting({
    source: 'remotive',
    jobId: listingId('remotive', id),
    link,
    title,
    company: asText(job.company_name),
    // Where a candidate may live ("USA", "Worldwide", "Americas, Europe, Israel"): every job is remote.
    location: asText(job.candidate_required_location),
    workplaceType: 'remote',
    postedDate: isoDate(job.publication_date),
    employmentType: employmentLabel(job.job_type),
    description: htmlToMarkdown(asText(job.description) ?? ''),
    ...pay(job),
  });
}

/** `GET remotive.com/api/remote-jobs` (parsed, its byte-order mark already skipped) → the feed's jobs. */
export function parseRemotive(value: unknown): ListedPosting[] {
  return parseEach(arrayField(value, 'jobs', 'Remotive'), parseJob);
}
