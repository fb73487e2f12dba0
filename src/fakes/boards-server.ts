/**
 * A fake of every job board and feed djs reads (issue 12) on 127.0.0.1, for tests, benches and the demo.
 * One server answers every kind on that kind's own paths, so its URL serves as every DJS_*_URL setting
 * (`env` lists them); a second origin on 127.0.0.2 plays Lever's EU instance.
 *
 * - Greenhouse `GET /v1/boards/<b>/jobs[?content=true]` (content, departments and offices only with
 *   content=true, as Greenhouse does) and `/v1/boards/<b>/jobs/<id>`; unknown board or job: 404.
 * - Lever `GET /v0/postings/<site>?mode=json[&skip&limit]` and `/v0/postings/<site>/<id>`; an unknown
 *   site (or one on the other instance): 404 `{"ok":false,"error":"Document not found"}`. Without
 *   mode=json Lever answers its HTML page, and so does the fake.
 * - Ashby `GET /posting-api/job-board/<b>[?includeCompensation=true]` (`compensation` only when asked).
 * - SmartRecruiters `GET /v1/companies/<c>/postings?limit=&offset=` (limit 10 by default, 100 at most;
 *   `totalFound`) and `/v1/companies/<c>/postings/<id>` (the detail with `jobAd.sections`). An unknown
 *   company is an empty list (200, totalFound 0), as SmartRecruiters answers; an unknown posting is 404.
 * - Recruitee `GET /recruitee/<company>/api/offers/` (the real host is `<company>.recruitee.com`, so
 *   DJS_RECRUITEE_URL is `<url>/recruitee/{company}/`); unknown company: 404.
 * - Workable `GET /api/v1/widget/accounts/<a>[?details=true]` (descriptions only with details=true).
 * - Remotive `GET /api/remote-jobs[?category&search&limit]` (UTF-8 BOM, `00-warning`, `0-legal-notice`,
 *   `job-count`); Arbeitnow `GET /api/job-board-api?page=N` (`links.next`, `meta`, 100 a page by
 *   default); Remote OK `GET /api` (the legal notice first).
 *
 * Every listing carries an ETag (a hash of the body) and a Last-Modified (the board's last change, which
 * moves forward by at least a second on every change), and answers If-None-Match / If-Modified-Since
 * with 304; `validators` turns that off per kind ('ignored': validators sent, never 304; 'absent': none
 * sent). Knobs: `hostile(req)` (a gzip bomb, an oversized or truncated body, a redirect), `failWith(req)`
 * (a status for the requests it picks, with `retryAfterSeconds` on 429), `latencyMs`, and the board API (`board(spec)`: add, remove, change jobs; remove the board). Every
 * request is logged in `requests` with the headers that matter and the status (0 until answered).
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { SourceKind } from '../jobs/model.js';
import {
  DEFAULT_BOARDS,
  IdMint,
  completeJob,
  generateBoardJobs,
  type FakeBoard,
  type FakeBoardJob,
  type FakeBoardSpec,
} from './board-catalogue.js';
import {
  arbeitnowPage,
  ashbyListing,
  greenhouseDetail,
  greenhouseListing,
  leverPosting,
  publicJobUrl,
  recruiteeListing,
  remoteOkListing,
  remotiveListing,
  smartRecruitersDetail,
  smartRecruitersPage,
  workableListing,
} from './board-shapes.js';
import { sendGzipBomb, sendOversized } from './hostile.js';
import { makeRng } from './linkedin-server.js';
import { listenOnLoopback } from './loopback.js';

export type { FakeBoard, FakeBoardJob, FakeBoardSpec, FakePay } from './board-catalogue.js';
export { jobFromPosting } from './board-catalogue.js';

/** How a kind treats conditional requests: the real boards differ, and djs must cope with each. */
export type ValidatorMode = 'honoured' | 'ignored' | 'absent';

export interface FakeBoardRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** The kind whose path this is (null: no kind's path). */
  kind: SourceKind | null;
  /** The board named in the path as written; '' for a feed. */
  board: string;
  /** Answered by the EU origin (127.0.0.2). */
  eu: boolean;
  /** 0-based number of the request since the server started. */
  index: number;
}

