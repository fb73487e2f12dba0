import type { SearchHit } from '../../jobs/search.js';
import { csvDocument } from './csv.js';

/** `search --csv`: the columns of `search --json`, matched keywords joined by "; ", links by spaces. */
const CSV_COLUMNS = [
  'id',
  'score',
  'matchedKeywords',
  'title',
  'company',
  'location',
  'postedAt',
  'status',
  'link',
  'source',
  'links',
  'closed_at',
  'salary_min',
  'salary_max',
  'salary_currency',
  'salary_period',
];

export function toCsv(hits: SearchHit[]): string {
  return csvDocument(
    CSV_COLUMNS,
    hits.map((hit) => [
      hit.jobId,
      hit.score,
      hit.matchedKeywords.join('; '),
      hit.title,
      hit.company,
      hit.location,
      hit.postedAt,
      hit.status,
      hit.link,
      hit.source,
      hit.links.join(' '),
      hit.closedAt,
      hit.pay.min,
      hit.pay.max,
      hit.pay.currency,
      hit.pay.period,
    ]),
  );
}
