import { webUrl } from '../../core/sanitize.js';
import type { ListedPosting } from '../../jobs/model.js';
import { asList, asRecord, asText, isoDate, joinLocations } from '../common/board-fields.js';
import { htmlToMarkdown } from '../common/html-markdown.js';
import { arrayField, employmentLabel, parseEach, placeName, type JsonObject } from '../common/json-fields.js';
import { listedPosting, listingId } from '../common/listed-posting.js';
import { payInText } from '../common/text-pay.js';

/** Every place the job is offered ("London, England, United Kingdom; Berlin, Germany"), hidden ones left out. */
function location(job: JsonObject): string | null {
  const places = asList(job.locations).map((value) => {
    const place = asRecord(value);
    return place === null || place.hidden === true
      ? null
      : placeName([place.city, place.region, place.country]);
  });
  return joinLocations(places) ?? placeName([job.city, job.state, job.country]);
}

function parseJob(job: JsonObject, accountName: string): ListedPosting | null {
  const shortcode = asText(job.shortcode);
  const title = asText(job.title);
  const link = webUrl(asText(job.url)) ?? webUrl(asText(job.shortlink));
  if (shortcode === null || title === null || link === null) return null;
  const description = htmlToMarkdown(asText(job.description) ?? '');
  return listedPosting({
    source: 'workable',
    jobId: listingId('workable', shortcode),
    link,
    applyUrl: webUrl(asText(job.application_url)),
    title,
    company: accountName,
    location: location(job),
    // `telecommuting: false` does not say on-site (the job may be hybrid): only true is a fact.
    workplaceType: job.telecommuting === true ? 'remote' : null,
    postedDate: isoDate(job.published_on) ?? isoDate(job.created_at),
    employmentType: employmentLabel(job.employment_type),
    description,
    ...payInText(description), // Workable has no pay field: companies state it in the description
  });
}

/**
 * `GET apply.workable.com/api/v1/widget/accounts/<account>?details=true` → the account's published jobs;
 * the company is the account's `name` ("Vasion"), or the account as watched when it has none.
 */
export function parseWorkableAccount(value: unknown, account: string): ListedPosting[] {
  const jobs = arrayField(value, 'jobs', `Workable account "${account}"`);
  const accountName = asText(asRecord(value)?.name) ?? account;
  return parseEach(jobs, (job) => parseJob(job, accountName));
}
