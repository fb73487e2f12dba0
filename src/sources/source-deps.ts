import type { Clock } from '../core/clock.js';
import type { Environment } from '../core/settings.js';
import type { Db } from '../db/database.js';
import type { ListingSource } from '../jobs/job-source.js';
import type { SourceSpec } from '../jobs/model.js';
import type { SourceClients } from './common/clients.js';

/**
 * What every board and feed adapter is made with, apart from the registry that loads the adapters: an
 * adapter imports these types from here, since importing them from the registry would be a module cycle.
 */
export interface SourceDeps {
  clients: SourceClients;
  env: Environment;
  clock: Clock;
  /** For the feeds whose answers are cached machine-wide (feed_cache). */
  db: Db;
}

export type SourceFactory = (spec: SourceSpec, deps: SourceDeps) => ListingSource;
