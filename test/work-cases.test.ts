import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCase, noteOutboundReply, scanSla } from "../src/work";
import { type Caller, memberWithRole, newWorkspace, startTestApp, type TestApp } from "./support/app";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const utcWeekdays = { timezone: "UTC", hours: [1, 2, 3, 4, 5].map((day) => ({ day, start: "09:00", end: "17:00" })), holidays: [] };
const targets = {
  urgent: { first_response_minutes: 30, resolution_minutes: 120 },
  high: { first_response_minutes: 60, resolution_minutes: 240 },
  normal: { first_response_minutes: 240, resolution_minutes: 960 },
  low: { first_response_minutes: 480, resolution_minutes: 2400 },
};

/** A workspace without rules whose default SLA policy is weekdays 09–17 UTC with known targets. */
async function workspace(): Promise<Caller> {
  const c = await newWorkspace(t);
  // No automation rules: only the test opens cases.
  // (the default rules come with the workspace: remove them)
  for (const r of (await c.request("GET", "/api/v1/rules")).json().data as Array<{ id: string }>) {
    expect((await c.request("DELETE", `/api/v1/rules/${r.id}`)).statusCode).toBe(204);
  }
  const res = await c.request("POST", "/api/v1/sla-policies", {
    name: "Office hours",
    is_default: true,
    targets,
    calendar: utcWeekdays,
    warn_before_minutes: 15,
  });
  expect(res.statusCode, res.body).toBe(201);
  return c;
}

let seq = 0;
async function conversation(c: Caller): Promise<string> {
  seq++;
  const res = await c.request("POST", "/api/v1/messages:batch", {
    messages: [
      {
        network: "mastodon",
        external_id: `case-${seq}-${c.workspaceId}`,
        author: { id: `acct-${seq}`, handle: `user${seq}` },
        text: `My order ${seq} never arrived`,
        created_at: "2026-11-20T10:00:00Z",
      },
    ],
  });
  expect(res.statusCode, res.body).toBe(200);
  const list = (await c.request("GET", "/api/v1/conversations?limit=200")).json();
  const id = (list.data as Array<{ id: string }>).at(0)?.id;
  if (!id) throw new Error("no conversation");
  return id;
}

const caseOf = async (c: Caller, id: string) => (await c.request("GET", `/api/v1/cases/${id}`)).json();

