import { createHmac } from 'node:crypto';
import { JWTExpired } from 'jose/errors';
import { jwtVerify } from 'jose/jwt/verify';
import { SignJWT } from 'jose/jwt/sign';
import { describe, expect, it } from 'vitest';
import { signAccessToken, verifyAccessToken } from '../../src/accounts/access-token.js';

const KEY = new TextEncoder().encode('k'.repeat(32));
const OTHER_KEY = new TextEncoder().encode('o'.repeat(32));
const NOW = new Date('2026-03-01T12:00:00Z');
const NOW_S = NOW.getTime() / 1000;
const EXPECTED = { issuer: 'djs', audience: 'db-1', now: NOW };

function sign(claims: Record<string, unknown>, key = KEY) {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(key);
}

/** Signed by hand, for headers SignJWT refuses to write. */
function signWithHeader(header: object, claims: object): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signingInput = `${encode(header)}.${encode(claims)}`;
  return `${signingInput}.${createHmac('sha256', KEY).update(signingInput).digest('base64url')}`;
}

const valid = { sub: '7', sid: 's-1', iss: 'djs', aud: 'db-1', iat: NOW_S - 60, exp: NOW_S + 600 };

/** What jose's jwtVerify, which verified access tokens before, makes of a token. */
async function joseVerdict(token: string): Promise<'valid' | 'expired' | 'rejected'> {
  try {
    await jwtVerify(token, KEY, { algorithms: ['HS256'], issuer: 'djs', audience: 'db-1', currentDate: NOW });
    return 'valid';
  } catch (error) {
    return error instanceof JWTExpired ? 'expired' : 'rejected';
  }
}

function verdict(token: string): 'valid' | 'expired' | 'rejected' {
  const verified = verifyAccessToken(token, KEY, EXPECTED);
  return verified === null ? 'rejected' : verified.expired ? 'expired' : 'valid';
}

describe('signAccessToken', () => {
  it('signs byte for byte what jose’s SignJWT signed, which verifies as valid', async () => {
    const claims = [
      valid,
      { sid: 'é-😀', rth: 'a'.repeat(64), sub: '12', iss: 'djs', aud: 'db-1', iat: NOW_S, exp: NOW_S + 1 },
      { ...valid, extra: ['x', 1, null, { nested: true }] },
    ];
    for (const claim of claims) {
      const token = signAccessToken(claim, KEY);
      expect(token).toBe(await sign(claim));
      expect(await joseVerdict(token)).toBe('valid');
      expect(verifyAccessToken(token, KEY, EXPECTED)).toEqual({ payload: claim, expired: false });
    }
    expect(verifyAccessToken(signAccessToken(valid, OTHER_KEY), KEY, EXPECTED)).toBeNull();
  });
});

describe('verifyAccessToken', () => {
  it('returns the claims of an authentic token', async () => {
    expect(verifyAccessToken(await sign(valid), KEY, EXPECTED)).toEqual({ payload: valid, expired: false });
  });

  it('judges every token as jose does: signature, algorithm, issuer, audience, expiry, not-before', async () => {
    const token = await sign(valid);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const unsignedHeader = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    const cases: Record<string, string> = {
      valid: token,
      'expired now': await sign({ ...valid, exp: NOW_S }),
      'expired long ago': await sign({ ...valid, exp: NOW_S - 3600 }),
      'other key': await sign(valid, OTHER_KEY),
      'other issuer': await sign({ ...valid, iss: 'someone' }),
      'other audience': await sign({ ...valid, aud: 'db-2' }),
      'audience list': await sign({ ...valid, aud: ['db-2', 'db-1'] }),
      'no audience': await sign({ ...valid, aud: undefined }),
      'not yet valid': await sign({ ...valid, nbf: NOW_S + 60 }),
      'valid from now': await sign({ ...valid, nbf: NOW_S }),
      'signed by hand': signWithHeader({ alg: 'HS256' }, valid),
      'critical header': signWithHeader({ alg: 'HS256', crit: ['x'], x: 1 }, valid),
      'other algorithm': signWithHeader({ alg: 'HS512' }, valid),
      'unsigned (alg none)': `${unsignedHeader}.${payload}.`,
      'signature with a stray character': `${header}.${payload}.${signature}!`,
      'signature cut short': `${header}.${payload}.${signature.slice(0, -2)}`,
      'payload swapped': `${header}.${Buffer.from('{"sub":"1"}').toString('base64url')}.${signature}`,
      'four parts': `${token}.x`,
      garbage: 'not a token',
    };
    const ours: Record<string, string> = {};
    const jose: Record<string, string> = {};
    for (const [name, candidate] of Object.entries(cases)) {
      ours[name] = verdict(candidate);
      jose[name] = await joseVerdict(candidate);
    }
    expect(ours).toEqual(jose);
    // The oracle itself is not vacuous: every verdict occurs.
    expect(new Set(Object.values(jose))).toEqual(new Set(['valid', 'expired', 'rejected']));
  });
});
