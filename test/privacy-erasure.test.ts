import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Caller, memberWithRole, newWorkspace, startTestApp, type TestApp } from "./support/app";
import { ingestOk } from "./support/posts";

// Erasure (issue 13): a person with messages on three networks is erased; their posts stay as
// tombstones (threads and counts whole), everything identifying goes, and re-ingesting their old
// posts brings nothing of them back. Undo of an older merge with them refuses.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

async function ok(c: Caller, method: string, url: string, body?: unknown) {
  const res = await c.request(method, url, body);
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
  return res.body ? res.json() : undefined;
}

const JO_EMAIL = { id: "jo.brown@example.com", handle: "jo.brown@example.com", display_name: "Jo Brown" };
const JO_X = { id: "x-jo-1", handle: "jo_b", display_name: "Jo B" };
const JO_MASTODON = { id: "m-jo-1", handle: "jo@mastodon.example", display_name: "Jo" };
const ANN = { id: "x-ann-1", handle: "ann_o", display_name: "Ann Other" };

function post(network: string, externalId: string, author: object, text: string, minute: number, extra: object = {}) {
  return {
    network,
    external_id: externalId,
    author,
    text,
    created_at: new Date(Date.UTC(2026, 10, 1, 10, minute)).toISOString(),
    public: network !== "email",
    ...(network === "email" ? { subject: "Order 4411 for Jo Brown" } : {}),
    ...extra,
  };
}

// Jo's posts, and Ann's reply in Jo's thread on x
const JO_POSTS = [
  post("email", "<jo-1@mail.example>", JO_EMAIL, "My order 4411 is late, call me on +44 20 7946 0958", 1),
  post("x", "x-post-1", JO_X, "Still waiting on that refund from Acme", 2),
  post("mastodon", "m-post-1", JO_MASTODON, "Acme support was slow today", 3),
];
const ANN_REPLY = post("x", "x-post-2", ANN, "Same here, Acme refunds take ages", 4, { in_reply_to: "x-post-1" });

async function count(query: ReturnType<typeof sql<{ n: number }>>) {
  return Number((await query.execute(t.db)).rows[0]?.n ?? 0);
}

