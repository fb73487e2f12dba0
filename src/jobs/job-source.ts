import type { CollectedPosting, FoundLink } from './model.js';

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
