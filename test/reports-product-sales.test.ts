import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "../src/accounts";
import { newId } from "../src/shared/ids";
import { ensureDefaultPipeline } from "../src/work";
import { apiKeyCaller, type Caller, newWorkspace, startTestApp, type TestApp } from "./support/app";

// The product, sales and engagement reports on one seeded workspace (time zone UTC): every figure is
// checked against values worked out by hand in the comments. Runs on PGlite, and on PostgreSQL when
// PARLEY_TEST_DATABASE_URL is set.

let t: TestApp;
let owner: Caller;
let channelId: string;
let teamId: string;
let agentId: string;
const ids = new Map<string, string>(); // seed id -> message id
const conversations = new Map<string, string>(); // seed id -> conversation id
const profiles = new Map<string, string>(); // author -> profile id

const RANGE = "from=2026-11-02&to=2026-11-15";

type Seed = {
  id: string;
  at: string;
  author: string;
  network?: "mastodon" | "bluesky" | "community";
  reply_to?: string;
  outbound?: boolean;
  sentiment?: "positive" | "neutral" | "negative";
  labels?: string[];
};

// People and what they said (UTC). Our replies (r*) are outbound; m5's reply failed; m6 and r6 are before the range.
//   p1: m1 Nov 3 10:00 negative (churn risk) — r1 by the agent 30 min later — m1b Nov 4 positive: recovered
//   p2: m2 Nov 5 08:00 negative (through the channel) — r2 from outside Parley 6 h later — m2b Nov 6 negative
//   p3: m3 Nov 7 12:00 neutral — r3 by the agent 2 h later — m3b Nov 8 negative: worsened
//   p4: m4 Nov 9 09:00 negative — r4 by the agent 27 h later, r4b a follow-up — nothing after: a silent detractor
//   p5: m5 Nov 11 negative — r5 failed: not a reply
//   p6: m6 Oct 20 negative — r6 Oct 20: before the range
//   p7: m7 Nov 12 on the community portal
const SEEDS: Seed[] = [
  { id: "m1", at: "2026-11-03T10:00:00Z", author: "p1", sentiment: "negative", labels: ["complaint", "churn_risk"] },
  { id: "r1", at: "2026-11-03T10:30:00Z", author: "brand", reply_to: "m1", outbound: true },
  { id: "m1b", at: "2026-11-04T09:00:00Z", author: "p1", reply_to: "r1", sentiment: "positive", labels: ["praise"] },
  { id: "m3", at: "2026-11-07T12:00:00Z", author: "p3", sentiment: "neutral" },
  { id: "r3", at: "2026-11-07T14:00:00Z", author: "brand", reply_to: "m3", outbound: true },
  { id: "m3b", at: "2026-11-08T12:00:00Z", author: "p3", reply_to: "r3", sentiment: "negative" },
  { id: "m4", at: "2026-11-09T09:00:00Z", author: "p4", sentiment: "negative" },
  { id: "r4", at: "2026-11-10T12:00:00Z", author: "brand", reply_to: "m4", outbound: true },
  { id: "r4b", at: "2026-11-10T13:00:00Z", author: "brand", reply_to: "r4", outbound: true },
  { id: "m5", at: "2026-11-11T09:00:00Z", author: "p5", sentiment: "negative" },
  { id: "r5", at: "2026-11-11T10:00:00Z", author: "brand", reply_to: "m5", outbound: true },
  { id: "m6", at: "2026-10-20T09:00:00Z", author: "p6", sentiment: "negative" },
  { id: "r6", at: "2026-10-20T10:00:00Z", author: "brand", reply_to: "m6", outbound: true },
  { id: "m7", at: "2026-11-12T09:00:00Z", author: "p7", network: "community", sentiment: "neutral" },
];
const CHANNEL_SEEDS: Seed[] = [
  { id: "m2", at: "2026-11-05T08:00:00Z", author: "p2", network: "bluesky", sentiment: "negative" },
  { id: "r2", at: "2026-11-05T14:00:00Z", author: "brand", network: "bluesky", reply_to: "m2", outbound: true },
  { id: "m2b", at: "2026-11-06T08:00:00Z", author: "p2", network: "bluesky", reply_to: "r2", sentiment: "negative" },
];

