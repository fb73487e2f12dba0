/**
 * A fake of Google's OAuth 2.0 endpoints (and, later, the Sheets/Drive APIs) for tests, on 127.0.0.1 only.
 *
 * It checks requests the way Google does for a Desktop-app loopback flow with PKCE (RFC 8252 / RFC 7636) as
 * google-auth-library 10.5.0 sends them:
 *   - GET  /o/oauth2/v2/auth  query: response_type, client_id, redirect_uri, scope, state, access_type,
 *                             prompt, code_challenge, code_challenge_method
 *   - POST /token             form body: client_id, client_secret, code, code_verifier, grant_type,
 *                             redirect_uri (or refresh_token, client_id, client_secret, grant_type)
 *   - POST /revoke?token=…    token in the query string, no body (a form body `token=` is accepted too)
 * Errors come back in Google's OAuth JSON shape {"error": "...", "error_description": "..."}.
 *
 * Structure: a tiny router over route modules. Each module is a function of the shared core (state, options,
 * request log, API call counter) returning routes; `oauthRoutes` is the first. Sheets/Drive modules (issue 6)
 * go in ROUTE_MODULES, or are added at run time with `fake.addRoutes(...)`. Routes marked `apiCall: true`
 * require nothing by themselves but count in `fake.apiCalls`; use `requireAccessToken` for the 401 check.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import {
  accessTokenIsValid,
  sendJson,
  type FakeGoogle,
  type FakeGoogleCore,
  type FakeGoogleOptions,
  type FakeGoogleRequest,
  type FakeRoute,
  type ResolvedOptions,
  type RouteContext,
  type RouteModule,
} from './google-core.js';
import { sheetsRoutes } from './google-sheets.js';
import { sendGzipBomb, sendOversized } from './hostile.js';
import { listenOnLoopback } from './loopback.js';

// The types and helpers route modules share live in google-core.ts, so that google-sheets.ts need not import this file.
export * from './google-core.js';

export const DEFAULT_CLIENT_ID = 'test-client-id.apps.googleusercontent.com';
export const DEFAULT_CLIENT_SECRET = 'test-client-secret';
export const AUTH_PATH = '/o/oauth2/v2/auth';
export const TOKEN_PATH = '/token';
export const REVOKE_PATH = '/revoke';

/** Route modules registered at start. Issue 6 adds the Sheets/Drive modules here. */
const ROUTE_MODULES: RouteModule[] = [oauthRoutes, sheetsRoutes];

// ---------------------------------------------------------------------------------------------------------
// Helpers for route modules

export function sendHtml(res: ServerResponse, status: number, html: string): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
  res.end(html);
}

export function sendRedirect(res: ServerResponse, location: string): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(302, { location, 'content-type': 'text/html; charset=utf-8' });
  res.end(`<html><body>Moved <a href="${escapeHtml(location)}">here</a>.</body></html>`);
}

/** Google's OAuth error shape. */
export function sendOAuthError(
  res: ServerResponse,
  status: number,
  error: string,
  description: string,
): void {
  sendJson(res, status, { error, error_description: description });
}

export function base64UrlSha256(text: string): string {
  return createHash('sha256').update(text, 'ascii').digest('base64url');
}

