import type { gaxios } from 'google-auth-library';
import { EnvHttpProxyAgent, type Dispatcher } from 'undici';
import { setting, type Environment } from '../core/settings.js';
import { boundedRequest, type BoundedResponse } from '../net/bounded-request.js';
import { ResponseRefusedError } from '../net/errors.js';
import type { GoogleEndpoints } from './endpoints.js';

/** A token answer is a few hundred bytes of JSON. */
export const OAUTH_MAX_BYTES = 64 * 1024;
/** A Sheets answer holds at most the key columns of a big sheet (about 50 bytes a row). */
export const API_MAX_BYTES = 32 * 1024 * 1024;

/** Statuses whose response has no body (the Response constructor refuses one). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/**
 * The options of the one gaxios instance under every Google call djs makes (token exchange and refresh,
 * revoke, and the Sheets API, which goes through the OAuth client's transporter): requests go through
 * boundedRequest, so an answer is capped while it streams and while it is decompressed (OAUTH_MAX_BYTES for
 * the token and revoke endpoints, API_MAX_BYTES for the API), and a redirect is followed only to the
 * configured Google origins.
 */
export function googleTransporterOptions(endpoints: GoogleEndpoints, env: Environment): gaxios.GaxiosOptions {
  const allowedOrigins = [
    ...new Set([endpoints.tokenUrl, endpoints.revokeUrl, endpoints.apiUrl].map((url) => new URL(url).origin)),
  ];
  const oauthUrls = [endpoints.tokenUrl, endpoints.revokeUrl].map((url) => new URL(url).href);
  const dispatcher = proxyFromEnv(env);

  const fetchImplementation = async (
    input: string | URL | Request,
    init?: RequestInit,
  ): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : input).href;
    const headers = Object.fromEntries(new Headers(init?.headers));
    let body: Buffer | null = null;
    if (init?.body != null) {
      // The bodies gaxios sends (JSON text, URLSearchParams) as bytes, with the content type fetch would add.
      const encoded = new Response(init.body);
      body = Buffer.from(await encoded.arrayBuffer());
      const type = encoded.headers.get('content-type');
      if (type !== null) headers['content-type'] ??= type;
    }
    const response = await boundedRequest(url, {
      method: init?.method ?? 'GET',
      headers,
      body,
      signal: init?.signal ?? undefined,
      dispatcher,
      maxBytes: oauthUrls.some((prefix) => url.startsWith(prefix)) ? OAUTH_MAX_BYTES : API_MAX_BYTES,
      allowedOrigins,
    });
    return toFetchResponse(response);
  };

  return {
    fetchImplementation,
    // A refused answer is final: without this, gaxios would fetch it again (up to its no-response retry count).
    adapter: async (options, defaultAdapter) => {
      try {
        return await defaultAdapter(options);
      } catch (error) {
        if (error instanceof ResponseRefusedError) options.retryConfig = { ...options.retryConfig, retry: 0 };
        throw error;
      }
    },
  };
}

function toFetchResponse(response: BoundedResponse): Response {
  const result = new Response(NULL_BODY_STATUSES.has(response.status) ? null : response.body, {
    status: response.status,
    headers: response.headers,
  });
  Object.defineProperty(result, 'url', { value: response.url });
  return result;
}

/** The proxy gaxios would have used: HTTPS_PROXY/HTTP_PROXY (either case), NO_PROXY honoured. */
function proxyFromEnv(env: Environment): Dispatcher | undefined {
  const httpsProxy = setting(env, 'HTTPS_PROXY');
  const httpProxy = setting(env, 'HTTP_PROXY');
  if (!httpsProxy && !httpProxy) return undefined;
  return new EnvHttpProxyAgent({
    httpProxy: httpProxy || httpsProxy,
    httpsProxy: httpsProxy || httpProxy,
    noProxy: setting(env, 'NO_PROXY') ?? '',
  });
}
