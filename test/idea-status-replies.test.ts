import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type MastodonStatus, statusToMessages } from "../src/listen/connectors/mastodon";
import { deliverOutbox } from "../src/rules";
import { type MastodonFake, startMastodonFake } from "./connectors/fakes/mastodon";
import { allowPrivateUrls } from "./connectors/fakes/server";
import { type Caller, memberWithRole, newWorkspace, startTestApp, type TestApp } from "./support/app";

// Closing the loop on ideas (issue #14): when an idea's status changes, the people who asked for
// it in a public post are answered there, once per person and change, if the workspace turned it
// on (off by default); the idea page previews the reply and who gets it.

let t: TestApp;
let fake: MastodonFake;
let host: string;
let restoreEnv: () => void = () => undefined;
beforeAll(async () => {
  restoreEnv = allowPrivateUrls("1");
  t = await startTestApp();
  fake = await startMastodonFake();
  host = new URL(fake.url).host;
});
afterAll(async () => {
  restoreEnv();
  await fake?.close();
  await t?.close();
});

const account = (n: number) => ({
  ...(fake.statuses[0]?.account as MastodonStatus["account"]),
  id: `10${n}`,
  username: `fan${n}`,
  acct: `fan${n}`,
  display_name: `Fan ${n}`,
  url: `${fake.url}/@fan${n}`,
});

/** A workspace without rules, a Mastodon channel on the fake, and an idea voted for by three posts of two people. */
async function setup() {
  const owner = await newWorkspace(t);
  for (const r of (await owner.request("GET", "/api/v1/rules")).json().data as Array<{ id: string }>) {
    await owner.request("DELETE", `/api/v1/rules/${r.id}`);
  }
  const channel = await owner.request("POST", "/api/v1/channels", {
    name: "Mastodon",
    network: "mastodon",
    config: { instance_url: fake.url, hashtag: "acme" },
    credentials: { access_token: fake.token },
  });
  expect(channel.statusCode, channel.body).toBe(201);
  const posts = [
    fake.addStatus({ content: "<p>Please add a dark mode to the #acme app</p>", account: account(1) }),
    fake.addStatus({ content: "<p>Dark mode for #acme, pretty please</p>", account: account(2) }),
    fake.addStatus({ content: "<p>Still waiting for dark mode in #acme</p>", account: account(1) }),
  ];
  const stored = await owner.request("POST", "/api/v1/messages:batch", {
    channel_id: channel.json().id,
    messages: posts.flatMap((s) => statusToMessages(s, host)),
  });
  expect(stored.json()).toMatchObject({ stored: 3 });
  const messages = (await owner.request("GET", "/api/v1/messages?network=mastodon&limit=50")).json().data as Array<{
    id: string;
    external_id: string;
  }>;
  const idea = (await owner.request("POST", "/api/v1/ideas", { title: "Dark mode" })).json() as { id: string };
  for (const s of posts) {
    const m = messages.find((x) => x.external_id === `${host}/${s.id}`);
    const linked = await owner.request("POST", `/api/v1/ideas/${idea.id}/messages`, { message_id: m?.id });
    expect(linked.statusCode, linked.body).toBe(200);
  }
  return { owner, ideaId: idea.id, posts };
}

const setStatus = (c: Caller, id: string, status: string) => c.request("PATCH", `/api/v1/ideas/${id}`, { status });
const repliesTo = (status: MastodonStatus) => fake.posted.filter((p) => p.body.in_reply_to_id === status.id);

