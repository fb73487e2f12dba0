import { webUrl } from '../../core/sanitize.js';
import type { ListedPosting } from '../../jobs/model.js';
import { asId, asNumber, asRecord, asText, isoDate, structuredPay } from '../common/board-fields.js';
import { htmlToMarkdown } from '../common/html-markdown.js';
import { parseEach, type JsonObject } from '../common/json-fields.js';
import { listedPosting, listingId } from '../common/listed-posting.js';

function parseJob(job: JsonObject): ListedPosting | null {
  const id = asId(job.id);
  const link = webUrl(asText(job.url));
  if (id === null || link === null) return null;
  const epochSeconds = asNumber(job.epoch);
  return listedPosting({
    source: 'remoteok',
    jobId: listingId('remoteok', id),
    link,
    applyUrl: webUrl(asText(job.apply_url)),
    // Remote OK lists a few jobs with an empty position and company: kept (the id and link are real).
    title: asText(job.position),
    company: asText(job.company),
    location: asText(job.location),
    workplaceType: 'remote',
    postedDate: isoDate(job.date) ?? (epochSeconds === null ? null : isoDate(epochSeconds * 1000)),
    description: htmlToMarkdown(asText(job.description) ?? ''),
    // Whole US dollars a year by Remote OK's form, 0–0 when the job states none. Taken as given, even
    // the few that are plainly hourly amounts (30–30, 80–140).
    ...structuredPay(asNumber(job.salary_min), asNumber(job.salary_max), 'USD', 'year'),
  });
}

function isLegalNotice(item: unknown): boolean {
  const record = asRecord(item);
  return record !== null && 'legal' in record && !('id' in record);
}

/**
 * `GET remoteok.com/api` → the feed's jobs. The answer is an array whose first element is Remote OK's
 * legal notice ({last_updated, legal}), not a job: skipped. Any other top level is a clear Error.
 */
export function parseRemoteOk(value: unknown): ListedPosting[] {
  if (!Array.isArray(value)) throw new Error('Remote OK did not answer with a list of jobs.');
  return parseEach(
    value.filter((item) => !isLegalNotice(item)),
    parseJob,
  );
}
