import { UsageError } from '../../core/errors.js';
import { setting } from '../../core/settings.js';
import type { HostPoliteness } from '../common/clients.js';
import { pathUnder } from '../common/endpoint.js';
import { listInOneRequest } from '../common/one-request.js';
import type { SourceFactory } from '../source-deps.js';
import { parseRecruiteeOffers } from './parse.js';

/**
 * <company>.recruitee.com: each company is its own host, read once a run; 60 a minute like the other
 * ATS APIs. The offers arrive with their full descriptions in one answer: 32 MB, as for the largest
 * Greenhouse and Ashby boards.
 */
const POLITENESS: HostPoliteness = { perMinute: 60, maxResponseBytes: 32 * 1024 * 1024 };

/** One DNS label: what `<company>.recruitee.com` allows, and all a name may be before it becomes a host. */
const HOST_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * `recruitee:<company>`: `GET <DJS_RECRUITEE_URL with {company}>/api/offers/`, every published offer
 * (complete). The company's name becomes a host label on the real site, so anything but letters, digits
 * and inner hyphens is refused (exit 2) before a request is made.
 */
export const openRecruitee: SourceFactory = (spec, deps) => {
  const company = spec.name.toLowerCase();
  if (!HOST_LABEL.test(company)) {
    throw new UsageError(
      `"recruitee:${spec.name}": a Recruitee company name has only letters, digits and inner "-" (it is the first part of <company>.recruitee.com).`,
    );
  }
  const base = setting(deps.env, 'DJS_RECRUITEE_URL').replaceAll('{company}', company);
  const client = deps.clients.for(base, POLITENESS);
  const parse = (value: unknown) => parseRecruiteeOffers(value, spec.name);
  return { spec, list: listInOneRequest(client, pathUnder(base, 'api/offers/'), parse, true) };
};
