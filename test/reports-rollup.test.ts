import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hourlyRollupFits, listeningVolume, listeningVolumeSplit, type ReportScope, topAuthors } from "../src/store/reports";
import { type Caller, newWorkspace, startTestApp, type TestApp } from "./support/app";

// The listening report's hourly rollups (migration 031) against the messages they count: after inserts,
// relabelling, erasure (tombstones) and retention deletes, the report read through the rollups equals the
// same report read from the messages, and the rollup rows equal a fresh count. Runs on PGlite, and on
// PostgreSQL when PARLEY_TEST_DATABASE_URL is set.

let t: TestApp;
let owner: Caller;
let channelId: string;
let seq = 0;

type Post = { at: string; author: string; text: string; network?: string; channel?: boolean; followers?: number };

async function ingest(posts: Post[]) {
  for (const channel of [false, true]) {
    const batch = posts.filter((p) => Boolean(p.channel) === channel);
    if (batch.length === 0) continue;
    const res = await owner.request("POST", "/api/v1/messages:batch", {
      ...(channel ? { channel_id: channelId } : {}),
      messages: batch.map((p) => ({
        network: p.network ?? "mastodon",
        external_id: `rollup-${++seq}`,
        author: { id: p.author, handle: p.author, ...(p.followers !== undefined ? { followers: p.followers } : {}) },
        text: p.text,
        created_at: p.at,
      })),
    });
    expect(res.statusCode, res.body).toBe(200);
  }
}

const scope = (from: string, to: string, more: Partial<ReportScope> = {}): ReportScope => ({
  workspaceId: owner.workspaceId,
  from: new Date(from),
  to: new Date(to),
  timeZone: "UTC",
  bucket: "day",
  ...more,
});

/** The report's figures as it shows them (mean sentiment to 4 decimals). */
const shown = <T extends { mean_sentiment?: number | null }>(rows: T[]) =>
  rows.map((r) => (r.mean_sentiment == null ? r : { ...r, mean_sentiment: Math.round(r.mean_sentiment * 1e4) / 1e4 }));

function scopes(): ReportScope[] {
  return [
    scope("2026-10-01T00:00:00Z", "2026-12-01T00:00:00Z"),
    scope("2026-10-01T00:00:00Z", "2026-12-01T00:00:00Z", { bucket: "week" }),
    scope("2026-10-31T23:00:00Z", "2026-11-30T23:00:00Z", { timeZone: "Europe/Berlin" }),
    scope("2026-10-01T04:00:00Z", "2026-12-01T05:00:00Z", { timeZone: "America/New_York", bucket: "week" }),
    scope("2026-10-01T00:00:00Z", "2026-12-01T00:00:00Z", { channelId }),
    scope("2026-10-01T00:00:00Z", "2026-12-01T00:00:00Z", { network: "bluesky" }),
  ];
}

/** Every scope read through the rollups equals the messages' count, and the rollup rows equal a fresh count. */
async function expectRollupsExact() {
  for (const s of scopes()) {
    expect(hourlyRollupFits(s), `${s.timeZone} ${s.bucket}`).toBe(true);
    expect(shown(await listeningVolume(t.db, s, true))).toEqual(shown(await listeningVolume(t.db, s, false)));
    expect(await listeningVolumeSplit(t.db, s, true)).toEqual(await listeningVolumeSplit(t.db, s, false));
  }
  const ws = owner.workspaceId;
  const stored = await sql<Record<string, unknown>>`
    select hour, channel_id, network, messages, positive, neutral, negative, unanalyzed, score_sum::float8 as score_sum, scored
    from report_message_hours where workspace_id = ${ws} order by 1, 2, 3`.execute(t.db);
  const fresh = await sql<Record<string, unknown>>`
    select date_trunc('hour', posted_at, 'UTC') as hour, channel_id, network, count(*)::int as messages,
      (count(*) filter (where sentiment = 'positive'))::int as positive, (count(*) filter (where sentiment = 'neutral'))::int as neutral,
      (count(*) filter (where sentiment = 'negative'))::int as negative, (count(*) filter (where sentiment is null))::int as unanalyzed,
      coalesce(sum(sentiment_score::float8::numeric), 0)::float8 as score_sum, count(sentiment_score)::int as scored
    from messages where workspace_id = ${ws} and direction = 'inbound' group by 1, 2, 3 order by 1, 2, 3`.execute(t.db);
  expect(stored.rows).toEqual(fresh.rows);
  const labels = await sql`select hour, channel_id, network, label, messages from report_label_hours
    where workspace_id = ${ws} order by 1, 2, 3, 4`.execute(t.db);
  const freshLabels =
    await sql`select date_trunc('hour', m.posted_at, 'UTC') as hour, m.channel_id, m.network, l.label, count(*)::int as messages
    from messages m cross join lateral unnest(m.labels) as l(label)
    where m.workspace_id = ${ws} and m.direction = 'inbound' group by 1, 2, 3, 4 order by 1, 2, 3, 4`.execute(t.db);
  expect(labels.rows).toEqual(freshLabels.rows);
}

