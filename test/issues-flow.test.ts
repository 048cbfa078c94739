import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { burstStarts } from "../src/insight";
import { type Caller, newWorkspace, startTestApp, type TestApp } from "./support/app";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

let seq = 0;
type Post = { text: string; author?: string; at?: Date; followers?: number };
/** Ingests inbound posts and returns their stored rows in order. */
async function ingest(c: Caller, posts: Post[]) {
  const messages = posts.map((p) => {
    seq++;
    return {
      network: "mastodon",
      external_id: `flow-${seq}`,
      author: { id: p.author ?? `person-${seq}`, handle: p.author ?? `person${seq}`, ...(p.followers ? { followers: p.followers } : {}) },
      text: p.text,
      created_at: (p.at ?? new Date()).toISOString(),
    };
  });
  const res = await c.request("POST", "/api/v1/messages:batch", { messages });
  expect(res.statusCode, res.body).toBe(200);
  const rows = await t.db
    .selectFrom("messages")
    .select(["id", "external_id", "labels", "profile_id", "conversation_id"])
    .where("workspace_id", "=", c.workspaceId)
    .where(
      "external_id",
      "in",
      messages.map((m) => m.external_id),
    )
    .execute();
  return messages.map((m) => rows.find((r) => r.external_id === m.external_id) as (typeof rows)[number]);
}

type IdeaView = { id: string; title: string; vote_count: number };
async function ideas(c: Caller): Promise<IdeaView[]> {
  const res = await c.request("GET", "/api/v1/ideas");
  expect(res.statusCode, res.body).toBe(200);
  return res.json().data;
}

describe("ideas that gather", () => {
  it("three 'dark mode please' posts make one idea with three votes, titled for people; an unrelated suggestion makes its own", async () => {
    const c = await newWorkspace(t);
    const dark = await ingest(c, [
      { text: "@acme please add dark mode!!! my eyes hurt at night", author: "ana" },
      { text: "Dark mode please!! would love a darker theme for night use", author: "ben" },
      { text: "I wish you would add a dark mode to the app", author: "cy" },
    ]);
    for (const m of dark) expect(m.labels, m.external_id).toContain("suggestion");
    const gathered = await ideas(c);
    expect(gathered).toHaveLength(1);
    expect(gathered[0]?.vote_count).toBe(3);
    expect(gathered[0]?.title).toBe("Add dark mode");

    await ingest(c, [{ text: "It would be great if you could add export of reports to CSV", author: "dee" }]);
    const after = await ideas(c);
    expect(after).toHaveLength(2);
    const csv = after.find((i) => i.id !== gathered[0]?.id);
    expect(csv?.vote_count).toBe(1);
    expect(csv?.title).toMatch(/^Add export of reports to CSV/);

    // the issue card shows the idea its messages support
    const issue = (await c.request("GET", "/api/v1/issues")).json().data.find((i: { message_count: number }) => i.message_count === 3);
    const card = (await c.request("GET", `/api/v1/issues/${issue.id}`)).json();
    expect(card.ideas.map((i: { id: string }) => i.id)).toEqual([gathered[0]?.id]);

    // staff can still merge the two
    const merged = await c.request("POST", `/api/v1/ideas/${csv?.id}/merge`, { into_id: gathered[0]?.id });
    expect(merged.statusCode, merged.body).toBe(200);
    expect(merged.json().vote_count).toBe(4);

    // and split it off again: the CSV request becomes its own idea, its author's vote with it
    const csvMessage = merged.json().messages.find((m: { text: string }) => m.text.includes("CSV"));
    const split = await c.request("POST", `/api/v1/ideas/${gathered[0]?.id}/split`, { message_ids: [csvMessage.id] });
    expect(split.statusCode, split.body).toBe(201);
    expect(split.json()).toMatchObject({ vote_count: 1 });
    expect(split.json().title).toMatch(/^Add export of reports to CSV/);
    const left = (await c.request("GET", `/api/v1/ideas/${gathered[0]?.id}`)).json();
    expect(left.vote_count).toBe(3);
    expect(left.messages).toHaveLength(3);
    const stray = await c.request("POST", `/api/v1/ideas/${gathered[0]?.id}/split`, { message_ids: [csvMessage.id] });
    expect(stray.statusCode).toBe(400);
    expect(stray.json().error.details[0].field).toBe("message_ids");
  });
});

const CHECKOUT = [
  "Your checkout is broken again, it times out when I pay by credit card. Terrible!",
  "Checkout page timing out on credit card payment, lost my order. So frustrating",
  "Why does checkout keep timing out when I pay with a credit card??",
  "The checkout page times out when I pay with my credit card, this is broken",
  "I cannot pay, checkout with my credit card times out, very annoyed",
  "Checkout timed out twice while paying with my credit card, I give up",
  "Paying by credit card at checkout just times out. Awful service",
  "Credit card payment at checkout times out every single time, so annoying",
  "Is anyone else getting a timeout at checkout with a credit card? Broken",
  "Checkout hangs and times out on my credit card, really disappointed",
  "Third day in a row checkout times out when I enter my credit card. Useless",
  "my credit card payment keeps timing out at checkout, this is ridiculous",
  "Checkout is timing out for credit card payments, I am furious",
  "Tried to pay with a credit card and the checkout timed out again, horrible",
  "The checkout times out on credit card payments, please fix this mess",
  "Your checkout page is so slow it times out before my credit card goes through. Terrible",
];
/** The n-th complaint about the checkout (each worded differently, so none collapses as a copy of another). */
const checkout = (n: number) => CHECKOUT[n - 1] as string;