async function ingest(c: Caller, seeds: Seed[], channel?: string) {
  const res = await c.request("POST", "/api/v1/messages:batch", {
    ...(channel ? { channel_id: channel } : {}),
    messages: seeds.map((s) => ({
      network: s.network ?? "mastodon",
      external_id: `${s.id}-${c.workspaceId}`,
      author: { id: s.author, handle: s.author },
      text: `Message ${s.id}`,
      created_at: s.at,
      ...(s.reply_to ? { in_reply_to: `${s.reply_to}-${c.workspaceId}` } : {}),
      ...(s.outbound ? { direction: "outbound" } : {}),
    })),
  });
  expect(res.statusCode, res.body).toBe(200);
  for (const s of seeds) {
    const row = await t.db
      .selectFrom("messages")
      .select(["id", "conversation_id", "profile_id"])
      .where("workspace_id", "=", c.workspaceId)
      .where("external_id", "=", `${s.id}-${c.workspaceId}`)
      .executeTakeFirstOrThrow();
    ids.set(s.id, row.id);
    conversations.set(s.id, row.conversation_id);
    if (!s.outbound && row.profile_id) profiles.set(s.author, row.profile_id);
    // Known analysis, so the figures do not depend on the model.
    await t.db
      .updateTable("messages")
      .set({ sentiment: s.sentiment ?? null, sentiment_score: null, labels: s.labels ?? [] })
      .where("workspace_id", "=", c.workspaceId)
      .where("id", "=", row.id)
      .execute();
  }
}

const at = (iso: string) => new Date(iso);

async function setMessage(id: string, patch: { sent_by?: string | null; delivery_status?: "sent" | "failed" }) {
  await t.db
    .updateTable("messages")
    .set(patch)
    .where("workspace_id", "=", owner.workspaceId)
    .where("id", "=", ids.get(id) ?? "")
    .execute();
}

async function insertIdea(title: string, status: "new" | "planned" | "declined", created: string, mergedInto?: string) {
  const id = newId();
  await t.db
    .insertInto("ideas")
    .values({
      workspace_id: owner.workspaceId,
      id,
      title,
      status,
      merged_into_id: mergedInto ?? null,
      created_at: at(created),
      updated_at: at(created),
    })
    .execute();
  return id;
}

async function insertVote(ideaId: string, created: string, v: { message?: string; by: string; contact?: string; profile?: string }) {
  await t.db
    .insertInto("idea_votes")
    .values({
      workspace_id: owner.workspaceId,
      id: newId(),
      idea_id: ideaId,
      message_id: v.message ? (ids.get(v.message) ?? null) : null,
      created_by: v.by,
      contact_id: v.contact ?? null,
      profile_id: v.profile ?? null,
      created_at: at(created),
    })
    .execute();
}

async function insertContact(name: string, created: string, profile?: string) {
  const id = newId();
  await t.db
    .insertInto("contacts")
    .values({
      workspace_id: owner.workspaceId,
      id,
      name,
      lifecycle_stage: "lead",
      search: name.toLowerCase(),
      custom: {},
      created_at: at(created),
      updated_at: at(created),
    })
    .execute();
  if (profile) {
    await t.db
      .updateTable("profiles")
      .set({ contact_id: id })
      .where("workspace_id", "=", owner.workspaceId)
      .where("id", "=", profiles.get(profile) ?? "")
      .execute();
  }
  return id;
}

