import { stripControl } from '../../core/sanitize.js';
import type { HistoryEntry, SearchHit } from '../../jobs/search.js';
import type { Context } from '../context.js';
import { formatPay } from './pay.js';
import { renderTable } from './table.js';

/** A hit under --json (--csv has the same columns: search-csv.ts). */
export function hitJson(hit: SearchHit): Record<string, unknown> {
  return {
    id: hit.jobId,
    score: hit.score,
    matchedKeywords: hit.matchedKeywords,
    title: hit.title,
    company: hit.company,
    location: hit.location,
    postedAt: hit.postedAt,
    status: hit.status,
    link: hit.link,
    source: hit.source,
    links: hit.links,
    closed_at: hit.closedAt,
    salary_min: hit.pay.min,
    salary_max: hit.pay.max,
    salary_currency: hit.pay.currency,
    salary_period: hit.pay.period,
  };
}

/**
 * The hits as a table; on a terminal that shows colour, the job id links to the posting. A Pay column
 * appears when some hit states pay numbers, and a closed job's status says so.
 */
export async function renderHits(ctx: Context, hits: SearchHit[]): Promise<string> {
  const clean = (value: string | null): string => (value === null ? '—' : stripControl(value).trim() || '—');
  const pay = hits.map((hit) => formatPay(hit.pay));
  const withPay = pay.some((text) => text !== null);
  return renderTable(
    ctx,
    [
      'Score',
      'Matched',
      'Title',
      'Company',
      'Location',
      ...(withPay ? ['Pay'] : []),
      'Posted',
      'Status',
      'Job id',
    ],
    hits.map((hit, index) => {
      const link = stripControl(hit.link);
      const jobId = clean(hit.jobId);
      return [
        String(hit.score),
        hit.matchedKeywords.join(', '),
        clean(hit.title),
        clean(hit.company),
        clean(hit.location),
        ...(withPay ? [clean(pay[index]!)] : []),
        hit.postedAt ?? hit.addedAt.slice(0, 10),
        hit.closedAt === null ? hit.status : `${hit.status}, closed`,
        ctx.io.stdout.isTTY === true && ctx.out.hyperlink(link) ? { content: jobId, href: link } : jobId,
      ];
    }),
    [false, true, true, true, true, ...(withPay ? [false] : []), false, false, false],
  );
}

/** `search --history` as a table, newest first. */
export async function renderHistory(ctx: Context, entries: HistoryEntry[]): Promise<string> {
  const quote = (keyword: string): string => (/\s/.test(keyword) ? `"${keyword}"` : keyword);
  return renderTable(
    ctx,
    ['When', 'Keywords', 'Location'],
    entries.map((entry) => [
      entry.searchedAt.replace('T', ' ').slice(0, 16),
      stripControl(entry.keywords.map(quote).join(' ')),
      entry.location === null ? '—' : stripControl(entry.location),
    ]),
    [false, true, true],
  );
}
