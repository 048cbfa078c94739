import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "../src/accounts";
import { serviceReport } from "../src/reports";
import { createCase } from "../src/work";
import { apiKeyCaller, type Caller, newWorkspace, startTestApp, type TestApp } from "./support/app";

// The listening and service reports on a seeded workspace whose time zone is New York (UTC-5 in
// November): every figure is checked against values worked out by hand in the comments.

let t: TestApp;
let owner: Caller;
let channelId: string;
let teamId: string;
let agentId: string;
const ids = new Map<string, string>(); // external id -> message id
const conversations = new Map<string, string>(); // external id -> conversation id

const RANGE = "from=2026-11-02&to=2026-11-15";

type Seed = {
  id: string;
  at: string;
  text: string;
  author: string;
  followers?: number;
  network?: "mastodon" | "bluesky" | "x";
  reply_to?: string;
  outbound?: boolean;
  analysis?: { sentiment: string; score: number; labels: string[] };
};

// Inbound, in the range (New York days): m1 and m2 on Nov 3, m3 on Nov 9 (Nov 10 in UTC), m4 on Nov 12
// through the webhook channel. m0 is Nov 1 in New York (Nov 2 in UTC): outside the range.
const SEEDS: Seed[] = [
  { id: "m0", at: "2026-11-02T04:30:00Z", text: "Acme early bird", author: "a1", followers: 100 },
  {
    id: "m1",
    at: "2026-11-03T14:00:00Z",
    text: "Acme checkout is broken",
    author: "a1",
    followers: 100,
    analysis: { sentiment: "negative", score: -0.8, labels: ["complaint"] },
  },
  { id: "r1", at: "2026-11-03T14:30:00Z", text: "Sorry! Fixing it", author: "brand", reply_to: "m1", outbound: true },
  {
    id: "m2",
    at: "2026-11-03T20:00:00Z",
    text: "Love the widget, ACME rocks",
    author: "a2",
    followers: 5000,
    analysis: { sentiment: "positive", score: 0.9, labels: ["praise"] },
  },
  {
    id: "m3",
    at: "2026-11-10T03:00:00Z",
    text: "Is Globex cheaper than Acme Inc?",
    author: "a3",
    network: "bluesky",
    analysis: { sentiment: "neutral", score: 0.1, labels: ["question"] },
  },
  { id: "r3", at: "2026-11-10T05:00:00Z", text: "No, see our prices", author: "brand", network: "bluesky", reply_to: "m3", outbound: true },
];
const CHANNEL_SEED: Seed = {
  id: "m4",
  at: "2026-11-12T15:00:00Z",
  text: "Where is my order?",
  author: "a4",
  followers: 50,
  network: "x",
  analysis: { sentiment: "negative", score: -0.5, labels: ["complaint", "question"] },
};

async function ingest(c: Caller, seeds: Seed[], channel?: string) {
  const res = await c.request("POST", "/api/v1/messages:batch", {
    ...(channel ? { channel_id: channel } : {}),
    messages: seeds.map((s) => ({
      network: s.network ?? "mastodon",
      external_id: `${s.id}-${c.workspaceId}`,
      author: { id: s.author, handle: s.author, ...(s.followers !== undefined ? { followers: s.followers } : {}) },
      text: s.text,
      created_at: s.at,
      ...(s.reply_to ? { in_reply_to: `${s.reply_to}-${c.workspaceId}` } : {}),
      ...(s.outbound ? { direction: "outbound" } : {}),
    })),
  });
  expect(res.statusCode, res.body).toBe(200);
  for (const s of seeds) {
    const row = await t.db
      .selectFrom("messages")
      .select(["id", "conversation_id"])
      .where("workspace_id", "=", c.workspaceId)
      .where("external_id", "=", `${s.id}-${c.workspaceId}`)
      .executeTakeFirstOrThrow();
    ids.set(s.id, row.id);
    conversations.set(s.id, row.conversation_id);
    // Known analysis, so the figures do not depend on the model.
    await t.db
      .updateTable("messages")
      .set({ sentiment: s.analysis?.sentiment ?? null, sentiment_score: s.analysis?.score ?? null, labels: s.analysis?.labels ?? [] })
      .where("workspace_id", "=", c.workspaceId)
      .where("id", "=", row.id)
      .execute();
  }
}

