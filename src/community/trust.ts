import { AppError } from "../shared/errors";

// Trust levels earned by activity, as on Discourse: a new member's links and images are shown
// as text and they may post only a little at a time; posting well (visible posts, accepted
// answers, upvotes) earns more. Staff may set a level by hand (it then stays as set).

export const TRUST_LEVELS = [
  { level: 0, name: "New", links: false, images: false, postsPerWindow: 3 },
  { level: 1, name: "Member", links: true, images: false, postsPerWindow: 10 },
  { level: 2, name: "Trusted", links: true, images: true, postsPerWindow: 30 },
  { level: 3, name: "Leader", links: true, images: true, postsPerWindow: 60 },
] as const;

/** The window an account's post limit counts over. */
export const POST_WINDOW_MS = 10 * 60 * 1000;

export type TrustLevel = (typeof TRUST_LEVELS)[number];

export const trustOf = (level: number): TrustLevel => TRUST_LEVELS[Math.max(0, Math.min(3, level))] as TrustLevel;

export type Activity = { posts: number; accepted: number; upvotes: number; hidden: number };

/** The level a member's activity earns (never 3: leaders are named by staff). */
export function earnedTrust(a: Activity): number {
  if (a.hidden > 0 && a.hidden * 4 >= a.posts) return 0; // mostly moderated away: back to new
  if ((a.accepted >= 1 && a.posts >= 10) || a.upvotes >= 10) return 2;
  if (a.posts >= 3) return 1;
  return 0;
}

/**
 * Writes per client address in a sliding window, kept in memory: one server process
 * answers the portal, and a restart forgetting counts only ever lets someone post again.
 */
export class RateLimiter {
  private hits = new Map<string, number[]>();

  constructor(
    readonly max: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Counts one write for the key, or throws rate_limited naming when to come back. */
  take(key: string, what: string): void {
    const t = this.now();
    const recent = (this.hits.get(key) ?? []).filter((at) => at > t - this.windowMs);
    if (recent.length >= this.max) {
      const err = new AppError("rate_limited", `Too many ${what} from this address: wait a few minutes and try again`);
      err.retryAfterSeconds = Math.max(1, Math.ceil(((recent[0] as number) + this.windowMs - t) / 1000));
      this.hits.set(key, recent);
      throw err;
    }
    recent.push(t);
    this.hits.set(key, recent);
    if (this.hits.size > 50_000) this.prune(t);
  }

  private prune(t: number) {
    for (const [key, list] of this.hits) if (!list.some((at) => at > t - this.windowMs)) this.hits.delete(key);
  }
}
