import { stripControl } from '../../core/sanitize.js';
import type { HistoryEntry, SearchHit } from '../../jobs/search.js';
import type { Context } from '../context.js';
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
  };
}

/** The hits as a table; on a terminal that shows colour, the job id links to the posting. */
export async function renderHits(ctx: Context, hits: SearchHit[]): Promise<string> {
  const clean = (value: string | null): string => (value === null ? '—' : stripControl(value).trim() || '—');
  return renderTable(
    ctx,
    ['Score', 'Matched', 'Title', 'Company', 'Location', 'Posted', 'Status', 'Job id'],
    hits.map((hit) => {
      const link = stripControl(hit.link);
      const jobId = clean(hit.jobId);
      return [
        String(hit.score),
        hit.matchedKeywords.join(', '),
        clean(hit.title),
        clean(hit.company),
        clean(hit.location),
        hit.postedAt ?? hit.addedAt.slice(0, 10),
        hit.status,
        ctx.io.stdout.isTTY === true && ctx.out.hyperlink(link) ? { content: jobId, href: link } : jobId,
      ];
    }),
    [false, true, true, true, true, false, false, false],
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
