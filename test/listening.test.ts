import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signWebhook } from "../src/shared/signing";
import { type Caller, newWorkspace, startTestApp, type TestApp } from "./support/app";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

let seq = 0;
function post(over: Record<string, unknown> = {}) {
  seq++;
  return {
    network: "mastodon",
    external_id: `m-${seq}`,
    author: { id: `acct-${seq}`, handle: `user${seq}`, display_name: `User ${seq}`, followers: 10 },
    text: `Post number ${seq} about Acme`,
    created_at: new Date(Date.UTC(2026, 10, 1, 12, 0, seq)).toISOString(),
    ...over,
  };
}

async function ingest(c: Caller, messages: unknown[], extra: Record<string, unknown> = {}) {
  const res = await c.request("POST", "/api/v1/messages:batch", { messages, ...extra });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

describe("ingest pipeline", () => {
  it("stores each message once, however often it is heard", async () => {
    const c = await newWorkspace(t);
    const a = post();
    const b = post();
    const first = await ingest(c, [a, b, a]);
    expect(first).toMatchObject({ received: 3, stored: 2, duplicates: 1 });
    const again = await ingest(c, [a, b]);
    expect(again).toMatchObject({ stored: 0, duplicates: 2 });
    const list = (await c.request("GET", "/api/v1/messages?limit=50")).json();
    expect(list.data).toHaveLength(2);
  });

  it("keeps what any post of a batch says about its author", async () => {
    const c = await newWorkspace(t);
    const author = { id: "same-author", handle: "jo", display_name: "Jo", followers: 48_000, bio: "coffee" };
    await ingest(c, [post({ author }), post({ author: { id: "same-author" } })]);
    const conv = (await c.request("GET", "/api/v1/conversations")).json().data[0];
    const detail = (await c.request("GET", `/api/v1/conversations/${conv.id}`)).json();
    expect(detail.profiles).toHaveLength(1);
    expect(detail.profiles[0]).toMatchObject({ handle: "jo", followers: 48_000, bio: "coffee" });
  });

  it("rejects bad messages with reasons and keeps the good ones", async () => {
    const c = await newWorkspace(t);
    const res = await ingest(c, [
      post(),
      { network: "mastodon", text: "no id" },
      post({ created_at: "yesterday" }),
      post({ colour: "red" }),
    ]);
    expect(res.stored).toBe(1);
    expect(res.rejected.map((r: { index: number }) => r.index)).toEqual([1, 2, 3]);
    expect(res.rejected[0].reason).toMatch(/external_id/);
    expect(res.rejected[1].reason).toMatch(/created_at/);
    expect(res.rejected[2].reason).toMatch(/colour/);
    const tooMany = await c.request("POST", "/api/v1/messages:batch", { messages: Array.from({ length: 1001 }, () => post()) });
    expect(tooMany.statusCode).toBe(400);
  });

  it("threads replies into one conversation, and a late parent gathers its children", async () => {
    const c = await newWorkspace(t);
    const root = post({ external_id: "root" });
    const reply = post({ external_id: "reply-1", in_reply_to: "root" });
    const replyToReply = post({ external_id: "reply-2", in_reply_to: "reply-1" });
    // Children arrive before their parent.
    await ingest(c, [replyToReply]);
    await ingest(c, [reply]);
    let convs = (await c.request("GET", "/api/v1/conversations")).json().data;
    expect(convs).toHaveLength(1); // reply-1 arrived and adopted reply-2
    await ingest(c, [root]);
    convs = (await c.request("GET", "/api/v1/conversations")).json().data;
    expect(convs).toHaveLength(1);
    expect(convs[0].message_count).toBe(3);
    const detail = (await c.request("GET", `/api/v1/conversations/${convs[0].id}`)).json();
    expect(detail.messages.map((m: { external_id: string }) => m.external_id)).toEqual(["root", "reply-1", "reply-2"]);
    expect(detail.profiles).toHaveLength(3);
  });

  it("threads email by References and In-Reply-To", async () => {
    const c = await newWorkspace(t);
    const mail = (id: string, refs: string[], at: number) => ({
      network: "email",
      external_id: id,
      author: { id: "jo@example.com", handle: "jo@example.com", display_name: "Jo" },
      subject: "Order 123 missing",
      text: `mail ${id}`,
      created_at: new Date(Date.UTC(2026, 0, 1, 0, at)).toISOString(),
      references: refs,
      in_reply_to: refs[refs.length - 1] ?? null,
      public: false,
    });
    await ingest(c, [mail("<a@x>", [], 1), mail("<c@x>", ["<a@x>", "<b@x>"], 3)]);
    await ingest(c, [mail("<b@x>", ["<a@x>"], 2)]);
    const convs = (await c.request("GET", "/api/v1/conversations")).json().data;
    expect(convs).toHaveLength(1);
    expect(convs[0].message_count).toBe(3);
    expect(convs[0].subject).toBe("Order 123 missing");
  });

  it("collapses reposts and near-identical copies onto the original with a count", async () => {
    const c = await newWorkspace(t);
    const original = post({ external_id: "orig", text: "Acme support has been ignoring my ticket for five days now, unacceptable" });
    await ingest(c, [original]);
    const res = await ingest(c, [
      post({ external_id: "boost-1", repost_of: "orig", text: "" }),
      post({ external_id: "boost-2", repost_of: "orig", text: "" }),
      post({ external_id: "copy-1", text: "ACME support has been ignoring my ticket for five days now... unacceptable! https://t.co/x" }),
      post({ external_id: "short", text: "thanks!" }),
      post({ external_id: "short-2", text: "thanks!" }),
    ]);
    expect(res).toMatchObject({ stored: 2, collapsed: 3 });
    const msgs = (await c.request("GET", "/api/v1/messages?query=ignoring")).json().data;
    expect(msgs).toHaveLength(1);
    expect(msgs[0]).toMatchObject({ external_id: "orig", repost_count: 2, duplicate_count: 1 });
    // Hearing a collapsed item again changes nothing.
    const again = await ingest(c, [post({ external_id: "boost-1", repost_of: "orig", text: "" })]);
    expect(again).toMatchObject({ duplicates: 1, collapsed: 0 });
  });

  it("marks the workspace's own accounts as outbound and reopens closed conversations on new inbound", async () => {
    const c = await newWorkspace(t);
    expect((await c.request("POST", "/api/v1/own-accounts", { network: "mastodon", handle: "@AcmeHelp" })).statusCode).toBe(201);
    await ingest(c, [post({ external_id: "q1", text: "Where is my order?" })]);
    const conv = (await c.request("GET", "/api/v1/conversations")).json().data[0];
    expect(conv.status).toBe("new");
    await ingest(c, [post({ external_id: "a1", in_reply_to: "q1", author: { id: "acme", handle: "acmehelp" }, text: "Sorry! DM us" })]);
    const closed = await c.request("PATCH", `/api/v1/conversations/${conv.id}`, { status: "closed" });
    expect(closed.json().status).toBe("closed");
    expect(closed.json().messages.map((m: { direction: string }) => m.direction)).toEqual(["inbound", "outbound"]);
    await ingest(c, [post({ external_id: "q2", in_reply_to: "a1", text: "Still nothing" })]);
    const reopened = (await c.request("GET", `/api/v1/conversations/${conv.id}`)).json();
    expect(reopened.status).toBe("open");
  });

  it("applies a channel's listening queries and brand dictionary", async () => {
    const c = await newWorkspace(t);
    await c.request("POST", "/api/v1/dictionary", { kind: "brand", name: "Acme", aliases: ["akme", "@acmehelp"] });
    const bad = await c.request("POST", "/api/v1/channels", { name: "Bad", network: "community", queries: ["(acme OR"] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0]).toMatchObject({ field: "queries.0" });
    expect(bad.json().error.details[0].message).toMatch(/position/);
    const noInstance = await c.request("POST", "/api/v1/channels", { name: "Fediverse", network: "mastodon", config: { hashtag: "acme" } });
    expect(noInstance.statusCode).toBe(400);
    expect(noInstance.json().error.details[0].field).toBe("config.instance_url");
    const ch = (
      await c.request("POST", "/api/v1/channels", { name: "Brand mentions", network: "community", queries: ["acme -jobs"] })
    ).json();
    const res = await ingest(
      c,
      [post({ text: "akme broke my build" }), post({ text: "acme jobs in berlin" }), post({ text: "unrelated" })],
      { channel_id: ch.id },
    );
    expect(res).toMatchObject({ stored: 1, filtered: 2 });
    expect((await c.request("GET", `/api/v1/channels/${ch.id}`)).json().items_total).toBe(1);
  });

  it("searches message text and filters the inbox", async () => {
    const c = await newWorkspace(t);
    await ingest(c, [post({ text: "The checkout page crashes on Safari" }), post({ network: "reddit", text: "Love the new dashboard" })]);
    const found = (await c.request("GET", "/api/v1/messages?query=checkout crashes")).json().data;
    expect(found).toHaveLength(1);
    const reddit = (await c.request("GET", "/api/v1/conversations?network=reddit")).json().data;
    expect(reddit).toHaveLength(1);
    expect(reddit[0].snippet).toBe("Love the new dashboard");
    const byText = (await c.request("GET", "/api/v1/conversations?q=safari")).json().data;
    expect(byText).toHaveLength(1);
  });

  it("keeps hostile HTML out: scripts and handlers are stripped, links made safe", async () => {
    const c = await newWorkspace(t);
    await ingest(c, [
      post({
        external_id: "xss",
        text: "",
        html: '<p onclick="steal()">Hi <script>alert(1)</script><a href="javascript:alert(2)">x</a> <a href="https://ok.example">ok</a><img src=x onerror=alert(3)></p>',
        author: { id: "evil", handle: "<img src=x onerror=alert(4)>", display_name: "<script>alert(5)</script>" },
      }),
    ]);
    const m = (await c.request("GET", "/api/v1/messages")).json().data[0];
    expect(m.html).not.toMatch(/script|onclick|onerror|javascript:|<img/i);
    expect(m.html).toContain('href="https://ok.example"');
    expect(m.html).toContain("noopener");
    expect(m.text).toContain("Hi");
    expect(m.text).not.toContain("<script>");
  });
});

describe("webhook channel", () => {
  async function hookChannel(c: Caller) {
    const res = await c.request("POST", "/api/v1/channels", { name: `Hook ${seq++}`, network: "webhook" });
    expect(res.statusCode, res.body).toBe(201);
    const { id, webhook_secret } = res.json();
    expect(webhook_secret).toMatch(/^whsec_/);
    expect((await c.request("GET", `/api/v1/channels/${id}`)).body).not.toContain(webhook_secret);
    return { id, secret: webhook_secret as string };
  }
  const deliver = (id: string, body: string, headers: Record<string, string>) =>
    t.app.inject({ method: "POST", url: `/hooks/${id}`, payload: body, headers: { "content-type": "application/json", ...headers } });

  it("accepts signed normalized JSON and ActivityStreams, refuses bad signatures and replays", async () => {
    const c = await newWorkspace(t);
    const { id, secret } = await hookChannel(c);
    const now = Math.floor(Date.now() / 1000);
    const body = JSON.stringify(post({ network: "webhook", external_id: "wh-1" }));
    const ok = await deliver(id, body, { "x-parley-timestamp": String(now), "x-parley-signature": signWebhook(secret, now, body) });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().stored).toBe(1);

    const replay = await deliver(id, body, { "x-parley-timestamp": String(now), "x-parley-signature": signWebhook(secret, now, body) });
    expect(replay.statusCode).toBe(409);
    const old = now - 3600;
    const stale = await deliver(id, body, { "x-parley-timestamp": String(old), "x-parley-signature": signWebhook(secret, old, body) });
    expect(stale.statusCode).toBe(401);
    const forged = await deliver(id, body, {
      "x-parley-timestamp": String(now),
      "x-parley-signature": signWebhook("whsec_wrong", now, body),
    });
    expect(forged.statusCode).toBe(401);
    const unsigned = await deliver(id, body, {});
    expect(unsigned.statusCode).toBe(401);

    const as2 = JSON.stringify({
      "@context": "https://www.w3.org/ns/activitystreams",
      type: "Create",
      actor: { id: "https://social.example/users/jo", preferredUsername: "jo", name: "Jo" },
      object: {
        type: "Note",
        id: "https://social.example/notes/1",
        content: "<p>Is <b>Acme</b> down?</p>",
        published: "2026-11-20T10:00:00Z",
      },
    });
    const t2 = now + 1;
    const res = await deliver(id, as2, { "x-parley-timestamp": String(t2), "x-parley-signature": signWebhook(secret, t2, as2) });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().stored).toBe(1);
    const msgs = (await c.request("GET", "/api/v1/messages?query=down")).json().data;
    expect(msgs[0]).toMatchObject({
      external_id: "https://social.example/notes/1",
      text: "Is Acme down?",
      author: { handle: "jo", name: "Jo" },
    });
  });
});
