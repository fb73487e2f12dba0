import { nodeCrypto } from '../core/node-crypto.js';
import { sha256Hex } from '../core/sha256.js';
import type { Clock } from '../core/clock.js';
import { AuthError, notLoggedIn, UsageError } from '../core/errors.js';
import { setting, type Environment } from '../core/settings.js';
import { databaseId, type Db } from '../db/database.js';
import { secretAccounts, type SecretStore } from '../secrets/secret-store.js';
import type { SessionFile, SessionTokens } from './session-file.js';
import { signAccessToken, verifyAccessToken } from './access-token.js';

const ISSUER = 'djs';
/**
 * Two djs processes (cron and a person, say) may refresh the same session at the same moment; the loser
 * presents a token the winner just retired. Within this grace period that is a race, not a stolen token.
 */
const ROTATION_GRACE_MS = 60_000;

export interface SessionLifetimes {
  accessMinutes: number;
  refreshDays: number;
}

export interface ActiveSession {
  userId: number;
  sessionId: string;
  /** When the session ends unless it is used (refreshing extends it). */
  expiresAt: string;
  accessExpiresAt: string;
}

interface SessionRow {
  id: string;
  user_id: number;
  expires_at: string;
  revoked_at: string | null;
  revoke_reason: string | null;
}

export function sessionLifetimes(env: Environment): SessionLifetimes {
  return {
    accessMinutes: setting(env, 'JWT_ACCESS_TOKEN_EXPIRE_MINUTES'),
    refreshDays: setting(env, 'JWT_REFRESH_TOKEN_EXPIRE_DAYS'),
  };
}

export const hashToken = (token: string): string => sha256Hex(token);

/**
 * Sessions (SPEC §5): a signed HS256 access token naming the user and the session, plus a rotating
 * refresh token stored hashed. Every use checks the session row, so logout takes effect at once for
 * every copy of the session file.
 */
export class SessionService {
  private signingKey: Uint8Array | undefined;

  constructor(
    private readonly deps: {
      db: Db;
      secrets: () => Promise<SecretStore>;
      clock: Clock;
      env: Environment;
      file: SessionFile;
    },
  ) {}

  private get db(): Db {
    return this.deps.db;
  }

  private now(): Date {
    return this.deps.clock.now();
  }

  /**
   * Makes sure the signing key can be had (from the SecretStore) before anything is created: `register`
   * calls it first, so an unreachable keychain fails the command before the account exists.
   */
  async prepare(): Promise<void> {
    await this.key();
  }