beforeAll(async () => {
  t = await startTestApp();
  owner = await newWorkspace(t, "Outcomes Co");
  // No automation: only the test files ideas, deals and labels.
  for (const r of (await owner.request("GET", "/api/v1/rules")).json().data as Array<{ id: string }>) {
    expect((await owner.request("DELETE", `/api/v1/rules/${r.id}`)).statusCode).toBe(204);
  }
  const channel = await owner.request("POST", "/api/v1/channels", { name: "Support hook", network: "webhook" });
  expect(channel.statusCode, channel.body).toBe(201);
  channelId = channel.json().id;
  const teams = (await owner.request("GET", "/api/v1/teams")).json().data as Array<{ id: string; name: string }>;
  teamId = teams.find((x) => x.name === "Support")?.id ?? "";
  expect(teamId).not.toBe("");
  const agent = await createUser(t.db, null, {
    workspaceId: owner.workspaceId,
    email: `agent-${owner.workspaceId}@example.com`,
    name: "Aggie Agent",
    password: "correct horse",
    role: "agent",
  });
  agentId = agent.id;
  await ingest(owner, SEEDS);
  await ingest(owner, CHANNEL_SEEDS, channelId);
  for (const r of ["r1", "r3", "r4", "r4b", "r6"]) await setMessage(r, { sent_by: agentId, delivery_status: "sent" });
  await setMessage("r5", { sent_by: agentId, delivery_status: "failed" });
  // p1's, p3's and p4's conversations are Support's; p2's has no team.
  for (const m of ["m1", "m3", "m4"]) {
    await t.db
      .updateTable("conversations")
      .set({ team_id: teamId })
      .where("workspace_id", "=", owner.workspaceId)
      .where("id", "=", conversations.get(m) ?? "")
      .execute();
  }

  // Ideas: I1 planned (Oct 1), I2 new (Nov 4), I3 merged into I1 (excluded), I4 declined without votes.
  const i1 = await insertIdea("Dark mode", "planned", "2026-10-01T09:00:00Z");
  const i2 = await insertIdea("Export to CSV", "new", "2026-11-04T09:00:00Z");
  await insertIdea("Dark theme", "new", "2026-11-05T09:00:00Z", i1);
  await insertIdea("Fax support", "declined", "2026-09-01T09:00:00Z");
  const c4 = await insertContact("Staff Pick", "2026-11-06T09:00:00Z");
  // Votes in the range: I1 from m1 (social, mastodon, Nov 3), on the portal (Nov 5), by staff (Nov 10);
  // I2 from m2 (social, bluesky, the channel, Nov 5) and from the portal post m7 (Nov 12). One I1 vote is from Oct 15.
  await insertVote(i1, "2026-11-03T11:00:00Z", { message: "m1", by: "rule:r", profile: profiles.get("p1") });
  await insertVote(i1, "2026-11-05T11:00:00Z", { by: "community", profile: profiles.get("p7") });
  await insertVote(i1, "2026-11-10T11:00:00Z", { by: `user:${owner.userId}`, contact: c4 });
  await insertVote(i1, "2026-10-15T11:00:00Z", { by: `user:${owner.userId}`, profile: profiles.get("p6") });
  await insertVote(i2, "2026-11-05T09:00:00Z", { message: "m2", by: "rule:r", profile: profiles.get("p2") });
  await insertVote(i2, "2026-11-12T09:30:00Z", { message: "m7", by: "community", profile: profiles.get("p7") });
  for (const [id, n] of [
    [i1, 4],
    [i2, 2],
  ] as const) {
    await t.db.updateTable("ideas").set({ vote_count: n }).where("workspace_id", "=", owner.workspaceId).where("id", "=", id).execute();
  }

  // Contacts: C1 (p1, created after m1: a lead), C2 (p2, after m2: a lead), C3 (p3, created before m3: not),
  // C4 (no profile: not), C5 (p6, Oct 21: before the range).
  const c1 = await insertContact("Lead One", "2026-11-03T12:00:00Z", "p1");
  await insertContact("Lead Two", "2026-11-05T09:00:00Z", "p2");
  await insertContact("Imported", "2026-11-04T09:00:00Z", "p3");
  const c5 = await insertContact("Old Friend", "2026-10-21T09:00:00Z", "p6");

  await ensureDefaultPipeline(t.db, owner.workspaceId);
  const pipeline = await t.db
    .selectFrom("pipeline_stages")
    .select(["pipeline_id", "id"])
    .where("workspace_id", "=", owner.workspaceId)
    .executeTakeFirstOrThrow();
  const deal = async (d: {
    value: number;
    created: string;
    status?: "open" | "won" | "lost";
    closed?: string;
    message?: string;
    conversation?: string;
    contact?: string;
  }) =>
    t.db
      .insertInto("deals")
      .values({
        workspace_id: owner.workspaceId,
        id: newId(),
        title: `Deal of ${d.value}`,
        value: d.value,
        currency: "EUR",
        pipeline_id: pipeline.pipeline_id,
        stage_id: pipeline.id,
        status: d.status ?? "open",
        closed_at: d.closed ? at(d.closed) : null,
        message_id: d.message ? (ids.get(d.message) ?? null) : null,
        conversation_id: d.conversation ? (conversations.get(d.conversation) ?? null) : null,
        contact_id: d.contact ?? null,
        created_at: at(d.created),
        updated_at: at(d.created),
      })
      .execute();
  // D1 from m1 (1000, won Nov 10); D2 on p2's conversation (500, open); D3 manual for C5 (2000, made Oct 25, won
  // Nov 12: traced to m6, mastodon); D4 manual, nobody (300, won Nov 7: no post); D5 from m1 made Nov 20
  // (outside); D6 from m3 (50, lost).
  await deal({ value: 1000, created: "2026-11-03T13:00:00Z", status: "won", closed: "2026-11-10T09:00:00Z", message: "m1", contact: c1 });
  await deal({ value: 500, created: "2026-11-05T10:00:00Z", conversation: "m2" });
  await deal({ value: 2000, created: "2026-10-25T09:00:00Z", status: "won", closed: "2026-11-12T09:00:00Z", contact: c5 });
  await deal({ value: 300, created: "2026-11-06T09:00:00Z", status: "won", closed: "2026-11-07T09:00:00Z" });
  await deal({ value: 700, created: "2026-11-20T09:00:00Z", message: "m1" });
  await deal({ value: 50, created: "2026-11-08T13:00:00Z", status: "lost", closed: "2026-11-09T09:00:00Z", message: "m3" });

  // Another workspace's ideas, deals and replies never show.
  const other = await newWorkspace(t, "Other Co");
  await other.request("POST", "/api/v1/messages:batch", {
    messages: [
      { network: "mastodon", external_id: "o1", author: { id: "x" }, text: "Hi", created_at: "2026-11-03T10:00:00Z" },
      {
        network: "mastodon",
        external_id: "o2",
        author: { id: "brand" },
        text: "Hello",
        created_at: "2026-11-03T10:10:00Z",
        in_reply_to: "o1",
        direction: "outbound",
      },
    ],
  });
}, 120_000);
afterAll(async () => {
  await t?.close();
});

