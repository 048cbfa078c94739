import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Caller, memberWithRole, newWorkspace, startTestApp, type TestApp } from "./support/app";
import { ingestOk } from "./support/posts";

// The consent ledger (issue 13): per contact and purpose, append-only, mirrored on the contact's
// old booleans, enforced by the marketing email action and testable by rule conditions.

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

type Consent = {
  current: Array<{ purpose: string; status: string; source: string | null }>;
  ledger: Array<{ status: string; source: string }>;
};
const statusOf = (c: Consent, purpose: string) => c.current.find((p) => p.purpose === purpose)?.status;

let seq = 0;
function email(from: string, text: string) {
  seq++;
  return {
    network: "email",
    external_id: `consent-${seq}@mail.example`,
    author: { id: from, handle: from, display_name: from },
    text,
    subject: "Hello",
    public: false,
    created_at: new Date(Date.UTC(2026, 10, 3, 9, seq)).toISOString(),
  };
}

describe("consent ledger", () => {
  let owner: Caller;
  let ann: { id: string };

  beforeAll(async () => {
    owner = await newWorkspace(t, "Consent Co");
    ann = await ok(owner, "POST", "/api/v1/contacts", { name: "Ann Opt", emails: ["ann@example.com"], consent_email: true });
  });

  it("records the contact form's consent as a ledger entry, and grants and withdrawals with who and where from", async () => {
    let consent: Consent = await ok(owner, "GET", `/api/v1/contacts/${ann.id}/consent`);
    expect(statusOf(consent, "marketing_email")).toBe("granted");
    expect(consent.ledger[0]?.source).toBe("contact_record");
    expect(statusOf(consent, "profiling")).toBe("unknown");

    consent = await ok(owner, "POST", `/api/v1/contacts/${ann.id}/consent`, {
      purpose: "marketing_email",
      status: "withdrawn",
      source: "unsubscribe link",
    });
    expect(statusOf(consent, "marketing_email")).toBe("withdrawn");
    expect(consent.ledger.map((e) => e.status)).toEqual(["withdrawn", "granted"]);
    expect(consent.ledger[0]).toMatchObject({ source: "unsubscribe link", recorded_by: `user:${owner.userId}` });
    // the contact's boolean mirrors the ledger, and the ledger did not record the mirror twice
    expect((await ok(owner, "GET", `/api/v1/contacts/${ann.id}`)).consent_email).toBe(false);
    expect((await ok(owner, "GET", `/api/v1/contacts/${ann.id}/consent`)).ledger).toHaveLength(2);

    // a contact patch is a ledger entry too
    await ok(owner, "PATCH", `/api/v1/contacts/${ann.id}`, { consent_email: true });
    consent = await ok(owner, "GET", `/api/v1/contacts/${ann.id}/consent`);
    expect(statusOf(consent, "marketing_email")).toBe("granted");
    expect(consent.ledger).toHaveLength(3);

    const log = await ok(owner, "GET", `/api/v1/audit?action=contact.consent_withdrawn&target_id=${ann.id}`);
    expect(log.data.map((e: { action: string }) => e.action)).toContain("contact.consent_withdrawn");
  });

  it("never rewrites an entry", async () => {
    await expect(
      sql`update consent_events set status = 'granted' where workspace_id = ${owner.workspaceId} and status = 'withdrawn'`.execute(t.db),
    ).rejects.toThrow(/append-only/);
  });

  it("names the bad field, and keeps workspaces and roles apart", async () => {
    const bad = await owner.request("POST", `/api/v1/contacts/${ann.id}/consent`, { purpose: "spam", status: "granted" });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].field).toBe("purpose");
    const badStatus = await owner.request("POST", `/api/v1/contacts/${ann.id}/consent`, { purpose: "profiling", status: "maybe" });
    expect(badStatus.json().error.details[0].field).toBe("status");
    const other = await newWorkspace(t, "Elsewhere");
    expect((await other.request("GET", `/api/v1/contacts/${ann.id}/consent`)).statusCode).toBe(404);
    expect(
      (await other.request("POST", `/api/v1/contacts/${ann.id}/consent`, { purpose: "profiling", status: "granted" })).statusCode,
    ).toBe(404);
    const viewer = await memberWithRole(t, owner, "viewer");
    expect((await viewer.request("GET", `/api/v1/contacts/${ann.id}/consent`)).statusCode).toBe(200);
    expect(
      (await viewer.request("POST", `/api/v1/contacts/${ann.id}/consent`, { purpose: "profiling", status: "granted" })).statusCode,
    ).toBe(403);
  });
});

describe("consent in rules", () => {
  it("marketing email goes only to contacts who consented; a condition can test consent", async () => {
    const c = await newWorkspace(t, "Rules Consent");
    for (const r of (await c.request("GET", "/api/v1/rules")).json().data as Array<{ id: string }>) {
      await c.request("DELETE", `/api/v1/rules/${r.id}`);
    }
    const yes = await ok(c, "POST", "/api/v1/contacts", { name: "Yes Person", emails: ["yes@example.com"] });
    await ok(c, "POST", "/api/v1/contacts", { name: "No Person", emails: ["no@example.com"] });
    await ok(c, "POST", `/api/v1/contacts/${yes.id}/consent`, { purpose: "marketing_email", status: "granted", source: "signup form" });
    await ok(c, "POST", "/api/v1/rules", {
      name: "newsletter",
      trigger: { type: "message.received" },
      conditions: { match: "all", conditions: [] },
      actions: [{ type: "send_marketing_email", subject: "Our news", body: "Hello {{contact.name}}" }],
    });
    await ok(c, "POST", "/api/v1/rules", {
      name: "tag consenting",
      trigger: { type: "message.received" },
      conditions: { match: "all", conditions: [{ field: "contact.consent.marketing_email", op: "equals", value: true }] },
      actions: [{ type: "add_tags", tags: ["consented"] }],
    });
    const r = await ingestOk(c, [email("yes@example.com", "Hi there from yes"), email("no@example.com", "Hi there from no")]);
    const [yesConv, noConv] = r.results.map((x: { conversation_id: string }) => x.conversation_id);

    const { rows } = await sql<{ payload: string | { to: string[] } }>`
      select payload from outbox where workspace_id = ${c.workspaceId} and kind = 'email'`.execute(t.db);
    const recipients = rows.flatMap((row) => (typeof row.payload === "string" ? JSON.parse(row.payload) : row.payload).to);
    expect(recipients).toEqual(["yes@example.com"]);

    expect((await ok(c, "GET", `/api/v1/conversations/${yesConv}`)).tags).toContain("consented");
    expect((await ok(c, "GET", `/api/v1/conversations/${noConv}`)).tags).not.toContain("consented");

    // the refusal is in the rule's trace
    const { rows: runs } = await sql<{ results: unknown }>`
      select rr.* from rule_runs rr join rules r on r.workspace_id = rr.workspace_id and r.id = rr.rule_id
      where rr.workspace_id = ${c.workspaceId} and r.name = 'newsletter'`.execute(t.db);
    expect(JSON.stringify(runs)).toContain("no marketing_email consent");
  });
});