const minutes = (iso: string, n: number) => new Date(Date.parse(iso) + n * 60_000);

async function seedCase(
  c: Caller,
  opts: {
    at: string;
    priority: "urgent" | "normal";
    team?: string;
    assignee?: string;
    conversation?: string;
    firstResponse?: number;
    resolved?: number;
    paused?: number;
    firstDue: number;
    resolutionDue: number;
    rating?: number;
  },
) {
  const k = await createCase(t.db, c.workspaceId, {
    subject: `Case at ${opts.at}`,
    priority: opts.priority,
    team_id: opts.team,
    assignee_id: opts.assignee,
    conversation_id: opts.conversation,
    at: new Date(opts.at),
  });
  await t.db
    .updateTable("cases")
    .set({
      first_responded_at: opts.firstResponse !== undefined ? minutes(opts.at, opts.firstResponse) : null,
      resolved_at: opts.resolved !== undefined ? minutes(opts.at, opts.resolved) : null,
      status: opts.resolved !== undefined ? "solved" : "open",
      paused_seconds: opts.paused ?? 0,
      first_response_due_at: minutes(opts.at, opts.firstDue),
      resolution_due_at: minutes(opts.at, opts.resolutionDue),
      satisfaction_rating: opts.rating ?? null,
    })
    .where("workspace_id", "=", c.workspaceId)
    .where("id", "=", k.id)
    .execute();
  return k.id;
}

beforeAll(async () => {
  t = await startTestApp();
  owner = await newWorkspace(t, "Reports Co");
  // No automation: only the test opens cases and sets labels.
  for (const r of (await owner.request("GET", "/api/v1/rules")).json().data as Array<{ id: string }>) {
    expect((await owner.request("DELETE", `/api/v1/rules/${r.id}`)).statusCode).toBe(204);
  }
  expect((await owner.request("PUT", "/api/v1/rules/settings", { time_zone: "America/New_York" })).statusCode).toBe(200);
  const channel = await owner.request("POST", "/api/v1/channels", { name: "Support hook", network: "webhook" });
  expect(channel.statusCode, channel.body).toBe(201);
  channelId = channel.json().id;
  // A new workspace comes with a Support team.
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
  for (const [kind, name, aliases] of [
    ["brand", "Acme", ["acme inc"]],
    ["product", "Widget", []],
    ["brand", "Globex", []],
  ] as const) {
    const res = await owner.request("POST", "/api/v1/dictionary", { kind, name, aliases });
    expect(res.statusCode, res.body).toBe(201);
  }
  await ingest(owner, SEEDS);
  await ingest(owner, [CHANNEL_SEED], channelId);

  // Cases opened in the range (minutes after opening):
  //   c1 urgent, Support, the agent, m1's conversation: responded 30, resolved 120; due 60 / 240 (both met); rated 5
  //   c2 normal, Support: responded 90 (due 60: breached), resolved 600 with 20 paused = 580 (due 960: met); rated 2
  //   c3 normal, no team: responded 10 (due 60: met), unresolved, resolution due after a day (passed: breached)
  // and c0, opened Oct 1 (outside the range), still open.
  await seedCase(owner, {
    at: "2026-11-03T14:00:00Z",
    priority: "urgent",
    team: teamId,
    assignee: agentId,
    conversation: conversations.get("m1"),
    firstResponse: 30,
    resolved: 120,
    firstDue: 60,
    resolutionDue: 240,
    rating: 5,
  });
  await seedCase(owner, {
    at: "2026-11-04T10:00:00Z",
    priority: "normal",
    team: teamId,
    firstResponse: 90,
    resolved: 600,
    paused: 1200,
    firstDue: 60,
    resolutionDue: 960,
    rating: 2,
  });
  await seedCase(owner, { at: "2026-11-05T10:00:00Z", priority: "normal", firstResponse: 10, firstDue: 60, resolutionDue: 1440 });
  await seedCase(owner, { at: "2026-10-01T10:00:00Z", priority: "normal", firstDue: 60, resolutionDue: 1440 });

  // Another workspace's messages never show.
  const other = await newWorkspace(t, "Other Co");
  await ingest(other, [{ ...SEEDS[1], id: "o1" } as Seed]);
});
afterAll(async () => {
  await t?.close();
});