describe("issue cards and bursts", () => {
  it("a burst fires its rule once, the card counts people, stages, influencers, cases and deals, and B sees none of it", async () => {
    const c = await newWorkspace(t);
    const rule = await c.request("POST", "/api/v1/rules", {
      name: "Burst → case",
      trigger: { type: "issue.burst" },
      conditions: { match: "all", conditions: [{ field: "issue.burst_messages", op: "gte", value: 5 }] },
      actions: [{ type: "create_case", subject: "Burst: {{issue.label}}", priority: "high" }],
    });
    expect(rule.statusCode, rule.body).toBe(201);

    const now = new Date();
    const hour = 3_600_000;
    // the burst's posts a millisecond apart, in the order written, all within now's hour: grouping is
    // order-sensitive near its threshold, and posts with one timestamp would be grouped in random id order
    const base = Math.max(Math.floor(now.getTime() / hour) * hour, now.getTime() - 100);
    const at = (n: number) => new Date(base + n);
    // a quiet baseline: one complaint a day for five days
    await ingest(
      c,
      [1, 2, 3, 4, 5].map((d) => ({ text: checkout(d), at: new Date(now.getTime() - d * 24 * hour) })),
    );
    const quiet = (await c.request("GET", "/api/v1/issues")).json().data;
    expect(quiet).toHaveLength(1);
    expect(quiet[0].bursting).toBe(false);
    expect(quiet[0].message_count).toBe(5);

    // then eight in this hour, one from an influencer
    const spike = await ingest(c, [
      { text: checkout(6), author: "star", followers: 250_000, at: at(6) },
      ...[7, 8, 9, 10, 11, 12, 13].map((i) => ({ text: checkout(i), at: at(i) })),
    ]);
    const bursting = (await c.request("GET", "/api/v1/issues?bursting=true")).json().data;
    expect(bursting).toHaveLength(1);
    const id = bursting[0].id as string;
    expect(bursting[0].burst_started_at).not.toBeNull();
    const cases = async () =>
      (await t.db.selectFrom("cases").select(["subject"]).where("workspace_id", "=", c.workspaceId).execute()).filter((x) =>
        x.subject.startsWith("Burst:"),
      );
    expect(await cases()).toHaveLength(1);
    expect((await cases())[0]?.subject).toMatch(/checkout|credit card|time/);

    // more in the same burst: no second event
    await ingest(c, [
      { text: checkout(14), at: at(14) },
      { text: checkout(15), at: at(15) },
    ]);
    expect(await cases()).toHaveLength(1);

    // the card: a known customer with an open deal and an open case on their conversation
    const customer = (await c.request("POST", "/api/v1/contacts", { name: "Cat Customer", lifecycle_stage: "customer" })).json();
    const first = spike[1];
    await t.db
      .updateTable("profiles")
      .set({ contact_id: customer.id })
      .where("workspace_id", "=", c.workspaceId)
      .where("id", "=", first?.profile_id as string)
      .execute();
    const deal = await c.request("POST", "/api/v1/deals", { title: "Renewal", contact_id: customer.id, value: 1200 });
    expect(deal.statusCode, deal.body).toBe(201);
    const card = (await c.request("GET", `/api/v1/issues/${id}`)).json();
    expect(card.message_count).toBe(15);
    expect(card.people).toBe(15);
    expect(card.contacts).toBe(1);
    expect(card.lifecycle_stages).toEqual([{ stage: "customer", count: 1 }]);
    expect(card.influencers[0]).toMatchObject({ handle: "star", followers: 250_000 });
    expect(card.open_deals).toMatchObject({ count: 1, value: 1200 });
    expect(card.trend.reduce((s: number, d: { count: number }) => s + d.count, 0)).toBe(15);
    expect(card.messages[0].text).toBeTruthy();

    // the inbox filters conversations by issue (a conversation outside it stays out)
    await ingest(c, [{ text: "Love the new dashboard, great work team!" }]);
    expect((await c.request("GET", "/api/v1/conversations?limit=100")).json().data.length).toBe(16);
    const inbox = (await c.request("GET", `/api/v1/conversations?issue=${id}&limit=100`)).json();
    expect(inbox.data.length).toBe(15);

    // tenancy: another workspace sees none of it
    const b = await newWorkspace(t, "Other");
    expect((await b.request("GET", `/api/v1/issues/${id}`)).statusCode).toBe(404);
    expect((await b.request("GET", "/api/v1/issues")).json().data).toEqual([]);
    expect((await b.request("GET", `/api/v1/conversations?issue=${id}`)).json().data).toEqual([]);
  });

  it("the detector flags a planted burst once and stays quiet on a steady stream", () => {
    const steady: number[] = Array.from({ length: 24 * 14 }, (_, i) => (i % 3 === 0 ? 2 : 1));
    expect(burstStarts(steady)).toEqual([]);
    const planted = [...steady];
    for (const h of [24 * 10, 24 * 10 + 1, 24 * 10 + 2]) planted[h] = 14;
    expect(burstStarts(planted)).toEqual([24 * 10]);
  });

  it("says which field is wrong", async () => {
    const c = await newWorkspace(t);
    const bad = await c.request("GET", "/api/v1/issues/not-an-id");
    expect(bad.statusCode).toBe(400);
    expect((await c.request("GET", "/api/v1/issues?days=0")).statusCode).toBe(400);
  });
});
