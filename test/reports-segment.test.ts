import { parse } from "csv-parse/sync";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "../src/accounts";
import { newId } from "../src/shared/ids";
import { ensureDefaultPipeline } from "../src/work";
import { type Caller, newWorkspace, startTestApp, type TestApp } from "./support/app";

// Reports narrowed to a saved segment of people (issue #16: "filters on every dashboard: … segment"),
// and the engagement outcome by the rule whose send_reply action answered. One seeded workspace (time
// zone UTC); every figure is worked out by hand in the comments. Runs on PGlite, and on PostgreSQL
// when PARLEY_TEST_DATABASE_URL is set.

let t: TestApp;
let owner: Caller;
let other: Caller;
let segmentId: string;
let orgSegmentId: string;
let otherSegmentId: string;
let ruleId: string;
let agentId: string;
const ids = new Map<string, string>(); // seed id -> message id
const contacts = new Map<string, string>(); // person -> contact id

const RANGE = "from=2026-11-02&to=2026-11-15";

type Seed = { id: string; at: string; author: string; text: string; sentiment?: "positive" | "neutral" | "negative"; reply_to?: string };

// People (all through one webhook channel). The rule "Refund acknowledgement" answers any post naming a refund.
//   Ann (VIP, of Big Co):  m1 Nov 3 10:00 negative "refund" — the rule answers at 10:20 — m1b Nov 4 positive: recovered
//   Bob (VIP):             m2 Nov 5 08:00 negative — the agent answers at 09:00 (30 min… 1 h) — m2b Nov 6 negative
//   Cid (not VIP):         m3 Nov 7 12:00 negative "refund" — the rule answers at 12:30 — m3b Nov 8 neutral: recovered
//   Dee (no contact):      m4 Nov 9 09:00 negative — the agent answers at 10:00 — nothing after
const INBOUND: Seed[] = [
  { id: "m1", at: "2026-11-03T10:00:00Z", author: "ann", text: "I want a refund for this", sentiment: "negative" },
  { id: "m1b", at: "2026-11-04T09:00:00Z", author: "ann", text: "Thanks, all sorted", sentiment: "positive", reply_to: "m1" },
  { id: "m2", at: "2026-11-05T08:00:00Z", author: "bob", text: "The app crashes", sentiment: "negative" },
  { id: "m2b", at: "2026-11-06T08:00:00Z", author: "bob", text: "Still crashing", sentiment: "negative", reply_to: "m2" },
  { id: "m3", at: "2026-11-07T12:00:00Z", author: "cid", text: "I need a refund now", sentiment: "negative" },
  { id: "m3b", at: "2026-11-08T12:00:00Z", author: "cid", text: "Got it", sentiment: "neutral", reply_to: "m3" },
  { id: "m4", at: "2026-11-09T09:00:00Z", author: "dee", text: "Nobody answers the phone", sentiment: "negative" },
];
const AGENT_REPLIES: Seed[] = [
  { id: "r2", at: "2026-11-05T09:00:00Z", author: "brand", text: "Sorry, looking into it", reply_to: "m2" },
  { id: "r4", at: "2026-11-09T10:00:00Z", author: "brand", text: "Calling you back", reply_to: "m4" },
];
// When the rule's replies count as sent (they are written "now" by the engine; the test dates them).
const RULE_REPLY_AT: Record<string, string> = { m1: "2026-11-03T10:20:00Z", m3: "2026-11-07T12:30:00Z" };

async function ok(c: Caller, method: string, url: string, body?: unknown) {
  const res = await c.request(method, url, body);
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
  return res.body ? res.json() : undefined;
}

const get = (url: string, c: Caller = owner) => ok(c, "GET", url);

async function messageOf(externalId: string) {
  return t.db
    .selectFrom("messages")
    .select(["id", "conversation_id", "profile_id"])
    .where("workspace_id", "=", owner.workspaceId)
    .where("external_id", "=", externalId)
    .executeTakeFirstOrThrow();
}

