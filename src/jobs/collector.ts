import type { Clock } from '../core/clock.js';
import { forEachConcurrent } from '../core/pool.js';
import { CircuitOpenError, ResponseRefusedError } from '../net/errors.js';
import type { JobSource, JobType, Since } from './job-source.js';
import type { FoundLink } from './model.js';
import type { JobStore, RunCounts, SavedSearch } from './store.js';

export type Outcome = 'ok' | 'partial' | 'failed' | 'interrupted';

export interface CollectOptions {
  searches: SavedSearch[];
  perSearch: number;
  concurrency: number;
  since?: Since;
  remote?: boolean;
  jobType?: JobType;
  /** Also ask again for postings that failed for good (`update-db --retry-failed`). */
  retryFailed?: boolean;
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

/** Something the run could not do, even in its final pass. */
export type FailedItem =
  | { kind: 'search'; query: string; location: string; reason: string }
  | { kind: 'posting'; jobId: string; reason: string; failedForGood: boolean };

export interface CollectSummary extends CollectProgress {
  runId: number;
  durationMs: number;
  outcome: Outcome;
  failures: FailedItem[];
  /** Postings that failed on GIVE_UP_AFTER_RUNS runs, this one included: later runs skip them. */
  failedForGood: number;
}

export interface CollectDeps {
  store: JobStore;
  source: JobSource;
  clock: Clock;
  signal: AbortSignal;
  onProgress?: (progress: CollectProgress) => void;
  log?: (message: string) => void;
}

/** Runs (each with its own final pass) a posting may fail on before later runs stop asking for it. */
export const GIVE_UP_AFTER_RUNS = 3;
/**
 * Rounds of the final pass at most. A round runs only while the one before it recovered something, so a
 * posting that fails every time costs two tries per run, while a fault storm's stragglers get up to four.
 */
const FINAL_ROUNDS = 3;

/** A search that failed at the page starting at `start`. */
interface FailedSearch {
  search: SavedSearch;
  start: number;
  reason: string;
}

/** A search to page through from `start`: a saved search from 0, a retried one from the page that failed. */
interface SearchFrom {
  search: SavedSearch;
  start: number;
  retry: boolean;
}

/**
 * `update-db` (SPEC §7): page through every search, committing each page of links as it arrives, then
 * fetch the detail of every job that has no posting yet (this run's and earlier runs' leftovers),
 * committing each posting. Transient failures do not end the run: the failed pages and postings are
 * tried again in a final pass. What still fails stays pending for the next run, and a posting that has
 * failed on GIVE_UP_AFTER_RUNS runs is failed for good (skipped until `retryFailed`).
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
  // Failures the final pass tries again, and those it must not: a refused answer (too large, a redirect off
  // the origin) would be refused again, so asking twice only costs the site and us a request.
  let failedSearches: FailedSearch[] = [];
  let failedPostings = new Map<string, string>();
  const refusedSearches: FailedSearch[] = [];
  const refusedPostings = new Map<string, string>();
  const report = (): void => deps.onProgress?.({ ...progress });
  const stopping = (): boolean => signal.aborted || progress.blocked || source.stopped;
  /** The failure's reason, or null when it is no failure of the item (breaker open, interrupted). */
  const failureReason = (error: unknown): string | null => {
    if (error instanceof CircuitOpenError) {
      progress.blocked = true;
      return null;
    }
    return signal.aborted ? null : (error as Error).message;
  };

  const runSearch = async ({ search, start: from, retry }: SearchFrom): Promise<void> => {
    let start = from;
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
      const reason = failureReason(error);
      if (reason !== null) {
        (error instanceof ResponseRefusedError ? refusedSearches : failedSearches).push({
          search,
          start,
          reason,
        });
        progress.failedSearches++;
        progress.failed++;
      }
    } finally {
      if (!retry) progress.searchesDone++; // a retried search was counted when it first ran
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
      const reason = failureReason(error);
      if (reason !== null) {
        (error instanceof ResponseRefusedError ? refusedPostings : failedPostings).set(found.jobId, reason);
        progress.failedPostings++;
        progress.failed++;
      }
    } finally {
      progress.pending--;
      report();
    }
  };

  /** Pages through the searches, then fetches every posting still missing. */
  const pass = async (searches: SearchFrom[]): Promise<void> => {
    await forEachConcurrent(searches, options.concurrency, runSearch, stopping);
    const pending = stopping()
      ? []
      : store
          .pendingJobIds({ includeFailedForGood: options.retryFailed })
          .filter((found) => !refusedPostings.has(found.jobId));
    progress.pending = pending.length;
    report();
    await forEachConcurrent(pending, options.concurrency, fetchPosting, stopping);
  };

  let outcome: Outcome;
  let fatal: unknown = null;
  let failures: FailedItem[] = [];
  let failedForGood = 0;
  try {
    await pass(options.searches.map((search) => ({ search, start: 0, retry: false })));
    const retryable = (): number => failedSearches.length + failedPostings.size;
    for (let round = 1; round <= FINAL_ROUNDS && retryable() > 0 && !stopping(); round++) {
      const before = progress.failed;
      const retry = failedSearches.map(({ search, start }) => ({ search, start, retry: true }));
      deps.log?.(`Trying ${describeFailed(retry.length, failedPostings.size)} again (final pass).`);
      failedSearches = [];
      failedPostings = new Map();
      progress.failedSearches = refusedSearches.length;
      progress.failedPostings = refusedPostings.size;
      progress.failed = progress.failedSearches + progress.failedPostings;
      await pass(retry);
      if (progress.failed >= before) break;
    }
    const countsAgainstPostings = !signal.aborted && decideOutcome(progress, false) !== 'failed';
    const gaveUp = countsAgainstPostings
      ? store.recordPostingFailures([...failedPostings, ...refusedPostings], iso(), GIVE_UP_AFTER_RUNS)
      : new Set<string>();
    failedForGood = gaveUp.size;
    failures = [
      ...[...failedSearches, ...refusedSearches].map(({ search, reason }): FailedItem => ({
        kind: 'search',
        ...search,
        reason,
      })),
      ...[...failedPostings, ...refusedPostings].map(([jobId, reason]): FailedItem => ({
        kind: 'posting',
        jobId,
        reason,
        failedForGood: gaveUp.has(jobId),
      })),
    ];
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
    failures,
    failedForGood,
  };
  try {
    store.finishRun(runId, summary, outcome, iso(), fatal ? String((fatal as Error).message ?? fatal) : null);
  } catch (error) {
    fatal ??= error;
  }
  if (fatal) throw fatal;
  return summary;
}

/** "2 searches and 1 posting": what failed, in words. */
export function describeFailed(searches: number, postings: number): string {
  const parts = [
    searches > 0 ? `${searches} search${searches === 1 ? '' : 'es'}` : '',
    postings > 0 ? `${postings} posting${postings === 1 ? '' : 's'}` : '',
  ];
  return parts.filter(Boolean).join(' and ');
}

function decideOutcome(progress: CollectProgress, aborted: boolean): Outcome {
  if (aborted) return 'interrupted';
  const nothingWorked = progress.postingsFetched === 0 && progress.linksFound === 0;
  if (progress.failed > 0 && nothingWorked && !progress.blocked) return 'failed';
  if (progress.failed > 0 || progress.blocked) return 'partial';
  return 'ok';
}