const get = async (c: Caller, url: string) => {
  const res = await c.request("GET", url);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

describe("listening report", () => {
  it("counts volume and sentiment per New York day, zeros included", async () => {
    const r = await get(owner, `/api/v1/reports/listening?${RANGE}`);
    expect(r.range).toMatchObject({ time_zone: "America/New_York", bucket: "day", from: "2026-11-02T05:00:00.000Z" });
    // 'to' is a date: its whole day is in (Nov 16 00:00 in New York).
    expect(r.range.to).toBe("2026-11-16T05:00:00.000Z");
    expect(r.volume).toHaveLength(14);
    const day = (d: string) => r.volume.find((v: { bucket: string }) => v.bucket === d);
    // Nov 3: m1 (-0.8) and m2 (+0.9): mean 0.05. m3 counts on Nov 9 (New York), not Nov 10 (UTC).
    expect(day("2026-11-03")).toEqual({
      bucket: "2026-11-03",
      messages: 2,
      positive: 1,
      neutral: 0,
      negative: 1,
      unanalyzed: 0,
      mean_sentiment: 0.05,
    });
    expect(day("2026-11-09")).toMatchObject({ messages: 1, neutral: 1, mean_sentiment: 0.1 });
    expect(day("2026-11-10")).toMatchObject({ messages: 0, mean_sentiment: null });
    expect(day("2026-11-12")).toMatchObject({ messages: 1, negative: 1, mean_sentiment: -0.5 });
    expect(day("2026-11-02")).toMatchObject({ messages: 0 });
    // m0 (Nov 1 in New York) and outbound replies are not listening; (-0.8 + 0.9 + 0.1 - 0.5) / 4 = -0.075
    expect(r.totals).toEqual({ messages: 4, authors: 4, mean_sentiment: -0.075 });
  });

  it("splits volume by network, channel and label", async () => {
    const r = await get(owner, `/api/v1/reports/listening?${RANGE}&bucket=week`);
    expect(r.volume.map((v: { bucket: string; messages: number }) => [v.bucket, v.messages])).toEqual([
      ["2026-11-02", 2],
      ["2026-11-09", 2],
    ]);
    const of = (dimension: string) =>
      r.volume_by
        .filter((s: { dimension: string }) => s.dimension === dimension)
        .map((s: { bucket: string; key: string; name: string; messages: number }) => `${s.bucket} ${s.name} ${s.messages}`)
        .sort();
    expect(of("label")).toEqual(["2026-11-02 complaint 1", "2026-11-02 praise 1", "2026-11-09 complaint 1", "2026-11-09 question 2"]);
    expect(of("channel")).toEqual(["2026-11-02 No channel 2", "2026-11-09 No channel 1", "2026-11-09 Support hook 1"]);
    const networks = of("network");
    expect(networks).toContain("2026-11-02 mastodon 2");
    expect(networks).toContain("2026-11-09 bluesky 1");
    expect(networks).toHaveLength(3);
  });

  it("shares voice over the dictionary and ranks authors by reach", async () => {
    const r = await get(owner, `/api/v1/reports/listening?${RANGE}`);
    // Acme: m1, m2 (ACME), m3 (Acme Inc) = 3; Widget: m2 = 1; Globex: m3 = 1; of 5 mentions.
    expect(
      r.share_of_voice.map((s: { name: string; kind: string; mentions: number; share: number }) => [s.name, s.kind, s.mentions, s.share]),
    ).toEqual([
      ["Acme", "brand", 3, 0.6],
      ["Globex", "brand", 1, 0.2],
      ["Widget", "product", 1, 0.2],
    ]);
    expect(
      r.top_authors.map((a: { handle: string; followers: number | null; messages: number }) => [a.handle, a.followers, a.messages]),
    ).toEqual([
      ["a2", 5000, 1],
      ["a1", 100, 1],
      ["a4", 50, 1],
      ["a3", null, 1],
    ]);
  });

  it("filters by channel, network and team", async () => {
    const byChannel = await get(owner, `/api/v1/reports/listening?${RANGE}&channel=${channelId}`);
    expect(byChannel.totals.messages).toBe(1);
    const byNetwork = await get(owner, `/api/v1/reports/listening?${RANGE}&network=bluesky`);
    expect(byNetwork.totals).toMatchObject({ messages: 1, mean_sentiment: 0.1 });
    const byTeam = await get(owner, `/api/v1/reports/listening?${RANGE}&team=${teamId}`);
    expect(byTeam.totals.messages).toBe(0);
  });
});

describe("service report", () => {
  const row = (r: { rows: Array<{ dimension: string; key: string }> }, dimension: string, key: string) =>
    r.rows.find((x) => x.dimension === dimension && x.key === key);

  it("measures first reply, first response, resolution, SLA and CSAT", async () => {
    const r = await get(owner, `/api/v1/reports/service?${RANGE}`);
    expect(r.rows[0]).toEqual({
      dimension: "all",
      key: "all",
      name: "All",
      // Conversations m1 (reply after 30), m2 (none), m3 (reply after 120), m4 (none):
      // p50 of [30, 120] = 75, p90 = 30 + 0.9 x 90 = 111.
      conversations: 4,
      conversation_first_reply_p50: 75,
      conversation_first_reply_p90: 111,
      // First response [10, 30, 90]: p50 30, p90 at rank 1.8 = 30 + 0.8 x 60 = 78.
      cases: 3,
      first_response_p50: 30,
      first_response_p90: 78,
      // Resolution [120, 580]: p50 350, p90 = 120 + 0.9 x 460 = 534.
      resolution_p50: 350,
      resolution_p90: 534,
      first_response_met: 2,
      first_response_breached: 1,
      first_response_attainment: 0.6667,
      resolution_met: 2,
      resolution_breached: 1,
      resolution_attainment: 0.6667,
      // Ratings 5 and 2.
      csat_responses: 2,
      csat_mean: 3.5,
      csat_satisfied: 0.5,
    });
    expect(row(r, "team", teamId)).toMatchObject({
      name: "Support",
      cases: 2,
      first_response_p50: 60,
      first_response_p90: 84,
      resolution_p50: 350,
      first_response_attainment: 0.5,
      resolution_attainment: 1,
      csat_mean: 3.5,
    });
    expect(row(r, "team", "none")).toMatchObject({ name: "No team", cases: 1, first_response_p50: 10, resolution_p50: null });
    expect(row(r, "agent", agentId)).toMatchObject({ name: "Aggie Agent", cases: 1, first_response_p50: 30, csat_mean: 5 });
    expect(row(r, "priority", "urgent")).toMatchObject({ cases: 1, resolution_p50: 120 });
    expect(row(r, "priority", "normal")).toMatchObject({ cases: 2, first_response_p50: 50, resolution_p50: 580 });
    // Priorities come most urgent first.
    expect(r.rows.filter((x: { dimension: string }) => x.dimension === "priority").map((x: { key: string }) => x.key)).toEqual([
      "urgent",
      "normal",
    ]);
    expect(row(r, "channel", channelId)).toMatchObject({ name: "Support hook", conversations: 1, conversation_first_reply_p50: null });
  });

  it("counts the backlog by age at a given moment", async () => {
    const actor = { workspaceId: owner.workspaceId, role: "manager" as const, kind: "user" as const, userId: null, label: "test" };
    const r = await serviceReport(
      t.db,
      actor,
      { from: "2026-11-02", to: "2026-11-15", bucket: "day", format: "json" },
      new Date("2026-11-06T12:00:00Z"),
    );
    // Open cases at Nov 6 12:00: c3 (opened Nov 5 10:00: 1-3 days) and c0 (Oct 1: over 7 days); c1 and c2 are solved.
    const cases = Object.fromEntries(r.backlog.ages.map((a) => [a.age, a.cases]));
    expect(cases).toEqual({ under_1d: 0, "1d_3d": 1, "3d_7d": 0, over_7d: 1 });
    expect(r.backlog.open_cases).toBe(2);
    // Open conversations are what the inbox shows as new, open or pending.
    const open = await t.db
      .selectFrom("conversations")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("workspace_id", "=", owner.workspaceId)
      .where("status", "in", ["new", "open", "pending"])
      .executeTakeFirstOrThrow();
    expect(r.backlog.open_conversations).toBe(Number(open.n));
  });

  it("downloads the main table as CSV", async () => {
    const res = await owner.request("GET", `/api/v1/reports/service?${RANGE}&format=csv`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers["content-type"]).toMatch(/text\/csv/);
    const rows = parse(res.body, { columns: true }) as Array<Record<string, string>>;
    expect(rows[0]).toMatchObject({ dimension: "all", cases: "3", first_response_p90: "78", csat_mean: "3.5" });
    const listening = await owner.request("GET", `/api/v1/reports/listening?${RANGE}&format=csv`);
    const days = parse(listening.body, { columns: true }) as Array<Record<string, string>>;
    expect(days).toHaveLength(14);
    expect(days.find((d) => d.bucket === "2026-11-03")).toMatchObject({
      messages: "2",
      complaint: "1",
      praise: "1",
      mean_sentiment: "0.05",
    });
  });
});

describe("access and bad input", () => {
  it("lets managers read reports, not agents or viewers", async () => {
    // Reports show every team's and agent's performance: managers up, as in most help desks.
    for (const role of ["manager", "admin"] as const) {
      const member = await apiKeyCaller(t, owner, role);
      expect((await member.request("GET", `/api/v1/reports/service?${RANGE}`)).statusCode).toBe(200);
    }
    for (const role of ["agent", "viewer"] as const) {
      const member = await apiKeyCaller(t, owner, role);
      expect((await member.request("GET", `/api/v1/reports/listening?${RANGE}`)).statusCode).toBe(403);
    }
  });

  it("answers 400 naming the field", async () => {
    const cases: Array<[string, string]> = [
      ["/api/v1/reports/listening?from=2026-13-45", "from"],
      ["/api/v1/reports/listening?from=yesterday", "from"],
      ["/api/v1/reports/service?to=2026-02-30", "to"],
      ["/api/v1/reports/service?from=2026-11-10&to=2026-11-01", "to"],
      ["/api/v1/reports/service?from=2020-01-01&to=2026-01-01", "from"],
      ["/api/v1/reports/listening?bucket=month", "bucket"],
      ["/api/v1/reports/listening?team=abc", "team"],
      ["/api/v1/reports/listening?network=myspace", "network"],
      ["/api/v1/reports/revenue", "name"],
    ];
    for (const [url, field] of cases) {
      const res = await owner.request("GET", url);
      expect(res.statusCode, `${url}: ${res.body}`).toBe(400);
      expect(JSON.stringify(res.json().error), url).toContain(field);
    }
  });
});
