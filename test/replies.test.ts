import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postToMessage } from "../src/listen/connectors/bluesky";
import { type MastodonStatus, statusToMessages } from "../src/listen/connectors/mastodon";
import { thingToMessage } from "../src/listen/connectors/reddit";
import { tweetToMessage } from "../src/listen/connectors/x";
import { deliverOutbox } from "../src/rules";
import { type SafeFetch, safeFetch } from "../src/shared/safe-fetch";
import { signWebhook } from "../src/shared/signing";
import { type BlueskyFake, startBlueskyFake } from "./connectors/fakes/bluesky";
import { type MastodonFake, startMastodonFake } from "./connectors/fakes/mastodon";
import { startRedditFake } from "./connectors/fakes/reddit";
import { allowPrivateUrls, type FakeReply, startFake } from "./connectors/fakes/server";
import { startXFake } from "./connectors/fakes/x";
import { type Caller, memberWithRole, newWorkspace, startTestApp, type TestApp } from "./support/app";

// Replying from Parley (issue #14): the reply is an outbound message on the conversation at
// once, delivered after commit through the outbox to a local Mastodon that checks each post the
// way the real API does (Bearer token, in_reply_to_id, 500 characters, Idempotency-Key).

let t: TestApp;
let fake: MastodonFake;
let bluesky: BlueskyFake;
let host: string;
let restoreEnv: () => void = () => undefined;
beforeAll(async () => {
  restoreEnv = allowPrivateUrls("1");
  t = await startTestApp();
  fake = await startMastodonFake();
  bluesky = await startBlueskyFake();
  host = new URL(fake.url).host;
});
afterAll(async () => {
  restoreEnv();
  await fake?.close();
  await bluesky?.close();
  await t?.close();
});

type Reply = {
  id: string;
  conversation_id: string;
  text: string;
  visibility: string;
  in_reply_to: string | null;
  delivery_status: "sending" | "sent" | "failed";
  delivery_error: string | null;
  external_id: string | null;
  url: string | null;
  delivered_at: string | null;
};

/** A workspace without automation rules (only the test acts), with a Mastodon channel on the fake. */
async function setup() {
  const owner = await newWorkspace(t);
  for (const r of (await owner.request("GET", "/api/v1/rules")).json().data as Array<{ id: string }>) {
    await owner.request("DELETE", `/api/v1/rules/${r.id}`);
  }
  const res = await owner.request("POST", "/api/v1/channels", {
    name: "Mastodon",
    network: "mastodon",
    config: { instance_url: fake.url, hashtag: "acme" },
    credentials: { access_token: fake.token },
  });
  expect(res.statusCode, res.body).toBe(201);
  return { owner, channelId: res.json().id as string };
}

/** A customer's post on the instance, read into Parley as the connector reads it. */
async function customerPost(c: Caller, channelId: string, text = "My #acme grinder lid cracked, can you help?") {
  const status = fake.addStatus({ content: `<p>${text}</p>` });
  const res = await c.request("POST", "/api/v1/messages:batch", { channel_id: channelId, messages: statusToMessages(status, host) });
  expect(res.statusCode, res.body).toBe(200);
  const found = await c.request("GET", `/api/v1/messages?network=mastodon&limit=200`);
  const message = (found.json().data as Array<{ external_id: string; conversation_id: string }>).find(
    (m) => m.external_id === `${host}/${status.id}`,
  );
  if (!message) throw new Error("the customer's post was not stored");
  return { status, conversationId: message.conversation_id };
}

const reply = (c: Caller, conversationId: string, body: Record<string, unknown>) =>
  c.request("POST", `/api/v1/conversations/${conversationId}/replies`, body);
const replyOf = async (c: Caller, conversationId: string, id: string) =>
  (await c.request("GET", `/api/v1/conversations/${conversationId}/replies/${id}`)).json() as Reply;
const postsFor = (status: MastodonStatus) => fake.posted.filter((p) => p.body.in_reply_to_id === status.id);
/** Lets a waiting retry come due, as time passing would. */
const dueNow = () =>
  t.db
    .updateTable("outbox")
    .set({ next_attempt_at: new Date(Date.now() - 1000) })
    .where("status", "=", "pending")
    .execute();

