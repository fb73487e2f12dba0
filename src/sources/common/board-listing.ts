import type { Environment } from '../../core/settings.js';
import type { ListingResult, Validators } from '../../jobs/job-source.js';
import type { ListedPosting } from '../../jobs/model.js';
import type { PoliteClient } from '../../net/polite-client.js';
import type { HostPoliteness, SourceClients } from './clients.js';
import { getJson } from './json-listing.js';

/**
 * What a board's adapter uses of the registry's SourceDeps. Named here so that the kinds' modules need not
 * import the registry that loads them (a module cycle).
 */
export interface BoardDeps {
  clients: SourceClients;
  env: Environment;
}

/**
 * How djs reads the applicant-tracking APIs (Greenhouse, Lever, Ashby): at most one request a second per
 * host (a run needs one per watched board), and a body cap well above the largest real board (Stripe's
 * Greenhouse board is 4.1 MB, Ramp's Ashby board 2.1 MB) that still stops a runaway answer.
 */
export const ATS_POLITENESS: HostPoliteness = { perMinute: 60, maxResponseBytes: 32 * 1024 * 1024 };

/**
 * `path` under a source's base URL, as the polite client takes it (path and query on the base's origin).
 * The base may carry a path of its own (a fake serving every kind under its own prefix), so it is read as
 * a folder whether or not it ends in "/".
 */
export function pathOnBase(baseUrl: string, path: string): string {
  const folder = new URL(baseUrl);
  if (!folder.pathname.endsWith('/')) folder.pathname += '/';
  const url = new URL(path, folder);
  return url.pathname + url.search;
}

/** A watched board read in full, conditionally: unchanged, not found, or every open posting. */
export async function readBoardListing(
  client: PoliteClient,
  path: string,
  validators: Validators | null,
  signal: AbortSignal,
  parse: (value: unknown) => ListedPosting[],
): Promise<ListingResult> {
  const answer = await getJson(client, path, validators, signal);
  if (answer.kind !== 'json') return answer;
  return { kind: 'listing', postings: parse(answer.value), complete: true, validators: answer.validators };
}

/** One job or board read without validators: its JSON, or null when the board says it has no such thing. */
export async function readBoardJson(
  client: PoliteClient,
  path: string,
  signal: AbortSignal,
): Promise<{ value: unknown } | null> {
  const answer = await getJson(client, path, null, signal);
  // Without validators there is no 304: anything but JSON is "not found".
  return answer.kind === 'json' ? { value: answer.value } : null;
}