async function ingest(channelId: string, seeds: Seed[], outbound = false) {
  await ok(owner, "POST", "/api/v1/messages:batch", {
    channel_id: channelId,
    messages: seeds.map((s) => ({
      network: "webhook",
      external_id: s.id,
      author: { id: s.author, handle: s.author },
      text: s.text,
      created_at: s.at,
      ...(s.reply_to ? { in_reply_to: s.reply_to } : {}),
      ...(outbound ? { direction: "outbound" } : {}),
    })),
  });
  for (const s of seeds) {
    const row = await messageOf(s.id);
    ids.set(s.id, row.id);
    // Known analysis, so the figures do not depend on the model.
    await t.db
      .updateTable("messages")
      .set(outbound ? { sent_by: agentId, delivery_status: "sent" } : { sentiment: s.sentiment ?? null, sentiment_score: null, labels: [] })
      .where("workspace_id", "=", owner.workspaceId)
      .where("id", "=", row.id)
      .execute();
  }
}

async function contactFor(name: string, author: string, tags: string[], organizationId?: string) {
  const contact = await ok(owner, "POST", "/api/v1/contacts", {
    name,
    tags,
    ...(organizationId ? { organization_id: organizationId } : {}),
  });
  const profileId = (await messageOf(INBOUND.find((s) => s.author === author)?.id ?? "")).profile_id;
  await ok(owner, "POST", `/api/v1/profiles/${profileId}/link`, { contact_id: contact.id });
  contacts.set(author, contact.id);
  return contact.id as string;
}