describe("replies", () => {
  it("stores the reply on the conversation at once, sends it once, and counts it as the first response only when delivered", async () => {
    const { owner, channelId } = await setup();
    const { status, conversationId } = await customerPost(owner, channelId);
    const kase = await owner.request("POST", "/api/v1/cases", { subject: "Cracked lid", conversation_id: conversationId });
    expect(kase.statusCode, kase.body).toBe(201);

    const composer = (await owner.request("GET", `/api/v1/conversations/${conversationId}/composer`)).json();
    expect(composer).toMatchObject({ can_reply: true, network: "mastodon", max_length: 500, private_allowed: true });
    expect(composer.prefix).toBe("@kaito@fosstodon.example ");

    const first = await reply(owner, conversationId, { text: "Sorry about that! A new lid is on its way.", idempotency_key: "k-1" });
    expect(first.statusCode, first.body).toBe(201);
    const r = first.json() as Reply;
    expect(r).toMatchObject({
      delivery_status: "sending",
      visibility: "public",
      external_id: null,
      in_reply_to: `${host}/${status.id}`,
      text: "@kaito@fosstodon.example Sorry about that! A new lid is on its way.",
    });

    // Threaded on the same conversation at once, as an outbound message.
    const convo = (await owner.request("GET", `/api/v1/conversations/${conversationId}`)).json();
    const outbound = convo.messages.filter((m: { direction: string }) => m.direction === "outbound");
    expect(outbound).toHaveLength(1);
    expect(outbound[0]).toMatchObject({ id: r.id, in_reply_to: `${host}/${status.id}`, delivery: { status: "sending" } });

    // The same key again: the same reply, not a second one.
    const again = await reply(owner, conversationId, { text: "Sorry about that! A new lid is on its way.", idempotency_key: "k-1" });
    expect(again.statusCode).toBe(200);
    expect(again.json().id).toBe(r.id);

    // Written is not answered: the first-response timer still runs.
    expect((await owner.request("GET", `/api/v1/cases/${kase.json().id}`)).json().first_responded_at).toBeNull();

    await deliverOutbox(t.db, { retryBaseSeconds: 1 });
    const posts = postsFor(status);
    expect(posts).toHaveLength(1);
    expect(posts[0]).toMatchObject({
      authorization: `Bearer ${fake.token}`,
      idempotencyKey: r.id,
      body: { in_reply_to_id: status.id, visibility: "public", status: r.text },
    });
    const sent = await replyOf(owner, conversationId, r.id);
    expect(sent).toMatchObject({
      delivery_status: "sent",
      delivery_error: null,
      external_id: `${host}/${posts[0]?.status.id}`,
      url: posts[0]?.status.url,
    });
    expect(sent.delivered_at).not.toBeNull();
    expect((await owner.request("GET", `/api/v1/cases/${kase.json().id}`)).json().first_responded_at).not.toBeNull();

    // Nothing is sent twice: not by the worker, not by the same key after delivery.
    const repeat = await reply(owner, conversationId, { text: "Sorry about that! A new lid is on its way.", idempotency_key: "k-1" });
    expect(repeat.json()).toMatchObject({ id: r.id, delivery_status: "sent" });
    await deliverOutbox(t.db, { retryBaseSeconds: 1 });
    expect(postsFor(status)).toHaveLength(1);

    // A later poll reads the reply back from the instance: it is the same message, not a new one.
    const echo = await owner.request("POST", "/api/v1/messages:batch", {
      channel_id: channelId,
      messages: statusToMessages(posts[0]?.status as MastodonStatus, host),
    });
    expect(echo.json()).toMatchObject({ stored: 0 });
  });

  it("sends a private reply as a direct message", async () => {
    const { owner, channelId } = await setup();
    const { status, conversationId } = await customerPost(owner, channelId, "My order number is in my DMs");
    const res = await reply(owner, conversationId, { text: "Thanks, we found it.", visibility: "private" });
    expect(res.statusCode, res.body).toBe(201);
    await deliverOutbox(t.db, { retryBaseSeconds: 1 });
    expect(postsFor(status)[0]?.body).toMatchObject({ visibility: "direct", in_reply_to_id: status.id });
    expect((await replyOf(owner, conversationId, res.json().id)).delivery_status).toBe("sent");
  });

  it("checks the length as Mastodon counts it (graphemes, the mention included) and names the field", async () => {
    const { owner, channelId } = await setup();
    const { status, conversationId } = await customerPost(owner, channelId);
    // 25 characters of mention + 480 thumbs = 505: too long, though each thumb is four UTF-16 units.
    const tooLong = await reply(owner, conversationId, { text: "👍🏽".repeat(480) });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.json().error.details[0]).toMatchObject({ field: "text" });
    expect(tooLong.json().error.message).toContain("Mastodon allows 500");
    // 25 + 475 = 500: accepted here and by the instance.
    const fits = await reply(owner, conversationId, { text: "👍🏽".repeat(475) });
    expect(fits.statusCode, fits.body).toBe(201);
    await deliverOutbox(t.db, { retryBaseSeconds: 1 });
    expect((await replyOf(owner, conversationId, fits.json().id)).delivery_status).toBe("sent");
    expect(postsFor(status)).toHaveLength(1);

    for (const [body, field] of [
      [{ text: "   " }, "text"],
      [{ text: "hi", visibility: "loud" }, "visibility"],
      [{ text: "hi", idempotency_key: "" }, "idempotency_key"],
      [{ text: "hi", in_reply_to_message_id: "00000000-0000-4000-8000-000000000000" }, "in_reply_to_message_id"],
    ] as const) {
      const res = await reply(owner, conversationId, body);
      expect(res.statusCode, res.body).toBe(400);
      expect(res.body).toContain(field);
    }
  });

  it("stores the network's refusal in words and sends again only when asked", async () => {
    const { owner, channelId } = await setup();
    const { status, conversationId } = await customerPost(owner, channelId);
    fake.postAnswers.push({ status: 422, body: { error: "Validation failed: Text contains a forbidden word" } });
    const r = (await reply(owner, conversationId, { text: "We will look into it." })).json() as Reply;
    await deliverOutbox(t.db, { retryBaseSeconds: 1 });
    const failed = await replyOf(owner, conversationId, r.id);
    expect(failed.delivery_status).toBe("failed");
    expect(failed.delivery_error).toBe("Mastodon answered 422 Unprocessable Entity: Validation failed: Text contains a forbidden word");
    await dueNow();
    await deliverOutbox(t.db, { retryBaseSeconds: 1 });
    expect(postsFor(status)).toHaveLength(0);

    // Only a failed reply can be retried; with corrected text it goes out.
    const retried = await owner.request("POST", `/api/v1/conversations/${conversationId}/replies/${r.id}:retry`, {
      text: "We are looking into it.",
    });
    expect(retried.statusCode, retried.body).toBe(200);
    expect(retried.json()).toMatchObject({ delivery_status: "sending", delivery_error: null });
    await deliverOutbox(t.db, { retryBaseSeconds: 1 });
    expect(await replyOf(owner, conversationId, r.id)).toMatchObject({ delivery_status: "sent" });
    expect(postsFor(status).map((p) => p.body.status)).toEqual(["@kaito@fosstodon.example We are looking into it."]);
    const twice = await owner.request("POST", `/api/v1/conversations/${conversationId}/replies/${r.id}:retry`, {});
    expect(twice.statusCode).toBe(409);
  });

  it("waits as long as a 429's Retry-After says, and retries a 500 until it is delivered", async () => {
    const { owner, channelId } = await setup();
    const { status, conversationId } = await customerPost(owner, channelId);
    fake.postAnswers.push({ status: 429, headers: { "retry-after": "120" }, body: { error: "Too many requests" } });
    const r = (await reply(owner, conversationId, { text: "On it!" })).json() as Reply;
    const before = Date.now();
    await deliverOutbox(t.db, { retryBaseSeconds: 1 });
    const waiting = await replyOf(owner, conversationId, r.id);
    expect(waiting.delivery_status).toBe("sending");
    expect(waiting.delivery_error).toContain("Rate limited by Mastodon");
    const rows = await t.db.selectFrom("outbox").selectAll().where("kind", "=", "reply").execute();
    const row = rows.find((o) => (o.payload as { message_id?: string }).message_id === r.id);
    expect(new Date(row?.next_attempt_at ?? 0).getTime()).toBeGreaterThanOrEqual(before + 110_000);
    // Not due yet: nothing is sent.
    await deliverOutbox(t.db, { retryBaseSeconds: 1 });
    expect(postsFor(status)).toHaveLength(0);

    // Then a server error: retried with backoff, and delivered once the instance recovers.
    fake.postAnswers.push({ status: 500, body: { error: "Internal server error" } });
    await dueNow();
    await deliverOutbox(t.db, { retryBaseSeconds: 1 });
    expect(await replyOf(owner, conversationId, r.id)).toMatchObject({ delivery_status: "sending" });
    expect((await replyOf(owner, conversationId, r.id)).delivery_error).toContain("500");
    await dueNow();
    await deliverOutbox(t.db, { retryBaseSeconds: 1 });
    expect(await replyOf(owner, conversationId, r.id)).toMatchObject({ delivery_status: "sent", delivery_error: null });
    expect(postsFor(status)).toHaveLength(1);
  });

  it("says in words where replies are not possible, and lets only writers reply", async () => {
    const { owner } = await setup();
    const rss = await owner.request("POST", "/api/v1/channels", {
      name: "Blog",
      network: "rss",
      config: { feed_url: "https://blog.example/feed.xml" },
    });
    await owner.request("POST", "/api/v1/messages:batch", {
      channel_id: rss.json().id,
      messages: [
        {
          network: "rss",
          external_id: "https://blog.example/posts/1",
          author: { id: "blogger", handle: "blogger" },
          text: "Acme's grinder is loud",
          created_at: "2026-11-24T10:00:00Z",
        },
      ],
    });
    const convos = (await owner.request("GET", "/api/v1/conversations?network=rss")).json().data as Array<{ id: string }>;
    const id = convos[0]?.id as string;
    const res = await reply(owner, id, { text: "Thanks for the review" });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toMatch(/not possible on RSS feeds/);
    expect((await owner.request("GET", `/api/v1/conversations/${id}/composer`)).json()).toMatchObject({
      can_reply: false,
      reason: expect.stringContaining("no write API"),
    });

    const viewer = await memberWithRole(t, owner, "viewer");
    expect((await reply(viewer, id, { text: "hi" })).statusCode).toBe(403);
  });

  it("sends once even when the answer to a send is lost (the Idempotency-Key makes the repeat the same status)", async () => {
    const { owner, channelId } = await setup();
    const { status, conversationId } = await customerPost(owner, channelId);
    const r = (await reply(owner, conversationId, { text: "Checking with the warehouse." })).json() as Reply;
    // The instance makes the status, then the connection drops before Parley reads the answer.
    const lossy: SafeFetch = async (url, options) => {
      await safeFetch(url, options);
      throw new Error("socket hang up");
    };
    await deliverOutbox(t.db, { fetch: lossy, retryBaseSeconds: 1 });
    expect((await replyOf(owner, conversationId, r.id)).delivery_status).toBe("sending");
    await dueNow();
    await deliverOutbox(t.db, { retryBaseSeconds: 1 });
    const sent = await replyOf(owner, conversationId, r.id);
    expect(postsFor(status)).toHaveLength(1);
    expect(sent).toMatchObject({ delivery_status: "sent", external_id: `${host}/${postsFor(status)[0]?.status.id}` });
  });

  it("replies on Bluesky with the thread's root and the answered post as strong refs", async () => {
    const owner = await newWorkspace(t);
    const channel = await owner.request("POST", "/api/v1/channels", {
      name: "Bluesky",
      network: "bluesky",
      config: { service_url: bluesky.url, pds_url: bluesky.url, query: "acme" },
      credentials: { identifier: bluesky.account.identifier, app_password: bluesky.account.password },
    });
    expect(channel.statusCode, channel.body).toBe(201);
    const first = bluesky.addPost("my acme order is late");
    const second = bluesky.addPost("still nothing from acme");
    second.record.reply = { root: { uri: first.uri, cid: first.cid }, parent: { uri: first.uri, cid: first.cid } };
    const ingest = await owner.request("POST", "/api/v1/messages:batch", {
      channel_id: channel.json().id,
      messages: [postToMessage(first, new Date()), postToMessage(second, new Date())],
    });
    expect(ingest.json()).toMatchObject({ stored: 2 });
    const convo = (await owner.request("GET", "/api/v1/conversations?network=bluesky")).json().data[0];
    expect(convo.message_count).toBe(2);

    const composer = (await owner.request("GET", `/api/v1/conversations/${convo.id}/composer`)).json();
    expect(composer).toMatchObject({ can_reply: true, max_length: 300, private_allowed: false, prefix: "" });
    const privately = await reply(owner, convo.id, { text: "DM us", visibility: "private" });
    expect(privately.statusCode).toBe(400);
    expect(privately.json().error.details[0].field).toBe("visibility");
    expect((await reply(owner, convo.id, { text: "x".repeat(301) })).statusCode).toBe(400);

    const r = (await reply(owner, convo.id, { text: "Sorry! It ships today." })).json() as Reply;
    await deliverOutbox(t.db, { retryBaseSeconds: 1 });
    expect(bluesky.written).toHaveLength(1);
    expect(bluesky.written[0]?.record).toMatchObject({
      $type: "app.bsky.feed.post",
      text: "Sorry! It ships today.",
      reply: { root: { uri: first.uri, cid: first.cid }, parent: { uri: second.uri, cid: second.cid } },
    });
    expect(await replyOf(owner, convo.id, r.id)).toMatchObject({ delivery_status: "sent", external_id: bluesky.written[0]?.uri });
    expect(bluesky.written[0]?.record.facets).toBeUndefined();

    // Mentions, links and tags travel as facets at UTF-8 byte offsets; a mention names the DID its
    // handle resolves to, and a handle that does not resolve stays plain text.
    const rich = "Café ☕ @kai.bsky.social: see https://acme.example/help #acme (cc @nobody.example)";
    await reply(owner, convo.id, { text: rich });
    await deliverOutbox(t.db, { retryBaseSeconds: 1 });
    expect(bluesky.written).toHaveLength(2);
    const record = bluesky.written[1]?.record as {
      text: string;
      facets: { index: { byteStart: number; byteEnd: number }; features: { $type: string }[] }[];
    };
    const bytes = Buffer.from(record.text, "utf8");
    const spans = record.facets.map((f) => [bytes.subarray(f.index.byteStart, f.index.byteEnd).toString("utf8"), f.features[0]]);
    expect(spans).toEqual([
      ["@kai.bsky.social", { $type: "app.bsky.richtext.facet#mention", did: "did:plc:kaitomori3vj5p" }],
      ["https://acme.example/help", { $type: "app.bsky.richtext.facet#link", uri: "https://acme.example/help" }],
      ["#acme", { $type: "app.bsky.richtext.facet#tag", tag: "acme" }],
    ]);
  });

  it("sends a case's public reply on its conversation, and the case is answered once it is delivered", async () => {
    const { owner, channelId } = await setup();
    const { status, conversationId } = await customerPost(owner, channelId, "Where is my refund?");
    const kase = (await owner.request("POST", "/api/v1/cases", { subject: "Refund", conversation_id: conversationId })).json();
    const res = await owner.request("POST", `/api/v1/cases/${kase.id}/comments`, { body: "Your refund left today.", public: true });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().first_responded_at).toBeNull();
    expect(res.json().events.map((e: { kind: string }) => e.kind)).toContain("reply");
    await deliverOutbox(t.db, { retryBaseSeconds: 1 });
    expect(postsFor(status).map((p) => p.body.status)).toEqual(["@kaito@fosstodon.example Your refund left today."]);
    expect((await owner.request("GET", `/api/v1/cases/${kase.id}`)).json().first_responded_at).not.toBeNull();
  });

  it("posts a webhook channel's replies, signed, to its reply_url and keeps the receiver's answer", async () => {
    const answers: FakeReply[] = [
      { body: { id: "ticket-77-reply-1", url: "https://help.example/t/77#r1" } },
      { status: 400, body: "unknown recipient" },
    ];
    const receiver = await startFake(() => answers.shift() ?? { status: 500 });
    try {
      const owner = await newWorkspace(t);
      const channel = await owner.request("POST", "/api/v1/channels", {
        name: "Helpdesk",
        network: "webhook",
        config: { reply_url: `${receiver.url}/parley-replies` },
      });
      const { id: channelId, webhook_secret: secret } = channel.json() as { id: string; webhook_secret: string };
      await owner.request("POST", "/api/v1/messages:batch", {
        channel_id: channelId,
        messages: [
          {
            network: "webhook",
            external_id: "ticket-77",
            author: { id: "u-9", handle: "nora" },
            text: "My invoice is wrong",
            created_at: "2026-11-24T10:00:00Z",
          },
        ],
      });
      const convo = (await owner.request("GET", "/api/v1/conversations?network=webhook")).json().data[0];
      const first = (await reply(owner, convo.id, { text: "Fixed, a new invoice is attached.", visibility: "private" })).json() as Reply;
      await deliverOutbox(t.db, { retryBaseSeconds: 1 });
      const [got] = receiver.requests;
      expect(got?.path).toBe("/parley-replies");
      expect(JSON.parse(got?.body ?? "{}")).toMatchObject({
        type: "reply",
        id: first.id,
        in_reply_to: "ticket-77",
        text: "Fixed, a new invoice is attached.",
        visibility: "private",
      });
      expect(got?.headers["x-parley-signature"]).toBe(signWebhook(secret, Number(got?.headers["x-parley-timestamp"]), got?.body ?? ""));
      expect(await replyOf(owner, convo.id, first.id)).toMatchObject({
        delivery_status: "sent",
        external_id: "ticket-77-reply-1",
        url: "https://help.example/t/77#r1",
      });

      const second = (await reply(owner, convo.id, { text: "Anything else?" })).json() as Reply;
      await deliverOutbox(t.db, { retryBaseSeconds: 1 });
      expect(await replyOf(owner, convo.id, second.id)).toMatchObject({
        delivery_status: "failed",
        delivery_error: "The reply_url answered 400: unknown recipient",
      });
    } finally {
      await receiver.close();
    }
  });

  it("replies on X as the account's user, under the tweet answered", async () => {
    const x = await startXFake();
    try {
      const owner = await newWorkspace(t);
      const channel = await owner.request("POST", "/api/v1/channels", {
        name: "X",
        network: "x",
        config: { api_url: x.url, query: "acme" },
        credentials: { bearer_token: x.token },
      });
      const tweet = x.addTweet({ text: "@acme my blender smells like smoke" });
      await owner.request("POST", "/api/v1/messages:batch", {
        channel_id: channel.json().id,
        messages: [tweetToMessage(tweet, x.users, new Date())],
      });
      const convo = (await owner.request("GET", "/api/v1/conversations?network=x")).json().data[0];
      // Reading needs only the app's token; writing needs the account's.
      const composer = (await owner.request("GET", `/api/v1/conversations/${convo.id}/composer`)).json();
      expect(composer).toMatchObject({ can_reply: false, reason: expect.stringContaining("user_access_token") });
      await owner.request("PATCH", `/api/v1/channels/${channel.json().id}`, {
        credentials: { bearer_token: x.token, user_access_token: x.userToken },
      });
      expect((await reply(owner, convo.id, { text: "y".repeat(281) })).statusCode).toBe(400);
      const r = (await reply(owner, convo.id, { text: "Please stop using it, we are sending a new one." })).json() as Reply;
      await deliverOutbox(t.db, { retryBaseSeconds: 1 });
      expect(x.posted).toEqual([
        {
          id: expect.any(String),
          body: { text: "Please stop using it, we are sending a new one.", reply: { in_reply_to_tweet_id: tweet.id } },
        },
      ]);
      expect(await replyOf(owner, convo.id, r.id)).toMatchObject({
        delivery_status: "sent",
        external_id: x.posted[0]?.id,
        url: `https://x.com/i/web/status/${x.posted[0]?.id}`,
      });
    } finally {
      await x.close();
    }
  });

  it("comments on Reddit under the post answered, and shows a refusal Reddit hides in a 200", async () => {
    const reddit = await startRedditFake();
    try {
      const owner = await newWorkspace(t);
      const channel = await owner.request("POST", "/api/v1/channels", {
        name: "r/espresso",
        network: "reddit",
        config: { api_url: reddit.url, subreddit: "espresso" },
        credentials: { access_token: reddit.token },
      });
      const post = reddit.addPost("espresso", { title: "Acme grinder jammed", selftext: "Beans stuck, any advice?" });
      await owner.request("POST", "/api/v1/messages:batch", { channel_id: channel.json().id, messages: [thingToMessage(post)] });
      const convo = (await owner.request("GET", "/api/v1/conversations?network=reddit")).json().data[0];
      const r = (await reply(owner, convo.id, { text: "Unplug it and brush the burrs; DM us for a new one." })).json() as Reply;
      await deliverOutbox(t.db, { retryBaseSeconds: 1 });
      expect(reddit.comments).toEqual([
        { thing_id: post.data.name, text: "Unplug it and brush the burrs; DM us for a new one.", name: expect.any(String) },
      ]);
      expect(await replyOf(owner, convo.id, r.id)).toMatchObject({ delivery_status: "sent", external_id: reddit.comments[0]?.name });

      reddit.remove(post.data.name);
      const gone = (await reply(owner, convo.id, { text: "Did that help?" })).json() as Reply;
      await deliverOutbox(t.db, { retryBaseSeconds: 1 });
      expect(await replyOf(owner, convo.id, gone.id)).toMatchObject({
        delivery_status: "failed",
        delivery_error: "Reddit refused the comment: that thing does not exist",
      });
    } finally {
      await reddit.close();
    }
  });

  it("answers an email in the same thread through the channel's SMTP server", async () => {
    const mails: Array<{ from: string; to: string[]; data: string }> = [];
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS", "AUTH"],
      onData(stream, session, callback) {
        let data = "";
        stream.on("data", (d) => {
          data += d;
        });
        stream.on("end", () => {
          mails.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
            to: session.envelope.rcptTo.map((r) => r.address),
            data,
          });
          callback();
        });
      },
    });
    await new Promise<void>((done) => smtp.listen(0, "127.0.0.1", done));
    try {
      const owner = await newWorkspace(t);
      const channel = await owner.request("POST", "/api/v1/channels", {
        name: "Support mailbox",
        network: "email",
        config: {
          host: "127.0.0.1",
          user: "support@acme.example",
          smtp_host: "127.0.0.1",
          smtp_port: (smtp.server.address() as AddressInfo).port,
        },
      });
      expect(channel.statusCode, channel.body).toBe(201);
      await owner.request("POST", "/api/v1/messages:batch", {
        channel_id: channel.json().id,
        messages: [
          {
            network: "email",
            external_id: "<c2@customer.example>",
            author: { id: "nora@customer.example", handle: "nora@customer.example" },
            subject: "Invoice is wrong",
            text: "The total is off by 10 euros.",
            created_at: "2026-11-24T10:00:00Z",
            references: ["<c1@customer.example>"],
            public: false,
          },
        ],
      });
      const convo = (await owner.request("GET", "/api/v1/conversations?network=email")).json().data[0];
      const r = (await reply(owner, convo.id, { text: "Fixed: a corrected invoice is attached.", visibility: "private" })).json() as Reply;
      await deliverOutbox(t.db, { retryBaseSeconds: 1 });
      expect(mails).toHaveLength(1);
      expect(mails[0]).toMatchObject({ from: "support@acme.example", to: ["nora@customer.example"] });
      // the header block, long lines unfolded
      const headers = ((mails[0]?.data ?? "").split(/\r?\n\r?\n/)[0] ?? "").replace(/\r?\n[ \t]+/g, " ");
      expect(headers).toMatch(/^Subject: Re: Invoice is wrong$/m);
      expect(headers).toMatch(/^In-Reply-To: <c2@customer\.example>$/m);
      expect(headers).toMatch(/^References: <c1@customer\.example> <c2@customer\.example>$/m);
      expect(mails[0]?.data).toContain("Fixed: a corrected invoice is attached.");
      const sent = await replyOf(owner, convo.id, r.id);
      expect(sent).toMatchObject({ delivery_status: "sent", external_id: `<parley-reply-${r.id}@acme.example>` });
      expect(headers).toContain(`Message-ID: ${sent.external_id}`);
    } finally {
      await new Promise<void>((done) => smtp.close(() => done()));
    }
  });
});