describe("erasure", () => {
  let owner: Caller;
  let jo: { id: string; name: string };
  let mergeId: string;
  let conversations: string[];
  let countsBefore: Record<string, number>;

  beforeAll(async () => {
    owner = await newWorkspace(t, "Erase Co");
    jo = await ok(owner, "POST", "/api/v1/contacts", { name: "Jo Brown", emails: ["jo.brown@example.com"], consent_email: true });
    const dup = await ok(owner, "POST", "/api/v1/contacts", { name: "J. Brown", emails: ["jbrown@example.com"], city: "Leeds" });
    const merged = await ok(owner, "POST", "/api/v1/contacts:merge", { keep: jo.id, merge: dup.id });
    mergeId = merged.merge.id;

    const r = await ingestOk(owner, [...JO_POSTS, ANN_REPLY]);
    conversations = r.results.map((x: { conversation_id: string }) => x.conversation_id);
    expect(conversations[3]).toBe(conversations[1]); // Ann's reply threads under Jo's post
    const profiles = await ok(owner, "GET", "/api/v1/profiles?limit=50");
    for (const p of profiles.data as Array<{ id: string; network_id: string; contact_id: string | null }>) {
      if ((p.network_id === JO_X.id || p.network_id === JO_MASTODON.id) && !p.contact_id)
        await ok(owner, "POST", `/api/v1/profiles/${p.id}/link`, { contact_id: jo.id });
    }
    expect((await ok(owner, "GET", `/api/v1/contacts/${jo.id}/profiles`)).data).toHaveLength(3);
    await ok(owner, "POST", `/api/v1/contacts/${jo.id}/activities`, { type: "note", body: "Prefers email" });
    await ok(owner, "POST", "/api/v1/cases", { subject: "Late order", contact_id: jo.id });
    const idea = await ok(owner, "POST", "/api/v1/ideas", { title: "Faster refunds" });
    await ok(owner, "POST", `/api/v1/ideas/${idea.id}/votes`, { contact_id: jo.id });

    countsBefore = {};
    for (const id of new Set(conversations)) countsBefore[id] = (await ok(owner, "GET", `/api/v1/conversations/${id}`)).message_count;
  });

  it("refuses without the name typed again, outside the workspace, and for agents", async () => {
    const wrong = await owner.request("POST", `/api/v1/contacts/${jo.id}/privacy-erase`, { confirm_name: "Someone Else" });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.details[0].field).toBe("confirm_name");
    const missing = await owner.request("POST", `/api/v1/contacts/${jo.id}/privacy-erase`, {});
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.details[0].field).toBe("confirm_name");
    const other = await newWorkspace(t, "Elsewhere");
    expect((await other.request("POST", `/api/v1/contacts/${jo.id}/privacy-erase`, { confirm_name: "Jo Brown" })).statusCode).toBe(404);
    const agent = await memberWithRole(t, owner, "agent");
    expect((await agent.request("POST", `/api/v1/contacts/${jo.id}/privacy-erase`, { confirm_name: "Jo Brown" })).statusCode).toBe(403);
    expect((await owner.request("GET", `/api/v1/contacts/${jo.id}`)).statusCode).toBe(200);
  });

  it("forgets the person and keeps their messages as tombstones in whole threads", async () => {
    const result = await ok(owner, "POST", `/api/v1/contacts/${jo.id}/privacy-erase`, { confirm_name: "jo brown" });
    expect(result).toMatchObject({ contact_id: jo.id, messages_tombstoned: 3, profiles_deleted: 3, merges_scrubbed: 1 });
    expect(result.suppressions).toBeGreaterThanOrEqual(5);

    expect((await owner.request("GET", `/api/v1/contacts/${jo.id}`)).statusCode).toBe(404);
    for (const [id, n] of Object.entries(countsBefore)) {
      const conv = await ok(owner, "GET", `/api/v1/conversations/${id}`);
      expect(conv.message_count, id).toBe(n);
      expect(conv.messages.length, id).toBe(n);
    }
    const thread = await ok(owner, "GET", `/api/v1/conversations/${conversations[1]}`);
    expect(thread.messages.map((m: { text: string }) => m.text)).toEqual(["", ANN_REPLY.text]);

    const ws = owner.workspaceId;
    const everything = JSON.stringify((await sql`select to_jsonb(m) as m from messages m where workspace_id = ${ws}`.execute(t.db)).rows);
    for (const trace of ["Jo Brown", "jo_b", "jo.brown@example.com", "jo@mastodon", "refund from", "7946", "4411"])
      expect(everything, trace).not.toContain(trace);
    expect(
      await count(sql<{ n: number }>`select count(*)::int as n from messages
        where workspace_id = ${ws} and search @@ plainto_tsquery('simple', 'waiting')`),
    ).toBe(0);
    expect(
      await count(sql<{ n: number }>`select count(*)::int as n from messages where workspace_id = ${ws} and erased_at is not null`),
    ).toBe(3);
    expect(await count(sql<{ n: number }>`select count(*)::int as n from profiles where workspace_id = ${ws}`)).toBe(1); // Ann
    expect(await count(sql<{ n: number }>`select count(*)::int as n from activities where workspace_id = ${ws}`)).toBe(0);
    expect(await count(sql<{ n: number }>`select count(*)::int as n from idea_votes where workspace_id = ${ws}`)).toBe(0);
    expect(await count(sql<{ n: number }>`select sum(vote_count)::int as n from ideas where workspace_id = ${ws}`)).toBe(0);
    expect(await count(sql<{ n: number }>`select count(*)::int as n from consent_events where workspace_id = ${ws}`)).toBe(0);
    expect(
      await count(
        sql<{ n: number }>`select count(*)::int as n from conversations where workspace_id = ${ws} and subject like '%Jo Brown%'`,
      ),
    ).toBe(0);
    // the case stays, without the person
    const cases = await ok(owner, "GET", "/api/v1/cases");
    const late = cases.data.find((c: { subject: string }) => c.subject === "Late order");
    expect(late.contact_id).toBeNull();
    // cases a rule made from their words keep no words of theirs
    expect(JSON.stringify(cases.data)).not.toContain("refund from");

    // audited, without the name; older entries about them no longer name them
    const log = await ok(owner, "GET", `/api/v1/audit?target_id=${jo.id}`);
    expect(log.data[0].action).toBe("contact.erased");
    expect(JSON.stringify(log.data)).not.toContain("Jo Brown");
    expect(JSON.stringify(log.data)).not.toContain("J. Brown");
  });

  it("refuses to undo the older merge that held a snapshot of them", async () => {
    const undo = await owner.request("POST", `/api/v1/merges/${mergeId}:undo`);
    expect(undo.statusCode).toBe(409);
    expect(undo.json().error.message).toContain("erased");
    expect(undo.json().error.details[0].field).toBe("merge");
    const merge = await sql<{ kept_before: unknown; merged_name: string }>`
      select kept_before, merged_name from merges where workspace_id = ${owner.workspaceId} and id = ${mergeId}`.execute(t.db);
    expect(JSON.stringify(merge.rows)).not.toContain("Brown");
  });

  it("drops their old posts and new ones when ingested again: nothing comes back as a profile or a person", async () => {
    const again = await ingestOk(owner, [
      ...JO_POSTS,
      post("x", "x-post-new", { ...JO_X, id: "x-jo-1" }, "New post after erasure", 9),
      post("email", "<jo-2@mail.example>", { id: "Jo.Brown@Example.com", display_name: "Jo" }, "Hello again", 10),
      ANN_REPLY,
    ]);
    const statuses = again.results.map(
      (r: { status: string; reason?: string }) => `${r.status}${r.reason?.startsWith("suppressed") ? ":s" : ""}`,
    );
    expect(statuses).toEqual(["filtered:s", "filtered:s", "filtered:s", "filtered:s", "filtered:s", "duplicate"]);
    const ws = owner.workspaceId;
    expect(await count(sql<{ n: number }>`select count(*)::int as n from profiles where workspace_id = ${ws}`)).toBe(1);
    expect(await count(sql<{ n: number }>`select count(*)::int as n from contacts where workspace_id = ${ws}`)).toBe(0);
    expect(await count(sql<{ n: number }>`select count(*)::int as n from messages where workspace_id = ${ws}`)).toBe(4);
    for (const [id, n] of Object.entries(countsBefore))
      expect((await ok(owner, "GET", `/api/v1/conversations/${id}`)).message_count, id).toBe(n);
    // someone else's reply to the erased post still finds its thread
    const reply = await ingestOk(owner, [post("x", "x-post-3", { id: "x-cat", handle: "cat" }, "me too", 11, { in_reply_to: "x-post-1" })]);
    expect(reply.results[0].conversation_id).toBe(conversations[1]);
  });
});
