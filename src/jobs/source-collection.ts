import { foldCase } from '../core/fold-case.js';
import { forEachConcurrent } from '../core/pool.js';
import type { ListingSource } from './job-source.js';
import type { Listings } from './listings.js';
import { formatSourceSpec, isFeedKind, type ListedPosting, type SourceSpec } from './model.js';
import type { SavedSearch } from './store.js';
import type { WatchedSources } from './watched-sources.js';

/** What the collector needs to read the watched boards and feeds. */
export interface SourceReading {
  /** The sources this run reads (every watched one, or those `--source` names). */
  specs: SourceSpec[];
  /** The adapter for a source (sources/registry.ts openListingSource, or a test's own). */
  open: (spec: SourceSpec) => Promise<ListingSource>;
  watched: WatchedSources;
}

/** The counts the sources add to a run's progress. */
export interface SourceProgress {
  sourcesTotal: number;
  sourcesDone: number;
  /** Sources that answered (changed or not): update_runs.sources. */
  sources: number;
  /** Sources that answered "304 Not Modified": one request, nothing written. */
  sourcesUnchanged: number;
  /** Listings new to the user: a new job or a new link of a stored one. */
  sourcePostingsNew: number;
  /** Listings gone from their board this run. */
  postingsClosed: number;
  failedSources: number;
  /** Postings of blocked companies, left out before any detail request. */
  skippedBlocked: number;
}

export interface SourceFailure {
  kind: 'source';
  source: string;
  reason: string;
  /** The board does not exist (not retried). */
  notFound: boolean;
}

interface ReadContext {
  reading: SourceReading;
  listings: Listings;
  /** Feed postings are kept when they match one of these. */
  searches: SavedSearch[];
  concurrency: number;
  progress: SourceProgress;
  signal: AbortSignal;
  now: () => string;
  report: () => void;
  /** How many rounds the final pass may retry a source that threw. */
  finalRounds: number;
  log?: (message: string) => void;
}

/**
 * Reads every source once, then retries those that threw (not a missing board) in a final pass while a
 * round recovers something. Returns what still failed. A failing source never stops the others.
 */
export async function readSources(context: ReadContext): Promise<SourceFailure[]> {
  const { reading, progress, signal } = context;
  let failed: SourceFailure[] = [];
  const notFound: SourceFailure[] = [];
  const readOne = async (spec: SourceSpec, retry: boolean): Promise<void> => {
    const name = formatSourceSpec(spec);
    try {
      const outcome = await readSource(spec, context);
      if (outcome === 'not-found') {
        const reason = 'no such board';
        notFound.push({ kind: 'source', source: name, reason, notFound: true });
        reading.watched.failed(spec, reason, context.now());
        progress.failedSources++;
      }
    } catch (error) {
      if (!signal.aborted) {
        const reason = (error as Error).message;
        failed.push({ kind: 'source', source: name, reason, notFound: false });
        reading.watched.failed(spec, reason, context.now());
        progress.failedSources++;
      }
    } finally {
      if (!retry) progress.sourcesDone++;
      context.report();
    }
  };
  await forEachConcurrent(
    reading.specs,
    context.concurrency,
    (spec) => readOne(spec, false),
    () => signal.aborted,
  );
  for (let round = 1; round <= context.finalRounds && failed.length > 0 && !signal.aborted; round++) {
    const retry = failed;
    context.log?.(`Trying ${retry.length} source${retry.length === 1 ? '' : 's'} again (final pass).`);
    failed = [];
    progress.failedSources -= retry.length;
    const specs = reading.specs.filter((spec) => retry.some((f) => f.source === formatSourceSpec(spec)));
    await forEachConcurrent(
      specs,
      context.concurrency,
      (spec) => readOne(spec, true),
      () => signal.aborted,
    );
    if (failed.length >= retry.length) break;
  }
  return [...notFound, ...failed];
}

/**
 * One source: list it (conditionally), store what it lists, close what left a complete listing, and only
 * then keep the new validators, so that a crash midway never turns into a 304 that skips unstored postings.
 */
async function readSource(spec: SourceSpec, context: ReadContext): Promise<'read' | 'not-found'> {
  const { reading, listings, progress, signal } = context;
  const source = await context.reading.open(spec);
  const result = await source.list(reading.watched.validators(spec), signal);
  if (result.kind === 'not-found') return 'not-found';
  if (result.kind === 'unchanged') {
    progress.sourcesUnchanged++;
  } else {
    const board = spec.name === '' ? null : spec.name;
    const feed = isFeedKind(spec.kind);
    if (feed && context.searches.length === 0)
      context.log?.(`${spec.kind}: no searches to match its postings against, so none is kept.`);
    const kept = feed
      ? result.postings.filter((posting) => matchesAnySearch(posting, context.searches))
      : result.postings;
    const isBlocked = listings.blockedCompanies();
    for (const listed of kept) {
      if (signal.aborted) return 'read';
      if (isBlocked(listed.company)) {
        progress.skippedBlocked++;
        continue;
      }
      const posting =
        source.detail && !listings.isStored(listed.jobId) ? await source.detail(listed, signal) : listed;
      if (posting === null) continue;
      if (listings.record(posting, board, context.now()) !== 'seen') progress.sourcePostingsNew++;
    }
    if (result.complete && board !== null) {
      const seen = result.postings.map((posting) => posting.jobId);
      progress.postingsClosed += listings.closeMissing(spec.kind, board, seen, context.now());
    }
  }
  reading.watched.checked(spec, result.kind === 'listing' ? result.validators : undefined, context.now());
  progress.sources++;
  return 'read';
}

/** A letter or digit next to a match would make it part of a longer word ("java" in "javascript"). */
const wordAt = (word: string): RegExp =>
  new RegExp(`(?<![\\p{L}\\p{N}])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}])`, 'u');

/**
 * A feed posting is kept when it matches a search: every word of the query in its title or description
 * (case-folded), and the location in its location, unless the job is remote.
 */
export function matchesAnySearch(posting: ListedPosting, searches: readonly SavedSearch[]): boolean {
  const text = foldCase(`${posting.title ?? ''}\n${posting.description ?? ''}`);
  const location = foldCase(posting.location ?? '');
  const remote = posting.workplaceType === 'remote' || /\b(?:remote|anywhere|worldwide)\b/.test(location);
  return searches.some(
    (search) =>
      foldCase(search.query)
        .split(/\s+/)
        .filter(Boolean)
        .every((word) => wordAt(word).test(text)) &&
      (remote || location.includes(foldCase(search.location.trim()))),
  );
}