/** A hostile answer for the requests `hostile` picks: what a body cap and a JSON parser must survive. */
export type BoardHostileAnswer =
  /** A small gzip body that inflates to `inflatedBytes` of zeros. */
  | { kind: 'gzip-bomb'; inflatedBytes: number }
  /** `bytes` of filler, chunked, with no Content-Length. */
  | { kind: 'oversized'; bytes: number }
  | { kind: 'redirect'; location: string; status?: 301 | 302 | 303 | 307 | 308 }
  /** The answer cut off half-way (a dropped connection): status 200, not JSON. */
  | { kind: 'truncated' };

export interface FakeBoardsOptions {
  /** The catalogue at start; default DEFAULT_BOARDS. */
  boards?: readonly FakeBoardSpec[];
  /** Seed of the generated jobs. Default 1. */
  seed?: number;
  /** The server's clock: dates of generated jobs, Last-Modified of changes. Default: the real clock. */
  now?: () => Date;
  /** A status to answer instead of the listing (null: answer normally): per board, per path, per count. */
  failWith?: (req: FakeBoardRequest) => number | null;
  /** A hostile answer for the requests it picks (undefined: answer normally); decided before failWith. */
  hostile?: (req: FakeBoardRequest) => BoardHostileAnswer | undefined;
  /** Retry-After seconds sent with a 429 from failWith; null (the default) sends none. */
  retryAfterSeconds?: number | null;
  /** Delay before every answer, or per request. */
  latencyMs?: number | ((req: FakeBoardRequest) => number);
  /** Per kind; default 'honoured' for every kind. */
  validators?: Partial<Record<SourceKind, ValidatorMode>>;
  /** Arbeitnow's page size (the real one: 100). */
  arbeitnowPageSize?: number;
}

/** A request as logged: what failWith saw, when it came, the headers that matter, the status (0 until answered). */
export interface FakeBoardsRequestLog extends Omit<FakeBoardRequest, 'index'> {
  time: number;
  headers: { ifNoneMatch?: string; ifModifiedSince?: string; accept?: string; userAgent?: string };
  status: number;
}

/** One board or feed of the running fake, to change between runs. */
export interface FakeBoardHandle {
  readonly kind: SourceKind;
  readonly name: string;
  readonly company: string;
  /** The jobs listed now, in listing order. */
  readonly jobs: readonly FakeBoardJob[];
  /** Puts a job on the board (missing fields generated, e.g. an id of the kind's form); it is listed next. */
  addJob(fields?: Partial<FakeBoardJob>): FakeBoardJob;
  /** Takes a job off: it disappears from the next listing and its detail is 404. */
  removeJob(id: string): void;
  /** Changes a job's fields (its updatedAt is now unless given). */
  changeJob(id: string, changes: Partial<Omit<FakeBoardJob, 'id'>>): FakeBoardJob;
  /** The job's page on the board's public host (boardJobFromUrl reads it): what a LinkedIn applyUrl holds. */
  jobUrl(id: string): string;
  /** The board is gone: its paths answer as for an unknown board. */
  remove(): void;
}

export interface FakeBoards {
  /** http://127.0.0.1:PORT */
  url: string;
  /** http://127.0.0.2:PORT: Lever's EU instance (the sites with region 'eu'). */
  euUrl: string;
  /** Every DJS_*_URL setting pointing at this fake (DJS_LEVER_EU_URL at the EU origin). */
  env: Record<string, string>;
  /** TCP connections accepted so far, on both origins: a refused request must not add one. */
  readonly connections: number;
  requests: FakeBoardsRequestLog[];
  /** Requests whose path is exactly `path` (on either origin). */
  count(path: string): number;
  /** Every board and feed, in catalogue order. */
  readonly boards: readonly FakeBoard[];
  /** A board by spec, `greenhouse:acme` or `remotive` (names compare case-insensitively); throws when absent. */
  board(spec: string): FakeBoardHandle;
  addBoard(spec: FakeBoardSpec): FakeBoardHandle;
  setOptions(partial: Partial<Omit<FakeBoardsOptions, 'boards' | 'seed'>>): void;
  close(): Promise<void>;
}

