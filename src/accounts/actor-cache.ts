// Who owns an API key or a session is read on every request: the rows are kept for a few seconds
// in memory and forgotten as soon as this process writes any table they come from (a key revoked,
// a session ended, a role changed, a member removed, a second factor set up or required). Another
// process's change (a second server on PostgreSQL) is seen within ACTOR_CACHE_MS.
import type { findActiveApiKey, findSession } from "../store/accounts";
import { TableCache } from "../store/write-watch";

export const ACTOR_TABLES = ["api_keys", "sessions", "memberships", "users", "workspaces"] as const;
export const ACTOR_CACHE_MS = 3_000;
const MAX_ENTRIES = 10_000;

type Found<F extends (...args: never[]) => Promise<unknown>> = NonNullable<Awaited<ReturnType<F>>>;

export const apiKeyCache = new TableCache<Found<typeof findActiveApiKey>>(ACTOR_TABLES, { ttlMs: ACTOR_CACHE_MS, maxEntries: MAX_ENTRIES });
export const sessionCache = new TableCache<Found<typeof findSession>>(ACTOR_TABLES, { ttlMs: ACTOR_CACHE_MS, maxEntries: MAX_ENTRIES });
