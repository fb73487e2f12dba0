import { setting } from '../../core/settings.js';
import type { HostPoliteness } from '../common/clients.js';
import { pathOnBase } from '../common/board-listing.js';
import { getJson } from '../common/json-listing.js';
import type { SourceFactory } from '../source-deps.js';
import { parseRemoteOk } from './parse.js';

/**
 * remoteok.com: one request a run, so 10 a minute is only a ceiling for retries. The whole feed (a few
 * hundred recent jobs with descriptions) is about 0.5 MB; 16 MB leaves room.
 */
const POLITENESS: HostPoliteness = { perMinute: 10, maxResponseBytes: 16 * 1024 * 1024 };

/**
 * `remoteok`: `GET /api` conditionally, the feed's recent jobs (not complete: a job that left the window
 * has not necessarily closed). Remote OK's terms ask whoever shows its jobs to name Remote OK and link
 * back to the job's page on it: every posting's link is that page.
 */
export const remoteOkSource: SourceFactory = (spec, deps) => {
  const base = setting(deps.env, 'DJS_REMOTEOK_URL');
  const client = deps.clients.for(base, POLITENESS);
  const path = pathOnBase(base, 'api');
  return {
    spec,
    async list(validators, signal) {
      const answer = await getJson(client, path, validators, signal);
      if (answer.kind !== 'json') return answer;
      return {
        kind: 'listing',
        postings: parseRemoteOk(answer.value),
        complete: false,
        validators: answer.validators,
      };
    },
  };
};