const JSON_TYPE = 'application/json; charset=utf-8';
const LEVER_NOT_FOUND = '{"ok":false,"error":"Document not found"}';

interface Route {
  kind: SourceKind;
  board: string;
  /** A job's own path (…/jobs/<id>, …/postings/<id>). */
  jobId?: string;
}

const ROUTES: Array<{ pattern: RegExp; kind: SourceKind }> = [
  { pattern: /^\/v1\/boards\/([^/]+)\/jobs(?:\/(\d+))?\/?$/, kind: 'greenhouse' },
  { pattern: /^\/v0\/postings\/([^/]+)(?:\/([^/]+))?\/?$/, kind: 'lever' },
  { pattern: /^\/posting-api\/job-board\/([^/]+)\/?$/, kind: 'ashby' },
  { pattern: /^\/v1\/companies\/([^/]+)\/postings(?:\/([^/]+))?\/?$/, kind: 'smartrecruiters' },
  { pattern: /^\/recruitee\/([^/]+)\/api\/offers\/?$/, kind: 'recruitee' },
  { pattern: /^\/api\/v1\/widget\/accounts\/([^/]+)\/?$/, kind: 'workable' },
  { pattern: /^\/api\/remote-jobs\/?$/, kind: 'remotive' },
  { pattern: /^\/api\/job-board-api\/?$/, kind: 'arbeitnow' },
  { pattern: /^\/api\/?$/, kind: 'remoteok' },
];

function route(path: string): Route | null {
  for (const { pattern, kind } of ROUTES) {
    const match = pattern.exec(path);
    if (!match) continue;
    let board: string;
    try {
      board = decodeURIComponent(match[1] ?? '');
    } catch {
      return null;
    }
    return match[2] === undefined ? { kind, board } : { kind, board, jobId: match[2] };
  }
  return null;
}

const boardKey = (kind: SourceKind, name: string): string => `${kind}:${name.toLowerCase()}`;

/** `greenhouse:acme` → its key; `remotive` → the feed's. */
function specKey(spec: string): string {
  const colon = spec.indexOf(':');
  return colon < 0 ? `${spec}:` : spec.toLowerCase();
}

function toInt(raw: string | undefined, fallback: number, min: number, max: number): number {
  const value = raw === undefined ? NaN : Number.parseInt(raw, 10);
  return Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : fallback;
}

/** Weak comparison, as If-None-Match asks: `W/"x"` and `"x"` match; `*` matches anything. */
function etagMatches(header: string, etag: string): boolean {
  const bare = (tag: string): string => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => tag.trim() === '*' || bare(tag) === bare(etag));
}

interface Answer {
  status: number;
  body: string;
  contentType?: string;
  /** The board whose listing this is: validators are sent (and honoured) for it. */
  listingOf?: FakeBoard;
}

