import { CodeChallengeMethod, OAuth2Client } from 'google-auth-library';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  DEFAULT_CLIENT_ID,
  DEFAULT_CLIENT_SECRET,
  requireAccessToken,
  sendJson,
  startFakeGoogle,
  type FakeGoogle,
} from '../../src/fakes/google-server.js';

const SCOPE = 'https://www.googleapis.com/auth/drive.file';
// Nothing listens here: the tests read the Location header instead of following it.
const REDIRECT_URI = 'http://127.0.0.1:53682/callback';

let fake: FakeGoogle;

beforeEach(async () => {
  fake = await startFakeGoogle();
});
afterEach(async () => {
  await fake.close();
});

function client(overrides: { clientId?: string; clientSecret?: string } = {}): OAuth2Client {
  return new OAuth2Client({
    clientId: overrides.clientId ?? DEFAULT_CLIENT_ID,
    clientSecret: overrides.clientSecret ?? DEFAULT_CLIENT_SECRET,
    redirectUri: REDIRECT_URI,
    endpoints: {
      oauth2AuthBaseUrl: fake.authUrl,
      oauth2TokenUrl: fake.tokenUrl,
      oauth2RevokeUrl: fake.revokeUrl,
    },
  });
}

interface Started {
  oauth: OAuth2Client;
  authUrl: string;
  state: string;
  codeVerifier: string;
}

async function startFlow(extra: { prompt?: string } = {}): Promise<Started> {
  const oauth = client();
  const { codeVerifier, codeChallenge } = await oauth.generateCodeVerifierAsync();
  const state = `state-${Math.random().toString(36).slice(2)}`;
  const authUrl = oauth.generateAuthUrl({
    access_type: 'offline',
    prompt: extra.prompt ?? 'consent',
    scope: SCOPE,
    state,
    code_challenge: codeChallenge,
    code_challenge_method: CodeChallengeMethod.S256,
  });
  return { oauth, authUrl, state, codeVerifier };
}

/** Like a browser that auto-approves: GET the auth URL and read where Google sends it. */
async function follow(authUrl: string): Promise<{ status: number; location: URL | undefined; text: string }> {
  const res = await fetch(authUrl, { redirect: 'manual' });
  const location = res.headers.get('location');
  return { status: res.status, location: location ? new URL(location) : undefined, text: await res.text() };
}

async function approvedCode(flow: Started): Promise<string> {
  const { status, location } = await follow(flow.authUrl);
  expect(status).toBe(302);
  expect(location?.searchParams.get('state')).toBe(flow.state);
  const code = location?.searchParams.get('code');
  expect(code).toBeTruthy();
  return code as string;
}

async function linked(): Promise<{ oauth: OAuth2Client; refreshToken: string; accessToken: string }> {
  const flow = await startFlow();
  const code = await approvedCode(flow);
  const { tokens } = await flow.oauth.getToken({
    code,
    codeVerifier: flow.codeVerifier,
    redirect_uri: REDIRECT_URI,
  });
  flow.oauth.setCredentials(tokens);
  return {
    oauth: flow.oauth,
    refreshToken: tokens.refresh_token ?? '',
    accessToken: tokens.access_token ?? '',
  };
}

/** The `error` field of Google's answer, as google-auth-library (gaxios) surfaces it. */
async function oauthError(
  promise: Promise<unknown>,
): Promise<{ message: string; status: unknown; data: unknown }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { message: string; status?: number; response?: { status: number; data: unknown } };
    return { message: e.message, status: e.response?.status, data: e.response?.data };
  }
  throw new Error('expected the call to fail');
}

