import { setting } from '../../core/settings.js';
import type { ListingSource } from '../../jobs/job-source.js';
import type { ListedPosting, SourceSpec } from '../../jobs/model.js';
import {
  ATS_POLITENESS,
  pathOnBase,
  readBoardJson,
  readBoardListing,
  type BoardDeps,
} from '../common/board-listing.js';
import { parseGreenhouseBoard, parseGreenhouseJob } from './parse.js';

/** The polite client and the base URL (DJS_GREENHOUSE_URL) every Greenhouse request goes through. */
function greenhouseApi(deps: BoardDeps) {
  const base = setting(deps.env, 'DJS_GREENHOUSE_URL');
  return { client: deps.clients.for(base, ATS_POLITENESS), path: (path: string) => pathOnBase(base, path) };
}

/** A watched Greenhouse board: `GET /v1/boards/<board>/jobs?content=true`, every job in one answer. */
export function greenhouseSource(spec: SourceSpec, deps: BoardDeps): ListingSource {
  const api = greenhouseApi(deps);
  const path = api.path(`v1/boards/${encodeURIComponent(spec.name)}/jobs?content=true`);
  return {
    spec,
    list: (validators, signal) =>
      readBoardListing(api.client, path, validators, signal, (value) =>
        parseGreenhouseBoard(value, spec.name),
      ),
  };
}

/** One job of a board (`GET /v1/boards/<board>/jobs/<id>?content=true`), or null when it is gone. */
export async function readGreenhouseJob(
  board: string,
  id: string,
  deps: BoardDeps,
  signal: AbortSignal,
): Promise<ListedPosting | null> {
  const api = greenhouseApi(deps);
  const path = api.path(`v1/boards/${encodeURIComponent(board)}/jobs/${encodeURIComponent(id)}?content=true`);
  const answer = await readBoardJson(api.client, path, signal);
  return answer === null ? null : parseGreenhouseJob(answer.value, board);
}