beforeAll(async () => {
  t = await startTestApp();
  owner = await newWorkspace(t, "Segment Co");
  for (const r of (await get("/api/v1/rules")).data as Array<{ id: string }>) await ok(owner, "DELETE", `/api/v1/rules/${r.id}`);
  const channel = await ok(owner, "POST", "/api/v1/channels", {
    name: "Helpdesk",
    network: "webhook",
    config: { reply_url: "https://help.example/parley-replies" },
  });
  const rule = await ok(owner, "POST", "/api/v1/rules", {
    name: "Refund acknowledgement",
    trigger: { type: "message.received" },
    conditions: { match: "all", conditions: [{ field: "message.text", op: "contains", value: "refund" }] },
    actions: [{ type: "send_reply", text: "We got your refund request", visibility: "public" }],
  });
  ruleId = rule.id;
  agentId = (
    await createUser(t.db, null, {
      workspaceId: owner.workspaceId,
      email: `agent-${owner.workspaceId}@example.com`,
      name: "Aggie Agent",
      password: "correct horse",
      role: "agent",
    })
  ).id;

  await ingest(channel.id, INBOUND);
  await ingest(channel.id, AGENT_REPLIES, true);
  // The rule's two replies, as the engine wrote them; dated and marked sent as the delivery worker would.
  for (const [post, when] of Object.entries(RULE_REPLY_AT)) {
    const conversationId = (await messageOf(post)).conversation_id;
    const updated = await t.db
      .updateTable("messages")
      .set({ posted_at: new Date(when), delivery_status: "sent" })
      .where("workspace_id", "=", owner.workspaceId)
      .where("conversation_id", "=", conversationId)
      .where("direction", "=", "outbound")
      .where("rule_id", "=", ruleId)
      .executeTakeFirst();
    expect(Number(updated.numUpdatedRows), `the rule's reply to ${post}`).toBe(1);
  }

  // Every conversation is waiting on us (the backlog counts them).
  await t.db.updateTable("conversations").set({ status: "open" }).where("workspace_id", "=", owner.workspaceId).execute();

  const bigCo = await ok(owner, "POST", "/api/v1/organizations", { name: "Big Co", industry: "Retail" });
  const ann = await contactFor("Ann Archer", "ann", ["vip"], bigCo.id);
  await contactFor("Bob Baker", "bob", ["vip"]);
  const cid = await contactFor("Cid Cole", "cid", []);
  segmentId = (
    await ok(owner, "POST", "/api/v1/segments", {
      name: "VIPs",
      entity: "contact",
      filter: { match: "all", conditions: [{ field: "tags", op: "contains", value: "vip" }] },
    })
  ).id;
  orgSegmentId = (
    await ok(owner, "POST", "/api/v1/segments", {
      name: "Retailers",
      entity: "organization",
      filter: { match: "all", conditions: [{ field: "industry", op: "eq", value: "retail" }] },
    })
  ).id;

  // Cases: Ann's (open, Nov 4) and Cid's (open, Nov 8); one without a contact (Nov 10).
  const insertCase = (n: number, contactId: string | null, created: string) =>
    t.db
      .insertInto("cases")
      .values({
        workspace_id: owner.workspaceId,
        id: newId(),
        number: 9000 + n,
        subject: `Case ${n}`,
        contact_id: contactId,
        created_at: new Date(created),
        updated_at: new Date(created),
      })
      .execute();
  await insertCase(1, ann, "2026-11-04T10:00:00Z");
  await insertCase(2, cid, "2026-11-08T10:00:00Z");
  await insertCase(3, null, "2026-11-10T10:00:00Z");

  // Ideas: I1 with Ann's vote (staff, for her contact, Nov 4) and Cid's (from his post m3, Nov 7); I2 with Cid's only.
  const idea = async (title: string) => {
    const id = newId();
    await t.db
      .insertInto("ideas")
      .values({
        workspace_id: owner.workspaceId,
        id,
        title,
        status: "new",
        created_at: new Date("2026-11-03T09:00:00Z"),
        updated_at: new Date(),
      })
      .execute();
    return id;
  };
  const vote = (ideaId: string, created: string, v: { contact?: string; message?: string; profile?: string | null }) =>
    t.db
      .insertInto("idea_votes")
      .values({
        workspace_id: owner.workspaceId,
        id: newId(),
        idea_id: ideaId,
        contact_id: v.contact ?? null,
        message_id: v.message ? (ids.get(v.message) ?? null) : null,
        profile_id: v.profile ?? null,
        created_by: v.contact ? `user:${owner.userId}` : "rule:r",
        created_at: new Date(created),
      })
      .execute();
  const i1 = await idea("Dark mode");
  const i2 = await idea("Export");
  await vote(i1, "2026-11-04T09:00:00Z", { contact: ann });
  await vote(i1, "2026-11-07T13:00:00Z", { message: "m3", profile: (await messageOf("m3")).profile_id });
  await vote(i2, "2026-11-07T13:00:00Z", { message: "m3", profile: (await messageOf("m3")).profile_id });

  // Deals from posts: Ann's from m1 (100), Cid's from m3 (50), one from Dee's m4 without a contact (30).
  await ensureDefaultPipeline(t.db, owner.workspaceId);
  const stage = await t.db
    .selectFrom("pipeline_stages")
    .select(["pipeline_id", "id"])
    .where("workspace_id", "=", owner.workspaceId)
    .executeTakeFirstOrThrow();
  const deal = (value: number, message: string, contactId: string | null) =>
    t.db
      .insertInto("deals")
      .values({
        workspace_id: owner.workspaceId,
        id: newId(),
        title: `Deal of ${value}`,
        value,
        currency: "EUR",
        pipeline_id: stage.pipeline_id,
        stage_id: stage.id,
        status: "open",
        message_id: ids.get(message) ?? null,
        contact_id: contactId,
        created_at: new Date("2026-11-10T09:00:00Z"),
        updated_at: new Date("2026-11-10T09:00:00Z"),
      })
      .execute();
  await deal(100, "m1", ann);
  await deal(50, "m3", cid);
  await deal(30, "m4", null);

  other = await newWorkspace(t, "Other Co");
  otherSegmentId = (
    await ok(other, "POST", "/api/v1/segments", {
      name: "Everyone there",
      entity: "contact",
      filter: { match: "all", conditions: [] },
    })
  ).id;
}, 120_000);
afterAll(async () => {
  await t?.close();
});