describe('fake Google: authorization endpoint', () => {
  it('listens on 127.0.0.1 and exposes the endpoint URLs', () => {
    expect(fake.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(fake.authUrl).toBe(`${fake.url}/o/oauth2/v2/auth`);
    expect(fake.tokenUrl).toBe(`${fake.url}/token`);
    expect(fake.revokeUrl).toBe(`${fake.url}/revoke`);
    expect(fake.apiUrl).toBe(`${fake.url}/`);
  });

  it('records what the library puts in the auth URL and redirects with code, state and scope', async () => {
    const flow = await startFlow();
    const { status, location } = await follow(flow.authUrl);
    expect(status).toBe(302);
    expect(location?.origin + (location?.pathname ?? '')).toBe(REDIRECT_URI);
    expect(location?.searchParams.get('state')).toBe(flow.state);
    expect(location?.searchParams.get('scope')).toBe(SCOPE);
    expect(location?.searchParams.get('code')).toMatch(/^4\/0A/);

    const logged = fake.requests.find((r) => r.path === '/o/oauth2/v2/auth');
    expect(logged?.method).toBe('GET');
    expect(logged?.status).toBe(302);
    expect(Object.keys(logged?.query ?? {}).sort()).toEqual(
      [
        'access_type',
        'client_id',
        'code_challenge',
        'code_challenge_method',
        'prompt',
        'redirect_uri',
        'response_type',
        'scope',
        'state',
      ].sort(),
    );
    expect(logged?.query).toMatchObject({
      access_type: 'offline',
      prompt: 'consent',
      response_type: 'code',
      client_id: DEFAULT_CLIENT_ID,
      redirect_uri: REDIRECT_URI,
      scope: SCOPE,
      code_challenge_method: 'S256',
    });
  });

  it('deny → error=access_denied with the state, and no code', async () => {
    fake.setOptions({ authorize: 'deny' });
    const flow = await startFlow();
    const { status, location } = await follow(flow.authUrl);
    expect(status).toBe(302);
    expect(location?.searchParams.get('error')).toBe('access_denied');
    expect(location?.searchParams.get('state')).toBe(flow.state);
    expect(location?.searchParams.has('code')).toBe(false);
  });

  it('wrong-state → a code with a different state', async () => {
    fake.setOptions({ authorize: 'wrong-state' });
    const flow = await startFlow();
    const { location } = await follow(flow.authUrl);
    expect(location?.searchParams.get('code')).toBeTruthy();
    expect(location?.searchParams.get('state')).not.toBe(flow.state);
  });

  it('hang → a page that never redirects; authorizeDelayMs delays the answer', async () => {
    fake.setOptions({ authorize: 'hang' });
    const flow = await startFlow();
    const hung = await follow(flow.authUrl);
    expect(hung.status).toBe(200);
    expect(hung.location).toBeUndefined();
    expect(hung.text).toContain('<html');

    fake.setOptions({ authorize: 'approve', authorizeDelayMs: 150 });
    const t0 = Date.now();
    const slow = await follow(flow.authUrl);
    expect(slow.status).toBe(302);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it('checks client_id, redirect_uri, response_type, scope and the PKCE challenge', async () => {
    const flow = await startFlow();
    const variant = async (
      change: Record<string, string | null>,
    ): Promise<{ status: number; text: string }> => {
      const url = new URL(flow.authUrl);
      for (const [key, value] of Object.entries(change)) {
        if (value === null) url.searchParams.delete(key);
        else url.searchParams.set(key, value);
      }
      const { status, text } = await follow(url.toString());
      return { status, text };
    };
    expect(await variant({ client_id: 'someone-else' })).toMatchObject({
      status: 400,
      text: expect.stringContaining('invalid_client'),
    });
    for (const redirect of [
      'http://localhost:53682/callback',
      'http://0.0.0.0:53682/',
      'https://127.0.0.1:53682/',
      'http://127.0.0.1/callback',
      'http://evil.example/callback',
    ]) {
      expect(await variant({ redirect_uri: redirect })).toMatchObject({
        status: 400,
        text: expect.stringContaining('redirect_uri_mismatch'),
      });
    }
    expect((await variant({ redirect_uri: 'http://127.0.0.1:1/' })).status).toBe(302);
    expect((await variant({ response_type: 'token' })).status).toBe(400);
    expect((await variant({ scope: null })).text).toContain('invalid_request');
    expect((await variant({ code_challenge: null })).text).toContain('invalid_request');
    expect((await variant({ code_challenge_method: 'plain' })).text).toContain('invalid_request');
    expect((await variant({ code_challenge_method: null })).text).toContain('invalid_request');
  });
});

describe('fake Google: token endpoint', () => {
  it('exchanges a code with the right verifier for a refresh token, and records the form body', async () => {
    const flow = await startFlow();
    const code = await approvedCode(flow);
    const { tokens } = await flow.oauth.getToken({
      code,
      codeVerifier: flow.codeVerifier,
      redirect_uri: REDIRECT_URI,
    });
    expect(tokens.refresh_token).toMatch(/^1\/\/0/);
    expect(tokens.access_token).toMatch(/^ya29\./);
    expect(tokens.scope).toBe(SCOPE);
    expect(tokens.token_type).toBe('Bearer');
    expect(tokens.expiry_date).toBeGreaterThan(Date.now() + 3500_000);
    expect(fake.issuedRefreshTokens).toEqual([tokens.refresh_token]);
    expect(fake.accessTokenIsValid(tokens.access_token ?? '')).toBe(true);

    const logged = fake.requests.find((r) => r.path === '/token');
    expect(logged?.method).toBe('POST');
    expect(logged?.status).toBe(200);
    expect(logged?.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    expect(logged?.headers.authorization).toBeUndefined();
    expect(logged?.body).toEqual({
      client_id: DEFAULT_CLIENT_ID,
      client_secret: DEFAULT_CLIENT_SECRET,
      code,
      code_verifier: flow.codeVerifier,
      grant_type: 'authorization_code',
      redirect_uri: REDIRECT_URI,
    });
  });

  it('no refresh token without prompt=consent', async () => {
    const flow = await startFlow({ prompt: 'select_account' });
    const code = await approvedCode(flow);
    const { tokens } = await flow.oauth.getToken({
      code,
      codeVerifier: flow.codeVerifier,
      redirect_uri: REDIRECT_URI,
    });
    expect(tokens.access_token).toBeTruthy();
    expect(tokens.refresh_token).toBeUndefined();
    expect(fake.issuedRefreshTokens).toEqual([]);
  });

  it('a wrong verifier → invalid_grant "Invalid code verifier."', async () => {
    const flow = await startFlow();
    const code = await approvedCode(flow);
    const other = await flow.oauth.generateCodeVerifierAsync();
    const error = await oauthError(
      flow.oauth.getToken({ code, codeVerifier: other.codeVerifier, redirect_uri: REDIRECT_URI }),
    );
    expect(error.message).toBe('invalid_grant');
    expect(error.status).toBe(400);
    expect(error.data).toEqual({ error: 'invalid_grant', error_description: 'Invalid code verifier.' });
    expect(fake.issuedRefreshTokens).toEqual([]);
  });

  it('a code works once: reuse → invalid_grant', async () => {
    const flow = await startFlow();
    const code = await approvedCode(flow);
    await flow.oauth.getToken({ code, codeVerifier: flow.codeVerifier, redirect_uri: REDIRECT_URI });
    const error = await oauthError(
      flow.oauth.getToken({ code, codeVerifier: flow.codeVerifier, redirect_uri: REDIRECT_URI }),
    );
    expect(error.message).toBe('invalid_grant');
    expect(fake.issuedRefreshTokens).toHaveLength(1);
  });

  it('checks the redirect URI, the client secret and the grant type', async () => {
    const flow = await startFlow();
    const code = await approvedCode(flow);
    const mismatch = await oauthError(
      flow.oauth.getToken({
        code,
        codeVerifier: flow.codeVerifier,
        redirect_uri: 'http://127.0.0.1:9/other',
      }),
    );
    expect(mismatch.message).toBe('redirect_uri_mismatch');

    const flow2 = await startFlow();
    const code2 = await approvedCode(flow2);
    const badSecret = await oauthError(
      client({ clientSecret: 'nope' }).getToken({ code: code2, codeVerifier: flow2.codeVerifier }),
    );
    expect(badSecret).toMatchObject({ message: 'invalid_client', status: 401 });

    const res = await fetch(fake.tokenUrl, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'password',
        client_id: DEFAULT_CLIENT_ID,
        client_secret: DEFAULT_CLIENT_SECRET,
      }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'unsupported_grant_type' });
  });

  it('accepts client_secret_basic too', async () => {
    const flow = await startFlow();
    const code = await approvedCode(flow);
    const res = await fetch(fake.tokenUrl, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${DEFAULT_CLIENT_ID}:${DEFAULT_CLIENT_SECRET}`).toString('base64')}`,
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code,
        code_verifier: flow.codeVerifier,
        redirect_uri: REDIRECT_URI,
      }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ token_type: 'Bearer', refresh_token: expect.any(String) });
  });

  it('refreshes an expired access token (no new refresh token), and the old one stops working server side', async () => {
    fake.setOptions({ accessTokenLifetimeSeconds: 1200 });
    const { oauth, refreshToken, accessToken } = await linked();
    oauth.setCredentials({
      refresh_token: refreshToken,
      access_token: accessToken,
      expiry_date: Date.now() - 1000,
    });
    const { token } = await oauth.getAccessToken();
    expect(token).toBeTruthy();
    expect(token).not.toBe(accessToken);
    expect(fake.accessTokenIsValid(token ?? '')).toBe(true);

    const refresh = fake.requests.filter((r) => r.path === '/token').at(-1);
    expect(refresh?.body).toEqual({
      refresh_token: refreshToken,
      client_id: DEFAULT_CLIENT_ID,
      client_secret: DEFAULT_CLIENT_SECRET,
      grant_type: 'refresh_token',
    });
    const { credentials } = await oauth.refreshAccessToken();
    expect(credentials.refresh_token).toBe(refreshToken); // the library keeps the old one
    expect(fake.issuedRefreshTokens).toEqual([refreshToken]);

    fake.expireAccessTokens();
    expect(fake.accessTokenIsValid(token ?? '')).toBe(false);
  });

  it('invalidGrant knob → the library error carries invalid_grant', async () => {
    const { oauth, refreshToken } = await linked();
    fake.setOptions({ invalidGrant: true });
    oauth.setCredentials({ refresh_token: refreshToken, expiry_date: Date.now() - 1000 });
    const error = await oauthError(oauth.getAccessToken());
    expect(error.message).toBe('invalid_grant');
    expect(error.data).toEqual({
      error: 'invalid_grant',
      error_description: 'Token has been expired or revoked.',
    });
  });
});

