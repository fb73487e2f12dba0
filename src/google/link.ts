import { nodeCrypto } from '../core/node-crypto.js';
import type { Credentials, OAuth2Client } from 'google-auth-library';
import type { Clock } from '../core/clock.js';
import { AuthError, DjsError } from '../core/errors.js';
import { databaseId, type Db } from '../db/database.js';
import { resolveClientConfig } from './client-config.js';
import { DRIVE_FILE_SCOPE, googleEndpoints } from './endpoints.js';
import { readRedirect, startLoopbackReceiver, type AuthorizationCode } from './loopback.js';
import { secretAccounts, type SecretStore } from '../secrets/secret-store.js';

export const LINK_EXPIRED =
  'The Google link expired or was revoked: run `djs login --google` to connect again.';
export const NOT_LINKED = 'Your account is not linked to Google: run `djs login --google` first.';
export const LOGIN_TIMEOUT_MS = 5 * 60 * 1000;

/** What the SecretStore holds for a Google link: the refresh token, plus the short-lived access token cache. */
interface StoredCredentials {
  refresh_token: string;
  access_token?: string | null;
  expiry_date?: number | null;
}

/** How the link flow talks to the person: show (and open) the consent URL, optionally accept a pasted redirect. */
export interface LinkInteraction {
  presentUrl(url: string): Promise<void>;
  /** For --no-browser: resolves with the URL the browser was sent to; aborted when the loopback wins. */
  pasteRedirect?: (signal: AbortSignal) => Promise<string>;
}

export interface LinkResult {
  scopes: string;
  linkedAt: string;
}

/**
 * The Google link of a user (SPEC §6): the loopback OAuth flow with PKCE and state, refresh tokens in the
 * SecretStore under `google:<database id>:<user id>`, metadata only in the database.
 */
export class GoogleLinkService {
  constructor(
    private readonly deps: {
      db: Db;
      secrets: () => Promise<SecretStore>;
      clock: Clock;
      env: NodeJS.ProcessEnv;
      configPath: string;
    },
  ) {}

  isLinked(userId: number): boolean {
    return Boolean(
      this.deps.db.prepare('SELECT 1 FROM user_google_credentials WHERE user_id = ?').get(userId),
    );
  }

  async link(
    userId: number,
    ui: LinkInteraction,
    options: { timeoutMs?: number; port?: number; signal?: AbortSignal } = {},
  ): Promise<LinkResult> {
    const config = resolveClientConfig(this.deps.env, this.deps.configPath);
    const state = nodeCrypto().randomBytes(24).toString('base64url');
    const receiver = await startLoopbackReceiver({
      expectedState: state,
      timeoutMs: options.timeoutMs ?? LOGIN_TIMEOUT_MS,
      port: options.port,
      signal: options.signal,
    });
    const pasteAbort = new AbortController();
    try {
      const client = await this.client({ ...config, redirectUri: receiver.redirectUri });
      const { codeVerifier, codeChallenge } = await client.generateCodeVerifierAsync();
      const { CodeChallengeMethod } = await import('google-auth-library');
      const url = client.generateAuthUrl({
        access_type: 'offline',
        prompt: 'consent',
        scope: [DRIVE_FILE_SCOPE],
        state,
        code_challenge: codeChallenge,
        code_challenge_method: CodeChallengeMethod.S256,
      });
      await ui.presentUrl(url);
      const waits: Array<Promise<AuthorizationCode>> = [receiver.result];
      if (ui.pasteRedirect) {
        waits.push(
          ui.pasteRedirect(pasteAbort.signal).then((pasted) => readRedirect(parsePasted(pasted), state)),
        );
      }
      const { code } = await Promise.race(waits);
      const tokens = await exchange(client, code, codeVerifier!, receiver.redirectUri);
      return await this.store(userId, tokens);
    } finally {
      pasteAbort.abort();
      await receiver.close();
    }
  }