const get = async (url: string, c: Caller = owner) => {
  const res = await c.request("GET", url);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

describe("product report", () => {
  it("counts ideas by status, votes over time and where they came from", async () => {
    const r = await get(`/api/v1/reports/product?${RANGE}`);
    // I1, I2 and I4 (I3 is merged); I2 is the only one created in the range; 5 votes in the range (not Oct 15's).
    expect(r.totals).toEqual({ ideas: 3, ideas_created: 1, votes_in_range: 5 });
    const status = (s: string) => r.by_status.find((x: { status: string }) => x.status === s);
    expect(r.by_status.map((x: { status: string }) => x.status)).toEqual([
      "new",
      "under_review",
      "planned",
      "in_progress",
      "done",
      "declined",
    ]);
    expect(status("planned")).toEqual({ status: "planned", ideas: 1, votes: 4, created: 0, votes_in_range: 3 });
    expect(status("new")).toEqual({ status: "new", ideas: 1, votes: 2, created: 1, votes_in_range: 2 });
    expect(status("declined")).toEqual({ status: "declined", ideas: 1, votes: 0, created: 0, votes_in_range: 0 });
    expect(status("done")).toMatchObject({ ideas: 0 });

    expect(r.votes).toHaveLength(14);
    const day = (d: string) => r.votes.find((v: { bucket: string }) => v.bucket === d);
    expect(day("2026-11-03")).toEqual({ bucket: "2026-11-03", votes: 1, social: 1, community: 0, staff: 0 });
    // Nov 5: the portal vote on I1 and the vote from m2.
    expect(day("2026-11-05")).toEqual({ bucket: "2026-11-05", votes: 2, social: 1, community: 1, staff: 0 });
    expect(day("2026-11-10")).toMatchObject({ votes: 1, staff: 1 });
    expect(day("2026-11-12")).toMatchObject({ votes: 1, community: 1 });
    expect(day("2026-11-02")).toMatchObject({ votes: 0 });

    const origin = (dimension: string) =>
      r.origins
        .filter((o: { dimension: string }) => o.dimension === dimension)
        .map((o: { name: string; votes: number }) => `${o.name} ${o.votes}`)
        .sort();
    expect(origin("source")).toEqual(["Community portal 2", "Social posts 2", "Staff 1"]);
    expect(origin("network")).toEqual(["No post 1", "bluesky 1", "community 2", "mastodon 1"]);
    expect(origin("channel")).toEqual(["No channel 4", "Support hook 1"]);

    expect(r.top_ideas.map((i: { title: string; votes_in_range: number; votes: number }) => [i.title, i.votes_in_range, i.votes])).toEqual([
      ["Dark mode", 3, 4],
      ["Export to CSV", 2, 2],
    ]);
  });

  it("narrows the votes by the post they came from", async () => {
    expect((await get(`/api/v1/reports/product?${RANGE}&network=bluesky`)).totals.votes_in_range).toBe(1);
    expect((await get(`/api/v1/reports/product?${RANGE}&network=community`)).totals.votes_in_range).toBe(2);
    expect((await get(`/api/v1/reports/product?${RANGE}&channel=${channelId}`)).top_ideas).toMatchObject([{ title: "Export to CSV" }]);
    // Only m1's conversation is Support's.
    expect((await get(`/api/v1/reports/product?${RANGE}&team=${teamId}`)).totals.votes_in_range).toBe(1);
  });
});

describe("sales report", () => {
  const row = (r: { rows: Array<{ dimension: string; key: string }> }, dimension: string, key: string) =>
    r.rows.find((x) => x.dimension === dimension && x.key === key);

  it("counts leads and deals from social and traces won revenue to the first post", async () => {
    const r = await get(`/api/v1/reports/sales?${RANGE}`);
    expect(r.currencies).toEqual(["EUR"]);
    // Leads C1, C2; deals D1 (1000), D2 (500), D6 (50); won D1 (1000), D3 (2000), D4 (300).
    expect(r.rows[0]).toEqual({
      dimension: "all",
      key: "all",
      name: "All",
      leads: 2,
      deals_created: 3,
      deals_value: 1550,
      won_deals: 3,
      won_value: 3300,
    });
    // D3 was made by hand in October: its revenue is traced to its contact's first post (m6, mastodon).
    expect(row(r, "network", "mastodon")).toMatchObject({ leads: 1, deals_created: 2, deals_value: 1050, won_deals: 2, won_value: 3000 });
    expect(row(r, "network", "bluesky")).toMatchObject({ leads: 1, deals_created: 1, deals_value: 500, won_deals: 0, won_value: 0 });
    expect(row(r, "network", "none")).toMatchObject({ name: "No post", leads: 0, won_deals: 1, won_value: 300 });
    expect(row(r, "channel", channelId)).toMatchObject({ name: "Support hook", leads: 1, deals_created: 1, deals_value: 500 });
    expect(row(r, "channel", "none")).toMatchObject({ name: "No channel", leads: 1, deals_created: 2, won_value: 3300 });

    expect(r.series).toHaveLength(14);
    const day = (d: string) => r.series.find((p: { bucket: string }) => p.bucket === d);
    expect(day("2026-11-03")).toEqual({ bucket: "2026-11-03", leads: 1, deals_created: 1, deals_value: 1000, won_value: 0 });
    expect(day("2026-11-05")).toEqual({ bucket: "2026-11-05", leads: 1, deals_created: 1, deals_value: 500, won_value: 0 });
    expect(day("2026-11-07")).toMatchObject({ won_value: 300 });
    expect(day("2026-11-10")).toMatchObject({ won_value: 1000 });
    expect(day("2026-11-12")).toMatchObject({ won_value: 2000 });
    const weeks = await get(`/api/v1/reports/sales?${RANGE}&bucket=week`);
    expect(weeks.series.map((p: { bucket: string; won_value: number }) => [p.bucket, p.won_value])).toEqual([
      ["2026-11-02", 300],
      ["2026-11-09", 3000],
    ]);
  });

  it("filters by the first post's network, channel and team", async () => {
    const bluesky = await get(`/api/v1/reports/sales?${RANGE}&network=bluesky`);
    expect(bluesky.rows[0]).toMatchObject({ leads: 1, deals_created: 1, deals_value: 500, won_deals: 0 });
    const hook = await get(`/api/v1/reports/sales?${RANGE}&channel=${channelId}`);
    expect(hook.rows[0]).toMatchObject({ leads: 1, deals_created: 1, won_value: 0 });
    // Support's conversations: m1 (C1, D1) and m3 (D6); m6's (D3) has no team.
    const support = await get(`/api/v1/reports/sales?${RANGE}&team=${teamId}`);
    expect(support.rows[0]).toMatchObject({ leads: 1, deals_created: 2, deals_value: 1050, won_deals: 1, won_value: 1000 });
  });
});

describe("engagement report", () => {
  const row = (r: { rows: Array<{ dimension: string; key: string }> }, dimension: string, key: string) =>
    r.rows.find((x) => x.dimension === dimension && x.key === key);

  it("compares sentiment before and after our first reply and counts detractors recovered", async () => {
    const r = await get(`/api/v1/reports/engagement?${RANGE}`);
    expect(r.window_days).toBe(7);
    // p1..p4 (p5's reply failed, p6's was in October). Before: p1, p2, p4 negative, p3 neutral (3 of 4).
    // After: p1 positive, p2 negative, p3 negative (2 of 3); p4 silent. Recovered: p1, of p1 and p2 who wrote again.
    expect(r.rows[0]).toEqual({
      dimension: "all",
      key: "all",
      name: "All",
      people: 4,
      with_before: 4,
      with_after: 3,
      negative_before: 3,
      negative_after: 2,
      negative_share_before: 0.75,
      negative_share_after: 0.6667,
      recovered: 1,
      worsened: 1,
      recovery_rate: 0.5,
      churn_risk_before: 1,
      churn_risk_after: 0,
    });
    // The agent answered p1, p3 and p4 (r4b is a follow-up, not a second person); r2 came from outside Parley.
    expect(row(r, "agent", agentId)).toMatchObject({
      name: "Aggie Agent",
      people: 3,
      negative_before: 2,
      negative_after: 1,
      recovered: 1,
      recovery_rate: 1,
    });
    expect(row(r, "agent", "none")).toMatchObject({
      name: "Outside Parley",
      people: 1,
      negative_before: 1,
      recovered: 0,
      recovery_rate: 0,
    });
    expect(row(r, "team", teamId)).toMatchObject({ name: "Support", people: 3 });
    expect(row(r, "team", "none")).toMatchObject({ name: "No team", people: 1 });
    // Waits: p1 30 min, p3 2 h, p2 6 h, p4 27 h.
    expect(
      r.rows
        .filter((x: { dimension: string }) => x.dimension === "reply_time")
        .map((x: { key: string; people: number }) => [x.key, x.people]),
    ).toEqual([
      ["under_1h", 1],
      ["1h_4h", 1],
      ["4h_24h", 1],
      ["over_24h", 1],
    ]);
    expect(row(r, "reply_time", "under_1h")).toMatchObject({ recovered: 1, churn_risk_before: 1 });
    expect(row(r, "reply_time", "1h_4h")).toMatchObject({ worsened: 1 });

    const day = (d: string) => r.series.find((p: { bucket: string }) => p.bucket === d);
    expect(r.series).toHaveLength(14);
    expect(day("2026-11-03")).toEqual({ bucket: "2026-11-03", people: 1, detractors: 1, recovered: 1 });
    expect(day("2026-11-10")).toEqual({ bucket: "2026-11-10", people: 1, detractors: 1, recovered: 0 });
    expect(day("2026-11-11")).toMatchObject({ people: 0 });
  });

  it("filters by the reply's channel, network and conversation's team", async () => {
    expect((await get(`/api/v1/reports/engagement?${RANGE}&channel=${channelId}`)).rows[0]).toMatchObject({ people: 1, negative_after: 1 });
    expect((await get(`/api/v1/reports/engagement?${RANGE}&network=mastodon`)).rows[0]).toMatchObject({ people: 3 });
    expect((await get(`/api/v1/reports/engagement?${RANGE}&team=${teamId}`)).rows[0]).toMatchObject({ people: 3, recovered: 1 });
    // A range without replies: zeros and nulls, not errors.
    const empty = await get("/api/v1/reports/engagement?from=2026-01-01&to=2026-01-31");
    expect(empty.rows).toEqual([expect.objectContaining({ key: "all", people: 0, negative_share_before: null, recovery_rate: null })]);
  });
});

describe("CSV, access and bad input", () => {
  it("downloads each report's main table as CSV", async () => {
    const csv = async (name: string) => {
      const res = await owner.request("GET", `/api/v1/reports/${name}?${RANGE}&format=csv`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers["content-type"]).toMatch(/text\/csv/);
      expect(res.headers["content-disposition"]).toContain(`${name}-report-`);
      return parse(res.body, { columns: true }) as Array<Record<string, string>>;
    };
    const product = await csv("product");
    expect(product).toHaveLength(14);
    expect(product.find((p) => p.bucket === "2026-11-05")).toEqual({
      bucket: "2026-11-05",
      votes: "2",
      social: "1",
      community: "1",
      staff: "0",
    });
    const sales = await csv("sales");
    expect(sales[0]).toMatchObject({ dimension: "all", leads: "2", deals_value: "1550", won_value: "3300" });
    const engagement = await csv("engagement");
    expect(engagement[0]).toMatchObject({ dimension: "all", people: "4", negative_share_after: "0.6667", recovered: "1" });
    expect(engagement.find((e) => e.key === agentId)).toMatchObject({ name: "Aggie Agent", people: "3" });
  });

  it("lets managers read them, not agents, and names a bad field", async () => {
    const manager = await apiKeyCaller(t, owner, "manager");
    for (const name of ["product", "sales", "engagement"]) {
      expect((await manager.request("GET", `/api/v1/reports/${name}?${RANGE}`)).statusCode).toBe(200);
    }
    const agent = await apiKeyCaller(t, owner, "agent");
    expect((await agent.request("GET", `/api/v1/reports/sales?${RANGE}`)).statusCode).toBe(403);
    for (const [url, field] of [
      ["/api/v1/reports/engagement?from=2026-11-31", "from"],
      ["/api/v1/reports/sales?channel=abc", "channel"],
      ["/api/v1/reports/product?bucket=month", "bucket"],
      ["/api/v1/reports/revenue", "name"],
    ] as const) {
      const res = await owner.request("GET", url);
      expect(res.statusCode, `${url}: ${res.body}`).toBe(400);
      expect(JSON.stringify(res.json().error), url).toContain(field);
    }
  });
});
