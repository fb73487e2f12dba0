import { webUrl } from '../../core/sanitize.js';
import type { ListedPosting, WorkplaceType } from '../../jobs/model.js';
import { asRecord, asText, isoDate } from '../common/board-fields.js';
import { htmlToMarkdown } from '../common/html-markdown.js';
import { arrayField, employmentLabel, parseEach, placeName, type JsonObject } from '../common/json-fields.js';
import { listedPosting, listingId } from '../common/listed-posting.js';
import { payInText } from '../common/text-pay.js';

/** One page of `GET /v1/companies/<company>/postings?limit&offset`. */
export interface SmartRecruitersPage {
  postings: ListedPosting[];
  /** Every public posting of the company, over all pages. */
  totalFound: number;
  offset: number;
  limit: number;
  /** Items on this page, the malformed ones included: where the next page starts. */
  itemCount: number;
}

/** The public page of a posting (the API's `ref` is the API URL, not one a person opens). */
function publicUrl(companyId: string, id: string): string {
  return `https://jobs.smartrecruiters.com/${encodeURIComponent(companyId)}/${encodeURIComponent(id)}`;
}

function workplaceType(location: JsonObject): WorkplaceType | null {
  if (location.remote === true) return 'remote';
  if (location.hybrid === true) return 'hybrid';
  return location.remote === false && location.hybrid === false ? 'onsite' : null;
}

/** A posting as the list and the detail endpoint both give it (no ad text: that is the detail's). */
function parsePosting(item: JsonObject, company: string): ListedPosting | null {
  const id = asText(item.id);
  const title = asText(item.name);
  if (id === null || title === null) return null;
  const owner = asRecord(item.company) ?? {};
  const location = asRecord(item.location) ?? {};
  const employment = asRecord(item.typeOfEmployment) ?? {};
  return listedPosting({
    source: 'smartrecruiters',
    jobId: listingId('smartrecruiters', id),
    link: webUrl(asText(item.postingUrl)) ?? publicUrl(asText(owner.identifier) ?? company, id),
    applyUrl: webUrl(asText(item.applyUrl)),
    title,
    company: asText(owner.name) ?? company,
    location: asText(location.fullLocation) ?? placeName([location.city, location.region, location.country]),
    workplaceType: workplaceType(location),
    postedDate: isoDate(item.releasedDate),
    employmentType: asText(employment.label) ?? employmentLabel(employment.id),
  });
}

/** A page of a company's postings; an answer without `content` is not one (a clear Error). */
export function parseSmartRecruitersPage(value: unknown, company: string): SmartRecruitersPage {
  const items = arrayField(value, 'content', `SmartRecruiters company "${company}"`);
  const page = value as JsonObject;
  const count = (field: unknown, fallback: number): number =>
    typeof field === 'number' && Number.isInteger(field) && field >= 0 ? field : fallback;
  return {
    postings: parseEach(items, (item) => parsePosting(item, company)),
    totalFound: count(page.totalFound, items.length),
    offset: count(page.offset, 0),
    limit: count(page.limit, items.length),
    itemCount: items.length,
  };
}

const AD_SECTIONS = ['companyDescription', 'jobDescription', 'qualifications', 'additionalInformation'];

/**
 * `GET /v1/companies/<company>/postings/<id>`: the posting with its ad. There is no real capture of this
 * endpoint; its shape follows SmartRecruiters' public Posting API documentation: `jobAd.sections` holds
 * `companyDescription`, `jobDescription`, `qualifications` and `additionalInformation`, each
 * `{title, text}` with `text` in HTML, beside `postingUrl` and `applyUrl`. The sections become one
 * Markdown description, each under its title, and pay is read from it. A body that is not a posting
 * throws a clear Error.
 */
export function parseSmartRecruitersPosting(value: unknown, company: string): ListedPosting {
  const item = asRecord(value);
  const posting = item === null ? null : parsePosting(item, company);
  if (posting === null) {
    throw new Error(`SmartRecruiters company "${company}" sent something that is not a posting.`);
  }
  const sections = asRecord(asRecord(item!.jobAd)?.sections) ?? {};
  const parts: string[] = [];
  for (const key of AD_SECTIONS) {
    const section = asRecord(sections[key]);
    const body = htmlToMarkdown(asText(section?.text) ?? '');
    if (body === null) continue;
    const title = asText(section?.title);
    parts.push(title === null ? body : `## ${title}\n\n${body}`);
  }
  const description = parts.length === 0 ? null : parts.join('\n\n');
  // The list has no pay; companies that publish it state it in the ad ("The pay range for this role is …").
  return { ...posting, description, ...payInText(description) };
}