  /** A client carrying the user's credentials; refreshed tokens are written back to the SecretStore. */
  async authorizedClient(userId: number): Promise<OAuth2Client> {
    const stored = await this.readStored(userId);
    const client = await this.client(resolveClientConfig(this.deps.env, this.deps.configPath));
    client.setCredentials(stored);
    client.on('tokens', (tokens) => void this.persist(userId, stored, tokens).catch(() => undefined));
    return client;
  }

  /** A valid access token, refreshed when the cached one has expired; invalid_grant → exit 4. */
  async accessToken(userId: number): Promise<string> {
    const stored = await this.readStored(userId);
    const client = await this.client(resolveClientConfig(this.deps.env, this.deps.configPath));
    client.setCredentials(stored);
    let token: string | null | undefined;
    try {
      ({ token } = await client.getAccessToken());
    } catch (error) {
      throw googleError(error, 'refresh the Google access token');
    }
    if (!token) throw new AuthError(LINK_EXPIRED);
    if (client.credentials.access_token !== stored.access_token)
      await this.persist(userId, stored, client.credentials);
    return token;
  }

  /** Revokes the token at Google and deletes it locally. Returns whether Google confirmed the revocation. */
  async forget(userId: number): Promise<{ hadLink: boolean; revoked: boolean; warning: string | null }> {
    const store = await this.deps.secrets();
    const account = this.account(userId);
    const raw = await store.get(account);
    let revoked = false;
    let warning: string | null = null;
    if (raw) {
      const { refresh_token: refreshToken } = parseStored(raw);
      try {
        await (await this.client({})).revokeToken(refreshToken);
        revoked = true;
      } catch (error) {
        const status = (error as { response?: { status?: number } }).response?.status;
        // 400 invalid_token: Google no longer knows it (already revoked or expired) — nothing left to revoke.
        if (status === 400) revoked = true;
        else
          warning =
            'Google could not be reached to revoke the token; it was deleted here. Remove djs at https://myaccount.google.com/permissions to revoke it there.';
      }
      await store.delete(account);
    }
    const { changes } = this.deps.db
      .prepare('DELETE FROM user_google_credentials WHERE user_id = ?')
      .run(userId);
    return { hadLink: Boolean(raw) || changes > 0, revoked, warning };
  }

  private async store(userId: number, tokens: Credentials): Promise<LinkResult> {
    if (!tokens.refresh_token) {
      throw new DjsError(
        'Google did not return a refresh token. Remove djs at https://myaccount.google.com/permissions and run `djs login --google` again.',
      );
    }
    const scopes = tokens.scope ?? DRIVE_FILE_SCOPE;
    if (!scopes.split(/\s+/).includes(DRIVE_FILE_SCOPE)) {
      throw new AuthError(
        'Google did not grant access to the files djs creates (the drive.file permission was unticked). Run `djs login --google` again and allow it.',
      );
    }
    const secret: StoredCredentials = {
      refresh_token: tokens.refresh_token,
      access_token: tokens.access_token ?? null,
      expiry_date: tokens.expiry_date ?? null,
    };
    await (await this.deps.secrets()).set(this.account(userId), JSON.stringify(secret));
    const now = this.deps.clock.now().toISOString();
    this.deps.db
      .prepare(
        `INSERT INTO user_google_credentials (user_id, scopes, token_expiry, linked_at, created_at, updated_at)
         VALUES (@userId, @scopes, @expiry, @now, @now, @now)
         ON CONFLICT (user_id) DO UPDATE SET scopes = excluded.scopes, token_expiry = excluded.token_expiry,
           linked_at = excluded.linked_at, updated_at = excluded.updated_at`,
      )
      .run({ userId, scopes, expiry: isoOrNull(tokens.expiry_date), now });
    return { scopes, linkedAt: now };
  }