export async function startFakeBoards(options: FakeBoardsOptions = {}): Promise<FakeBoards> {
  let opts: FakeBoardsOptions = { ...options };
  const clock = (): Date => (opts.now ? opts.now() : new Date());
  const seed = opts.seed ?? 1;
  const mint = new IdMint(makeRng(seed * 31 + 7));
  const catalogue = new Map<string, FakeBoard>();
  const requests: FakeBoardsRequestLog[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let requestCount = 0;
  let closed = false;

  const touch = (board: FakeBoard): void => {
    // At least a second later: Last-Modified has whole seconds, and a change must always show.
    board.modifiedAt = Math.max(clock().getTime(), Math.floor(board.modifiedAt / 1000) * 1000 + 1000);
  };

  const addBoard = (spec: FakeBoardSpec): FakeBoard => {
    const name = spec.name ?? '';
    const key = boardKey(spec.kind, name);
    if (catalogue.has(key)) throw new Error(`The fake already has the board ${key}.`);
    const company =
      spec.company ?? name.replace(/[-_.]+/g, ' ').replace(/\b\p{Ll}/gu, (letter) => letter.toUpperCase());
    const now = clock();
    const generated = generateBoardJobs(spec.kind, company === '' ? null : company, spec.count ?? 10, {
      seed: seed * 1_000 + catalogue.size + 1,
      now,
      mint,
    });
    const given = (spec.jobs ?? []).map((fields) =>
      completeJob(spec.kind, { company: company || undefined, ...fields }, { now, mint }),
    );
    const board: FakeBoard = {
      kind: spec.kind,
      name,
      company,
      region: spec.region ?? 'global',
      jobs: [...generated, ...given],
      modifiedAt: Math.floor(now.getTime() / 1000) * 1000,
    };
    catalogue.set(key, board);
    return board;
  };

  const handleOf = (board: FakeBoard): FakeBoardHandle => {
    const jobById = (id: string): FakeBoardJob => {
      const job = board.jobs.find((candidate) => candidate.id === id);
      if (!job) throw new Error(`${boardKey(board.kind, board.name)} has no job ${id}.`);
      return job;
    };
    return {
      kind: board.kind,
      name: board.name,
      company: board.company,
      get jobs() {
        return board.jobs;
      },
      addJob(fields = {}) {
        const job = completeJob(
          board.kind,
          { company: board.company || undefined, ...fields },
          { now: clock(), mint },
        );
        board.jobs.push(job);
        touch(board);
        return job;
      },
      removeJob(id) {
        board.jobs.splice(board.jobs.indexOf(jobById(id)), 1);
        touch(board);
      },
      changeJob(id, changes) {
        const job = jobById(id);
        Object.assign(job, { updatedAt: clock().toISOString() }, changes);
        touch(board);
        return job;
      },
      jobUrl: (id) => publicJobUrl(board, jobById(id)),
      remove() {
        catalogue.delete(boardKey(board.kind, board.name));
      },
    };
  };

  for (const spec of opts.boards ?? DEFAULT_BOARDS) addBoard(spec);

  /** The answer for a known kind's path, before faults and validators. */
  const answer = (found: Route, query: Record<string, string>, eu: boolean, baseUrl: string): Answer => {
    const board = catalogue.get(boardKey(found.kind, found.board));
    const context = { baseUrl };
    const json = (value: unknown, listingOf?: FakeBoard): Answer => ({
      status: 200,
      body: JSON.stringify(value),
      ...(listingOf ? { listingOf } : {}),
    });
    const notFound = (body = '{"status":404,"error":"Not Found"}'): Answer => ({ status: 404, body });
    switch (found.kind) {
      case 'greenhouse': {
        if (!board) return notFound();
        if (found.jobId === undefined) return json(greenhouseListing(board, query.content === 'true'), board);
        const job = board.jobs.find((candidate) => candidate.id === found.jobId);
        return job ? json(greenhouseDetail(board, job)) : notFound('{"status":404,"error":"Job not found"}');
      }
      case 'lever': {
        const site = board && (board.region === 'eu') === eu ? board : undefined;
        if (!site) return notFound(LEVER_NOT_FOUND);
        if (found.jobId !== undefined) {
          const job = site.jobs.find((candidate) => candidate.id === found.jobId);
          return job ? json(leverPosting(site, job)) : notFound(LEVER_NOT_FOUND);
        }
        if (query.mode !== 'json') {
          return {
            status: 200,
            contentType: 'text/html; charset=utf-8',
            body: `<!DOCTYPE html><html><head><title>${site.company} jobs</title></head><body><div class="postings-wrapper"></div></body></html>`,
          };
        }
        const skip = toInt(query.skip, 0, 0, Number.MAX_SAFE_INTEGER);
        const limit = toInt(query.limit, site.jobs.length, 0, Number.MAX_SAFE_INTEGER);
        return json(
          site.jobs.slice(skip, skip + limit).map((job) => leverPosting(site, job)),
          site,
        );
      }
      case 'ashby':
        return board ? json(ashbyListing(board, query.includeCompensation === 'true'), board) : notFound();
      case 'smartrecruiters': {
        if (found.jobId !== undefined) {
          const job = board?.jobs.find((candidate) => candidate.id === found.jobId);
          return board && job
            ? json(smartRecruitersDetail(board, job, context))
            : notFound('{"message":"Job posting not found","code":"NOT_FOUND"}');
        }
        const offset = toInt(query.offset, 0, 0, Number.MAX_SAFE_INTEGER);
        const limit = toInt(query.limit, 10, 1, 100);
        return json(smartRecruitersPage(board, offset, limit, context), board);
      }
      case 'recruitee':
        return board ? json(recruiteeListing(board), board) : notFound('{"error":"Not found"}');
      case 'workable':
        return board ? json(workableListing(board, query.details === 'true'), board) : notFound();
      case 'remotive': {
        if (!board) return notFound();
        const limit = query.limit === undefined ? undefined : toInt(query.limit, 0, 0, 10_000);
        const listing = remotiveListing(board, { category: query.category, search: query.search, limit });
        // Remotive starts its answer with a UTF-8 byte-order mark.
        return { status: 200, body: `\uFEFF${JSON.stringify(listing)}`, listingOf: board };
      }
      case 'arbeitnow': {
        if (!board) return notFound();
        const page = toInt(query.page, 1, 1, 100_000);
        return json(arbeitnowPage(board, page, opts.arbeitnowPageSize ?? 100, context), board);
      }
      case 'remoteok':
        return board ? json(remoteOkListing(board), board) : notFound();
    }
  };

  const handler =
    (eu: boolean, baseUrl: () => string) =>
    (req: http.IncomingMessage, res: http.ServerResponse): void => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const query: Record<string, string> = {};
      url.searchParams.forEach((value, key) => {
        query[key] = value;
      });
      const found = route(url.pathname);
      const header = (name: string): string | undefined => {
        const value = req.headers[name];
        return Array.isArray(value) ? value.join(', ') : value;
      };
      const headers: FakeBoardsRequestLog['headers'] = {};
      const ifNoneMatch = header('if-none-match');
      const ifModifiedSince = header('if-modified-since');
      const accept = header('accept');
      const userAgent = header('user-agent');
      if (ifNoneMatch !== undefined) headers.ifNoneMatch = ifNoneMatch;
      if (ifModifiedSince !== undefined) headers.ifModifiedSince = ifModifiedSince;
      if (accept !== undefined) headers.accept = accept;
      if (userAgent !== undefined) headers.userAgent = userAgent;
      const method = req.method ?? 'GET';
      const info: FakeBoardRequest = {
        method,
        path: url.pathname,
        query,
        kind: found?.kind ?? null,
        board: found?.board ?? '',
        eu,
        index: requestCount++,
      };
      const { index: _index, ...request } = info;
      const entry: FakeBoardsRequestLog = { ...request, time: Date.now(), headers, status: 0 };
      requests.push(entry);

      const send = (status: number, body: string, extra: Record<string, string> = {}): void => {
        const respond = (): void => {
          if (res.writableEnded || res.destroyed) return;
          entry.status = status;
          res.writeHead(status, {
            'content-type': JSON_TYPE,
            'content-length': String(Buffer.byteLength(body)),
            ...extra,
          });
          res.end(method === 'HEAD' ? undefined : body);
        };
        const latency = typeof opts.latencyMs === 'function' ? opts.latencyMs(info) : (opts.latencyMs ?? 0);
        if (latency <= 0) return respond();
        const timer = setTimeout(() => {
          timers.delete(timer);
          respond();
        }, latency);
        timers.add(timer);
      };

      if (method !== 'GET' && method !== 'HEAD') return send(405, '{"error":"Method not allowed"}');
      // The EU origin is Lever's EU instance and nothing else.
      if (!found || (eu && found.kind !== 'lever')) return send(404, '{"error":"Not found"}');
      const hostile = opts.hostile?.(info);
      if (hostile?.kind === 'gzip-bomb') {
        entry.status = 200;
        return sendGzipBomb(res, hostile.inflatedBytes, { 'content-type': JSON_TYPE });
      }
      if (hostile?.kind === 'oversized') {
        entry.status = 200;
        return sendOversized(res, hostile.bytes, { 'content-type': JSON_TYPE });
      }
      if (hostile?.kind === 'redirect')
        return send(hostile.status ?? 302, '', { location: hostile.location });
      const scripted = opts.failWith?.(info) ?? null;
      if (scripted !== null) {
        const retryAfter = opts.retryAfterSeconds;
        return send(
          scripted,
          `{"error":"fake failure ${scripted}"}`,
          scripted === 429 && retryAfter != null ? { 'retry-after': String(retryAfter) } : {},
        );
      }
      const result = answer(found, query, eu, baseUrl());
      const extra: Record<string, string> = result.contentType ? { 'content-type': result.contentType } : {};
      const mode = opts.validators?.[found.kind] ?? 'honoured';
      if (result.status === 200 && result.listingOf && mode !== 'absent') {
        const etag = `W/"${createHash('sha1').update(result.body).digest('hex').slice(0, 24)}"`;
        const lastModified = new Date(result.listingOf.modifiedAt).toUTCString();
        extra.etag = etag;
        extra['last-modified'] = lastModified;
        if (mode === 'honoured' && isNotModified(ifNoneMatch, ifModifiedSince, etag, result.listingOf)) {
          return send(304, '', { etag, 'last-modified': lastModified });
        }
      }
      if (hostile?.kind === 'truncated') return send(200, result.body.slice(0, result.body.length >> 1));
      send(result.status, result.body, extra);
    };

  let mainUrl = '';
  let euUrl = '';
  const main = await listenOnLoopback(http.createServer(handler(false, () => mainUrl)), '127.0.0.1');
  const euListener = await listenOnLoopback(http.createServer(handler(true, () => euUrl)), '127.0.0.2');
  mainUrl = main.url;
  euUrl = euListener.url;

  return {
    url: mainUrl,
    euUrl,
    env: {
      DJS_GREENHOUSE_URL: `${mainUrl}/`,
      DJS_LEVER_URL: `${mainUrl}/`,
      DJS_LEVER_EU_URL: `${euUrl}/`,
      DJS_ASHBY_URL: `${mainUrl}/`,
      DJS_SMARTRECRUITERS_URL: `${mainUrl}/`,
      DJS_RECRUITEE_URL: `${mainUrl}/recruitee/{company}/`,
      DJS_WORKABLE_URL: `${mainUrl}/`,
      DJS_REMOTIVE_URL: `${mainUrl}/`,
      DJS_ARBEITNOW_URL: `${mainUrl}/`,
      DJS_REMOTEOK_URL: `${mainUrl}/`,
    },
    get connections() {
      return main.connections + euListener.connections;
    },
    requests,
    count: (path) => requests.filter((request) => request.path === path).length,
    get boards() {
      return [...catalogue.values()];
    },
    board(spec) {
      const board = catalogue.get(specKey(spec));
      if (!board) throw new Error(`The fake has no board ${spec}.`);
      return handleOf(board);
    },
    addBoard: (spec) => handleOf(addBoard(spec)),
    setOptions(partial) {
      opts = { ...opts, ...partial };
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await Promise.all([main.close(), euListener.close()]);
    },
  };
}

/** RFC 9110: If-None-Match decides when present; otherwise If-Modified-Since against the board's last change. */
function isNotModified(
  ifNoneMatch: string | undefined,
  ifModifiedSince: string | undefined,
  etag: string,
  board: FakeBoard,
): boolean {
  if (ifNoneMatch !== undefined) return etagMatches(ifNoneMatch, etag);
  if (ifModifiedSince === undefined) return false;
  const since = Date.parse(ifModifiedSince);
  return Number.isFinite(since) && Math.floor(board.modifiedAt / 1000) * 1000 <= since;
}
