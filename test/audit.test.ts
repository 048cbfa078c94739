import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiKeyCaller, type Caller, memberWithRole, newWorkspace, startTestApp, type TestApp } from "./support/app";

// The audit log (issue 13): admin and data actions leave an entry saying who, what, which record,
// when and from where; owners and admins read it through GET /api/v1/audit, filtered, paged and as CSV.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

type Entry = {
  id: string;
  at: string;
  actor: string;
  actor_name: string | null;
  action: string;
  target_type: string;
  target_id: string | null;
  summary: string;
  ip: string | null;
  user_agent: string | null;
};

async function ok(c: Caller, method: string, url: string, body?: unknown, headers?: Record<string, string>) {
  const res = await c.request(method, url, body, headers);
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
  return res.body ? res.json() : undefined;
}

async function allEntries(c: Caller, query = ""): Promise<Entry[]> {
  const out: Entry[] = [];
  let cursor: string | null = null;
  do {
    const page = await ok(c, "GET", `/api/v1/audit?limit=200${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    out.push(...page.data);
    cursor = page.next_cursor;
  } while (cursor);
  return out;
}

const AGENT_HEADER = { "user-agent": "AuditTest/1.0" };

describe("the audit log", () => {
  let owner: Caller;
  const email = `audit-owner-${Date.now()}@example.com`;

  beforeAll(async () => {
    const signup = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/signup",
      payload: { email, name: "Olga Owner", password: "correct horse", workspace_name: "Audited" },
    });
    expect(signup.statusCode, signup.body).toBe(201);
    const cookie = signup.cookies.find((c) => c.name === "parley_session")?.value;
    const me = signup.json() as { user: { id: string }; workspace: { id: string } };
    owner = {
      workspaceId: me.workspace.id,
      userId: me.user.id,
      request: (method, url, body, headers = {}) =>
        t.app.inject({
          method: method as "GET",
          url,
          headers: {
            cookie: `parley_session=${cookie}`,
            ...AGENT_HEADER,
            ...(body !== undefined && typeof body !== "string" ? { "content-type": "application/json" } : {}),
            ...headers,
          },
          ...(body !== undefined ? { payload: typeof body === "string" ? body : JSON.stringify(body) } : {}),
        }),
    };

    // sign-in: a failed one and a good one, then sign-out
    const bad = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/signin",
      headers: AGENT_HEADER,
      payload: { email, password: "wrong one" },
    });
    expect(bad.statusCode).toBe(401);
    const good = await t.app.inject({
      method: "POST",
      url: "/api/v1/auth/signin",
      headers: AGENT_HEADER,
      payload: { email, password: "correct horse" },
    });
    expect(good.statusCode).toBe(200);
    const session = good.cookies.find((c) => c.name === "parley_session")?.value;
    const out = await t.app.inject({ method: "POST", url: "/api/v1/auth/signout", headers: { cookie: `parley_session=${session}` } });
    expect(out.statusCode).toBe(204);

    // keys, members, rules, contacts, import and export
    const key = await ok(owner, "POST", "/api/v1/api-keys", { name: "zapier", role: "agent" });
    await ok(owner, "DELETE", `/api/v1/api-keys/${key.id}`);
    await ok(owner, "POST", "/api/v1/invitations", { email: "new@example.com", role: "agent" });
    const member = await memberWithRole(t, owner, "viewer");
    await ok(owner, "PATCH", `/api/v1/users/${member.userId}`, { role: "agent" });
    await ok(owner, "DELETE", `/api/v1/users/${member.userId}`);
    const rule = await ok(owner, "POST", "/api/v1/rules", {
      name: "Tag refunds",
      trigger: { type: "message.received" },
      actions: [{ type: "add_tags", tags: ["refund"] }],
    });
    await ok(owner, "PATCH", `/api/v1/rules/${rule.id}`, { name: "Tag refund requests" });
    await ok(owner, "DELETE", `/api/v1/rules/${rule.id}`);
    const a = await ok(owner, "POST", "/api/v1/contacts", { name: "Jo Brown", emails: ["jo@example.com"] });
    const b = await ok(owner, "POST", "/api/v1/contacts", { name: '=HYPERLINK("http://evil")', emails: ["jo.b@example.com"] });
    const merged = await ok(owner, "POST", "/api/v1/contacts:merge", { keep: a.id, merge: b.id });
    await ok(owner, "POST", `/api/v1/merges/${merged.merge.id}:undo`);
    await ok(owner, "DELETE", `/api/v1/contacts/${b.id}`);
    await ok(owner, "POST", "/api/v1/imports/contacts?format=csv", "Name,Email\nAnn Lee,ann@example.com\n", { "content-type": "text/csv" });
    const exported = await owner.request("GET", "/api/v1/exports/contacts?format=csv");
    expect(exported.statusCode).toBe(200);
  });

  it("records every admin and data action with who, what, which record and from where", async () => {
    const entries = await allEntries(owner);
    const actions = new Set(entries.map((e) => e.action));
    for (const action of [
      "workspace.created",
      "session.sign_in_failed",
      "session.signed_in",
      "session.signed_out",
      "api_key.created",
      "api_key.revoked",
      "member.invited",
      "member.added",
      "member.role_changed",
      "member.removed",
      "rule.created",
      "rule.updated",
      "rule.deleted",
      "contact.merged",
      "contact.unmerged",
      "contact.deleted",
      "import.completed",
      "export.started",
    ]) {
      expect(actions, action).toContain(action);
    }
    const failed = entries.find((e) => e.action === "session.sign_in_failed");
    expect(failed).toMatchObject({ actor: `user:${owner.userId}`, target_type: "user", user_agent: "AuditTest/1.0" });
    expect(failed?.ip).toBeTruthy();
    expect(failed?.summary).toContain("wrong password");
    const deleted = entries.find((e) => e.action === "rule.deleted");
    expect(deleted).toMatchObject({ actor_name: "Olga Owner", target_type: "rule", summary: 'Deleted rule "Tag refund requests"' });
    const role = entries.find((e) => e.action === "member.role_changed");
    expect(role?.summary).toMatch(/from viewer to agent/);
    // newest first
    expect(entries.map((e) => Number(e.id))).toEqual([...entries.map((e) => Number(e.id))].sort((x, y) => y - x));
  });

  it("is for owners and admins: agents, managers and agent keys get 403; another workspace sees none of it", async () => {
    const admin = await memberWithRole(t, owner, "admin");
    expect((await admin.request("GET", "/api/v1/audit")).statusCode).toBe(200);
    for (const c of [
      await memberWithRole(t, owner, "agent"),
      await memberWithRole(t, owner, "manager"),
      await apiKeyCaller(t, owner, "agent"),
    ]) {
      const res = await c.request("GET", "/api/v1/audit");
      expect(res.statusCode).toBe(403);
    }
    const other = await newWorkspace(t, "Elsewhere");
    const theirs = await allEntries(other);
    expect(theirs.map((e) => e.action)).toEqual(["workspace.created"]);
  });

  it("filters by action (or a prefix), actor, target and time, and pages without gaps or repeats", async () => {
    const contacts = await allEntries(owner, "&action=contact.");
    expect(new Set(contacts.map((e) => e.action))).toEqual(new Set(["contact.merged", "contact.unmerged", "contact.deleted"]));
    const exact = await allEntries(owner, "&action=rule.deleted");
    expect(exact.map((e) => e.action)).toEqual(["rule.deleted"]);
    const rules = await allEntries(owner, "&target_type=rule");
    expect(rules).toHaveLength(3);
    const mine = await allEntries(owner, `&actor=${encodeURIComponent(`user:${owner.userId}`)}`);
    expect(mine.every((e) => e.actor === `user:${owner.userId}`)).toBe(true);
    expect((await allEntries(owner, "&to=2000-01-01")).length).toBe(0);
    const today = new Date().toISOString().slice(0, 10);
    const all = await allEntries(owner);
    expect((await allEntries(owner, `&from=${today}&to=${today}`)).length).toBe(all.length);

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await ok(owner, "GET", `/api/v1/audit?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      expect(page.data.length).toBeLessThanOrEqual(3);
      seen.push(...page.data.map((e: Entry) => e.id));
      cursor = page.next_cursor;
      pages++;
    } while (cursor);
    expect(pages).toBeGreaterThan(3);
    expect(seen).toEqual(all.map((e) => e.id));

    const badCursor = await owner.request("GET", "/api/v1/audit?cursor=nope");
    expect(badCursor.statusCode).toBe(400);
    const badFrom = await owner.request("GET", "/api/v1/audit?from=yesterday");
    expect(badFrom.statusCode).toBe(400);
    expect(badFrom.body).toContain("from");
    const unknown = await owner.request("GET", "/api/v1/audit?colour=red");
    expect(unknown.statusCode).toBe(400);
  });

  it("exports the filtered log as CSV that parses to the same entries", async () => {
    const res = await owner.request("GET", "/api/v1/audit?format=csv");
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toContain("text/csv");
    expect(res.headers["content-disposition"]).toMatch(/attachment; filename="audit-\d{4}-\d{2}-\d{2}\.csv"/);
    const rows = parse(res.body, { columns: true, bom: true }) as Record<string, string>[];
    const all = await allEntries(owner);
    expect(rows.map((r) => r.id)).toEqual(all.map((e) => e.id));
    expect(Object.keys(rows[0] ?? {})).toEqual([
      "id",
      "at",
      "actor",
      "actor_name",
      "action",
      "target_type",
      "target_id",
      "summary",
      "ip",
      "user_agent",
    ]);
    const merged = rows.find((r) => r.action === "contact.merged");
    expect(merged?.summary.startsWith("Merged")).toBe(true);
    const deleted = rows.find((r) => r.action === "contact.deleted");
    expect(deleted?.summary).toBe('Deleted contact "=HYPERLINK("http://evil")"');

    const filtered = parse((await owner.request("GET", "/api/v1/audit?format=csv&target_type=rule")).body, { columns: true, bom: true });
    expect(filtered).toHaveLength(3);
  });
});
