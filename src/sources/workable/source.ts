import { setting } from '../../core/settings.js';
import type { HostPoliteness } from '../common/clients.js';
import { pathUnder } from '../common/endpoint.js';
import { listInOneRequest } from '../common/one-request.js';
import type { SourceFactory } from '../source-deps.js';
import { parseWorkableAccount } from './parse.js';

/**
 * apply.workable.com: 60 a minute like the other ATS APIs; `details=true` brings every job's full
 * description in one answer, so 32 MB as for the largest Greenhouse and Ashby boards.
 */
const POLITENESS: HostPoliteness = { perMinute: 60, maxResponseBytes: 32 * 1024 * 1024 };

/** `workable:<account>`: `GET /api/v1/widget/accounts/<account>?details=true`, every published job (complete). */
export const openWorkable: SourceFactory = (spec, deps) => {
  const base = setting(deps.env, 'DJS_WORKABLE_URL');
  const client = deps.clients.for(base, POLITENESS);
  const path = pathUnder(base, `api/v1/widget/accounts/${encodeURIComponent(spec.name)}?details=true`);
  const parse = (value: unknown) => parseWorkableAccount(value, spec.name);
  return { spec, list: listInOneRequest(client, path, parse, true) };
};
