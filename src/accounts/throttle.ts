// Sign-in throttling: after a few wrong passwords for one account (or from one
// client address) further attempts are refused for a while, doubling with each
// new failure. Counts live in the database, so a restart or a second process
// does not reset them.
import { AppError } from "../shared/errors";
import * as store from "../store/accounts";
import type { DbOrTx } from "../store/db";

export type ThrottlePolicy = {
  /** Failures per account before it is locked. */
  accountLimit: number;
  /** Failures per client address before it is locked (higher: offices share one address). */
  ipLimit: number;
  /** Failures older than this are forgotten. */
  windowMs: number;
  /** First lock; each further failure doubles it. */
  baseMs: number;
  maxMs: number;
};

export const DEFAULT_THROTTLE: ThrottlePolicy = {
  accountLimit: 5,
  ipLimit: 20,
  windowMs: 60 * 60_000,
  baseMs: 30_000,
  maxMs: 15 * 60_000,
};

export class SignInThrottled extends AppError {
  constructor(retryAfterSeconds: number) {
    super("rate_limited", `Too many failed sign-ins; try again in ${retryAfterSeconds} seconds`);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export type ThrottleKeys = { account: string; ip: string | null };

export function throttleKeys(email: string, ip: string | undefined): ThrottleKeys {
  return { account: `email:${email.toLowerCase()}`, ip: ip ? `ip:${ip}` : null };
}

const keyList = (k: ThrottleKeys) => (k.ip ? [k.account, k.ip] : [k.account]);

/** Throws SignInThrottled while the account or the address is locked. */
export async function assertNotThrottled(db: DbOrTx, keys: ThrottleKeys, now: Date) {
  const rows = await store.findLoginThrottles(db, keyList(keys));
  const until = Math.max(0, ...rows.map((r) => r.locked_until?.getTime() ?? 0));
  if (until > now.getTime()) throw new SignInThrottled(Math.ceil((until - now.getTime()) / 1000));
}

export async function recordFailure(db: DbOrTx, keys: ThrottleKeys, now: Date, policy: ThrottlePolicy) {
  const common = { windowMs: policy.windowMs, baseMs: policy.baseMs, maxMs: policy.maxMs };
  await store.recordLoginFailure(db, keys.account, now, { ...common, limit: policy.accountLimit });
  if (keys.ip) await store.recordLoginFailure(db, keys.ip, now, { ...common, limit: policy.ipLimit });
  // Every guessed email leaves a row; now and then the stale ones go, so the table stays small.
  if (Math.random() < 0.01) await store.pruneLoginThrottles(db, now, policy.windowMs);
}

/** A correct password clears the account's count; the address keeps its count (one valid account must not unlock guessing at others). */
export async function recordSuccess(db: DbOrTx, keys: ThrottleKeys) {
  await store.clearLoginThrottle(db, keys.account);
}
