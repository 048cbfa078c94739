import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { normalizedMessageSchema } from "../../src/ingest";
import { xConnector } from "../../src/listen/connectors/x";
import { allowPrivateUrls, contextFor } from "./fakes/server";
import { startXFake, type XFake } from "./fakes/x";

let fake: XFake;
let restoreEnv: () => void = () => undefined;
beforeAll(async () => {
  restoreEnv = allowPrivateUrls("1");
  fake = await startXFake();
});
afterAll(async () => {
  restoreEnv();
  await fake?.close();
});

const NOW = new Date("2026-11-24T12:00:00Z");
const ctx = (state: Record<string, unknown> = {}, token = fake.token, config: Record<string, unknown> = {}) =>
  contextFor(xConnector, { query: "acme", api_url: fake.url, ...config }, { state, credentials: { bearer_token: token }, now: () => NOW });

describe("X connector", () => {
  let cursor: Record<string, unknown> = {};

  it("reads recent search into normalized messages with authors and references", async () => {
    const result = await xConnector.poll(ctx());
    for (const m of result.messages) expect(normalizedMessageSchema.safeParse(m).success).toBe(true);
    expect(result.messages.map((m) => m.external_id)).toEqual(["1861000000000000103", "1861000000000000102", "1861000000000000101"]);
    const [rt, reply, original] = result.messages;
    expect(rt).toMatchObject({ repost_of: "1861000000000000101", author: { handle: "lena_pours", followers: 96 } });
    expect(reply).toMatchObject({
      in_reply_to: "1861000000000000101",
      url: "https://x.com/acme/status/1861000000000000102",
      author: { id: "1500", handle: "acme", display_name: "Acme Coffee Gear", verified: true, followers: 120400 },
    });
    expect(original).toMatchObject({
      created_at: "2026-11-24T09:12:44.000Z",
      language: "en",
      author: { bio: "Home roaster. Opinions are my cat's.", profile_url: "https://x.com/kaito_roasts" },
    });
    const asked = fake.requests[fake.requests.length - 1];
    expect(asked?.query.get("expansions")).toBe("author_id");
    expect(asked?.query.get("tweet.fields")).toContain("referenced_tweets");
    expect(asked?.query.get("user.fields")).toContain("public_metrics");
    expect(result.state).toEqual({ since_id: "1861000000000000103" });
    cursor = result.state;
  });

  it("pages back to since_id, and a search too large for one poll continues in the next", async () => {
    const first = Array.from({ length: 250 }, () => fake.addTweet());
    const r1 = await xConnector.poll(ctx(cursor));
    expect(r1.messages.map((m) => m.external_id).sort()).toEqual(first.map((t) => t.id).sort());
    expect(r1.state).toEqual({ since_id: first[first.length - 1]?.id });
    expect(r1.nextPollMs).toBeUndefined();

    const burst = Array.from({ length: 620 }, () => fake.addTweet());
    const r2 = await xConnector.poll(ctx(r1.state));
    expect(r2.messages).toHaveLength(500); // five pages of 100
    expect(r2.nextPollMs).toBe(5_000);
    expect(r2.state).toMatchObject({ since_id: r1.state.since_id, pending: { since_id: r1.state.since_id } });
    const r3 = await xConnector.poll(ctx(r2.state));
    const all = [...r2.messages, ...r3.messages].map((m) => m.external_id);
    expect(new Set(all).size).toBe(620);
    expect(all.sort()).toEqual(burst.map((t) => t.id).sort());
    expect(r3.state).toEqual({ since_id: burst[burst.length - 1]?.id });
    cursor = r3.state;
  });

  it("a 429 in the middle keeps what came and resumes after the reset", async () => {
    const added = Array.from({ length: 150 }, () => fake.addTweet());
    fake.rateLimit = { remaining: 1, reset: Math.floor(Date.parse("2026-11-24T12:15:00Z") / 1000) };
    const r1 = await xConnector.poll(ctx(cursor));
    expect(r1.messages).toHaveLength(100);
    expect(r1.nextPollMs).toBe(15 * 60_000); // remaining hit 0: wait for x-rate-limit-reset
    const refused = await xConnector.poll(ctx(r1.state)).catch((e) => e);
    expect(refused.kind).toBe("rate_limited");
    expect(refused.message).toBe("Rate limited by X until 12:15 UTC");
    fake.rateLimit = { remaining: 450, reset: Math.floor(Date.parse("2026-11-24T12:30:00Z") / 1000) };
    const r2 = await xConnector.poll(ctx(r1.state));
    expect([...r1.messages, ...r2.messages].map((m) => m.external_id).sort()).toEqual(added.map((t) => t.id).sort());
  });

  it("explains refusals from X's problem bodies", async () => {
    const denied = await xConnector.poll(ctx({}, "wrong-token")).catch((e) => e);
    expect(denied.kind).toBe("unauthorized");
    expect(denied.message).toBe("X refused the credentials (401 Unauthorized): Unauthorized");
    const noToken = await xConnector.poll({ ...ctx(), credentials: {} }).catch((e) => e);
    expect(noToken.message).toMatch(/bearer_token/);
    expect(await xConnector.test(ctx())).toMatchObject({ ok: true });
    expect(() => xConnector.validateConfig({ max_results: 500, query: "acme" })).toThrow(/config\.max_results/);
    expect(() => xConnector.validateConfig({})).toThrow(/config\.query/);
  });
});
