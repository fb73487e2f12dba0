import type { Clock } from '../core/clock.js';
import { forEachConcurrent } from '../core/pool.js';
import { CircuitOpenError } from '../net/errors.js';
import type { JobSource, JobType, Since } from '../sources/job-source.js';
import type { FoundLink, JobStore, RunCounts, SavedSearch } from './job-store.js';

export type Outcome = 'ok' | 'partial' | 'failed' | 'interrupted';

export interface CollectOptions {
  searches: SavedSearch[];
  perSearch: number;
  concurrency: number;
  since?: Since;
  remote?: boolean;
  jobType?: JobType;
}

export interface CollectProgress extends RunCounts {
  searchesTotal: number;
  searchesDone: number;
  pending: number;
  failedSearches: number;
  failedPostings: number;
  /** Jobs whose detail page the source no longer serves (taken down): not failures. */
  gone: number;
  startedAt: number;
}

export interface CollectSummary extends CollectProgress {
  runId: number;
  durationMs: number;
  outcome: Outcome;
}

export interface CollectDeps {
  store: JobStore;
  source: JobSource;
  clock: Clock;
  signal: AbortSignal;
  onProgress?: (progress: CollectProgress) => void;
  log?: (message: string) => void;
}

/**
 * `update-db` (SPEC §7): page through every search, committing each page of links as it arrives, then
 * fetch the detail of every job that has no posting yet (this run's and earlier runs' leftovers),
 * committing each posting. A failure costs only the item that failed: it stays pending for the next run.
 */
export async function collect(deps: CollectDeps, options: CollectOptions): Promise<CollectSummary> {
  const { store, source, clock, signal } = deps;
  const iso = (): string => clock.now().toISOString();
  const startedAt = clock.now().getTime();
  const runId = store.startRun(iso());
  const progress: CollectProgress = {
    searches: options.searches.length,
    searchesTotal: options.searches.length,
    searchesDone: 0,
    linksFound: 0,
    newLinks: 0,
    postingsFetched: 0,
    failed: 0,
    failedSearches: 0,
    failedPostings: 0,
    gone: 0,
    pending: 0,
    blocked: false,
    sheetRowsAppended: 0,
    startedAt,
  };
  const report = (): void => deps.onProgress?.({ ...progress });
  const stopping = (): boolean => signal.aborted || progress.blocked || source.stopped;
  const noteFailure = (what: string, error: unknown): void => {
    if (error instanceof CircuitOpenError) {
      progress.blocked = true;
      return;
    }
    if (signal.aborted) return;
    deps.log?.(`${what} failed: ${(error as Error).message}`);
  };

  const runSearch = async (search: SavedSearch): Promise<void> => {
    let start = 0;
    try {
      while (start < options.perSearch && !stopping()) {
        const result = await source.search(
          {
            query: search.query,
            location: search.location,
            start,
            since: options.since,
            remote: options.remote,
            jobType: options.jobType,
          },
          signal,
        );
        if (result.kind === 'blocked') {
          progress.blocked = true;
          deps.log?.(
            `LinkedIn showed its sign-in wall for "${search.query}" in "${search.location}"; stopping.`,
          );
          return;
        }
        if (result.links.length === 0) break;
        const links = result.links.slice(0, options.perSearch - start);
        progress.newLinks += store.saveLinks(links, search.query, search.location, iso());
        progress.linksFound += links.length;
        start += result.links.length;
        report();
      }
    } catch (error) {
      noteFailure(`Search "${search.query}" in "${search.location}"`, error);
      if (!(error instanceof CircuitOpenError) && !signal.aborted) {
        progress.failedSearches++;
        progress.failed++;
      }
    } finally {
      progress.searchesDone++;
      report();
    }
  };

  const fetchPosting = async (found: FoundLink): Promise<void> => {
    try {
      const result = await source.detail(found, signal);
      if (result.kind === 'blocked') {
        progress.blocked = true;
        return;
      }
      if (result.kind === 'gone') {
        store.markGone(found.jobId, iso());
        progress.gone++;
        deps.log?.(`Job ${found.jobId} is no longer on LinkedIn; it will not be asked for again.`);
        return;
      }
      store.savePosting(result.posting, iso());
      progress.postingsFetched++;
    } catch (error) {
      noteFailure(`Posting ${found.jobId}`, error);
      if (!(error instanceof CircuitOpenError) && !signal.aborted) {
        progress.failedPostings++;
        progress.failed++;
      }
    } finally {
      progress.pending--;
      report();
    }
  };

  let outcome: Outcome;
  let fatal: unknown = null;
  try {
    await forEachConcurrent(options.searches, options.concurrency, runSearch, stopping);
    const pending = stopping() ? [] : store.pendingJobIds();
    progress.pending = pending.length;
    report();
    await forEachConcurrent(pending, options.concurrency, fetchPosting, stopping);
    outcome = decideOutcome(progress, signal.aborted);
  } catch (error) {
    // Only the database can fail here (the work callbacks catch their own errors): record and rethrow.
    fatal = error;
    outcome = 'failed';
  }
  const summary: CollectSummary = {
    ...progress,
    runId,
    durationMs: clock.now().getTime() - startedAt,
    outcome,
  };
  try {
    store.finishRun(runId, summary, outcome, iso(), fatal ? String((fatal as Error).message ?? fatal) : null);
  } catch (error) {
    fatal ??= error;
  }
  if (fatal) throw fatal;
  return summary;
}

function decideOutcome(progress: CollectProgress, aborted: boolean): Outcome {
  if (aborted) return 'interrupted';
  const nothingWorked = progress.postingsFetched === 0 && progress.linksFound === 0;
  if (progress.failed > 0 && nothingWorked && !progress.blocked) return 'failed';
  if (progress.failed > 0 || progress.blocked) return 'partial';
  return 'ok';
}
