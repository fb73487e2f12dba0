import { webUrl } from '../../core/sanitize.js';
import type { ListedPosting } from '../../jobs/model.js';
import { asList, asNumber, asRecord, asText, isoDate } from '../common/board-fields.js';
import { htmlToMarkdown } from '../common/html-markdown.js';
import { arrayField, parseEach, type JsonObject } from '../common/json-fields.js';
import { listedPosting, listingId } from '../common/listed-posting.js';
import { payInText } from '../common/text-pay.js';

export interface ArbeitnowPage {
  postings: ListedPosting[];
  /** The number of the next page when `links.next` names one, else null (the last page). */
  next: number | null;
}

function parseJob(job: JsonObject): ListedPosting | null {
  const slug = asText(job.slug);
  const title = asText(job.title);
  const link = webUrl(asText(job.url));
  if (slug === null || title === null || link === null) return null;
  // Free-text tags mixing the kind of contract with seniority ("Full-time permanent", "berufserfahren").
  const jobTypes = asList(job.job_types)
    .map(asText)
    .filter((type): type is string => type !== null);
  const createdSeconds = asNumber(job.created_at);
  const description = htmlToMarkdown(asText(job.description) ?? '');
  return listedPosting({
    source: 'arbeitnow',
    jobId: listingId('arbeitnow', slug),
    link,
    title,
    company: asText(job.company_name),
    location: asText(job.location),
    // `remote: false` is not "on-site": the feed only flags the remote ones.
    workplaceType: job.remote === true ? 'remote' : null,
    postedDate: createdSeconds === null ? null : isoDate(createdSeconds * 1000),
    employmentType: jobTypes.length > 0 ? jobTypes.join(', ') : null,
    description,
    ...payInText(description), // no pay field: "90.000 € bis 130.000 €" in the text
  });
}

/**
 * The page number in `links.next` ("…/api/job-board-api?page=2"). Only the number is used: the adapter
 * asks its own base URL for that page, so a link to another host is never followed.
 */
function nextPage(value: JsonObject): number | null {
  const next = asText(asRecord(value.links)?.next);
  if (next === null) return null;
  try {
    const page = Number(new URL(next).searchParams.get('page'));
    return Number.isInteger(page) && page > 0 ? page : null;
  } catch {
    return null;
  }
}

/** `GET www.arbeitnow.com/api/job-board-api?page=N` → that page's jobs and the next page's number. */
export function parseArbeitnowPage(value: unknown): ArbeitnowPage {
  const jobs = arrayField(value, 'data', 'Arbeitnow');
  return { postings: parseEach(jobs, parseJob), next: nextPage(value as JsonObject) };
}
