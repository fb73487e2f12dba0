/**
 * Every place a job is listed (posting_links, migration 008): LinkedIn and the boards and feeds that list
 * the same job. `search --json` gives their URLs, `jobs show` each with its source, and any listing's
 * printable id finds the job.
 */
import type { Db } from '../db/database.js';
import type { PostingLink } from './model.js';

/** The listings of each posting (by job_postings row id), oldest first; a posting without any is absent. */
export function linksOf(db: Db, userId: number, postingIds: readonly number[]): Map<number, PostingLink[]> {
  const links = new Map<number, PostingLink[]>();
  if (postingIds.length === 0) return links;
  const rows = db
    .prepare(
      `SELECT posting_id AS postingId, source, source_job_id AS sourceJobId, board, url,
         first_seen_at AS firstSeenAt, last_seen_at AS lastSeenAt, closed_at AS closedAt
       FROM posting_links WHERE user_id = ? AND posting_id IN (SELECT value FROM json_each(?))
       ORDER BY first_seen_at, id`,
    )
    .all(userId, JSON.stringify(postingIds)) as Array<PostingLink & { postingId: number }>;
  for (const { postingId, ...link } of rows) {
    const list = links.get(postingId);
    if (list) list.push(link);
    else links.set(postingId, [link]);
  }
  return links;
}
