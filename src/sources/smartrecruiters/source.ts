import { setting } from '../../core/settings.js';
import type { ListingResult, Validators } from '../../jobs/job-source.js';
import type { ListedPosting } from '../../jobs/model.js';
import { ATS_POLITENESS, pathOnBase, readBoardJson } from '../common/board-listing.js';
import { getJson } from '../common/json-listing.js';
import type { SourceFactory } from '../source-deps.js';
import { parseSmartRecruitersPage, parseSmartRecruitersPosting } from './parse.js';

/** The API's largest page. */
const PAGE_SIZE = 100;
/** 5,000 postings: a company with more is read in part (not complete) rather than for minutes. */
const MAX_PAGES = 50;

const NO_VALIDATORS: Validators = { etag: null, lastModified: null };

/**
 * `smartrecruiters:<company>`: the company's postings page by page (`limit=100&offset=N`) until
 * `totalFound`, under the ATS politeness; the list has no ad text, so detail() reads one posting's ad for
 * the collector.
 *
 * Only the first page is asked conditionally: it carries `totalFound` and the newest postings, so an
 * unchanged first page is an unchanged board. A listing is complete only when every page arrived and
 * the total held still while they did (a posting added or removed mid-read shifts the pages, and one
 * could be missed and then wrongly closed); an incomplete listing returns no validators, so the next run
 * reads it in full rather than stopping at a 304 of its first page.
 */
export const smartRecruitersSource: SourceFactory = (spec, deps) => {
  const base = setting(deps.env, 'DJS_SMARTRECRUITERS_URL');
  const client = deps.clients.for(base, ATS_POLITENESS);
  const postingsPath = (suffix: string): string =>
    pathOnBase(base, `v1/companies/${encodeURIComponent(spec.name)}/postings${suffix}`);

  async function list(validators: Validators | null, signal: AbortSignal): Promise<ListingResult> {
    const postings = new Map<string, ListedPosting>();
    let offset = 0;
    let total: number | null = null;
    let steady = true;
    let firstValidators = NO_VALIDATORS;
    for (let page = 0; page < MAX_PAGES && (total === null || offset < total); page++) {
      const answer = await getJson(
        client,
        postingsPath(`?limit=${PAGE_SIZE}&offset=${offset}`),
        page === 0 ? validators : null,
        signal,
      );
      if (answer.kind === 'unchanged') return answer;
      if (answer.kind === 'not-found') {
        if (page === 0) return answer;
        steady = false; // the company vanished mid-read: keep what arrived, close nothing
        break;
      }
      if (page === 0) firstValidators = answer.validators;
      const parsed = parseSmartRecruitersPage(answer.value, spec.name);
      for (const posting of parsed.postings) postings.set(posting.jobId, posting);
      if (total !== null && parsed.totalFound !== total) steady = false;
      total = parsed.totalFound;
      if (parsed.itemCount === 0) break;
      offset += parsed.itemCount;
    }
    const complete = steady && total !== null && offset >= total;
    return {
      kind: 'listing',
      postings: [...postings.values()],
      complete,
      validators: complete ? firstValidators : NO_VALIDATORS,
    };
  }

  async function detail(posting: ListedPosting, signal: AbortSignal): Promise<ListedPosting | null> {
    const id = posting.jobId.slice('smartrecruiters:'.length);
    const answer = await readBoardJson(client, postingsPath(`/${encodeURIComponent(id)}`), signal);
    if (answer === null) return null;
    const full = parseSmartRecruitersPosting(answer.value, spec.name);
    // The detail is the listed posting plus its ad (and the pay stated there); the link stays the one the
    // listing gave, so a job keeps one URL whichever answer stored it.
    return { ...full, link: posting.link, applyUrl: full.applyUrl ?? posting.applyUrl };
  }

  return { spec, list, detail };
};
