/**
 * SHA-256 and HMAC-SHA256 for the checks every logged-in command makes (its access token, its refresh token's
 * hash, a password's pre-hash), from @noble/hashes: audited, dependency-free JavaScript. node:crypto would
 * compute the same, but loading it (with its ciphers and streams) cost each of those commands about 4 ms of
 * a 25 ms start (issue 14, SPEC §12). Randomness still comes from node:crypto (core/node-crypto.ts).
 */
import { hmac } from '@noble/hashes/hmac';
import { sha256 } from '@noble/hashes/sha2';

/** SHA-256 of the text's UTF-8 bytes, as hexadecimal. */
export function sha256Hex(text: string): string {
  return Buffer.from(sha256(Buffer.from(text, 'utf8'))).toString('hex');
}

/** HMAC-SHA256 of the text's UTF-8 bytes under the key (a string is its UTF-8 bytes). */
export function hmacSha256(key: Uint8Array | string, text: string): Buffer {
  const keyBytes = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
  return Buffer.from(hmac(sha256, keyBytes, Buffer.from(text, 'utf8')));
}

/**
 * Whether two byte strings are equal, in a time that depends on their length only, never on where they
 * first differ (for comparing a signature an attacker may be guessing byte by byte).
 */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let difference = 0;
  for (let i = 0; i < a.length; i++) difference |= a[i]! ^ b[i]!;
  return difference === 0;
}
