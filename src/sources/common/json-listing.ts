import { HttpError } from '../../net/errors.js';
import type { PoliteClient } from '../../net/polite-client.js';
import type { Validators } from '../../jobs/job-source.js';

export type JsonAnswer =
  { kind: 'unchanged' } | { kind: 'not-found' } | { kind: 'json'; value: unknown; validators: Validators };

/**
 * GET a board's or feed's JSON, conditionally when `validators` are given (If-None-Match /
 * If-Modified-Since): 304 is "unchanged", 404 and 410 are "not-found" (the board does not exist), any
 * other error status throws an HttpError (the polite client has already retried 429 and 5xx), and a body
 * that is not JSON throws too. A UTF-8 byte-order mark (Remotive sends one) is skipped.
 */
export async function getJson(
  client: PoliteClient,
  pathAndQuery: string,
  validators: Validators | null,
  signal: AbortSignal,
): Promise<JsonAnswer> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (validators?.etag) headers['if-none-match'] = validators.etag;
  if (validators?.lastModified) headers['if-modified-since'] = validators.lastModified;
  const response = await client.get(pathAndQuery, signal, { headers });
  if (response.status === 304) return { kind: 'unchanged' };
  if (response.status === 404 || response.status === 410) return { kind: 'not-found' };
  if (response.status >= 300) {
    throw new HttpError(`${response.url} answered ${response.status}.`, response.status, response.url);
  }
  let value: unknown;
  try {
    value = JSON.parse(response.body.replace(/^\uFEFF/, ''));
  } catch {
    throw new HttpError(`${response.url} sent something that is not JSON.`, response.status, response.url);
  }
  return {
    kind: 'json',
    value,
    validators: {
      etag: response.headers.etag ?? null,
      lastModified: response.headers['last-modified'] ?? null,
    },
  };
}
