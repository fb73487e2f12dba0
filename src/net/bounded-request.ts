import { Transform, Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { request, type Dispatcher } from 'undici';
import { ResponseRefusedError } from './errors.js';
import { targetRefusal } from './target-policy.js';

export const DEFAULT_MAX_REDIRECTS = 5;

export interface BoundedRequestOptions {
  method?: string;
  /** Lower-case names. */
  headers?: Record<string, string>;
  /** Buffered, so that a 307/308 can send it again. */
  body?: string | Buffer | null;
  signal?: AbortSignal;
  /** Default: undici's global dispatcher. */
  dispatcher?: Dispatcher;
  /** The largest body accepted, counted both as it arrives and after decompression. */
  maxBytes: number;
  /** The origins the request and every redirect hop may go to (see targetRefusal). */
  allowedOrigins: readonly string[];
  /** Default 5. */
  maxRedirects?: number;
}

export interface BoundedResponse {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /** Decompressed. */
  body: Buffer;
  /** The final URL, after redirects. */
  url: string;
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

/**
 * One HTTP exchange under the limits a hostile server cannot talk its way past: redirects followed by hand
 * with every hop checked before it is connected to (targetRefusal) and at most `maxRedirects` of them, and a
 * body cap enforced while the body streams in and while it is decompressed, so that neither a huge body nor
 * a gzip bomb is ever held in memory. Both refusals throw ResponseRefusedError; transport errors and the
 * signal's abort are thrown as they come, for the caller to retry or not.
 */
export async function boundedRequest(url: string, o: BoundedRequestOptions): Promise<BoundedResponse> {
  const maxRedirects = o.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  let method = (o.method ?? 'GET').toUpperCase();
  let headers = { ...o.headers };
  let body = o.body ?? null;
  let target = new URL(url);
  const refusedAt = targetRefusal(target, o.allowedOrigins);
  if (refusedAt)
    throw new ResponseRefusedError(`refusing to request ${target.href}: ${refusedAt}.`, null, url);

  for (let hops = 0; ; hops++) {
    const response = await request(target, {
      method: method as Dispatcher.HttpMethod,
      headers,
      body,
      signal: o.signal,
      dispatcher: o.dispatcher,
    });
    const responseHeaders = flattenHeaders(response.headers);
    const location = responseHeaders.location;
    if (!REDIRECT_STATUSES.has(response.statusCode) || location === undefined) {
      return {
        status: response.statusCode,
        headers: responseHeaders,
        body: await readCapped(response.body, responseHeaders, method, target.href, o),
        url: target.href,
      };
    }
    await response.body.dump();
    const next = parseLocation(location, target);
    const refusal =
      next === null
        ? `"${location}" is not a URL`
        : hops >= maxRedirects
          ? `more than ${maxRedirects} redirects`
          : targetRefusal(next, o.allowedOrigins);
    if (refusal !== null || next === null) {
      throw new ResponseRefusedError(
        `${method} ${target.href} failed: refusing the redirect to ${next?.href ?? location}: ${refusal}.`,
        response.statusCode,
        target.href,
      );
    }
    // As browsers do: 303, and 301/302 after a POST, become a GET without a body; 307/308 repeat the request.
    const status = response.statusCode;
    if ((status === 303 && method !== 'HEAD') || ((status === 301 || status === 302) && method === 'POST')) {
      method = 'GET';
      body = null;
      const { 'content-type': _type, 'content-length': _length, ...rest } = headers;
      headers = rest;
    }
    if (next.origin !== target.origin) {
      const { authorization: _auth, cookie: _cookie, ...rest } = headers;
      headers = rest;
    }
    target = next;
  }
}

function parseLocation(location: string, base: URL): URL | null {
  try {
    return new URL(location, base);
  } catch {
    return null;
  }
}

function flattenHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/** "4 MB", "64 KB": caps are whole binary units. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1 << 20) return `${Math.round(bytes / (1 << 20))} MB`;
  if (bytes >= 1 << 10) return `${Math.round(bytes / (1 << 10))} KB`;
  return `${bytes} bytes`;
}

/** The body, decoded, never more than `maxBytes` on the wire or after decompression. */
async function readCapped(
  body: Readable,
  headers: Record<string, string>,
  method: string,
  url: string,
  o: BoundedRequestOptions,
): Promise<Buffer> {
  const tooLarge = (): ResponseRefusedError =>
    new ResponseRefusedError(
      `${method} ${url} failed: the response is larger than ${formatBytes(o.maxBytes)}.`,
      null,
      url,
    );
  const declared = Number(headers['content-length']);
  if (Number.isFinite(declared) && declared > o.maxBytes) {
    discard(body);
    throw tooLarge();
  }
  let decoders: Transform[];
  try {
    decoders = decodersFor(headers['content-encoding']);
  } catch (error) {
    discard(body);
    throw new ResponseRefusedError(`${method} ${url} failed: ${(error as Error).message}.`, null, url);
  }
  let onTheWire = 0;
  const countArriving = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      onTheWire += chunk.length;
      done(onTheWire > o.maxBytes ? tooLarge() : null, chunk);
    },
  });
  const chunks: Buffer[] = [];
  let decoded = 0;
  const collect = new Writable({
    write(chunk: Buffer, _encoding, done) {
      decoded += chunk.length;
      if (decoded > o.maxBytes) return done(tooLarge());
      chunks.push(chunk);
      done();
    },
  });
  await pipeline([body, countArriving, ...decoders, collect], o.signal ? { signal: o.signal } : {});
  return Buffer.concat(chunks, decoded);
}

/** Closes a body that will not be read (undici reports the abort as an error nobody needs to see). */
function discard(body: Readable): void {
  body.on('error', () => undefined).destroy();
}

/** Decoders for a Content-Encoding list, in the order they must run (the last coding applied comes off first). */
function decodersFor(contentEncoding: string | undefined): Transform[] {
  const codings = (contentEncoding ?? '')
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity');
  // Lenient about a missing end of stream, as browsers and undici's fetch are.
  const flush = { flush: zlib.constants.Z_SYNC_FLUSH, finishFlush: zlib.constants.Z_SYNC_FLUSH };
  return codings.reverse().map((coding) => {
    if (coding === 'gzip' || coding === 'x-gzip') return zlib.createGunzip(flush);
    if (coding === 'deflate') return zlib.createInflate(flush);
    if (coding === 'br') {
      return zlib.createBrotliDecompress({
        flush: zlib.constants.BROTLI_OPERATION_FLUSH,
        finishFlush: zlib.constants.BROTLI_OPERATION_FLUSH,
      });
    }
    throw new Error(`the response uses an unknown content-encoding "${coding}"`);
  });
}
