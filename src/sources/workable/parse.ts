import type { ListedPosting } from '../../jobs/model.js';
import { htmlToMarkdown } from '../common/html-markdown.js';
import {
  arrayField,
  employmentLabel,
  httpUrl,
  isObject,
  isoDate,
  parseEach,
  placeName,
  text,
  type JsonObject,
} from '../common/json-fields.js';
import { listedPosting, listingId } from '../common/listed-posting.js';
import { payInText } from '../common/text-pay.js';

/** Every place the job is offered ("London, England, United Kingdom; Berlin, Germany"), hidden ones left out. */
function location(job: JsonObject): string | null {
  const places = Array.isArray(job.locations)
    ? job.locations
        .filter((place): place is JsonObject => isObject(place) && place.hidden !== true)
        .map((place) => placeName([place.city, place.region, place.country]))
        .filter((name): name is string => name !== null)
    : [];
  const distinct = [...new Set(places)];
  return distinct.length > 0 ? distinct.join('; ') : placeName([job.city, job.state, job.country]);
}

function parseJob(job: JsonObject, accountName: string): ListedPosting | null {
  const shortcode = text(job.shortcode);
  const title = text(job.title);
  const link = httpUrl(job.url) ?? httpUrl(job.shortlink);
  if (shortcode === null || title === null || link === null) return null;
  const description = htmlToMarkdown(text(job.description) ?? '');
  return listedPosting({
    source: 'workable',
    jobId: listingId('workable', shortcode),
    link,
    applyUrl: httpUrl(job.application_url),
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
  const accountName = text((value as JsonObject).name) ?? account;
  return parseEach(jobs, (job) => parseJob(job, accountName));
}