describe('fake Google: revoke endpoint', () => {
  it('revokeToken sends POST /revoke?token=… with no body; the refresh token and its access tokens die', async () => {
    const { oauth, refreshToken, accessToken } = await linked();
    await oauth.revokeToken(refreshToken);
    expect(fake.revokedTokens).toEqual([refreshToken]);
    const logged = fake.requests.find((r) => r.path === '/revoke');
    expect(logged).toMatchObject({ method: 'POST', query: { token: refreshToken }, body: {}, status: 200 });
    expect(fake.accessTokenIsValid(accessToken)).toBe(false);

    oauth.setCredentials({ refresh_token: refreshToken, expiry_date: Date.now() - 1000 });
    expect((await oauthError(oauth.refreshAccessToken())).message).toBe('invalid_grant');

    const again = await oauthError(oauth.revokeToken(refreshToken));
    expect(again).toMatchObject({ message: 'invalid_token', status: 400 });
  });

  it('revoking an access token (form body) revokes its refresh token too; unknown tokens → invalid_token', async () => {
    const { refreshToken, accessToken } = await linked();
    const res = await fetch(fake.revokeUrl, {
      method: 'POST',
      body: new URLSearchParams({ token: accessToken }),
    });
    expect(res.status).toBe(200);
    expect(fake.accessTokenIsValid(accessToken)).toBe(false);
    expect(fake.core.refreshTokens.get(refreshToken)?.revoked).toBe(true);

    const unknown = await fetch(`${fake.revokeUrl}?token=never-issued`, { method: 'POST' });
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toEqual({
      error: 'invalid_token',
      error_description: 'Token expired or revoked',
    });
  });
});

