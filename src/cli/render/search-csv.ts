import type { SearchHit } from '../../jobs/search.js';
import { csvDocument } from './csv.js';

/** `search --csv`: the columns of `search --json`, matched keywords joined by "; ". */
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
    ]),
  );
}
