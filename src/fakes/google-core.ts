/**
 * What the fake Google server and its route modules (OAuth here in google-server.ts, Sheets in
 * google-sheets.ts) share: the state, the route shape and the helpers every API route needs. It sits below
 * both so that neither imports the other.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

export interface FakeGoogleOptions {
  clientId?: string;
  clientSecret?: string;
  /** deny → error=access_denied; wrong-state → a different state; hang → a page that never redirects. */
  authorize?: 'approve' | 'deny' | 'wrong-state' | 'hang';
  authorizeDelayMs?: number;
  /** expires_in of issued access tokens, default 3600. */
  accessTokenLifetimeSeconds?: number;
  /** Refresh grants answer 400 invalid_grant "Token has been expired or revoked." */
  invalidGrant?: boolean;
  /**
   * Bind issued codes to a challenge other than the one sent, as if the code had been requested by someone
   * else: the client's (correct) code_verifier then fails the PKCE check at the token endpoint.
   */
  challengeMismatch?: boolean;
  googleEmail?: string;
  /** The token endpoint answers a 1 GB gzip bomb or 64 MB of filler instead of tokens (issue 10). */
  hostileToken?: 'gzip-bomb' | 'oversized' | null;
}

export interface FakeGoogleRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Form bodies as a record, JSON bodies parsed, other bodies as text, no body as {}. */
  body: Record<string, string> | unknown;
  /** 0 until the answer is sent (a hanging request stays 0). */
  status: number;
  /** Date.now() when the request arrived. */
  time: number;
  headers: IncomingHttpHeaders;
}

export interface AuthCodeRecord {
  clientId: string;
  redirectUri: string;
  codeChallenge: string;
  scope: string;
  offline: boolean;
  consent: boolean;
  used: boolean;
  issuedAt: number;
}

export interface RefreshTokenRecord {
  clientId: string;
  scope: string;
  revoked: boolean;
}

export interface AccessTokenRecord {
  clientId: string;
  scope: string;
  expiresAt: number;
  /** The refresh token this access token belongs to (revoking either revokes both, like Google). */
  refreshToken: string | undefined;
  revoked: boolean;
}

export type ResolvedOptions = Required<Omit<FakeGoogleOptions, 'googleEmail'>> & { googleEmail?: string };

/** Shared by every route module. */
export interface FakeGoogleCore {
  options: ResolvedOptions;
  codes: Map<string, AuthCodeRecord>;
  refreshTokens: Map<string, RefreshTokenRecord>;
  accessTokens: Map<string, AccessTokenRecord>;
  issuedRefreshTokens: string[];
  revokedTokens: string[];
  requests: FakeGoogleRequest[];
  apiCalls: number;
  /** Base URL, http://127.0.0.1:PORT (no trailing slash). */
  url: string;
  /** Timers of delayed answers, cleared by close(). */
  timers: Set<NodeJS.Timeout>;
  closed: boolean;
}

export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  path: string;
  url: URL;
  query: Record<string, string>;
  /** Named groups of a RegExp path. */
  params: Record<string, string>;
  rawBody: Buffer;
  body: Record<string, string> | unknown;
  core: FakeGoogleCore;
}

export interface FakeRoute {
  method: string;
  /** An exact path, or a RegExp over the path (named groups land in ctx.params). */
  path: string | RegExp;
  /** Counts in fake.apiCalls (Sheets/Drive calls). */
  apiCall?: boolean;
  handle(ctx: RouteContext): void | Promise<void>;
}

export type RouteModule = (core: FakeGoogleCore) => FakeRoute[];

export interface FakeGoogle {
  url: string;
  authUrl: string;
  tokenUrl: string;
  revokeUrl: string;
  apiUrl: string;
  requests: FakeGoogleRequest[];
  issuedRefreshTokens: string[];
  revokedTokens: string[];
  /** Requests answered by routes marked apiCall. */
  readonly apiCalls: number;
  /** The shared state, for route modules and assertions. */
  core: FakeGoogleCore;
  accessTokenIsValid(token: string): boolean;
  /** Makes every access token issued so far expired (the server side of "an expired access token"). */
  expireAccessTokens(): void;
  setOptions(partial: Partial<FakeGoogleOptions>): void;
  addRoutes(routes: FakeRoute[]): void;
  close(): Promise<void>;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(value);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-cache, no-store, max-age=0, must-revalidate',
    ...headers,
  });
  res.end(text);
}

/** The Bearer token of a request, if any. */
export function bearerToken(req: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

export function accessTokenIsValid(core: FakeGoogleCore, token: string): boolean {
  const record = core.accessTokens.get(token);
  if (!record || record.revoked || record.expiresAt <= Date.now()) return false;
  if (record.refreshToken !== undefined && core.refreshTokens.get(record.refreshToken)?.revoked) return false;
  return true;
}

/**
 * For API routes: answers 401 UNAUTHENTICATED (as Google does) and returns undefined unless the request
 * carries a valid access token; returns the token's record otherwise.
 */
export function requireAccessToken(ctx: RouteContext): AccessTokenRecord | undefined {
  const token = bearerToken(ctx.req);
  if (token === undefined || !accessTokenIsValid(ctx.core, token)) {
    sendJson(
      ctx.res,
      401,
      {
        error: {
          code: 401,
          message:
            'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
          status: 'UNAUTHENTICATED',
        },
      },
      { 'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' },
    );
    return undefined;
  }
  return ctx.core.accessTokens.get(token);
}
