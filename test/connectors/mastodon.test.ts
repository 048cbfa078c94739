import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { normalizedMessageSchema } from "../../src/ingest";
import { mastodonConnector } from "../../src/listen/connectors/mastodon";
import { type MastodonFake, startMastodonFake } from "./fakes/mastodon";
import { allowPrivateUrls, contextFor } from "./fakes/server";

let fake: MastodonFake;
let host: string;
let restoreEnv: () => void = () => undefined;
beforeAll(async () => {
  restoreEnv = allowPrivateUrls("1");
  fake = await startMastodonFake();
  host = new URL(fake.url).host;
});
afterAll(async () => {
  restoreEnv();
  await fake?.close();
});

const NOW = new Date("2026-11-24T12:00:00Z");
const ctx = (config: Record<string, unknown>, state: Record<string, unknown> = {}, credentials: Record<string, string> = {}) =>
  contextFor(mastodonConnector, { instance_url: fake.url, ...config }, { state, credentials, now: () => NOW });

describe("Mastodon connector", () => {
  let cursor: Record<string, unknown> = {};

  it("reads a hashtag timeline into normalized messages: replies, boosts, authors", async () => {
    const result = await mastodonConnector.poll(ctx({ hashtag: "#Acme" }));
    for (const m of result.messages) expect(normalizedMessageSchema.safeParse(m).success).toBe(true);
    const byId = new Map(result.messages.map((m) => [m.external_id, m]));
    const question = byId.get(`${host}/113520000000000101`);
    expect(question).toMatchObject({
      network: "mastodon",
      url: "https://fosstodon.example/@kaito/113520000000000101",
      language: "en",
      created_at: "2026-11-24T09:12:44.000Z",
      author: {
        id: "kaito@fosstodon.example",
        handle: "kaito@fosstodon.example",
        display_name: "Kaito Mori ☕",
        followers: 1834,
        bio: "Home roaster. Opinions are my cat's.",
        profile_url: "https://fosstodon.example/@kaito",
      },
    });
    expect(question?.text).toBe("Has anyone else had their #Acme grinder lid crack? Mine split after two weeks.");
    expect(byId.get(`${host}/113520000000000102`)).toMatchObject({
      in_reply_to: `${host}/113520000000000101`,
      author: { id: `acme@${new URL(fake.url).hostname}`, followers: 12040 },
    });
    // The boost collapses onto the original post.
    expect(byId.get(`${host}/113520000000000103`)).toMatchObject({
      repost_of: `${host}/113520000000000101`,
      author: { handle: `lena@${new URL(fake.url).hostname}` },
    });
    expect(result.state).toEqual({ sources: { "tag:acme": { min_id: "113520000000000103" } } });
    cursor = result.state;
  });

  it("walks forward page by page with min_id, then resumes from the stored cursor", async () => {
    const added = Array.from({ length: 95 }, () => fake.addStatus({}));
    const before = fake.requests.length;
    const result = await mastodonConnector.poll(ctx({ hashtag: "acme" }, cursor));
    const ids = result.messages.map((m) => m.external_id);
    expect(new Set(ids).size).toBe(95);
    expect(ids.sort()).toEqual(added.map((s) => `${host}/${s.id}`).sort());
    const asked = fake.requests.slice(before).map((r) => r.query.get("min_id"));
    expect(asked[0]).toBe("113520000000000103");
    expect(asked).toHaveLength(3); // 40 + 40 + 15
    cursor = result.state;

    const later = [fake.addStatus({}), fake.addStatus({})];
    const next = await mastodonConnector.poll(ctx({ hashtag: "acme" }, cursor));
    expect(next.messages.map((m) => m.external_id)).toEqual(later.map((s) => `${host}/${s.id}`).reverse());
    const quiet = await mastodonConnector.poll(ctx({ hashtag: "acme" }, next.state));
    expect(quiet.messages).toEqual([]);
    cursor = quiet.state;
  });

  it("stops when the quota is spent and says until when", async () => {
    fake.rateLimit = { remaining: 1, reset: "2026-11-24T12:05:00.000Z" };
    const added = Array.from({ length: 45 }, () => fake.addStatus({}));
    // The last request of the window: one page comes back, and the next poll waits for the reset.
    const partial = await mastodonConnector.poll(ctx({ hashtag: "acme" }, cursor));
    expect(partial.messages).toHaveLength(40);
    expect(partial.nextPollMs).toBe(5 * 60_000);
    const refused = await mastodonConnector.poll(ctx({ hashtag: "acme" }, partial.state)).catch((e) => e);
    expect(refused.kind).toBe("rate_limited");
    expect(refused.message).toBe("Rate limited by Mastodon until 12:05 UTC");
    expect(refused.retryAt.toISOString()).toBe("2026-11-24T12:05:00.000Z");
    fake.rateLimit = { remaining: 300, reset: "2026-11-24T12:10:00.000Z" };
    const rest = await mastodonConnector.poll(ctx({ hashtag: "acme" }, partial.state));
    expect([...partial.messages, ...rest.messages].map((m) => m.external_id).sort()).toEqual(added.map((s) => `${host}/${s.id}`).sort());
  });

  it("reads an account's statuses, keyword search and own mentions", async () => {
    const account = await mastodonConnector.poll(ctx({ account: "@acme" }));
    expect(account.messages.map((m) => m.external_id)).toEqual([`${host}/113520000000000102`]);
    expect(account.state).toMatchObject({ account_id: "1" });

    const reply = fake.addStatus({ content: "<p>@acme my grinder lid cracked again</p>" });
    fake.notifications.push({ id: "9001", type: "mention", created_at: reply.created_at, account: reply.account, status: reply });
    fake.notifications.push({ id: "9002", type: "favourite", created_at: reply.created_at, account: reply.account, status: reply });
    const token = { access_token: fake.token };
    const mentions = await mastodonConnector.poll(ctx({ mentions: true }, {}, token));
    expect(mentions.messages.map((m) => m.external_id)).toEqual([`${host}/${reply.id}`]);
    expect(mentions.state).toMatchObject({ sources: { mentions: { min_id: "9001" } } });

    const search = await mastodonConnector.poll(ctx({ keyword: "lid cracked" }, {}, token));
    expect(search.messages.map((m) => m.external_id)).toContain(`${host}/${reply.id}`);
  });

  it("tests the connection in words", async () => {
    expect(await mastodonConnector.test(ctx({ hashtag: "acme" }))).toEqual({ ok: true, detail: "Reached Social Example (Mastodon 4.3.1)" });
    expect(await mastodonConnector.test(ctx({ mentions: true }, {}, { access_token: fake.token }))).toEqual({
      ok: true,
      detail: "Reached Social Example (Mastodon 4.3.1) as @acme",
    });
    const bad = await mastodonConnector.test(ctx({ mentions: true }, {}, { access_token: "wrong" })).catch((e) => e);
    expect(bad.message).toBe("Mastodon refused the credentials (401 Unauthorized): The access token is invalid");
    const noToken = await mastodonConnector.test(ctx({ mentions: true }));
    expect(noToken.ok).toBe(false);
    const unknown = await mastodonConnector.poll(ctx({ account: "nobody" })).catch((e) => e);
    expect(unknown.message).toBe("Mastodon answered 404 Not Found: Record not found");
    expect(() => mastodonConnector.validateConfig({ instance_url: fake.url })).toThrow(/config\.hashtag/);
  });
});
