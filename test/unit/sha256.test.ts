import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { makeRng } from '../../src/fakes/linkedin-server.js';
import { constantTimeEqual, hmacSha256, sha256Hex } from '../../src/core/sha256.js';

/** Random text: ASCII, accents, astral characters, empty, and past one 64-byte block. */
function texts(count: number, seed: number): string[] {
  const r = makeRng(seed);
  const alphabet = ['a', 'Z', '0', ' ', '.', 'é', 'ß', 'İ', '中', '😀', '\n', '\u0000'];
  return Array.from({ length: count }, (_, i) =>
    Array.from(
      { length: i % 7 === 0 ? 0 : Math.floor(r() * 300) },
      () => alphabet[Math.floor(r() * alphabet.length)],
    ).join(''),
  );
}

describe('SHA-256 and HMAC-SHA256 (core/sha256.ts) compute what node:crypto computes', () => {
  it('SHA-256 of text', () => {
    for (const text of texts(200, 1)) {
      expect(sha256Hex(text)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
    }
  });

  it('HMAC-SHA256 under short, block-sized and long keys, given as text or bytes', () => {
    const keys = [Buffer.alloc(0), randomBytes(32), randomBytes(64), randomBytes(65), randomBytes(200)];
    texts(100, 2).forEach((text, i) => {
      const key = keys[i % keys.length]!;
      expect(hmacSha256(key, text).equals(createHmac('sha256', key).update(text, 'utf8').digest())).toBe(
        true,
      );
      const textKey = texts(1, i)[0]!;
      expect(hmacSha256(textKey, text).toString('base64')).toBe(
        createHmac('sha256', textKey).update(text, 'utf8').digest('base64'),
      );
    });
  });

  it('compares bytes as timingSafeEqual does, and unequal lengths as different', () => {
    for (let i = 0; i < 200; i++) {
      const a = randomBytes(i % 40);
      const b = Buffer.from(a);
      if (i % 3 === 1 && b.length > 0) b[i % b.length]! ^= 1 << (i % 8);
      expect(constantTimeEqual(a, b)).toBe(timingSafeEqual(a, b));
    }
    expect(constantTimeEqual(Buffer.from('abc'), Buffer.from('abcd'))).toBe(false);
    expect(constantTimeEqual(Buffer.alloc(0), Buffer.alloc(0))).toBe(true);
  });
});
