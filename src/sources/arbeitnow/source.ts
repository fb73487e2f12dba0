import { setting } from '../../core/settings.js';
import type { ListingResult, Validators } from '../../jobs/job-source.js';
import type { ListedPosting } from '../../jobs/model.js';
import type { HostPoliteness } from '../common/clients.js';
import { pathOnBase } from '../common/board-listing.js';
import { getJson } from '../common/json-listing.js';
import type { SourceFactory } from '../source-deps.js';
import { parseArbeitnowPage } from './parse.js';

/**
 * www.arbeitnow.com: at most MAX_PAGES requests a run, 30 a minute. A page of 100 jobs with descriptions
 * is about 0.5 MB; 8 MB leaves room.
 */
const POLITENESS: HostPoliteness = { perMinute: 30, maxResponseBytes: 8 * 1024 * 1024 };
/**
 * The newest 500 jobs a run: the feed is ordered by `created_at` and refreshed hourly, so a run a day
 * sees what is new without walking the whole archive ("please do not abuse").
 */
const MAX_PAGES = 5;

/**
 * `arbeitnow`: `GET /api/job-board-api?page=N` from page 1, following `links.next` up to MAX_PAGES (its
 * page number only, asked of the configured base URL). Page 1 is asked conditionally: the newest jobs
 * are on it, so an unchanged first page means nothing new. Not complete: a feed is a recent window.
 */
export const arbeitnowSource: SourceFactory = (spec, deps) => {
  const base = setting(deps.env, 'DJS_ARBEITNOW_URL');
  const client = deps.clients.for(base, POLITENESS);

  async function list(validators: Validators | null, signal: AbortSignal): Promise<ListingResult> {
    const postings = new Map<string, ListedPosting>();
    let firstValidators: Validators = { etag: null, lastModified: null };
    let page: number | null = 1;
    for (let read = 0; page !== null && read < MAX_PAGES; read++) {
      const path = pathOnBase(base, `api/job-board-api?page=${page}`);
      const answer = await getJson(client, path, read === 0 ? validators : null, signal);
      if (answer.kind === 'unchanged') return answer;
      if (answer.kind === 'not-found') {
        if (read === 0) return answer;
        break; // the feed shrank while it was read: the pages so far stand
      }
      if (read === 0) firstValidators = answer.validators;
      const parsed = parseArbeitnowPage(answer.value);
      for (const posting of parsed.postings) postings.set(posting.jobId, posting);
      // A next page that does not move forward would loop: stop there.
      page = parsed.next !== null && parsed.next > page ? parsed.next : null;
    }
    return {
      kind: 'listing',
      postings: [...postings.values()],
      complete: false,
      validators: firstValidators,
    };
  }

  return { spec, list };
};
