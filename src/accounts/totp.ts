// Time-based one-time passwords (RFC 6238) as authenticator apps make them: SHA-1, six digits,
// 30-second steps, computed by `otpauth`. Pure functions over a base32 secret and a time.
import { Secret, TOTP } from "otpauth";
import { sha256 } from "../shared/ids";

const PERIOD = 30;
/** A code from the step before or after is accepted too: phones' clocks drift. */
const WINDOW = 1;
export const RECOVERY_CODE_COUNT = 10;

function totp(secret: string, label = "Parley") {
  return new TOTP({ issuer: "Parley", label, algorithm: "SHA1", digits: 6, period: PERIOD, secret: Secret.fromBase32(secret) });
}

/** A new random secret (160 bits, as RFC 4226 recommends), base32 as apps take it. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

/** The otpauth:// URI an authenticator app reads from the QR code. */
export function totpUri(secret: string, email: string): string {
  return totp(secret, email).toString();
}

/** The time step a six-digit code belongs to, or null when it is not valid around `now`. */
export function matchTotp(secret: string, code: string, now: Date): number | null {
  const delta = totp(secret).validate({ token: code, timestamp: now.getTime(), window: WINDOW });
  if (delta === null) return null;
  return Math.floor(now.getTime() / 1000 / PERIOD) + delta;
}

/** What a person typed, without spaces, dashes or case (codes are read off screens and paper). */
export function normalizeCode(code: string): string {
  return code.replace(/[\s-]/g, "").toLowerCase();
}

export const looksLikeTotp = (normalized: string) => /^\d{6}$/.test(normalized);

/** Ten recovery codes of 80 random bits each, as `xxxx-xxxx-xxxx-xxxx` (base32, lower case). */
export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const plain = new Secret({ size: 10 }).base32.toLowerCase();
    return plain.match(/.{4}/g)?.join("-") ?? plain;
  });
}

/** Recovery codes are random enough that a plain hash is safe to store; the code is hashed normalized. */
export const recoveryCodeHash = (code: string) => sha256(`recovery:${normalizeCode(code)}`);
