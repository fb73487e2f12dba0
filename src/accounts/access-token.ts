import { constantTimeEqual, hmacSha256 } from '../core/sha256.js';

export interface AccessTokenExpectations {
  issuer: string;
  audience: string;
  now: Date;
}

/** An authentic token's claims; an expired token is still authentic (the session may be refreshed). */
export interface VerifiedAccessToken {
  payload: Record<string, unknown>;
  expired: boolean;
}

/**
 * Signs djs's own access token: an HS256 JWT, byte for byte what jose's SignJWT made of the same claims
 * (header {"alg":"HS256"}, the claims in their order). Done here (core/sha256.ts) because jose signs through
 * WebCrypto, whose loading alone took 5–20 ms of each command that refreshes its session (SPEC §12).
 */
export function signAccessToken(claims: Record<string, unknown>, key: Uint8Array): string {
  const encode = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signingInput = `${encode({ alg: 'HS256' })}.${encode(claims)}`;
  return `${signingInput}.${hmacSha256(key, signingInput).toString('base64url')}`;
}

/**
 * Verifies one of djs's own access tokens (signAccessToken): the signature, then the issuer, the audience,
 * not-before and expiry, as jose's jwtVerify would, without WebCrypto (see signAccessToken). Returns null
 * for a token that is not authentic or not meant for this database.
 */
export function verifyAccessToken(
  token: string,
  key: Uint8Array,
  expected: AccessTokenExpectations,
): VerifiedAccessToken | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [header, payload, signature] = parts as [string, string, string];
  // Compared as canonical base64url text: a lenient decoder would accept stray characters in the token.
  const expectedSignature = Buffer.from(hmacSha256(key, `${header}.${payload}`).toString('base64url'));
  if (!constantTimeEqual(Buffer.from(signature), expectedSignature)) return null;
  const protectedHeader = decodeJsonObject(header);
  const claims = decodeJsonObject(payload);
  if (protectedHeader?.alg !== 'HS256' || 'crit' in protectedHeader || !claims) return null;
  const audience = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (claims.iss !== expected.issuer || !audience.includes(expected.audience)) return null;
  const nowSeconds = Math.floor(expected.now.getTime() / 1000);
  if (typeof claims.exp !== 'number' || (claims.nbf !== undefined && !(Number(claims.nbf) <= nowSeconds))) {
    return null;
  }
  return { payload: claims, expired: claims.exp <= nowSeconds };
}

function decodeJsonObject(part: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}