describe("closing the loop on ideas", () => {
  it("is off by default: a status change posts nothing, and the preview says so", async () => {
    const { owner, ideaId, posts } = await setup();
    expect((await owner.request("GET", "/api/v1/ideas/status-replies")).json()).toEqual({ enabled: false });
    const preview = (await owner.request("GET", `/api/v1/ideas/${ideaId}/status-replies?status=planned`)).json();
    expect(preview.enabled).toBe(false);
    expect(preview.recipients).toHaveLength(2);
    expect((await setStatus(owner, ideaId, "planned")).statusCode).toBe(200);
    await deliverOutbox(t.db, { retryBaseSeconds: 1 });
    for (const p of posts) expect(repliesTo(p)).toEqual([]);
  });

  it("answers each person once, on the post that asked, and once per status change", async () => {
    const { owner, ideaId, posts } = await setup();
    const on = await owner.request("PATCH", "/api/v1/ideas/status-replies", { enabled: true });
    expect(on.json()).toEqual({ enabled: true });

    const preview = (await owner.request("GET", `/api/v1/ideas/${ideaId}/status-replies?status=planned`)).json();
    expect(preview).toMatchObject({
      enabled: true,
      text: 'An update on your idea "Dark mode": It is now planned. Thank you for asking for it!',
    });
    expect(preview.recipients.map((r: { author: string; can_reply: boolean }) => [r.author, r.can_reply])).toEqual([
      ["Fan 1", true],
      ["Fan 2", true],
    ]);
    const toFan1 = preview.recipients[0].text as string;
    expect(toFan1).toMatch(/^@fan1@\S+ An update on your idea "Dark mode": It is now planned/);

    expect((await setStatus(owner, ideaId, "planned")).statusCode).toBe(200);
    await deliverOutbox(t.db, { retryBaseSeconds: 1 });
    // Fan 1 asked twice: answered once, on their first post; Fan 2 on theirs.
    expect(repliesTo(posts[0] as MastodonStatus).map((p) => p.body.status)).toEqual([toFan1]);
    expect(repliesTo(posts[2] as MastodonStatus)).toEqual([]);
    expect(repliesTo(posts[1] as MastodonStatus).map((p) => p.body.visibility)).toEqual(["public"]);

    // Saving the same status again changes nothing; the next status is told once more.
    await setStatus(owner, ideaId, "planned");
    await setStatus(owner, ideaId, "done");
    await deliverOutbox(t.db, { retryBaseSeconds: 1 });
    expect(repliesTo(posts[0] as MastodonStatus).map((p) => p.body.status)).toEqual([
      toFan1,
      toFan1.replace("It is now planned. Thank you", "It is done: thank you"),
    ]);
    // The replies are outbound messages of the conversations they answer.
    const thread = (await owner.request("GET", "/api/v1/messages?network=mastodon&limit=50")).json().data as Array<{ direction: string }>;
    expect(thread.filter((m) => m.direction === "outbound")).toHaveLength(4);
  });

  it("skips a person who withdrew consent to social engagement, and says why in the preview", async () => {
    const { owner, ideaId, posts } = await setup();
    await owner.request("PATCH", "/api/v1/ideas/status-replies", { enabled: true });
    const contact = (await owner.request("POST", "/api/v1/contacts", { name: "Fan Two" })).json() as { id: string };
    const profiles = (await owner.request("GET", "/api/v1/profiles?network=mastodon&limit=50")).json().data as Array<{
      id: string;
      handle: string;
    }>;
    const fan2 = profiles.find((p) => p.handle.startsWith("fan2"));
    const linked = await owner.request("POST", `/api/v1/profiles/${fan2?.id}/link`, { contact_id: contact.id });
    expect(linked.statusCode, linked.body).toBe(200);
    const withdrawn = await owner.request("POST", `/api/v1/contacts/${contact.id}/consent`, {
      purpose: "social_engagement",
      status: "withdrawn",
      source: "email to support",
    });
    expect(withdrawn.statusCode, withdrawn.body).toBeLessThan(300);
    const preview = (await owner.request("GET", `/api/v1/ideas/${ideaId}/status-replies?status=in_progress`)).json();
    expect(preview.recipients.map((r: { can_reply: boolean; reason: string | null }) => [r.can_reply, r.reason])).toEqual([
      [true, null],
      [false, "withdrew consent to social engagement"],
    ]);
    await setStatus(owner, ideaId, "in_progress");
    await deliverOutbox(t.db, { retryBaseSeconds: 1 });
    expect(repliesTo(posts[0] as MastodonStatus)).toHaveLength(1);
    expect(repliesTo(posts[1] as MastodonStatus)).toEqual([]);
  });

  it("is switched by admins only, audited, and the preview stays within the workspace", async () => {
    const { owner, ideaId } = await setup();
    const agent = await memberWithRole(t, owner, "agent");
    expect((await agent.request("PATCH", "/api/v1/ideas/status-replies", { enabled: true })).statusCode).toBe(403);
    expect((await agent.request("GET", `/api/v1/ideas/${ideaId}/status-replies?status=done`)).statusCode).toBe(200);
    const bad = await owner.request("GET", `/api/v1/ideas/${ideaId}/status-replies?status=shipped`);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].field).toBe("status");
    expect((await owner.request("PATCH", "/api/v1/ideas/status-replies", { enabled: "yes" })).statusCode).toBe(400);
    await owner.request("PATCH", "/api/v1/ideas/status-replies", { enabled: true });
    const log = (await owner.request("GET", "/api/v1/audit?limit=20")).json().data as Array<{ action: string }>;
    expect(log.map((e) => e.action)).toContain("workspace.idea_status_replies");
    const other = await newWorkspace(t, "Elsewhere");
    expect((await other.request("GET", `/api/v1/ideas/${ideaId}/status-replies?status=done`)).statusCode).toBe(404);
    expect((await other.request("GET", "/api/v1/ideas/status-replies")).json()).toEqual({ enabled: false });
  });
});
