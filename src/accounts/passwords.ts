import { hmacSha256 } from '../core/sha256.js';
import { UsageError } from '../core/errors.js';

export const BCRYPT_COST = 12;
export const MIN_PASSWORD_LENGTH = 10;

/**
 * A bcrypt hash (cost 12) of a random string nobody knows: checking a password against it for an
 * unknown email costs the same time as a real check, so timing does not reveal which emails exist.
 */
const UNKNOWN_USER_HASH = '$2b$12$ea1g8tYeKDAo1LNzrNhqd.cJXpNOzLgz.vrPR8BPR/4KpFc.kj/wi';

/**
 * bcrypt reads only the first 72 bytes of its input, so two long passwords sharing those bytes would both
 * match. New hashes are of a fixed-length digest of the whole password instead (HMAC-SHA-256, base64: 44
 * ASCII bytes, never a NUL), marked with this prefix; hashes without it, made by earlier versions, still
 * verify and are replaced at the next successful login.
 */
const PREHASHED = 'hmac-sha256+';
/** A fixed, public key: not a secret, it only keeps these digests apart from plain SHA-256 lists. */
const PREHASH_KEY = 'djs password prehash v1';

/** The policy of SPEC §5: 10+ characters (code points, so an emoji counts once), 3 of the 4 character classes, and not the email. */
export function checkPasswordPolicy(password: string, email: string): void {
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    throw new UsageError(`The password is too short: use at least ${MIN_PASSWORD_LENGTH} characters.`);
  }
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((pattern) =>
    pattern.test(password),
  ).length;
  if (classes < 3) {
    throw new UsageError(
      'The password is too weak: use at least 3 of lower-case letters, upper-case letters, digits and symbols.',
    );
  }
  const lowered = password.toLowerCase();
  const localPart = email.split('@')[0] ?? email;
  if (lowered === email || lowered === localPart) {
    throw new UsageError('The password must not be your email address.');
  }
}

// bcryptjs is loaded on demand: most commands never check a password.
const bcrypt = async () => (await import('bcryptjs')).default;

const prehash = (password: string): string => hmacSha256(PREHASH_KEY, password).toString('base64');

export async function hashPassword(password: string): Promise<string> {
  return PREHASHED + (await (await bcrypt()).hash(prehash(password), BCRYPT_COST));
}

/** A hash made before pre-hashing: it matches any password sharing its first 72 bytes, so it is replaced. */
export const isLegacyHash = (hash: string): boolean => !hash.startsWith(PREHASHED);

/** Checks a password against a stored hash, or against a decoy hash when there is no user. */
export async function verifyPassword(password: string, hash: string | null): Promise<boolean> {
  const { compare } = await bcrypt();
  if (hash !== null && isLegacyHash(hash)) return compare(password, hash);
  const matches = await compare(prehash(password), hash?.slice(PREHASHED.length) ?? UNKNOWN_USER_HASH);
  return matches && hash !== null;
}
