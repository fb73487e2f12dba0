import type { PoliteClient } from '../../net/polite-client.js';
import type { ListingResult, Validators } from '../../jobs/job-source.js';
import type { ListedPosting } from '../../jobs/model.js';
import { getJson } from './json-listing.js';

/**
 * ListingSource.list for a board or feed that answers everything in one JSON document (Recruitee,
 * Workable, Remote OK): one conditional GET of `path`, its JSON through `parse`. `complete`: whether the
 * answer is every open posting (a board) or a recent window (a feed).
 */
export function listInOneRequest(
  client: PoliteClient,
  path: string,
  parse: (value: unknown) => ListedPosting[],
  complete: boolean,
): (validators: Validators | null, signal: AbortSignal) => Promise<ListingResult> {
  return async (validators, signal) => {
    const answer = await getJson(client, path, validators, signal);
    if (answer.kind !== 'json') return answer;
    return { kind: 'listing', postings: parse(answer.value), complete, validators: answer.validators };
  };
}
