import type { ListingSource } from '../jobs/job-source.js';
import type { SourceKind, SourceSpec } from '../jobs/model.js';
import type { SourceDeps, SourceFactory } from './source-deps.js';

export type { SourceDeps, SourceFactory } from './source-deps.js';

/** Each kind's adapter, loaded when a run needs it. */
const FACTORIES: Partial<Record<SourceKind, () => Promise<SourceFactory>>> = {};

/** The adapter that reads `spec` (a watched board or a feed). */
export async function openListingSource(spec: SourceSpec, deps: SourceDeps): Promise<ListingSource> {
  const load = FACTORIES[spec.kind];
  if (!load) throw new Error(`djs cannot read ${spec.kind} yet.`);
  return (await load())(spec, deps);
}
