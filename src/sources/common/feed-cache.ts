import type { Db } from '../../db/database.js';
import type { Validators } from '../../jobs/job-source.js';

/** A feed's last answer as the machine-wide cache keeps it (table feed_cache). */
export interface CachedFeed {
  value: unknown;
  validators: Validators;
  fetchedAt: Date;
}

/**
 * The last answer of a feed whose terms ask for few calls (Remotive: "max. 4 times a day"), shared by
 * every account on the machine: the feed is public and holds nothing of the person. Keyed by the full URL
 * asked, so a fake or mirror base URL never serves the real feed's answer. An entry that cannot be read
 * back (a body that is not JSON) counts as none.
 */
export function readFeedCache(db: Db, url: string): CachedFeed | null {
  const row = db
    .prepare('SELECT fetched_at, etag, last_modified, body FROM feed_cache WHERE url = ?')
    .get(url) as
    { fetched_at: string; etag: string | null; last_modified: string | null; body: Buffer } | undefined;
  if (!row) return null;
  const fetchedAt = new Date(row.fetched_at);
  if (Number.isNaN(fetchedAt.getTime())) return null;
  try {
    return {
      value: JSON.parse(row.body.toString('utf8')) as unknown,
      validators: { etag: row.etag, lastModified: row.last_modified },
      fetchedAt,
    };
  } catch {
    return null;
  }
}

/** Keeps `value` (already parsed and judged well formed) as the feed's answer at `fetchedAt`. */
export function writeFeedCache(
  db: Db,
  url: string,
  value: unknown,
  validators: Validators,
  fetchedAt: Date,
): void {
  db.prepare(
    `INSERT INTO feed_cache (url, fetched_at, etag, last_modified, body) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (url) DO UPDATE SET fetched_at = excluded.fetched_at, etag = excluded.etag,
       last_modified = excluded.last_modified, body = excluded.body`,
  ).run(
    url,
    fetchedAt.toISOString(),
    validators.etag,
    validators.lastModified,
    Buffer.from(JSON.stringify(value)),
  );
}

/** The feed answered 304 to the cache's validators: the kept answer is current as of `checkedAt`. */
export function touchFeedCache(db: Db, url: string, checkedAt: Date): void {
  db.prepare('UPDATE feed_cache SET fetched_at = ? WHERE url = ?').run(checkedAt.toISOString(), url);
}
