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
import { parseLeverPosting, parseLeverPostings } from './parse.js';

/**
 * Lever keeps the sites of its EU customers on a separate API host (api.eu.lever.co), and api.lever.co
 * answers 404 for them: every request is tried on DJS_LEVER_URL first, then on DJS_LEVER_EU_URL when the
 * first says "not found". The two hosts are two polite clients, each at its own rate.
 */
function leverHosts(deps: BoardDeps) {
  return [setting(deps.env, 'DJS_LEVER_URL'), setting(deps.env, 'DJS_LEVER_EU_URL')].map((base) => ({
    client: deps.clients.for(base, ATS_POLITENESS),
    path: (path: string) => pathOnBase(base, path),
  }));
}

/** A watched Lever site: `GET /v0/postings/<site>?mode=json`, every posting in one answer. */
export function leverSource(spec: SourceSpec, deps: BoardDeps): ListingSource {
  const hosts = leverHosts(deps);
  const path = `v0/postings/${encodeURIComponent(spec.name)}?mode=json`;
  const parse = (value: unknown) => parseLeverPostings(value, spec.name);
  return {
    spec,
    async list(validators, signal) {
      for (const host of hosts) {
        const result = await readBoardListing(host.client, host.path(path), validators, signal, parse);
        if (result.kind !== 'not-found') return result;
      }
      return { kind: 'not-found' };
    },
  };
}

/** One posting of a site (`GET /v0/postings/<site>/<id>?mode=json`), or null when neither host has it. */
export async function readLeverPosting(
  site: string,
  id: string,
  deps: BoardDeps,
  signal: AbortSignal,
): Promise<ListedPosting | null> {
  const path = `v0/postings/${encodeURIComponent(site)}/${encodeURIComponent(id)}?mode=json`;
  for (const host of leverHosts(deps)) {
    const answer = await readBoardJson(host.client, host.path(path), signal);
    if (answer !== null) return parseLeverPosting(answer.value, site);
  }
  return null;
}
