import { load } from 'cheerio';
import { webUrl } from '../../core/sanitize.js';
import type { ListedPosting, SalaryPeriod } from '../../jobs/model.js';
import {
  asId,
  asList,
  asNumber,
  asRecord,
  asText,
  isoDate,
  jobsOf,
  NO_PAY,
  postingLink,
  structuredPay,
  workplaceTypeOf,
  type BoardPay,
} from '../common/board-fields.js';
import { decodeHtmlEntities } from '../common/entities.js';
import { htmlToMarkdown } from '../common/html-markdown.js';
import { listedPosting, listingId } from '../common/listed-posting.js';
import { parseSalary } from '../common/salary.js';

/**
 * Greenhouse's job board API (`GET /v1/boards/<board>/jobs?content=true`, and `/jobs/<id>?content=true`
 * for one job). The company is the job's `company_name` (the board name as watched when it is missing);
 * the posting's link is `absolute_url`, which is also where one applies.
 */

/** Every job of a board's listing; a job without an id or a title is skipped. */
export function parseGreenhouseBoard(value: unknown, board: string): ListedPosting[] {
  return jobsOf(value, `The Greenhouse board "${board}"`).flatMap(
    (job) => greenhousePosting(job, board) ?? [],
  );
}

/** The single-job endpoint's answer: one job object at the top level. */
export function parseGreenhouseJob(value: unknown, board: string): ListedPosting {
  const posting = greenhousePosting(value, board);
  if (posting === null) {
    throw new Error(`Greenhouse answered with something that is not a job of the board "${board}".`);
  }
  return posting;
}

function greenhousePosting(value: unknown, board: string): ListedPosting | null {
  const job = asRecord(value);
  const id = asId(job?.id);
  const title = asText(job?.title);
  if (job === null || id === null || title === null) return null;
  const jobId = listingId('greenhouse', id);
  const canonical = `https://job-boards.greenhouse.io/${encodeURIComponent(board)}/jobs/${encodeURIComponent(id)}`;
  const html = typeof job.content === 'string' ? decodeHtmlEntities(job.content) : null;
  return listedPosting({
    source: 'greenhouse',
    jobId,
    link: postingLink(job.absolute_url, jobId, canonical),
    // Greenhouse's application form is on the job's page, wherever the company has put that page.
    applyUrl: webUrl(asText(job.absolute_url)) ?? canonical,
    title,
    company: asText(job.company_name) ?? board,
    location: asText(asRecord(job.location)?.name),
    workplaceType: workplaceTypeOf(metadataValue(job.metadata, /^(?:location|workplace) type$/i)),
    postedDate: isoDate(job.first_published) ?? isoDate(job.updated_at),
    description: html === null ? null : htmlToMarkdown(html),
    ...(payFromRanges(job.pay_input_ranges) ?? (html === null ? NO_PAY : payFromContent(html))),
  });
}

/** A custom field's value by its name ("Location Type" on Anthropic's board, "Workplace Type" on Airbnb's). */
function metadataValue(metadata: unknown, name: RegExp): unknown {
  const field = asList(metadata)
    .map(asRecord)
    .find((entry) => name.test(asText(entry?.name) ?? ''));
  return field?.value;
}

/** "Annual Salary:", "France Annual Pay Range", "Hourly Pay" … → the period the title names. */
function periodFromTitle(title: string | null): SalaryPeriod | null {
  if (title === null) return null;
  if (/\bannual|\byear/i.test(title)) return 'year';
  if (/\bmonth/i.test(title)) return 'month';
  if (/\bhour/i.test(title)) return 'hour';
  return null;
}

/**
 * `pay_input_ranges` (sent with `pay_transparency=true`): the first range, in cents. No real capture has
 * one; the shape is Greenhouse's documented one (min_cents, max_cents, currency_type, title).
 */
function payFromRanges(value: unknown): BoardPay | null {
  const range = asList(value).map(asRecord).find(Boolean);
  if (!range) return null;
  const cents = (field: unknown) => {
    const amount = asNumber(field) ?? Number(asText(field) ?? NaN);
    return Number.isFinite(amount) ? amount / 100 : null;
  };
  const pay = structuredPay(
    cents(range.min_cents),
    cents(range.max_cents),
    asText(range.currency_type),
    periodFromTitle(asText(range.title)),
  );
  return pay === NO_PAY ? null : pay;
}

/**
 * Pay stated in the content's pay-transparency block: `<div class="title">Annual Salary:</div>
 * <div class="pay-range"><span>$265,000</span><span class="divider">&mdash;</span><span>$365,000 USD</span>`.
 * The block's title gives the period when the range does not.
 */
function payFromContent(html: string): BoardPay {
  if (!html.includes('pay-range')) return NO_PAY;
  const $ = load(html);
  const range = $('.pay-range').first();
  const spans = range.find('span').toArray();
  const text = (spans.length > 0 ? spans.map((span) => $(span).text().trim()) : [range.text()])
    .filter(Boolean)
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
  const found = parseSalary(text);
  if (found === null) return NO_PAY;
  const title = asText(range.prevAll('.title').first().text());
  return structuredPay(found.min, found.max, found.currency, found.period ?? periodFromTitle(title), text);
}