const withSegment = (report: string, segment = segmentId) => get(`/api/v1/reports/${report}?${RANGE}&segment=${segment}`);

describe("a rule's reply records the rule", () => {
  it("stores the rule's id on the reply it wrote, and none on people's replies", async () => {
    const { rows } = await sql<{ external_id: string; rule_id: string | null }>`
      select external_id, rule_id from messages where workspace_id = ${owner.workspaceId} and direction = 'outbound'
      order by posted_at`.execute(t.db);
    expect(rows.map((r) => r.rule_id)).toEqual([ruleId, null, ruleId, null]);
  });
});

describe("engagement outcome by rule", () => {
  it("counts detractors recovered by the rule that answered, beside agent, team and reply time", async () => {
    const r = await get(`/api/v1/reports/engagement?${RANGE}`);
    // Ann, Bob, Cid and Dee were negative before; Ann (positive) and Cid (neutral) recovered, Bob stayed
    // negative, Dee never wrote again: 2 recovered of 3 who wrote again.
    expect(r.rows[0]).toMatchObject({ dimension: "all", people: 4, negative_before: 4, with_after: 3, negative_after: 1, recovered: 2 });
    expect(r.rows[0].recovery_rate).toBe(0.6667);
    const byRule = r.rows.filter((x: { dimension: string }) => x.dimension === "rule");
    expect(byRule).toEqual([
      expect.objectContaining({
        key: ruleId,
        name: "Refund acknowledgement",
        people: 2,
        recovered: 2,
        recovery_rate: 1,
        negative_after: 0,
      }),
      expect.objectContaining({ key: "none", name: "Not sent by a rule", people: 2, recovered: 0, negative_before: 2, negative_after: 1 }),
    ]);
    // The rows come in order: all, agent, team, rule, reply time.
    const order = [...new Set(r.rows.map((x: { dimension: string }) => x.dimension))];
    expect(order).toEqual(["all", "agent", "team", "rule", "reply_time"]);
  });

  it("exports the rule rows in the CSV", async () => {
    const res = await owner.request("GET", `/api/v1/reports/engagement?${RANGE}&format=csv`);
    expect(res.statusCode).toBe(200);
    const rows = parse(res.body, { columns: true }) as Array<Record<string, string>>;
    expect(rows.find((x) => x.dimension === "rule" && x.key === ruleId)).toMatchObject({
      name: "Refund acknowledgement",
      people: "2",
      recovered: "2",
      recovery_rate: "1",
    });
    expect(rows.find((x) => x.dimension === "rule" && x.key === "none")).toMatchObject({ people: "2", recovered: "0" });
  });
});