  private async persist(userId: number, previous: StoredCredentials, tokens: Credentials): Promise<void> {
    const next: StoredCredentials = {
      refresh_token: tokens.refresh_token ?? previous.refresh_token,
      access_token: tokens.access_token ?? null,
      expiry_date: tokens.expiry_date ?? null,
    };
    await (await this.deps.secrets()).set(this.account(userId), JSON.stringify(next));
    this.deps.db
      .prepare('UPDATE user_google_credentials SET token_expiry = ?, updated_at = ? WHERE user_id = ?')
      .run(isoOrNull(next.expiry_date), this.deps.clock.now().toISOString(), userId);
  }

  private async readStored(userId: number): Promise<StoredCredentials> {
    if (!this.isLinked(userId)) throw new AuthError(NOT_LINKED);
    const raw = await (await this.deps.secrets()).get(this.account(userId));
    if (!raw)
      throw new AuthError(
        `The Google token is missing from the ${(await this.deps.secrets()).kind === 'file' ? 'secrets file' : 'keychain'}. ${LINK_EXPIRED}`,
      );
    return parseStored(raw);
  }

  private account(userId: number): string {
    return secretAccounts.google(databaseId(this.deps.db), userId);
  }

  private async client(options: {
    clientId?: string;
    clientSecret?: string;
    redirectUri?: string;
  }): Promise<OAuth2Client> {
    const [{ OAuth2Client }, { googleTransporterOptions }] = await Promise.all([
      import('google-auth-library'),
      import('./transport.js'),
    ]);
    const endpoints = googleEndpoints(this.deps.env);
    return new OAuth2Client({
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      redirectUri: options.redirectUri,
      endpoints: {
        oauth2AuthBaseUrl: endpoints.authUrl,
        oauth2TokenUrl: endpoints.tokenUrl,
        oauth2RevokeUrl: endpoints.revokeUrl,
      },
      // Every Google request of this client (and of the Sheets API on top of it) is capped and origin-bound.
      transporterOptions: googleTransporterOptions(endpoints, this.deps.env),
    });
  }
}

async function exchange(
  client: OAuth2Client,
  code: string,
  codeVerifier: string,
  redirectUri: string,
): Promise<Credentials> {
  try {
    const { tokens } = await client.getToken({ code, codeVerifier, redirect_uri: redirectUri });
    return tokens;
  } catch (error) {
    throw googleError(
      error,
      'exchange the authorization code',
      'No token was stored. Run `djs login --google` again.',
    );
  }
}

/** Google's OAuth errors in the person's terms: invalid_grant is an expired or revoked link (exit 4). */
export function googleError(error: unknown, doing: string, invalidGrantMessage = LINK_EXPIRED): DjsError {
  const data = (error as { response?: { data?: { error?: string; error_description?: string } } }).response
    ?.data;
  const code =
    data?.error ?? ((error as Error).message?.includes('invalid_grant') ? 'invalid_grant' : undefined);
  if (code === 'invalid_grant') return new AuthError(invalidGrantMessage, { cause: error });
  if (code === 'invalid_client' || code === 'unauthorized_client') {
    return new AuthError(
      'Google rejected the OAuth client (invalid_client): check GOOGLE_CLIENT_ID/SECRET or the client secret file.',
      { cause: error },
    );
  }
  const detail = data?.error_description ?? data?.error ?? (error as Error).message;
  return new DjsError(`Could not ${doing}: ${String(detail).slice(0, 200)}`, undefined, { cause: error });
}

function parsePasted(pasted: string): URL {
  try {
    return new URL(pasted.trim());
  } catch {
    throw new AuthError(
      'That is not the URL the browser was redirected to (it starts with http://127.0.0.1:); no token was stored.',
    );
  }
}

function parseStored(raw: string): StoredCredentials {
  try {
    const parsed = JSON.parse(raw) as StoredCredentials;
    if (typeof parsed.refresh_token === 'string' && parsed.refresh_token) return parsed;
  } catch {
    // fall through
  }
  throw new AuthError(`The stored Google token is unreadable. ${LINK_EXPIRED}`);
}

const isoOrNull = (ms: number | null | undefined): string | null =>
  typeof ms === 'number' ? new Date(ms).toISOString() : null;
