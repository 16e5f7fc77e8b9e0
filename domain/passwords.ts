import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";
import { msg, type Message } from "../messages/index.ts";

/*
 * Password hashing with scrypt, a memory-hard key-derivation function (N = 2^15, r = 8, p = 1:
 * 32 MiB per hash). Stored as "scrypt$N$r$p$salt$hash" (base64), so parameters can grow later.
 */

const N = 2 ** 15;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;
const MAX_MEMORY = 128 * N * R * 2;

/** The shortest password accepted. */
export const MIN_PASSWORD_LENGTH = 10;

function derive(password: string, salt: Buffer, options: ScryptOptions, keyLength: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize("NFC"), salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/** Hashes a password with a fresh random salt: await hashPassword("correct horse") → "scrypt$32768$8$1$…". */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, { N, r: R, p: P, maxmem: MAX_MEMORY }, KEY_LENGTH);
  return ["scrypt", N, R, P, salt.toString("base64"), key.toString("base64")].join("$");
}

/** Checks a password against a stored hash in constant time; false for malformed hashes. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, saltText, keyText] = stored.split("$");
  if (scheme !== "scrypt" || !saltText || !keyText) return false;
  const expected = Buffer.from(keyText, "base64");
  const options = { N: Number(n), r: Number(r), p: Number(p), maxmem: 128 * Number(n) * Number(r) * 2 };
  const actual = await derive(password, Buffer.from(saltText, "base64"), options, expected.length);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/** The longest password accepted. */
export const MAX_PASSWORD_LENGTH = 200;

/** Why a new password is refused, as a message, or null when it is acceptable: passwordProblem("short") → 密码至少需要 10 个字符. */
export function passwordProblem(password: string, username?: string): Message | null {
  if (password.length < MIN_PASSWORD_LENGTH) return msg("usrPasswordTooShort", { min: MIN_PASSWORD_LENGTH });
  if (password.length > MAX_PASSWORD_LENGTH) return msg("usrPasswordTooLong", { max: MAX_PASSWORD_LENGTH });
  if (username && password.toLowerCase().includes(username.toLowerCase())) return msg("usrPasswordHasUsername");
  return null;
}

/** Failed sign-ins in a row (one client, one name) allowed before each further attempt must wait. */
export const FREE_FAILURES = 5;
const FIRST_DELAY_MS = 60_000;
const LONGEST_DELAY_MS = 15 * 60_000;

/**
 * How long one client must wait before trying a name again after `failures` failures in a row: nothing
 * for the first four, a minute from the fifth, doubling with each further failure, at most 15 minutes.
 * signInDelayMs(4) → 0; signInDelayMs(5) → 60000; signInDelayMs(7) → 240000; signInDelayMs(20) → 900000.
 */
export function signInDelayMs(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(LONGEST_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.min(failures - FREE_FAILURES, 10));
}