describe("the segment filter", () => {
  it("narrows the listening report to the segment's people", async () => {
    const all = await get(`/api/v1/reports/listening?${RANGE}`);
    expect(all.totals).toMatchObject({ messages: 7, authors: 4 });
    // Ann and Bob: m1, m1b, m2, m2b.
    const vip = await withSegment("listening");
    expect(vip.totals).toMatchObject({ messages: 4, authors: 2 });
    const day = (d: string) => vip.volume.find((v: { bucket: string }) => v.bucket === d);
    expect(day("2026-11-03")).toMatchObject({ messages: 1, negative: 1 });
    expect(day("2026-11-04")).toMatchObject({ messages: 1, positive: 1 });
    expect(day("2026-11-07")).toMatchObject({ messages: 0 });
    expect(vip.top_authors.map((a: { handle: string }) => a.handle).sort()).toEqual(["ann", "bob"]);
  });

  it("narrows the service report: cases by their contact, conversations by who wrote in them", async () => {
    const all = await get(`/api/v1/reports/service?${RANGE}`);
    const allRow = all.rows.find((r: { dimension: string }) => r.dimension === "all");
    expect(allRow).toMatchObject({ cases: 3, conversations: 4 });
    const vip = await withSegment("service");
    const vipRow = vip.rows.find((r: { dimension: string }) => r.dimension === "all");
    // Ann's case; Ann's and Bob's conversations (first replies 20 and 60 minutes: p50 40).
    expect(vipRow).toMatchObject({ cases: 1, conversations: 2, conversation_first_reply_p50: 40 });
    expect(vip.backlog.open_cases).toBe(1);
    expect(vip.backlog.open_conversations).toBe(2);
    expect(all.backlog).toMatchObject({ open_cases: 3, open_conversations: 4 });
  });

  it("narrows the product report to votes and ideas of the segment's people", async () => {
    const all = await get(`/api/v1/reports/product?${RANGE}`);
    expect(all.totals).toEqual({ ideas: 2, ideas_created: 2, votes_in_range: 3 });
    // Only Ann's vote on Dark mode.
    const vip = await withSegment("product");
    expect(vip.totals).toEqual({ ideas: 1, ideas_created: 1, votes_in_range: 1 });
    expect(vip.top_ideas.map((i: { title: string; votes_in_range: number }) => [i.title, i.votes_in_range])).toEqual([["Dark mode", 1]]);
  });

  it("narrows the sales report to deals of the segment's people", async () => {
    const all = await get(`/api/v1/reports/sales?${RANGE}`);
    expect(all.rows[0]).toMatchObject({ dimension: "all", deals_created: 3, deals_value: 180 });
    const vip = await withSegment("sales");
    expect(vip.rows[0]).toMatchObject({ dimension: "all", deals_created: 1, deals_value: 100 });
  });

  it("narrows the engagement report, by rule too", async () => {
    const vip = await withSegment("engagement");
    // Ann (answered by the rule, recovered) and Bob (by the agent, still negative).
    expect(vip.rows[0]).toMatchObject({ people: 2, negative_before: 2, negative_after: 1, recovered: 1 });
    expect(vip.rows.find((x: { dimension: string; key: string }) => x.dimension === "rule" && x.key === ruleId)).toMatchObject({
      people: 1,
      recovered: 1,
    });
    expect(vip.rows.find((x: { dimension: string; key: string }) => x.dimension === "agent" && x.key === agentId)).toMatchObject({
      people: 1,
      recovered: 0,
    });
  });

  it("reads an organization segment as the people of its organizations", async () => {
    // Big Co is the only retailer: Ann alone.
    expect((await withSegment("listening", orgSegmentId)).totals).toMatchObject({ messages: 2, authors: 1 });
    expect((await withSegment("sales", orgSegmentId)).rows[0]).toMatchObject({ deals_created: 1, deals_value: 100 });
    expect((await withSegment("engagement", orgSegmentId)).rows[0]).toMatchObject({ people: 1, recovered: 1 });
  });

  it("narrows the CSV export the same way", async () => {
    const res = await owner.request("GET", `/api/v1/reports/listening?${RANGE}&segment=${segmentId}&format=csv`);
    expect(res.statusCode).toBe(200);
    const rows = parse(res.body, { columns: true }) as Array<Record<string, string>>;
    expect(rows.reduce((sum, r) => sum + Number(r.messages), 0)).toBe(4);
  });

  it("refuses another workspace's segment, an unknown one and a malformed id, naming segment", async () => {
    for (const segment of [otherSegmentId, newId(), "not-an-id"]) {
      for (const name of ["listening", "engagement"]) {
        const res = await owner.request("GET", `/api/v1/reports/${name}?${RANGE}&segment=${segment}`);
        expect(res.statusCode, res.body).toBe(400);
        expect(JSON.stringify(res.json().error)).toContain("segment");
      }
    }
    // and the other workspace's owner cannot read ours either
    const res = await other.request("GET", `/api/v1/reports/sales?${RANGE}&segment=${segmentId}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].field).toBe("segment");
  });
});
