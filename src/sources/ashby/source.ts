import { setting } from '../../core/settings.js';
import type { ListingSource } from '../../jobs/job-source.js';
import type { ListedPosting, SourceSpec } from '../../jobs/model.js';
import { listingId } from '../common/listed-posting.js';
import {
  ATS_POLITENESS,
  pathOnBase,
  readBoardJson,
  readBoardListing,
  type BoardDeps,
} from '../common/board-listing.js';
import { parseAshbyBoard } from './parse.js';

/** The polite client (on DJS_ASHBY_URL) and the path of a board's listing, pay included. */
function ashbyBoard(board: string, deps: BoardDeps) {
  const base = setting(deps.env, 'DJS_ASHBY_URL');
  return {
    client: deps.clients.for(base, ATS_POLITENESS),
    path: pathOnBase(base, `posting-api/job-board/${encodeURIComponent(board)}?includeCompensation=true`),
  };
}

/** A watched Ashby board: `GET /posting-api/job-board/<board>?includeCompensation=true`, every job at once. */
export function ashbySource(spec: SourceSpec, deps: BoardDeps): ListingSource {
  const { client, path } = ashbyBoard(spec.name, deps);
  return {
    spec,
    list: (validators, signal) =>
      readBoardListing(client, path, validators, signal, (value) => parseAshbyBoard(value, spec.name)),
  };
}

/** One job of a board, found in the board's listing (Ashby's public API has no single-job endpoint). */
export async function readAshbyJob(
  board: string,
  id: string,
  deps: BoardDeps,
  signal: AbortSignal,
): Promise<ListedPosting | null> {
  const { client, path } = ashbyBoard(board, deps);
  const answer = await readBoardJson(client, path, signal);
  if (answer === null) return null;
  const jobId = listingId('ashby', id);
  return parseAshbyBoard(answer.value, board).find((posting) => posting.jobId === jobId) ?? null;
}
