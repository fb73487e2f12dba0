import type { Db } from '../db/database.js';
import { hiddenPostingIds, visibilityConditions } from './posting-filters.js';
import {
  HIT_COLUMNS,
  hitFromRow,
  parseIdList,
  SearchService,
  withLinks,
  type PageRow,
  type SearchHit,
} from './search.js';

/** What a posting must be to count as new: never shown by `djs review`, and not yet given a status. */
const NEW = "user_id = ? AND status = 'new' AND seen_at IS NULL";

/**
 * The new postings that are shown at all (not from a blocked company, not closed: posting-filters.ts):
 * the SQL and its parameters.
 */
function shownNewPostings(db: Db, userId: number): { where: string; params: unknown[] } {
  const hidden = visibilityConditions(db, userId);
  return {
    where: [NEW, ...hidden.map((c) => c.sql)].join(' AND '),
    params: [userId, ...hidden.flatMap((c) => c.params)],
  };
}

/**
 * The postings a person has not looked at yet (issue 13), ranked as `djs search` ranks: postings that
 * mention some of the person's keywords first (score, relevance, newest), then the others, newest first.
 * Without keywords, simply newest first.
 */
export class NewPostings {
  constructor(
    private readonly db: Db,
    private readonly userId: number,
  ) {}

  count(): number {
    const hidden = hiddenPostingIds(this.db, this.userId);
    if (hidden === null) {
      return this.db
        .prepare(`SELECT count(*) FROM job_postings WHERE ${NEW}`)
        .pluck()
        .get(this.userId) as number;
    }
    // The new postings' ids from their index, less the hidden ones: a NOT IN condition would cost SQLite a
    // look-up per new posting in each hidden set (77 ms instead of 20 at 100k new postings, 20k hidden).
    const ids = parseIdList(
      this.db
        .prepare(`SELECT group_concat(id) FROM job_postings INDEXED BY idx_job_postings_unseen WHERE ${NEW}`)
        .pluck()
        .get(this.userId) as string | null,
    );
    return ids.reduce((count, id) => (hidden.has(id) ? count : count + 1), 0);
  }

  /** The first `limit` new postings, best first; those matching no keyword have score 0. */
  ranked(keywords: string[], limit: number): SearchHit[] {
    const matching =
      keywords.length === 0
        ? []
        : new SearchService(this.db, this.userId).search({ keywords, status: 'new', unseen: true, limit })
            .hits;
    if (matching.length === limit) return matching;
    // Fewer than `limit` postings match a keyword: all of them are in `matching`, the rest follow.
    const { where, params } = shownNewPostings(this.db, this.userId);
    const rest = this.db
      .prepare(
        `SELECT ${HIT_COLUMNS} FROM job_postings INDEXED BY idx_job_postings_unseen
         WHERE ${where} AND id NOT IN (SELECT value FROM json_each(?))
         ORDER BY coalesce(posted_date, substr(added_at, 1, 10)) DESC, added_at DESC, id DESC LIMIT ?`,
      )
      .all(
        ...params,
        JSON.stringify(matching.map((hit) => hit.postingId)),
        limit - matching.length,
      ) as PageRow[];
    const others = withLinks(
      this.db,
      this.userId,
      rest.map((row) => hitFromRow(row, 0, [], 0)),
    );
    return [...matching, ...others];
  }

  /**
   * New postings stored after `afterPostingId` (by one update-db run) that mention some of the keywords:
   * how many, and which keywords they mention (in the person's order).
   */
  matchingSince(keywords: string[], afterPostingId: number): { count: number; keywords: string[] } {
    if (keywords.length === 0) return { count: 0, keywords: [] };
    const result = new SearchService(this.db, this.userId).search({
      keywords,
      status: 'new',
      unseen: true,
      afterPostingId,
      limit: 1000,
    });
    const found = new Set(result.hits.flatMap((hit) => hit.matchedKeywords));
    return { count: result.matched, keywords: keywords.filter((keyword) => found.has(keyword)) };
  }

  /** The highest posting id of the user so far (0 for none): postings stored later have higher ids. */
  lastPostingId(): number {
    return (
      (this.db.prepare('SELECT max(id) FROM job_postings WHERE user_id = ?').pluck().get(this.userId) as
        number | null) ?? 0
    );
  }

  /** Marks a posting as shown; the first time counts (seen_at keeps when it was first seen). */
  markSeen(postingId: number, at: string): void {
    this.db
      .prepare('UPDATE job_postings SET seen_at = ? WHERE id = ? AND user_id = ? AND seen_at IS NULL')
      .run(at, postingId, this.userId);
  }
}