function randomToken(prefix: string, bytes: number): string {
  return prefix + randomBytes(bytes).toString('base64url');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function errorPage(status: number, error: string, description: string): string {
  return (
    `<!doctype html><html><head><meta charset="utf-8"><title>Error ${status}: ${escapeHtml(error)}</title></head>` +
    `<body><h1>Access blocked: Authorization Error</h1><p>${escapeHtml(description)}</p>` +
    `<p>Error ${status}: ${escapeHtml(error)}</p></body></html>`
  );
}

// ---------------------------------------------------------------------------------------------------------
// OAuth routes

export function oauthRoutes(core: FakeGoogleCore): FakeRoute[] {
  return [
    { method: 'GET', path: AUTH_PATH, handle: (ctx) => authorize(ctx) },
    { method: 'POST', path: TOKEN_PATH, handle: (ctx) => token(ctx) },
    // Google accepts revoke by GET too; the library POSTs.
    { method: 'POST', path: REVOKE_PATH, handle: (ctx) => revoke(ctx) },
    { method: 'GET', path: REVOKE_PATH, handle: (ctx) => revoke(ctx) },
  ];

  function isLoopbackRedirect(value: string): boolean {
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      return false;
    }
    return (
      parsed.protocol === 'http:' &&
      parsed.hostname === '127.0.0.1' &&
      /^\d+$/.test(parsed.port) &&
      parsed.username === '' &&
      parsed.password === '' &&
      parsed.hash === '' &&
      // new URL() normalizes; insist the URI was already in normal form (no "http://127.0.0.1:80x/../").
      value.startsWith(`http://127.0.0.1:${parsed.port}`)
    );
  }

  function authorize(ctx: RouteContext): void {
    const { query, res } = ctx;
    const fail = (status: number, error: string, description: string): void =>
      sendHtml(res, status, errorPage(status, error, description));

    const clientId = query.client_id;
    if (!clientId) return fail(400, 'invalid_request', 'Missing required parameter: client_id');
    if (clientId !== core.options.clientId)
      return fail(400, 'invalid_client', 'The OAuth client was not found.');
    const redirectUri = query.redirect_uri;
    if (!redirectUri) return fail(400, 'invalid_request', 'Missing required parameter: redirect_uri');
    if (!isLoopbackRedirect(redirectUri)) {
      return fail(
        400,
        'redirect_uri_mismatch',
        `You can't sign in to this app because it doesn't comply with Google's OAuth 2.0 policy. redirect_uri=${redirectUri}`,
      );
    }
    if (!query.response_type)
      return fail(400, 'invalid_request', 'Missing required parameter: response_type');
    if (query.response_type !== 'code') {
      return fail(400, 'unsupported_response_type', `Invalid response_type: ${query.response_type}`);
    }
    const scope = query.scope;
    if (!scope) return fail(400, 'invalid_request', 'Missing required parameter: scope');
    const codeChallenge = query.code_challenge;
    if (!codeChallenge) return fail(400, 'invalid_request', 'Missing required parameter: code_challenge');
    if (query.code_challenge_method !== 'S256') {
      return fail(400, 'invalid_request', 'Invalid code_challenge_method: S256 is required.');
    }
    if (!/^[A-Za-z0-9_-]{43}$/.test(codeChallenge)) {
      return fail(400, 'invalid_request', 'Invalid code_challenge.');
    }
    const offline = query.access_type === 'offline';
    const consent = (query.prompt ?? '').split(' ').includes('consent');
    const state = query.state;
    const mode = core.options.authorize;

    const answer = (): void => {
      if (mode === 'hang') {
        // The slow user: a consent page that never comes back.
        return sendHtml(
          res,
          200,
          '<!doctype html><html><head><meta charset="utf-8"><title>Sign in - Google Accounts</title></head>' +
            '<body><h1>Choose an account</h1><p>(the fake user is thinking…)</p></body></html>',
        );
      }
      const target = new URL(redirectUri);
      if (mode === 'deny') {
        target.searchParams.set('error', 'access_denied');
        if (state !== undefined) target.searchParams.set('state', state);
        return sendRedirect(res, target.toString());
      }
      const code = randomToken('4/0A', 48);
      core.codes.set(code, {
        clientId,
        redirectUri,
        codeChallenge: core.options.challengeMismatch
          ? base64UrlSha256('a verifier the client never had')
          : codeChallenge,
        scope,
        offline,
        consent,
        used: false,
        issuedAt: Date.now(),
      });
      target.searchParams.set('code', code);
      if (mode === 'wrong-state') target.searchParams.set('state', `${state ?? ''}x${randomToken('', 6)}`);
      else if (state !== undefined) target.searchParams.set('state', state);
      target.searchParams.set('scope', scope);
      sendRedirect(res, target.toString());
    };

    const delay = core.options.authorizeDelayMs;
    if (delay > 0) {
      const timer = setTimeout(() => {
        core.timers.delete(timer);
        answer();
      }, delay);
      core.timers.add(timer);
    } else {
      answer();
    }
  }

  /** Client authentication: client_secret_post (what the library sends) or client_secret_basic. */
  function authenticateClient(ctx: RouteContext, form: Record<string, string>): string | undefined {
    let clientId = form.client_id;
    let clientSecret = form.client_secret;
    const basic = /^Basic\s+(\S+)$/i.exec(ctx.req.headers.authorization ?? '');
    if (basic?.[1]) {
      const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon >= 0) {
        clientId ??= decodeURIComponent(decoded.slice(0, colon));
        clientSecret ??= decodeURIComponent(decoded.slice(colon + 1));
      }
    }
    if (!clientId) {
      sendOAuthError(ctx.res, 400, 'invalid_request', 'Could not determine client ID from request.');
      return undefined;
    }
    if (clientId !== core.options.clientId) {
      sendOAuthError(ctx.res, 401, 'invalid_client', 'The OAuth client was not found.');
      return undefined;
    }
    if (!clientSecret) {
      sendOAuthError(ctx.res, 400, 'invalid_request', 'client_secret is missing.');
      return undefined;
    }
    if (clientSecret !== core.options.clientSecret) {
      sendOAuthError(ctx.res, 401, 'invalid_client', 'Unauthorized');
      return undefined;
    }
    return clientId;
  }

  function issueAccessToken(clientId: string, scope: string, refreshToken: string | undefined): string {
    const accessToken = randomToken('ya29.a0', 60);
    core.accessTokens.set(accessToken, {
      clientId,
      scope,
      expiresAt: Date.now() + core.options.accessTokenLifetimeSeconds * 1000,
      refreshToken,
      revoked: false,
    });
    return accessToken;
  }

  function token(ctx: RouteContext): void {
    const { res } = ctx;
    const json = { 'content-type': 'application/json; charset=utf-8' };
    if (core.options.hostileToken === 'gzip-bomb') return sendGzipBomb(res, 1024 * 1024 * 1024, json);
    if (core.options.hostileToken === 'oversized') return sendOversized(res, 64 * 1024 * 1024, json);
    const contentType = (ctx.req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (contentType !== 'application/x-www-form-urlencoded' && contentType !== 'application/json') {
      return sendOAuthError(res, 400, 'invalid_request', 'Invalid Content-Type; expected form-urlencoded.');
    }
    const form = toStringRecord(ctx.body);
    const grantType = form.grant_type;
    if (!grantType)
      return sendOAuthError(res, 400, 'invalid_request', 'Missing required parameter: grant_type');
    if (grantType !== 'authorization_code' && grantType !== 'refresh_token') {
      return sendOAuthError(res, 400, 'unsupported_grant_type', `Invalid grant_type: ${grantType}`);
    }
    const clientId = authenticateClient(ctx, form);
    if (clientId === undefined) return;

    if (grantType === 'authorization_code') {
      const code = form.code;
      if (!code) return sendOAuthError(res, 400, 'invalid_request', 'Missing required parameter: code');
      const record = core.codes.get(code);
      if (!record || record.clientId !== clientId) {
        return sendOAuthError(res, 400, 'invalid_grant', 'Malformed auth code.');
      }
      if (record.used) return sendOAuthError(res, 400, 'invalid_grant', 'Bad Request');
      // Google burns the code on the first exchange attempt, successful or not.
      record.used = true;
      if (!form.redirect_uri) {
        return sendOAuthError(res, 400, 'invalid_request', 'Missing parameter: redirect_uri');
      }
      if (form.redirect_uri !== record.redirectUri) {
        return sendOAuthError(res, 400, 'redirect_uri_mismatch', 'Bad Request');
      }
      const verifier = form.code_verifier;
      if (!verifier) return sendOAuthError(res, 400, 'invalid_grant', 'Missing code verifier.');
      if (
        !/^[A-Za-z0-9\-._~]{43,128}$/.test(verifier) ||
        base64UrlSha256(verifier) !== record.codeChallenge
      ) {
        return sendOAuthError(res, 400, 'invalid_grant', 'Invalid code verifier.');
      }
      let refreshToken: string | undefined;
      if (record.offline && record.consent) {
        refreshToken = randomToken('1//0', 72);
        core.refreshTokens.set(refreshToken, { clientId, scope: record.scope, revoked: false });
        core.issuedRefreshTokens.push(refreshToken);
      }
      const accessToken = issueAccessToken(clientId, record.scope, refreshToken);
      return sendJson(res, 200, {
        access_token: accessToken,
        expires_in: core.options.accessTokenLifetimeSeconds,
        ...(refreshToken === undefined ? {} : { refresh_token: refreshToken }),
        scope: record.scope,
        token_type: 'Bearer',
      });
    }

    // refresh_token
    const refreshToken = form.refresh_token;
    if (!refreshToken)
      return sendOAuthError(res, 400, 'invalid_request', 'Missing required parameter: refresh_token');
    const record = core.refreshTokens.get(refreshToken);
    if (core.options.invalidGrant || !record || record.revoked) {
      return sendOAuthError(res, 400, 'invalid_grant', 'Token has been expired or revoked.');
    }
    if (record.clientId !== clientId) return sendOAuthError(res, 401, 'unauthorized_client', 'Unauthorized');
    const accessToken = issueAccessToken(clientId, record.scope, refreshToken);
    sendJson(res, 200, {
      access_token: accessToken,
      expires_in: core.options.accessTokenLifetimeSeconds,
      scope: record.scope,
      token_type: 'Bearer',
    });
  }

  function revoke(ctx: RouteContext): void {
    const form = toStringRecord(ctx.body);
    const value = ctx.query.token ?? form.token;
    if (!value) return sendOAuthError(ctx.res, 400, 'invalid_request', 'Missing required parameter: token');
    core.revokedTokens.push(value);
    const refresh = core.refreshTokens.get(value);
    const access = core.accessTokens.get(value);
    if (refresh && !refresh.revoked) {
      revokeRefreshToken(value);
    } else if (access && !access.revoked && access.expiresAt > Date.now()) {
      // Revoking an access token revokes its refresh token too (Google's documented behaviour).
      access.revoked = true;
      if (access.refreshToken !== undefined) revokeRefreshToken(access.refreshToken);
    } else {
      return sendOAuthError(ctx.res, 400, 'invalid_token', 'Token expired or revoked');
    }
    // Google answers 200 with an empty body.
    if (!ctx.res.headersSent) {
      ctx.res.writeHead(200, { 'content-length': '0' });
      ctx.res.end();
    }
  }

  function revokeRefreshToken(refreshToken: string): void {
    const record = core.refreshTokens.get(refreshToken);
    if (record) record.revoked = true;
    for (const access of core.accessTokens.values()) {
      if (access.refreshToken === refreshToken) access.revoked = true;
    }
  }
}

