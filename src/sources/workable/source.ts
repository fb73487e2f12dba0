import { setting } from '../../core/settings.js';
import { ATS_POLITENESS, pathOnBase, readBoardListing } from '../common/board-listing.js';
import type { SourceFactory } from '../source-deps.js';
import { parseWorkableAccount } from './parse.js';

/**
 * `workable:<account>`: `GET /api/v1/widget/accounts/<account>?details=true`, every published job with its
 * description in one answer (complete), under the ATS politeness.
 */
export const workableSource: SourceFactory = (spec, deps) => {
  const base = setting(deps.env, 'DJS_WORKABLE_URL');
  const client = deps.clients.for(base, ATS_POLITENESS);
  const path = pathOnBase(base, `api/v1/widget/accounts/${encodeURIComponent(spec.name)}?details=true`);
  return {
    spec,
    list: (validators, signal) =>
      readBoardListing(client, path, validators, signal, (value) => parseWorkableAccount(value, spec.name)),
  };
};