async function dayVolume(day: string) {
  const rows = await listeningVolume(t.db, scope("2026-10-01T00:00:00Z", "2026-12-01T00:00:00Z"));
  return rows.find((r) => r.bucket === day);
}

beforeAll(async () => {
  t = await startTestApp();
  owner = await newWorkspace(t, "Rollup Co");
  const channel = await owner.request("POST", "/api/v1/channels", { name: "Support hook", network: "webhook" });
  expect(channel.statusCode, channel.body).toBe(201);
  channelId = channel.json().id;
  await ingest([
    { at: "2026-10-05T09:15:00Z", author: "old1", text: "Your app is terrible, it crashed again and I lost my work" },
    { at: "2026-10-05T09:45:00Z", author: "old2", text: "Love the new release, great job team!" },
    { at: "2026-11-02T23:30:00Z", author: "ann", text: "How do I export my invoices to PDF?" },
    { at: "2026-11-03T00:10:00Z", author: "ann", text: "This is broken, I want a refund, cancelling my subscription" },
    { at: "2026-11-03T10:00:00Z", author: "ben", text: "Thanks, the support team was wonderful", network: "bluesky" },
    { at: "2026-11-03T10:20:00Z", author: "cy", text: "It would be great if you added dark mode", network: "bluesky" },
    { at: "2026-11-10T15:00:00Z", author: "dee", text: "Where is my order? Still not delivered", channel: true },
    { at: "2026-11-10T15:05:00Z", author: "dee", text: "Still waiting, this is awful service", channel: true },
    { at: "2026-11-29T23:59:00Z", author: "eve", text: "Pricing question: is there a discount for teams?" },
  ]);
});

afterAll(async () => {
  await t?.close();
});

