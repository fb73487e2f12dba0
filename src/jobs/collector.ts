import type { Clock } from '../core/clock.js';
import { boardJobFromUrl, boardJobKey, type BoardJob } from '../core/job-identity.js';
import { forEachConcurrent } from '../core/pool.js';
import { CircuitOpenError, ResponseRefusedError } from '../net/errors.js';
import type { JobSource, JobType, Since } from './job-source.js';
import { formatSourceSpec, type FoundLink, type ListedPosting } from './model.js';
import {
  readSources,
  type SourceFailure,
  type SourceProgress,
  type SourceReading,
} from './source-collection.js';
import type { JobStore, RunCounts, SavedSearch } from './store.js';

export type Outcome = 'ok' | 'partial' | 'failed' | 'interrupted';

export interface CollectOptions {
  /** LinkedIn's searches this run (none when `--source` leaves LinkedIn out). */
  searches: SavedSearch[];
  /** What a feed's postings must match: the saved searches, or the -q/-l given. */
  feedSearches?: SavedSearch[];
  perSearch: number;
  concurrency: number;
  since?: Since;
  remote?: boolean;
  jobType?: JobType;
  /** Also ask again for postings that failed for good (`update-db --retry-failed`). */
  retryFailed?: boolean;
}

export interface CollectProgress extends RunCounts, SourceProgress {
  searchesTotal: number;
  searchesDone: number;
  pending: number;
  failedSearches: number;
  failedPostings: number;
  /** Jobs whose detail page the source no longer serves (taken down): not failures. */
  gone: number;
  /** Board postings read because a LinkedIn posting's apply link named them. */
  applyLinksRead: number;
  startedAt: number;
}

/** Something the run could not do, even in its final pass. */
export type FailedItem =
  | { kind: 'search'; query: string; location: string; reason: string }
  | { kind: 'posting'; jobId: string; reason: string; failedForGood: boolean }
  | SourceFailure;

export interface CollectSummary extends CollectProgress {
  runId: number;
  durationMs: number;
  outcome: Outcome;
  failures: FailedItem[];
  /** Postings that failed on GIVE_UP_AFTER_RUNS runs, this one included: later runs skip them. */
  failedForGood: number;
  /** `greenhouse:<board>` … for the boards LinkedIn's apply links pointed at that the user does not watch. */
  watchSuggestions: string[];
}

