/**
 * The LinkedIn parsers, run in a worker thread (see parser-pool.ts): parsing is the allocation-heavy
 * part of update-db, and a worker's heap can be capped where the main thread's cannot.
 */
import { parentPort } from 'node:worker_threads';
import { parseJobPosting, parseSearchPage } from './parse.js';

export type ParseRequest =
  { id: number; kind: 'search'; html: string } | { id: number; kind: 'detail'; html: string; now: number };

parentPort?.on('message', (request: ParseRequest) => {
  try {
    const result =
      request.kind === 'search'
        ? parseSearchPage(request.html)
        : parseJobPosting(request.html, { now: new Date(request.now) });
    parentPort!.postMessage({ id: request.id, result });
  } catch (error) {
    parentPort!.postMessage({ id: request.id, error: (error as Error).message });
  }
});
