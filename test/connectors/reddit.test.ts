import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { normalizedMessageSchema } from "../../src/ingest";
import { redditConnector } from "../../src/listen/connectors/reddit";
import { type RedditFake, startRedditFake } from "./fakes/reddit";
import { allowPrivateUrls, contextFor } from "./fakes/server";

let fake: RedditFake;
let restoreEnv: () => void = () => undefined;
beforeAll(async () => {
  restoreEnv = allowPrivateUrls("1");
  fake = await startRedditFake();
});
afterAll(async () => {
  restoreEnv();
  await fake?.close();
});

const NOW = new Date("2026-11-24T12:00:00Z");
const ctx = (config: Record<string, unknown>, state: Record<string, unknown> = {}) =>
  contextFor(redditConnector, { api_url: fake.url, ...config }, { state, now: () => NOW });

describe("Reddit connector", () => {
  let cursor: Record<string, unknown> = {};

  it("reads a subreddit's new posts and comments into normalized messages", async () => {
    const result = await redditConnector.poll(ctx({ subreddit: "r/espresso" }));
    for (const m of result.messages) expect(normalizedMessageSchema.safeParse(m).success).toBe(true);
    const byId = new Map(result.messages.map((m) => [m.external_id, m]));
    expect([...byId.keys()].sort()).toEqual(["t1_lz0c0m2", "t1_lz0d7q9", "t3_1gzj9x0", "t3_1gzk2a1"]);
    expect(byId.get("t3_1gzk2a1")).toMatchObject({
      network: "reddit",
      subject: "Acme Grinder Pro lid cracked",
      text: "Mine cracked after two weeks. Anyone else? Acme support has not answered yet.",
      url: "https://www.reddit.com/r/espresso/comments/1gzk2a1/acme_grinder_pro_lid_cracked/",
      author: { id: "t2_kaito42", handle: "kaito_roasts", profile_url: "https://www.reddit.com/user/kaito_roasts" },
      created_at: "2026-11-24T11:12:44.000Z",
    });
    // A link post: its text carries the link.
    expect(byId.get("t3_1gzj9x0")?.text).toBe("https://coffee-reviews.example/acme-grinder-pro");
    expect(byId.get("t1_lz0c0m2")).toMatchObject({
      in_reply_to: "t3_1gzk2a1",
      text: "Sorry about that! Send us a DM with your order number and we'll ship a new lid.",
    });
    expect(byId.get("t1_lz0d7q9")?.in_reply_to).toBe("t1_lz0c0m2");
    const asked = fake.requests[fake.requests.length - 1];
    expect(asked?.headers["user-agent"]).toMatch(/^server:dev\.parley\.crm:/);
    expect(asked?.query.get("raw_json")).toBe("1");
    expect(result.state).toMatchObject({
      sources: { "r/espresso/new": { before: "t3_1gzk2a1" }, "r/espresso/comments": { before: "t1_lz0d7q9" } },
    });
    cursor = result.state;
  });

  it("reads upward from the stored fullname with `before`, page by page", async () => {
    const added = Array.from({ length: 130 }, () => fake.addPost());
    const before = fake.requests.length;
    const result = await redditConnector.poll(ctx({ subreddit: "espresso", comments: false }, cursor));
    const asked = fake.requests.slice(before).map((r) => r.query.get("before"));
    expect(asked).toEqual(["t3_1gzk2a1", added[99]?.data.name]);
    expect(result.messages.map((m) => m.external_id).sort()).toEqual(added.map((t) => t.data.name).sort());
    cursor = result.state;
    const quiet = await redditConnector.poll(ctx({ subreddit: "espresso", comments: false }, cursor));
    expect(quiet.messages).toEqual([]);
  });

  it("recovers when the item it stopped at was deleted", async () => {
    const last = (cursor.sources as Record<string, { before: string }>)["r/espresso/new"]?.before as string;
    fake.remove(last);
    const fresh = [fake.addPost(), fake.addPost(), fake.addPost()];
    const result = await redditConnector.poll(ctx({ subreddit: "espresso", comments: false }, cursor));
    expect(result.messages.map((m) => m.external_id).sort()).toEqual(fresh.map((t) => t.data.name).sort());
    expect(result.state).toMatchObject({ sources: { "r/espresso/new": { before: fresh[2]?.data.name } } });
  });

  it("searches with sort=new", async () => {
    const result = await redditConnector.poll(ctx({ search: "lid cracked" }));
    expect(result.messages.map((m) => m.external_id)).toEqual(["t3_1gzk2a1"]);
    const asked = fake.requests[fake.requests.length - 1];
    expect(asked?.path).toBe("/search.json");
    expect(asked?.query.get("sort")).toBe("new");
  });

  it("honours 429 and x-ratelimit-reset, and explains refusals", async () => {
    fake.rateLimit = { remaining: 0, resetSeconds: 240 };
    const limited = await redditConnector.poll(ctx({ subreddit: "espresso" })).catch((e) => e);
    expect(limited.kind).toBe("rate_limited");
    expect(limited.retryAt.toISOString()).toBe("2026-11-24T12:04:00.000Z");
    expect(limited.message).toBe("Rate limited by Reddit until 12:04 UTC");
    fake.rateLimit = { remaining: 600, resetSeconds: 600 };
    const secret = await redditConnector.poll(ctx({ subreddit: "secret" })).catch((e) => e);
    expect(secret.message).toBe("Reddit refused access (403 Forbidden): Forbidden (private)");
    const missing = await redditConnector.poll(ctx({ subreddit: "nosuchsub" })).catch((e) => e);
    expect(missing.message).toBe("Reddit answered 404 Not Found: Not Found");
    expect(() => redditConnector.validateConfig({})).toThrow(/config\.subreddit/);
    expect(() => redditConnector.validateConfig({ subreddit: "no spaces please" })).toThrow(/config\.subreddit/);
  });
});