describe('fake Google: router and close', () => {
  it('route modules can be added; apiCall routes are counted; requireAccessToken answers 401', async () => {
    fake.addRoutes([
      {
        method: 'GET',
        path: /^\/v4\/spreadsheets\/(?<id>[^/]+)$/,
        apiCall: true,
        handle(ctx) {
          if (!requireAccessToken(ctx)) return;
          sendJson(ctx.res, 200, { spreadsheetId: ctx.params.id });
        },
      },
    ]);
    const { accessToken } = await linked();
    const denied = await fetch(`${fake.apiUrl}v4/spreadsheets/abc`);
    expect(denied.status).toBe(401);
    expect(await denied.json()).toMatchObject({ error: { code: 401, status: 'UNAUTHENTICATED' } });
    const ok = await fetch(`${fake.apiUrl}v4/spreadsheets/abc`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(await ok.json()).toEqual({ spreadsheetId: 'abc' });
    expect(fake.apiCalls).toBe(2);
    expect((await fetch(`${fake.url}/nowhere`)).status).toBe(404);
  });

  it('close() ends hanging requests and delayed answers', async () => {
    fake.setOptions({ authorizeDelayMs: 60_000 });
    const flow = await startFlow();
    const pending = fetch(flow.authUrl, { redirect: 'manual' }).then(
      () => 'answered',
      () => 'failed',
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(fake.requests.at(-1)?.status).toBe(0);
    const t0 = Date.now();
    await fake.close();
    expect(await pending).toBe('failed');
    expect(Date.now() - t0).toBeLessThan(2000);
    await fake.close(); // idempotent
  });
});
