import { UsageError } from '../../core/errors.js';
import { setting } from '../../core/settings.js';
import { ATS_POLITENESS, pathOnBase, readBoardListing } from '../common/board-listing.js';
import type { SourceFactory } from '../source-deps.js';
import { parseRecruiteeOffers } from './parse.js';

/** One DNS label: what `<company>.recruitee.com` allows, and all a name may be before it becomes a host. */
const HOST_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * `recruitee:<company>`: `GET <DJS_RECRUITEE_URL with {company}>/api/offers/`, every published offer with
 * its description in one answer (complete), under the ATS politeness (each company is a host of its own).
 * The company's name becomes a host label on the real site, so anything but letters, digits and inner
 * hyphens is refused (exit 2) before a request is made.
 */
export const recruiteeSource: SourceFactory = (spec, deps) => {
  const company = spec.name.toLowerCase();
  if (!HOST_LABEL.test(company)) {
    throw new UsageError(
      `"recruitee:${spec.name}": a Recruitee company name has only letters, digits and inner "-" (it is the first part of <company>.recruitee.com).`,
    );
  }
  const base = setting(deps.env, 'DJS_RECRUITEE_URL').replaceAll('{company}', company);
  const client = deps.clients.for(base, ATS_POLITENESS);
  const path = pathOnBase(base, 'api/offers/');
  return {
    spec,
    list: (validators, signal) =>
      readBoardListing(client, path, validators, signal, (value) => parseRecruiteeOffers(value, spec.name)),
  };
};
