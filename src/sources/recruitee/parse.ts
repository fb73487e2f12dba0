import { webUrl } from '../../core/sanitize.js';
import type { ListedPosting, SalaryPeriod, WorkplaceType } from '../../jobs/model.js';
import { asId, asRecord, asText, isoDate, structuredPay, type BoardPay } from '../common/board-fields.js';
import { htmlToMarkdown } from '../common/html-markdown.js';
import { arrayField, employmentLabel, parseEach, placeName, type JsonObject } from '../common/json-fields.js';
import { listedPosting, listingId } from '../common/listed-posting.js';
import { parseAmount } from '../common/salary.js';

function workplaceType(offer: JsonObject): WorkplaceType | null {
  if (offer.remote === true) return 'remote';
  if (offer.hybrid === true) return 'hybrid';
  return offer.on_site === true ? 'onsite' : null;
}

const PERIODS: Record<string, SalaryPeriod> = { year: 'year', month: 'month', hour: 'hour' };

/**
 * Recruitee's `salary` {min, max, period, currency}: amounts as strings ("75.00"), every field null when
 * the offer states no pay; one amount alone is a range of one. Taken as written: Aikido's "Office Manager
 * Chicago" says 75–95 USD a year, which looks like thousands, but djs does not second-guess a source's
 * numbers. A period djs cannot compare (a week, a day) keeps the numbers without one.
 */
function pay(offer: JsonObject): BoardPay {
  const salary = asRecord(offer.salary) ?? {};
  const amount = (value: unknown): number | null => {
    const raw = asText(value);
    return raw === null ? null : parseAmount(raw);
  };
  const min = amount(salary.min);
  const max = amount(salary.max);
  const period = PERIODS[asText(salary.period)?.toLowerCase() ?? ''] ?? null;
  return structuredPay(min ?? max, max ?? min, asText(salary.currency), period);
}

function parseOffer(offer: JsonObject, company: string): ListedPosting | null {
  const id = asId(offer.id);
  const title = asText(offer.title);
  const link = webUrl(asText(offer.careers_url));
  if (id === null || title === null || link === null) return null;
  const description = [asText(offer.description), asText(offer.requirements)]
    .filter((html) => html !== null)
    .join('\n');
  return listedPosting({
    source: 'recruitee',
    jobId: listingId('recruitee', id),
    link,
    applyUrl: webUrl(asText(offer.careers_apply_url)),
    title,
    company: asText(offer.company_name) ?? company,
    // The structured place: `location` of a remote offer is just "Remote job".
    location: placeName([offer.city, offer.state_name, offer.country]) ?? asText(offer.location),
    workplaceType: workplaceType(offer),
    postedDate: isoDate(offer.published_at) ?? isoDate(offer.created_at),
    employmentType: employmentLabel(offer.employment_type_code),
    description: htmlToMarkdown(description),
    ...pay(offer),
  });
}

/** `GET <company>.recruitee.com/api/offers/` → the company's published offers. */
export function parseRecruiteeOffers(value: unknown, company: string): ListedPosting[] {
  const offers = arrayField(value, 'offers', `Recruitee company "${company}"`);
  return parseEach(offers, (offer) => parseOffer(offer, company));
}