describe("the listening report's hourly rollups", () => {
  it("count what ingest stored (so the comparison can fail)", async () => {
    const rows = await listeningVolume(t.db, scope("2026-10-01T00:00:00Z", "2026-12-01T00:00:00Z"));
    expect(rows.reduce((n, r) => n + r.messages, 0)).toBe(9);
    expect((await dayVolume("2026-11-03"))?.messages).toBe(3);
    const split = await listeningVolumeSplit(t.db, scope("2026-10-01T00:00:00Z", "2026-12-01T00:00:00Z"));
    expect(split.filter((r) => r.dimension === "label").length).toBeGreaterThan(0);
    expect(split.find((r) => r.dimension === "channel" && r.key === channelId && r.bucket === "2026-11-10")?.messages).toBe(2);
    await expectRollupsExact();
  });

  it("stay exact after a message is relabelled", async () => {
    const before = await dayVolume("2026-11-29");
    const id = (
      await sql<{
        id: string;
      }>`select id from messages where workspace_id = ${owner.workspaceId} and text like 'Pricing question%'`.execute(t.db)
    ).rows[0]?.id;
    const res = await owner.request("POST", `/api/v1/messages/${id}/corrections`, {
      sentiment: "negative",
      labels: ["complaint", "churn_risk"],
    });
    expect(res.statusCode, res.body).toBe(200);
    const after = await dayVolume("2026-11-29");
    expect(after?.negative).toBe(1);
    expect(after?.messages).toBe(before?.messages);
    await expectRollupsExact();
  });

  it("stay exact after a person is erased (their messages become tombstones)", async () => {
    const contact = (await owner.request("POST", "/api/v1/contacts", { name: "Dee Doe" })).json();
    const profiles = (await owner.request("GET", "/api/v1/profiles?limit=50")).json().data as Array<{ id: string; handle: string }>;
    const dee = profiles.find((p) => p.handle === "dee");
    const linked = await owner.request("POST", `/api/v1/profiles/${dee?.id}/link`, { contact_id: contact.id });
    expect(linked.statusCode, linked.body).toBe(200);
    const erased = await owner.request("POST", `/api/v1/contacts/${contact.id}/privacy-erase`, { confirm_name: "Dee Doe" });
    expect(erased.statusCode, erased.body).toBe(200);
    const day = await dayVolume("2026-11-10");
    expect(day?.messages).toBe(2);
    expect(day?.unanalyzed).toBe(2);
    await expectRollupsExact();
  });

  it("stay exact after retention deletes old messages, and after more arrive", async () => {
    const policy = await owner.request("POST", "/api/v1/privacy/retention", { scope: "all_inbound", days: 45 });
    expect(policy.statusCode, policy.body).toBe(201);
    const run = await owner.request("POST", "/api/v1/privacy/retention:run?dry_run=false");
    expect(run.statusCode, run.body).toBe(200);
    expect((await dayVolume("2026-10-05"))?.messages).toBe(0);
    await ingest([
      { at: "2026-11-03T10:40:00Z", author: "fay", text: "Great product, recommended it to my friends", network: "bluesky" },
      { at: "2026-11-10T15:30:00Z", author: "gus", text: "Refund please, this does not work", channel: true },
    ]);
    await expectRollupsExact();
  });

  it("are not used where they cannot be exact: a half-hour zone, a range off the hour, the team and segment filters", () => {
    expect(hourlyRollupFits(scope("2026-10-31T18:30:00Z", "2026-11-30T18:30:00Z", { timeZone: "Asia/Kolkata" }))).toBe(false);
    expect(hourlyRollupFits(scope("2026-11-01T00:00:00Z", "2026-11-02T10:15:00Z"))).toBe(false);
    expect(hourlyRollupFits(scope("2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z", { teamId: owner.workspaceId }))).toBe(false);
    expect(hourlyRollupFits(scope("2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z", { segment: { entity: "contact", where: [] } }))).toBe(
      false,
    );
  });

  it("top authors walked by reach equal every author counted, whatever the window (ties and unknown reach included)", async () => {
    await ingest([
      { at: "2026-11-20T08:00:00Z", author: "big", followers: 5000, text: "Acme is down" },
      { at: "2026-11-20T09:00:00Z", author: "tie1", followers: 300, text: "Acme is slow" },
      { at: "2026-11-20T09:10:00Z", author: "tie2", followers: 300, text: "Acme is slow today" },
      { at: "2026-11-20T09:20:00Z", author: "tie2", followers: 300, text: "Acme is still slow" },
      { at: "2026-11-20T09:30:00Z", author: "tie3", followers: 300, text: "Acme, please fix" },
      { at: "2026-10-25T09:30:00Z", author: "outside", followers: 9000, text: "Acme back in October" },
      { at: "2026-11-21T09:30:00Z", author: "small", followers: 10, text: "Acme question" },
    ]);
    for (const s of [
      scope("2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z"),
      scope("2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z", { channelId }),
    ]) {
      for (const limit of [1, 3, 10]) {
        const all = await topAuthors(t.db, s, limit, 0);
        for (const windowSize of [1, 2, 3, 4, 5, 8, 50])
          expect(await topAuthors(t.db, s, limit, windowSize), `limit ${limit} window ${windowSize}`).toEqual(all);
      }
    }
    const top3 = await topAuthors(t.db, scope("2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z"), 3);
    // big; then the 300s, tie2 first with two messages, then tie1 or tie3 by id; "outside" wrote before the range
    expect(top3.map((a) => a.handle).slice(0, 2)).toEqual(["big", "tie2"]);
    expect(["tie1", "tie3"]).toContain(top3[2]?.handle);
  });
});
