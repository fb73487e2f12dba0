import type { ListingSource } from '../jobs/job-source.js';
import type { SourceKind, SourceSpec } from '../jobs/model.js';
import type { SourceDeps, SourceFactory } from './source-deps.js';

export type { SourceDeps, SourceFactory } from './source-deps.js';

/** Each kind's adapter, loaded when a run needs it. */
const FACTORIES: Partial<Record<SourceKind, () => Promise<SourceFactory>>> = {
  greenhouse: async () => (await import('./greenhouse/source.js')).greenhouseSource,
  lever: async () => (await import('./lever/source.js')).leverSource,
  ashby: async () => (await import('./ashby/source.js')).ashbySource,
  smartrecruiters: async () => (await import('./smartrecruiters/source.js')).smartRecruitersSource,
  recruitee: async () => (await import('./recruitee/source.js')).recruiteeSource,
  workable: async () => (await import('./workable/source.js')).workableSource,
  remotive: async () => (await import('./remotive/source.js')).remotiveSource,
  arbeitnow: async () => (await import('./arbeitnow/source.js')).arbeitnowSource,
  remoteok: async () => (await import('./remoteok/source.js')).remoteOkSource,
};

/** The adapter that reads `spec` (a watched board or a feed). */
export async function openListingSource(spec: SourceSpec, deps: SourceDeps): Promise<ListingSource> {
  const load = FACTORIES[spec.kind];
  if (!load) throw new Error(`djs cannot read ${spec.kind} yet.`);
  return (await load())(spec, deps);
}
