import { setting } from '../../core/settings.js';
import type { ListingResult, Validators } from '../../jobs/job-source.js';
import type { ListedPosting } from '../../jobs/model.js';
import type { HostPoliteness } from '../common/clients.js';
import { pathOnBase } from '../common/board-listing.js';
import { readFeedCache, touchFeedCache, writeFeedCache } from '../common/feed-cache.js';
import { getJson } from '../common/json-listing.js';
import type { SourceFactory } from '../source-deps.js';
import { parseRemotive } from './parse.js';

/**
 * remotive.com: its terms allow a few calls a day (at most 4, "excessive requests will be blocked"), so the
 * answer is cached for CACHE_HOURS and the rate is only a ceiling for retries. The whole feed, every job
 * with its description, runs to megabytes (35 jobs are 0.5 MB): 64 MB leaves room.
 */
const POLITENESS: HostPoliteness = { perMinute: 4, maxResponseBytes: 64 * 1024 * 1024 };
/** Four calls a day at most, however many accounts and runs the machine has. */
export const CACHE_HOURS = 6;

const sameValidators = (a: Validators, b: Validators | null): boolean =>
  b !== null &&
  (a.etag !== null || a.lastModified !== null) &&
  a.etag === b.etag &&
  a.lastModified === b.lastModified;

/**
 * `remotive`: `GET /api/remote-jobs`, through the machine-wide feed_cache: an answer younger than
 * CACHE_HOURS is reused without a request (by every account: it is public and holds nothing of the
 * person); an older one is revalidated with its own ETag / Last-Modified, and a 304 renews it. A person
 * whose last run read the very answer the cache holds (the same validators) gets "unchanged". Not
 * complete: a feed is a recent window.
 */
export const remotiveSource: SourceFactory = (spec, deps) => {
  const base = setting(deps.env, 'DJS_REMOTIVE_URL');
  const client = deps.clients.for(base, POLITENESS);
  const path = pathOnBase(base, 'api/remote-jobs');
  const url = client.resolve(path).href;

  /**
   * The validators of the feed's current answer and its jobs (read only when wanted: a person who has
   * seen the answer needs none), the cache's while it is fresh; null when the feed is not there.
   */
  async function currentFeed(
    signal: AbortSignal,
  ): Promise<{ validators: Validators; postings: () => ListedPosting[] } | null> {
    const now = deps.clock.now();
    const cached = readFeedCache(deps.db, url);
    const ageMs = cached ? now.getTime() - cached.fetchedAt.getTime() : Infinity;
    if (cached && ageMs >= 0 && ageMs < CACHE_HOURS * 3_600_000) {
      return { validators: cached.validators, postings: () => parseRemotive(cached.value) };
    }
    const answer = await getJson(client, path, cached?.validators ?? null, signal);
    if (answer.kind === 'not-found') return null;
    if (answer.kind === 'unchanged') {
      // Only the cache's validators were sent, so a 304 means its answer is still the feed's.
      if (!cached) throw new Error(`${url} answered 304 Not Modified to a request that was not conditional.`);
      touchFeedCache(deps.db, url, now);
      return { validators: cached.validators, postings: () => parseRemotive(cached.value) };
    }
    const postings = parseRemotive(answer.value); // a malformed answer throws here, before it is kept
    writeFeedCache(deps.db, url, answer.value, answer.validators, now);
    return { validators: answer.validators, postings: () => postings };
  }

  async function list(validators: Validators | null, signal: AbortSignal): Promise<ListingResult> {
    const feed = await currentFeed(signal);
    if (feed === null) return { kind: 'not-found' };
    if (sameValidators(feed.validators, validators)) return { kind: 'unchanged' };
    return { kind: 'listing', postings: feed.postings(), complete: false, validators: feed.validators };
  }

  return { spec, list };
};
