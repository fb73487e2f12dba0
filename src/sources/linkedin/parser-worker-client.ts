import { Worker } from 'node:worker_threads';
import type { DetailPage, SearchPage } from './parse.js';
import type { ParseRequest } from './parse-worker.js';

/** The two parsers LinkedInSource needs, however they run. */
export interface LinkedInParser {
  parseSearchPage(html: string): Promise<SearchPage>;
  parseJobPosting(html: string, now: Date): Promise<DetailPage>;
  close(): Promise<void>;
}

// Ample for a real page (a few hundred KB); a pathological one fails alone instead of taking the run's memory.
const WORKER_LIMITS = { maxOldGenerationSizeMb: 48, maxYoungGenerationSizeMb: 2 };

type Pending = { resolve: (value: never) => void; reject: (error: Error) => void };

/**
 * Parsing in one worker thread with a capped heap. cheerio allocates ~50 KB per page and V8 lets an
 * uncapped heap grow to ~200 MB before collecting; with the worker's small young generation, update-db
 * stays at ~190 MB peak RSS over 10,000 postings (bench/update-db.mjs), and parsing overlaps with the
 * main thread's I/O on a second core. A worker that dies (out of memory on a monstrous page) fails only
 * the requests in flight and is replaced on the next request.
 */
export class WorkerParser implements LinkedInParser {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;

  parseSearchPage(html: string): Promise<SearchPage> {
    return this.request({ id: this.nextId++, kind: 'search', html });
  }

  parseJobPosting(html: string, now: Date): Promise<DetailPage> {
    return this.request({ id: this.nextId++, kind: 'detail', html, now: now.getTime() });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }

  private request<T>(message: ParseRequest): Promise<T> {
    const worker = this.ensureWorker();
    return new Promise<T>((resolve, reject) => {
      this.pending.set(message.id, { resolve: resolve as (value: never) => void, reject });
      // Keep the process alive while a page is being parsed, and only then.
      worker.ref();
      worker.postMessage(message);
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./parse-worker.js', import.meta.url), {
      resourceLimits: WORKER_LIMITS,
    });
    worker.on('message', ({ id, result, error }: { id: number; result?: never; error?: string }) => {
      const pending = this.pending.get(id);
      this.pending.delete(id);
      if (error !== undefined) pending?.reject(new Error(`could not parse the page: ${error}`));
      else pending?.resolve(result as never);
      if (this.pending.size === 0) worker.unref();
    });
    const fail = (error: Error): void => {
      if (this.worker === worker) this.worker = null;
      for (const pending of this.pending.values()) pending.reject(error);
      this.pending.clear();
    };
    worker.on('error', (error) => fail(new Error(`the page parser stopped: ${error.message}`)));
    worker.on('exit', () => fail(new Error('the page parser stopped')));
    this.worker = worker;
    return worker;
  }
}