  /** Starts a session for the user and makes it the active one of this DJS_HOME, ending any other. */
  async start(userId: number): Promise<ActiveSession> {
    const lifetimes = sessionLifetimes(this.deps.env);
    const previous = this.deps.file.read();
    const refreshToken = newRefreshToken();
    const sessionId = nodeCrypto().randomUUID();
    const now = this.now();
    const expiresAt = addMs(now, lifetimes.refreshDays * 86_400_000);
    // IMMEDIATE, like the refresh below: it reads before it writes, and a deferred transaction whose
    // snapshot another process's write outdated fails at once ("database is locked") instead of waiting.
    this.db
      .transaction(() => {
        if (previous.kind === 'present')
          this.revokeByToken(previous.tokens.refreshToken, 'replaced by a new login');
        this.db
          .prepare(
            `INSERT INTO sessions (id, user_id, refresh_token_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
          )
          .run(sessionId, userId, hashToken(refreshToken), now.toISOString(), expiresAt.toISOString());
      })
      .immediate();
    const { token, expiresAt: accessExpiresAt } = await this.signAccessToken(
      userId,
      sessionId,
      refreshToken,
      lifetimes,
    );
    this.deps.file.write({ accessToken: token, refreshToken });
    return { userId, sessionId, expiresAt: expiresAt.toISOString(), accessExpiresAt };
  }

  /** The verified active session, refreshed transparently when its access token has expired. */
  async current(): Promise<ActiveSession> {
    const state = this.deps.file.read();
    if (state.kind === 'absent') throw notLoggedIn();
    if (state.kind === 'invalid') throw invalidSessionFile();
    const claims = await this.verify(state.tokens.accessToken);
    // A token signed before access tokens named their refresh token is simply refreshed: the refresh
    // checks the refresh token against the session row, and the new access token is bound to it.
    if (claims.expired || claims.refreshHash === undefined) return this.refresh(state.tokens, claims);
    if (claims.refreshHash !== hashToken(state.tokens.refreshToken)) throw invalidSessionFile();
    const row = this.liveRow(claims.sessionId);
    if (row.user_id !== claims.userId) throw invalidSessionFile();
    return {
      userId: row.user_id,
      sessionId: row.id,
      expiresAt: row.expires_at,
      accessExpiresAt: claims.expiresAt,
    };
  }

  /** Ends the active session: revokes it in the database and deletes the session file. */
  async end(): Promise<{ userId: number | null }> {
    const state = this.deps.file.read();
    if (state.kind === 'absent') {
      throw new UsageError('There is no active session to log out from.');
    }
    if (state.kind === 'invalid') {
      this.deps.file.remove();
      throw new UsageError(
        'The session file was damaged and has been removed; there was no valid session to end.',
      );
    }
    const row = this.db
      .prepare('SELECT * FROM sessions WHERE refresh_token_hash = ?')
      .get(hashToken(state.tokens.refreshToken)) as SessionRow | undefined;
    this.deps.file.remove();
    if (!row || row.revoked_at) {
      throw new UsageError('The session in this DJS_HOME had already ended; its file has been removed.');
    }
    this.revoke(row.id, 'logout');
    return { userId: row.user_id };
  }

  /** Ends every session of a user (after a password change or deletion), optionally keeping one. */
  revokeAllForUser(userId: number, reason: string, exceptSessionId?: string): void {
    this.db
      .prepare(
        `UPDATE sessions SET revoked_at = ?, revoke_reason = ?
         WHERE user_id = ? AND revoked_at IS NULL AND id IS NOT ?`,
      )
      .run(this.now().toISOString(), reason, userId, exceptSessionId ?? null);
  }

  removeSessionFile(): void {
    this.deps.file.remove();
  }

  /**
   * Rotates the refresh token. Everything happens inside one `BEGIN IMMEDIATE` transaction, including
   * writing the session file, so processes refreshing the same session at once take turns: whoever comes
   * second finds its token retired a moment ago and the winner's new tokens already in the file, and
   * carries on with those. The new access token is signed beforehand, since signing is asynchronous and
   * a transaction is not.
   */
  private async refresh(tokens: SessionTokens, claims: AccessClaims): Promise<ActiveSession> {
    const { sessionId } = claims;
    const lifetimes = sessionLifetimes(this.deps.env);
    const presented = hashToken(tokens.refreshToken);
    const now = this.now();
    const refreshToken = newRefreshToken();
    const access = await this.signAccessToken(claims.userId, sessionId, refreshToken, lifetimes);
    const outcome = this.db
      .transaction((): { kind: 'rotated'; expiresAt: Date } | { kind: 'race' } | { kind: 'reused' } => {
        const row = this.liveRow(sessionId);
        if (row.user_id !== claims.userId) throw invalidSessionFile();
        const current = this.db
          .prepare('SELECT 1 FROM sessions WHERE id = ? AND refresh_token_hash = ?')
          .get(sessionId, presented);
        if (!current) {
          const retired = this.db
            .prepare('SELECT retired_at FROM session_retired_tokens WHERE token_hash = ? AND session_id = ?')
            .get(presented, sessionId) as { retired_at: string } | undefined;
          if (!retired) throw invalidSessionFile();
          if (now.getTime() - new Date(retired.retired_at).getTime() < ROTATION_GRACE_MS)
            return { kind: 'race' };
          // Returned, not thrown: a throw would roll the transaction back and undo the revocation.
          this.revoke(sessionId, 'refresh token reused');
          return { kind: 'reused' };
        }
        const expiresAt = addMs(now, lifetimes.refreshDays * 86_400_000);
        this.db
          .prepare('INSERT INTO session_retired_tokens (token_hash, session_id, retired_at) VALUES (?, ?, ?)')
          .run(presented, sessionId, now.toISOString());
        this.db
          .prepare(
            'UPDATE sessions SET refresh_token_hash = ?, refreshed_at = ?, expires_at = ? WHERE id = ?',
          )
          .run(hashToken(refreshToken), now.toISOString(), expiresAt.toISOString(), sessionId);
        // Written before the commit: a process waiting for this transaction then reads the new tokens.
        this.deps.file.write({ accessToken: access.token, refreshToken });
        return { kind: 'rotated', expiresAt };
      })
      .immediate();

    if (outcome.kind === 'reused') {
      throw new AuthError(
        'This session was ended because an old copy of its refresh token was used again. Run `djs login`.',
      );
    }
    if (outcome.kind === 'race') {
      // Another djs process rotated the token a moment ago and wrote the new one to the session file.
      const reread = this.deps.file.read();
      if (reread.kind === 'present' && reread.tokens.refreshToken !== tokens.refreshToken)
        return this.current();
      throw invalidSessionFile();
    }
    return {
      userId: claims.userId,
      sessionId,
      expiresAt: outcome.expiresAt.toISOString(),
      accessExpiresAt: access.expiresAt,
    };
  }

  private liveRow(sessionId: string): SessionRow {
    const row = this.db.prepare('SELECT * FROM sessions WHERE id = ?').get(sessionId) as
      SessionRow | undefined;
    if (!row) throw invalidSessionFile();
    if (row.revoked_at) throw sessionEnded(row);
    if (new Date(row.expires_at) <= this.now()) throw sessionExpired();
    return row;
  }

  private revokeByToken(refreshToken: string, reason: string): void {
    const row = this.db
      .prepare('SELECT id FROM sessions WHERE refresh_token_hash = ? AND revoked_at IS NULL')
      .get(hashToken(refreshToken)) as { id: string } | undefined;
    if (row) this.revoke(row.id, reason);
  }

  private revoke(sessionId: string, reason: string): void {
    this.db
      .prepare('UPDATE sessions SET revoked_at = ?, revoke_reason = ? WHERE id = ? AND revoked_at IS NULL')
      .run(this.now().toISOString(), reason, sessionId);
  }

  private async verify(token: string): Promise<AccessClaims> {
    const verified = verifyAccessToken(token, await this.key(), {
      issuer: ISSUER,
      audience: databaseId(this.db),
      now: this.now(),
    });
    if (!verified) throw invalidSessionFile();
    return claimsOf(verified.payload, verified.expired);
  }

  /** The access token names its refresh token (by hash), so the two cannot be swapped or edited apart. */
  private async signAccessToken(
    userId: number,
    sessionId: string,
    refreshToken: string,
    lifetimes: SessionLifetimes,
  ): Promise<{ token: string; expiresAt: string }> {
    const now = this.now();
    const expiresAt = addMs(now, lifetimes.accessMinutes * 60_000);
    const token = signAccessToken(
      {
        sid: sessionId,
        rth: hashToken(refreshToken),
        sub: String(userId),
        iss: ISSUER,
        aud: databaseId(this.db),
        iat: Math.floor(now.getTime() / 1000),
        exp: Math.floor(expiresAt.getTime() / 1000),
      },
      await this.key(),
    );
    return { token, expiresAt: expiresAt.toISOString() };
  }

  /** JWT_SECRET_KEY when set; otherwise a key generated once per database and kept in the SecretStore. */
  private async key(): Promise<Uint8Array> {
    if (this.signingKey) return this.signingKey;
    const fromEnv = setting(this.deps.env, 'JWT_SECRET_KEY');
    if (fromEnv !== undefined) {
      this.signingKey = new TextEncoder().encode(fromEnv);
      return this.signingKey;
    }
    const store = await this.deps.secrets();
    const account = secretAccounts.jwtSigningKey(databaseId(this.db));
    let secret = await store.get(account);
    if (!secret) {
      secret = nodeCrypto().randomBytes(32).toString('base64url');
      await store.set(account, secret);
    }
    this.signingKey = new TextEncoder().encode(secret);
    return this.signingKey;
  }
}

interface AccessClaims {
  userId: number;
  sessionId: string;
  /** The hash of the refresh token issued with this access token; absent from tokens signed before it. */
  refreshHash: string | undefined;
  expired: boolean;
  expiresAt: string;
}

function claimsOf(
  payload: { sub?: string; sid?: unknown; rth?: unknown; exp?: number },
  expired: boolean,
): AccessClaims {
  const userId = Number(payload.sub);
  if (
    !Number.isInteger(userId) ||
    typeof payload.sid !== 'string' ||
    typeof payload.exp !== 'number' ||
    !(payload.rth === undefined || typeof payload.rth === 'string')
  ) {
    throw invalidSessionFile();
  }
  return {
    userId,
    sessionId: payload.sid,
    refreshHash: payload.rth,
    expired,
    expiresAt: new Date(payload.exp * 1000).toISOString(),
  };
}

const newRefreshToken = (): string => nodeCrypto().randomBytes(32).toString('base64url');
const addMs = (date: Date, ms: number): Date => new Date(date.getTime() + ms);

function invalidSessionFile(): AuthError {
  return new AuthError(
    'The session file is not valid for this djs database (edited, damaged or signed elsewhere). Run `djs login`.',
  );
}

function sessionEnded(row: SessionRow): AuthError {
  const why = row.revoke_reason ? ` (${row.revoke_reason})` : '';
  return new AuthError(`This session has ended${why}. Run \`djs login\`.`);
}

function sessionExpired(): AuthError {
  return new AuthError('Your session has expired. Run `djs login`.');
}
