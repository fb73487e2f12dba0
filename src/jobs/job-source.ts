import type { CollectedPosting, FoundLink, ListedPosting, SourceSpec } from './model.js';

export type Since = '24h' | 'week' | 'month';
export type JobType =
  'full-time' | 'part-time' | 'contract' | 'temporary' | 'internship' | 'volunteer' | 'other';

export interface SearchRequest {
  query: string;
  location: string;
  /** Offset of the first result: the number of cards already seen. */
  start: number;
  since?: Since;
  remote?: boolean;
  jobType?: JobType;
}

export type SearchResult = { kind: 'page'; links: FoundLink[] } | { kind: 'blocked' };
export type DetailResult =
  { kind: 'posting'; posting: CollectedPosting } | { kind: 'gone' } | { kind: 'blocked' };

/**
 * Where postings come from. LinkedIn's guest endpoints are the one implementation today; the collector
 * only sees this interface, so tests and other boards plug in the same way.
 */
export interface JobSource {
  readonly name: string;
  search(request: SearchRequest, signal: AbortSignal): Promise<SearchResult>;
  detail(link: FoundLink, signal: AbortSignal): Promise<DetailResult>;
  /** True once the source has stopped asking (circuit breaker open). */
  readonly stopped: boolean;
}

/** The validators of a listing read in full, sent back so the board can answer "304 Not Modified". */
export interface Validators {
  etag: string | null;
  lastModified: string | null;
}

export type ListingResult =
  /** The board answered 304: nothing changed since the validators were given. */
  | { kind: 'unchanged' }
  /**
   * The postings listed now. `complete`: this is every open posting of the board (a watched board read to
   * its last page), so a stored listing missing from it has closed; a feed's recent window is not.
   */
  | { kind: 'listing'; postings: ListedPosting[]; complete: boolean; validators: Validators }
  /** No such board (Greenhouse/Ashby 404, Lever's "Document not found"): `sources add` refuses it. */
  | { kind: 'not-found' };

/**
 * A company board or an open feed (issue 12). One request (or one per page) lists everything; the
 * postings arrive complete, so there is no detail step. Transient failures throw (HttpError …) after the
 * polite client's retries; the collector records them and tries again in its final pass.
 */
export interface ListingSource {
  readonly spec: SourceSpec;
  list(validators: Validators | null, signal: AbortSignal): Promise<ListingResult>;
  /**
   * For a source whose listing lacks the description or pay (SmartRecruiters): the posting completed from
   * its own page. The collector calls it only for postings it has not stored yet and whose company is not
   * blocked; null when the posting is gone meanwhile.
   */
  detail?(posting: ListedPosting, signal: AbortSignal): Promise<ListedPosting | null>;
}