export interface CollectDeps {
  store: JobStore;
  source: JobSource;
  clock: Clock;
  signal: AbortSignal;
  /** The watched boards and feeds to read alongside LinkedIn (on other hosts, so at the same time). */
  sources?: SourceReading;
  /** Reads the board job a LinkedIn posting's apply link names (sources/board-job.ts). */
  readBoardJob?: (job: BoardJob, signal: AbortSignal) => Promise<ListedPosting | null>;
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
    applyLinksRead: 0,
    pending: 0,
    blocked: false,
    sheetRowsAppended: 0,
    sourcesTotal: deps.sources?.specs.length ?? 0,
    sourcesDone: 0,
    sources: 0,
    sourcesUnchanged: 0,
    sourcePostingsNew: 0,
    postingsClosed: 0,
    failedSources: 0,
    skippedBlocked: 0,
    startedAt,
  };
  // LinkedIn postings whose search card names a blocked company: never fetched in detail.
  const isBlocked = store.listings.blockedCompanies();
  const skipDetail = new Set<string>();
  // The board jobs this run's LinkedIn postings apply at: read from the board, offered for watching.
  const applyJobs: BoardJob[] = [];
  // Failures the final pass tries again, and those it must not: a refused answer (too large, a redirect off
  // the origin) would be refused again, so asking twice only costs the site and us a request.
  let failedSearches: FailedSearch[] = [];
  let failedPostings = new Map<string, string>();
  const refusedSearches: FailedSearch[] = [];
  const refusedPostings = new Map<string, string>();
  const report = (): void => {
    progress.failed = progress.failedSearches + progress.failedPostings + progress.failedSources;
    deps.onProgress?.({ ...progress });
  };
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
        const wanted = links.filter((link) => !isBlocked(link.company));
        for (const link of links) if (!wanted.includes(link)) skipDetail.add(link.jobId);
        progress.skippedBlocked += links.length - wanted.length;
        progress.newLinks += store.saveLinks(wanted, search.query, search.location, iso());
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
      const applyJob = boardJobFromUrl(result.posting.applyUrl);
      if (applyJob) applyJobs.push(applyJob);
    } catch (error) {
      const reason = failureReason(error);
      if (reason !== null) {
        (error instanceof ResponseRefusedError ? refusedPostings : failedPostings).set(found.jobId, reason);
        progress.failedPostings++;
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
          .filter((found) => !refusedPostings.has(found.jobId) && !skipDetail.has(found.jobId));
    progress.pending = pending.length;
    report();
    await forEachConcurrent(pending, options.concurrency, fetchPosting, stopping);
  };

  /** LinkedIn: the searches, their postings, and a final pass over what failed. */
  const collectLinkedIn = async (): Promise<void> => {
    if (options.searches.length === 0) return;
    await pass(options.searches.map((search) => ({ search, start: 0, retry: false })));
    const retryable = (): number => failedSearches.length + failedPostings.size;
    for (let round = 1; round <= FINAL_ROUNDS && retryable() > 0 && !stopping(); round++) {
      const before = retryable() + refusedSearches.length + refusedPostings.size;
      const retry = failedSearches.map(({ search, start }) => ({ search, start, retry: true }));
      deps.log?.(`Trying ${describeFailed(retry.length, failedPostings.size)} again (final pass).`);
      failedSearches = [];
      failedPostings = new Map();
      progress.failedSearches = refusedSearches.length;
      progress.failedPostings = refusedPostings.size;
      report();
      await pass(retry);
      if (progress.failedSearches + progress.failedPostings >= before) break;
    }
  };

  /** The board jobs LinkedIn's apply links named that no link holds yet, read from their boards. */
  const readApplyLinks = async (read: NonNullable<CollectDeps['readBoardJob']>): Promise<void> => {
    const unread = new Map(
      applyJobs
        .filter((job) => !store.listings.isStored(boardJobKey(job)))
        .map((job) => [boardJobKey(job), job]),
    );
    const readOne = async (job: BoardJob): Promise<void> => {
      try {
        const posting = await read(job, signal);
        if (posting === null) return;
        store.listings.record(posting, job.board, iso());
        progress.applyLinksRead++;
      } catch (error) {
        // A courtesy on top of the LinkedIn posting, which is stored: the run does not fail for it.
        if (!signal.aborted) deps.log?.(`Could not read ${boardJobKey(job)}: ${(error as Error).message}`);
      }
    };
    await forEachConcurrent([...unread.values()], options.concurrency, readOne, () => signal.aborted);
  };

  let outcome: Outcome;
  let fatal: unknown = null;
  let failures: FailedItem[] = [];
  let failedForGood = 0;
  let watchSuggestions: string[] = [];
  try {
    const parts = await Promise.allSettled([
      collectLinkedIn(),
      deps.sources
        ? readSources({
            reading: deps.sources,
            listings: store.listings,
            searches: options.feedSearches ?? options.searches,
            concurrency: options.concurrency,
            progress,
            signal,
            now: iso,
            report,
            finalRounds: FINAL_ROUNDS,
            log: deps.log,
          })
        : Promise.resolve([]),
    ]);
    const broken = parts.find((part): part is PromiseRejectedResult => part.status === 'rejected');
    if (broken) throw broken.reason;
    const sourceFailures = parts[1].status === 'fulfilled' ? parts[1].value : [];
    if (deps.readBoardJob && !signal.aborted) await readApplyLinks(deps.readBoardJob);
    watchSuggestions = unwatchedBoards(applyJobs, deps.sources?.watched.specs().map(formatSourceSpec) ?? []);
    report();
    // A run where LinkedIn answered nothing at all (the network is down) says nothing about a posting.
    const linkedInAnswered = progress.blocked || progress.postingsFetched > 0 || progress.linksFound > 0;
    const countsAgainstPostings = !signal.aborted && linkedInAnswered;
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
      ...sourceFailures,
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
    watchSuggestions,
  };
  try {
    store.finishRun(runId, summary, outcome, iso(), fatal ? String((fatal as Error).message ?? fatal) : null);
  } catch (error) {
    fatal ??= error;
  }
  if (fatal) throw fatal;
  return summary;
}

/** "2 searches, 1 posting and 1 source": what failed, in words. */
export function describeFailed(searches: number, postings: number, sources = 0): string {
  const parts = [
    searches > 0 ? `${searches} search${searches === 1 ? '' : 'es'}` : '',
    postings > 0 ? `${postings} posting${postings === 1 ? '' : 's'}` : '',
    sources > 0 ? `${sources} source${sources === 1 ? '' : 's'}` : '',
  ].filter(Boolean);
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : (parts[0] ?? '');
}

/** `greenhouse:<board>` for each board the apply links named, once, unless it is among `watched`. */
function unwatchedBoards(jobs: readonly BoardJob[], watched: readonly string[]): string[] {
  const known = new Set(watched.map((spec) => spec.toLowerCase()));
  const specs = jobs.flatMap((job) => (job.board === null ? [] : [`${job.kind}:${job.board}`]));
  return [...new Set(specs)].filter((spec) => !known.has(spec));
}

function decideOutcome(progress: CollectProgress, aborted: boolean): Outcome {
  if (aborted) return 'interrupted';
  const nothingWorked = progress.postingsFetched === 0 && progress.linksFound === 0 && progress.sources === 0;
  if (progress.failed > 0 && nothingWorked && !progress.blocked) return 'failed';
  if (progress.failed > 0 || progress.blocked) return 'partial';
  return 'ok';
}