function toStringRecord(body: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    for (const [key, value] of Object.entries(body)) {
      if (typeof value === 'string') out[key] = value;
      else if (typeof value === 'number' || typeof value === 'boolean') out[key] = String(value);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Server

function parseBody(raw: Buffer, contentType: string | undefined): Record<string, string> | unknown {
  if (raw.length === 0) return {};
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  const text = raw.toString('utf8');
  if (type === 'application/x-www-form-urlencoded') {
    const out: Record<string, string> = {};
    for (const [key, value] of new URLSearchParams(text)) if (!(key in out)) out[key] = value;
    return out;
  }
  if (type === 'application/json') {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

function resolveOptions(options: FakeGoogleOptions): ResolvedOptions {
  return {
    clientId: options.clientId ?? DEFAULT_CLIENT_ID,
    clientSecret: options.clientSecret ?? DEFAULT_CLIENT_SECRET,
    authorize: options.authorize ?? 'approve',
    authorizeDelayMs: options.authorizeDelayMs ?? 0,
    accessTokenLifetimeSeconds: options.accessTokenLifetimeSeconds ?? 3600,
    invalidGrant: options.invalidGrant ?? false,
    challengeMismatch: options.challengeMismatch ?? false,
    hostileToken: options.hostileToken ?? null,
    ...(options.googleEmail === undefined ? {} : { googleEmail: options.googleEmail }),
  };
}

export async function startFakeGoogle(options: FakeGoogleOptions = {}): Promise<FakeGoogle> {
  const core: FakeGoogleCore = {
    options: resolveOptions(options),
    codes: new Map(),
    refreshTokens: new Map(),
    accessTokens: new Map(),
    issuedRefreshTokens: [],
    revokedTokens: [],
    requests: [],
    apiCalls: 0,
    url: '',
    timers: new Set(),
    closed: false,
  };
  const routes: FakeRoute[] = [];
  for (const module of ROUTE_MODULES) routes.push(...module(core));

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void dispatch(req, res, Buffer.concat(chunks));
    });
  });
  async function dispatch(req: IncomingMessage, res: ServerResponse, rawBody: Buffer): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', core.url);
    const query: Record<string, string> = {};
    for (const [key, value] of url.searchParams) if (!(key in query)) query[key] = value;
    const body = parseBody(rawBody, req.headers['content-type']);
    const entry: FakeGoogleRequest = {
      method,
      path: url.pathname,
      query,
      body,
      status: 0,
      time: Date.now(),
      headers: req.headers,
    };
    core.requests.push(entry);
    res.on('finish', () => {
      entry.status = res.statusCode;
    });

    let matched: { route: FakeRoute; params: Record<string, string> } | undefined;
    for (const route of routes) {
      if (route.method !== method) continue;
      if (typeof route.path === 'string') {
        if (route.path === url.pathname) matched = { route, params: {} };
      } else {
        const m = route.path.exec(url.pathname);
        if (m) {
          const params: Record<string, string> = {};
          for (const [key, value] of Object.entries(m.groups ?? {})) {
            if (value !== undefined) params[key] = decodeURIComponent(value);
          }
          matched = { route, params };
        }
      }
      if (matched) break;
    }
    if (!matched) {
      return sendJson(res, 404, {
        error: { code: 404, message: `Not found: ${method} ${url.pathname}`, status: 'NOT_FOUND' },
      });
    }
    if (matched.route.apiCall) core.apiCalls += 1;
    try {
      await matched.route.handle({
        req,
        res,
        method,
        path: url.pathname,
        url,
        query,
        params: matched.params,
        rawBody,
        body,
        core,
      });
    } catch (error) {
      sendJson(res, 500, {
        error: { code: 500, message: `fake-google route failed: ${String(error)}`, status: 'INTERNAL' },
      });
    }
  }

  const listener = await listenOnLoopback(server);
  core.url = listener.url;

  return {
    url: core.url,
    authUrl: `${core.url}${AUTH_PATH}`,
    tokenUrl: `${core.url}${TOKEN_PATH}`,
    revokeUrl: `${core.url}${REVOKE_PATH}`,
    apiUrl: `${core.url}/`,
    requests: core.requests,
    issuedRefreshTokens: core.issuedRefreshTokens,
    revokedTokens: core.revokedTokens,
    get apiCalls() {
      return core.apiCalls;
    },
    core,
    accessTokenIsValid: (token) => accessTokenIsValid(core, token),
    expireAccessTokens() {
      const past = Date.now() - 1;
      for (const record of core.accessTokens.values()) record.expiresAt = Math.min(record.expiresAt, past);
    },
    setOptions(partial) {
      core.options = resolveOptions({ ...core.options, ...partial });
    },
    addRoutes(extra) {
      // Routes a test adds take precedence over the built-in ones, so a test can override any endpoint.
      routes.unshift(...extra);
    },
    close() {
      core.closed = true;
      for (const timer of core.timers) clearTimeout(timer);
      core.timers.clear();
      return listener.close();
    },
  };
}