describe("cases", () => {
  it("numbers cases per workspace, from #1001", async () => {
    const a = await workspace();
    const b = await workspace();
    const n1 = (await a.request("POST", "/api/v1/cases", { subject: "One" })).json();
    const n2 = (await a.request("POST", "/api/v1/cases", { subject: "Two" })).json();
    const m1 = (await b.request("POST", "/api/v1/cases", { subject: "Other" })).json();
    expect([n1.number, n2.number, m1.number]).toEqual([1001, 1002, 1001]);
    const found = (await a.request("GET", "/api/v1/cases?q=%231002")).json();
    expect(found.data.map((x: { subject: string }) => x.subject)).toEqual(["Two"]);
  });

  it("sets due dates by priority under business hours", async () => {
    const c = await workspace();
    const friday4pm = new Date("2026-11-20T16:00:00Z");
    const urgent = await createCase(t.db, c.workspaceId, { subject: "Down", priority: "urgent", at: friday4pm });
    const normal = await createCase(t.db, c.workspaceId, { subject: "Question", priority: "normal", at: friday4pm });
    // urgent: 30 min first response → Friday 16:30; 120 min resolution → 1h Friday + 1h Monday
    expect(urgent.first_response_due_at?.toISOString()).toBe("2026-11-20T16:30:00.000Z");
    expect(urgent.resolution_due_at?.toISOString()).toBe("2026-11-23T10:00:00.000Z");
    // normal: 240 min → 1h Friday + 3h Monday
    expect(normal.first_response_due_at?.toISOString()).toBe("2026-11-23T12:00:00.000Z");
    // changing the priority recomputes the dates
    const res = await c.request("PATCH", `/api/v1/cases/${normal.id}`, { priority: "high" });
    expect(res.statusCode, res.body).toBe(200);
    // high: 60 min from Friday 16:00 ends at closing time, not on Monday
    expect(res.json().sla.first_response.due_at).toBe("2026-11-20T17:00:00.000Z");
  });

  it("picks the policy for a priority before the default one", async () => {
    const c = await workspace();
    const vip = await c.request("POST", "/api/v1/sla-policies", {
      name: "Urgent around the clock",
      priorities: ["urgent"],
      targets: { ...targets, urgent: { first_response_minutes: 10, resolution_minutes: 60 } },
      calendar: null,
    });
    expect(vip.statusCode, vip.body).toBe(201);
    const saturday = new Date("2026-11-21T12:00:00Z");
    const urgent = await createCase(t.db, c.workspaceId, { subject: "Outage", priority: "urgent", at: saturday });
    expect(urgent.sla_policy_id).toBe(vip.json().id);
    expect(urgent.first_response_due_at?.toISOString()).toBe("2026-11-21T12:10:00.000Z");
  });

  it("pauses on pending_customer and resumes with the remaining time", async () => {
    const c = await workspace();
    const created = new Date(Date.now() - 5 * 3600_000);
    // Around the clock so the test does not depend on today's weekday.
    await c.request("POST", "/api/v1/sla-policies", {
      name: "24x7",
      priorities: ["high"],
      targets: { ...targets, high: { first_response_minutes: 600, resolution_minutes: 1200 } },
      calendar: null,
    });
    const k = await createCase(t.db, c.workspaceId, { subject: "Refund", priority: "high", at: created });
    const dueBefore = new Date(k.resolution_due_at as Date).getTime();
    await c.request("PATCH", `/api/v1/cases/${k.id}`, { status: "pending_customer" });
    const paused = await caseOf(c, k.id);
    expect(paused.sla.resolution.state).toBe("paused");
    // Pretend the pause started 3 hours ago, 2 hours into the case: 1200 - 120 minutes were left.
    await t.db
      .updateTable("cases")
      .set({ paused_at: new Date(Date.now() - 3 * 3600_000) })
      .where("id", "=", k.id)
      .execute();
    const resumed = (await c.request("PATCH", `/api/v1/cases/${k.id}`, { status: "open" })).json();
    expect(resumed.sla.resolution.state).toBe("ok");
    const shift = new Date(resumed.sla.resolution.due_at).getTime() - dueBefore;
    expect(Math.round(shift / 60_000)).toBe(180);
    expect(resumed.sla.resolution.remaining_business_minutes).toBeGreaterThanOrEqual(1079);
    expect(resumed.sla.resolution.remaining_business_minutes).toBeLessThanOrEqual(1080);
    expect(resumed.events.map((e: { kind: string }) => e.kind)).toEqual(["created", "status", "status"]);
  });

  it("records the first response from an outbound reply or a public comment, not a note", async () => {
    const c = await workspace();
    const conv = await conversation(c);
    const k = await createCase(t.db, c.workspaceId, { subject: "Late parcel", conversation_id: conv });
    const again = await createCase(t.db, c.workspaceId, { subject: "Same thread", conversation_id: conv });
    expect(again.id).toBe(k.id);
    const reply = new Date(new Date(k.created_at).getTime() + 5 * 60_000);
    await noteOutboundReply(t.db, c.workspaceId, conv, reply);
    const after = await caseOf(c, k.id);
    expect(after.first_responded_at).toBe(reply.toISOString());
    expect(after.sla.first_response.state).toBe("met");
    expect(after.status).toBe("open");
    expect(after.conversations.map((x: { id: string }) => x.id)).toEqual([conv]);

    const other = (await c.request("POST", "/api/v1/cases", { subject: "By hand" })).json();
    await c.request("POST", `/api/v1/cases/${other.id}/comments`, { body: "checking internally" });
    expect((await caseOf(c, other.id)).first_responded_at).toBeNull();
    // A public reply must reach the customer to count: a case with no conversation has nowhere to send it.
    const nowhere = await c.request("POST", `/api/v1/cases/${other.id}/comments`, { body: "We are on it!", public: true });
    expect(nowhere.statusCode).toBe(409);
    expect(nowhere.json().error.message).toContain("no conversation to reply on");
    const unanswered = await caseOf(c, other.id);
    expect(unanswered.first_responded_at).toBeNull();
    expect(unanswered.events.map((e: { kind: string }) => e.kind).sort()).toEqual(["created", "note"]);
  });

  it("scanSla returns each warning and breach exactly once", async () => {
    const c = await workspace();
    const monday9 = new Date("2026-11-23T09:00:00Z");
    const k = await createCase(t.db, c.workspaceId, { subject: "Urgent", priority: "urgent", at: monday9 });
    const mine = (all: Awaited<ReturnType<typeof scanSla>>) => all.filter((x) => x.case_id === k.id);
    expect(mine(await scanSla(t.db, new Date("2026-11-23T09:10:00Z")))).toEqual([]);
    // 30 min target, warn 15 min before → warning at 09:15
    expect(mine(await scanSla(t.db, new Date("2026-11-23T09:16:00Z")))).toEqual([
      { workspace_id: c.workspaceId, case_id: k.id, kind: "first_response", state: "warning" },
    ]);
    expect(mine(await scanSla(t.db, new Date("2026-11-23T09:17:00Z")))).toEqual([]);
    expect(mine(await scanSla(t.db, new Date("2026-11-23T09:31:00Z")))).toEqual([
      { workspace_id: c.workspaceId, case_id: k.id, kind: "first_response", state: "breached" },
    ]);
    expect(mine(await scanSla(t.db, new Date("2026-11-23T09:40:00Z")))).toEqual([]);
    // resolution: 120 min, warning at 10:45, breach at 11:00; a late scan reports only the breach
    expect(mine(await scanSla(t.db, new Date("2026-11-23T12:00:00Z")))).toEqual([
      { workspace_id: c.workspaceId, case_id: k.id, kind: "resolution", state: "breached" },
    ]);
    expect(mine(await scanSla(t.db, new Date("2026-11-23T13:00:00Z")))).toEqual([]);
    const view = await caseOf(c, k.id);
    expect(view.sla.first_response.state).toBe("breached");
    expect(view.events.filter((e: { kind: string }) => e.kind.startsWith("sla_")).length).toBe(3);
    const breached = (await c.request("GET", "/api/v1/cases?breached=true")).json();
    expect(breached.data.map((x: { id: string }) => x.id)).toEqual([k.id]);
  });

  it("does not warn or breach while paused or after the case is solved", async () => {
    const c = await workspace();
    const monday9 = new Date("2026-11-23T09:00:00Z");
    const paused = await createCase(t.db, c.workspaceId, { subject: "Waiting", priority: "urgent", at: monday9 });
    const solved = await createCase(t.db, c.workspaceId, { subject: "Done", priority: "urgent", at: monday9 });
    await c.request("PATCH", `/api/v1/cases/${paused.id}`, { status: "pending_customer" });
    await c.request("PATCH", `/api/v1/cases/${solved.id}`, { status: "solved" });
    const found = (await scanSla(t.db, new Date("2026-11-23T16:00:00Z"))).filter((x) => x.case_id === paused.id || x.case_id === solved.id);
    expect(found).toEqual([]);
  });

  it("asks satisfaction only after solve, and filters by status, assignee and contact", async () => {
    const c = await workspace();
    const agent = await memberWithRole(t, c, "agent");
    const contact = (await c.request("POST", "/api/v1/contacts", { name: "Ada Lovelace" })).json();
    const k = (await c.request("POST", "/api/v1/cases", { subject: "Broken", contact_id: contact.id, assignee_id: agent.userId })).json();
    expect(k.contact_name).toBe("Ada Lovelace");
    const early = await c.request("POST", `/api/v1/cases/${k.id}/satisfaction`, { rating: 5 });
    expect(early.statusCode).toBe(409);
    await agent.request("PATCH", `/api/v1/cases/${k.id}`, { status: "solved" });
    const rated = await c.request("POST", `/api/v1/cases/${k.id}/satisfaction`, { rating: 4, comment: "quick" });
    expect(rated.statusCode, rated.body).toBe(200);
    expect(rated.json().satisfaction).toMatchObject({ rating: 4, comment: "quick" });
    const bad = await c.request("POST", `/api/v1/cases/${k.id}/satisfaction`, { rating: 6 });
    expect(bad.statusCode).toBe(400);

    await c.request("POST", "/api/v1/cases", { subject: "Unrelated" });
    const mine = (await agent.request("GET", "/api/v1/cases?assignee_id=me")).json();
    expect(mine.data.map((x: { id: string }) => x.id)).toEqual([k.id]);
    const byContact = (await c.request("GET", `/api/v1/cases?contact_id=${contact.id}`)).json();
    expect(byContact.data.map((x: { id: string }) => x.id)).toEqual([k.id]);
    const solvedOnly = (await c.request("GET", "/api/v1/cases?status=solved,closed")).json();
    expect(solvedOnly.data.map((x: { id: string }) => x.id)).toEqual([k.id]);
    const viewer = await memberWithRole(t, c, "viewer");
    expect((await viewer.request("PATCH", `/api/v1/cases/${k.id}`, { status: "open" })).statusCode).toBe(403);
    expect((await agent.request("POST", "/api/v1/sla-policies", { name: "x", targets })).statusCode).toBe(403);
  });

  it("pages through cases with a cursor", async () => {
    const c = await workspace();
    for (let i = 0; i < 5; i++) await c.request("POST", "/api/v1/cases", { subject: `Case ${i}` });
    const first = (await c.request("GET", "/api/v1/cases?limit=2")).json();
    const second = (await c.request("GET", `/api/v1/cases?limit=2&cursor=${first.next_cursor}`)).json();
    const third = (await c.request("GET", `/api/v1/cases?limit=2&cursor=${second.next_cursor}`)).json();
    const all = [...first.data, ...second.data, ...third.data].map((x: { number: number }) => x.number);
    expect(all).toEqual([1005, 1004, 1003, 1002, 1001]);
    expect(third.next_cursor).toBeNull();
  });
});
