import { webUrl } from '../../core/sanitize.js';
import type { ListedPosting, SalaryPeriod } from '../../jobs/model.js';
import {
  asList,
  asNumber,
  asRecord,
  asText,
  isoDate,
  joinLocations,
  NO_PAY,
  postingLink,
  structuredPay,
  workplaceTypeOf,
  type BoardPay,
} from '../common/board-fields.js';
import { htmlToMarkdown } from '../common/html-markdown.js';
import { listedPosting, listingId } from '../common/listed-posting.js';

/**
 * Lever's postings API (`GET /v0/postings/<site>?mode=json`, and `/v0/postings/<site>/<id>?mode=json` for
 * one posting). Lever's answer names no company, so the company is the site name as watched
 * ("lever:palantir" → "palantir").
 */

/** Every posting of a site's listing (a top-level array); one without an id or a title is skipped. */
export function parseLeverPostings(value: unknown, site: string): ListedPosting[] {
  if (!Array.isArray(value)) throw notPostings(value, site);
  return value.flatMap((posting) => leverPosting(posting, site) ?? []);
}

/** The single-posting endpoint's answer: one posting object. */
export function parseLeverPosting(value: unknown, site: string): ListedPosting {
  const posting = leverPosting(value, site);
  if (posting === null) throw notPostings(value, site);
  return posting;
}

/** Lever answers an unknown site with `{"ok":false,"error":"Document not found"}`. */
function notPostings(value: unknown, site: string): Error {
  const error = asRecord(value)?.ok === false ? asText(asRecord(value)?.error) : null;
  return new Error(
    error
      ? `Lever answered "${error}" for the site "${site}".`
      : `Lever answered with something that is not the postings of the site "${site}".`,
  );
}

function leverPosting(value: unknown, site: string): ListedPosting | null {
  const posting = asRecord(value);
  const id = asText(posting?.id);
  const title = asText(posting?.text);
  if (posting === null || id === null || title === null) return null;
  const categories = asRecord(posting.categories);
  const allLocations = asList(categories?.allLocations).map(asText);
  const jobId = listingId('lever', id);
  return listedPosting({
    source: 'lever',
    jobId,
    link: postingLink(
      posting.hostedUrl,
      jobId,
      `https://jobs.lever.co/${encodeURIComponent(site)}/${encodeURIComponent(id)}`,
    ),
    applyUrl: webUrl(asText(posting.applyUrl)),
    title,
    company: site,
    location: joinLocations(allLocations.length > 0 ? allLocations : [asText(categories?.location)]),
    workplaceType: workplaceTypeOf(posting.workplaceType),
    postedDate: isoDate(posting.createdAt),
    employmentType: asText(categories?.commitment),
    description: htmlToMarkdown(descriptionHtml(posting)),
    ...leverPay(posting.salaryRange),
  });
}

/** The posting page's text: the description, then each list under its heading, then the closing part. */
function descriptionHtml(posting: Record<string, unknown>): string {
  const html = (field: unknown) => (typeof field === 'string' ? field : '');
  const lists = asList(posting.lists)
    .map(asRecord)
    .map((list) => {
      const heading = asText(list?.text);
      return `${heading ? `<h3>${escapeHtml(heading)}</h3>` : ''}<ul>${html(list?.content)}</ul>`;
    });
  return [
    html(posting.description),
    ...lists,
    html(posting.salaryDescription),
    html(posting.additional),
  ].join('\n');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const INTERVALS = new Map<string, SalaryPeriod>([
  ['per-year-salary', 'year'],
  ['per-month-salary', 'month'],
  ['per-hour-wage', 'hour'],
]);

/**
 * `salaryRange` {min, max, currency, interval}. A 0–0 range means no pay given (Yassir), and an interval
 * djs cannot compare (per week, per day, one-time) gives no numbers either.
 */
function leverPay(value: unknown): BoardPay {
  const range = asRecord(value);
  const period = INTERVALS.get(asText(range?.interval) ?? '');
  if (range === null || period === undefined) return NO_PAY;
  return structuredPay(asNumber(range.min), asNumber(range.max), asText(range.currency), period);
}
