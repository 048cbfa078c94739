import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runScheduledRetention } from "../src/audit";
import { redactText } from "../src/ingest";
import { type Caller, memberWithRole, newWorkspace, startTestApp, type TestApp } from "./support/app";
import { ingestOk } from "./support/posts";

// Retention policies (issue 13): a dry run counts exactly what the real run then deletes; the
// scheduler runs them. PII redaction at ingest, per workspace.

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

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();
let seq = 0;
function post(author: string, text: string, age: number, extra: object = {}) {
  seq++;
  const network = author.includes("@") ? "email" : "x";
  return {
    network,
    external_id: network === "email" ? `<ret-${seq}@mail.example>` : `ret-${seq}`,
    author: { id: author, handle: author },
    text,
    public: network !== "email",
    created_at: daysAgo(age),
    ...extra,
  };
}

async function messageCount(ws: string) {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from messages where workspace_id = ${ws}`.execute(t.db);
  return rows[0]?.n ?? 0;
}

describe("retention", () => {
  let owner: Caller;

  beforeAll(async () => {
    owner = await newWorkspace(t, "Retention Co");
    // no default rules: no case keeps an emptied conversation alive here
    for (const r of (await owner.request("GET", "/api/v1/rules")).json().data as Array<{ id: string }>)
      await owner.request("DELETE", `/api/v1/rules/${r.id}`);
    await ok(owner, "POST", "/api/v1/contacts", { name: "Known Customer", emails: ["known@example.com"] });
    await ingestOk(owner, [
      post("stranger1", "Old post from a stranger", 100),
      post("stranger2", "Old reply from another stranger", 99, { in_reply_to: `ret-${seq}` }),
      post("stranger3", "Another old post", 60),
      post("known@example.com", "Old mail from a customer", 100),
      post("stranger4", "A recent post", 2),
    ]);
  });

  it("names the bad field and refuses a second policy for the same scope", async () => {
    const bad = await owner.request("POST", "/api/v1/privacy/retention", { scope: "non_contacts", days: 0 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].field).toBe("days");
    const badScope = await owner.request("POST", "/api/v1/privacy/retention", { scope: "everyone", days: 30 });
    expect(badScope.json().error.details[0].field).toBe("scope");
    const badChannel = await owner.request("POST", "/api/v1/privacy/retention", {
      scope: "non_contacts",
      days: 30,
      channel_id: "00000000-0000-4000-8000-000000000000",
    });
    expect(badChannel.statusCode).toBe(400);
    expect(badChannel.json().error.details[0].field).toBe("channel_id");
    const agent = await memberWithRole(t, owner, "agent");
    expect((await agent.request("GET", "/api/v1/privacy/retention")).statusCode).toBe(403);
  });

  it("counts in a dry run exactly what the real run deletes, and keeps contacts' and recent messages", async () => {
    const policy = await ok(owner, "POST", "/api/v1/privacy/retention", { scope: "non_contacts", days: 30 });
    const dup = await owner.request("POST", "/api/v1/privacy/retention", { scope: "non_contacts", days: 10 });
    expect(dup.statusCode).toBe(409);

    const before = await messageCount(owner.workspaceId);
    const dry = await ok(owner, "POST", "/api/v1/privacy/retention:run");
    expect(dry.dry_run).toBe(true);
    expect(dry.total).toBe(3);
    expect(dry.policies).toEqual([{ id: policy.id, count: 3 }]);
    expect(await messageCount(owner.workspaceId)).toBe(before); // nothing deleted
    expect((await ok(owner, "GET", "/api/v1/privacy/retention")).data[0].last_run_at).toBeNull();

    const real = await ok(owner, "POST", "/api/v1/privacy/retention:run?dry_run=false");
    expect(real.total).toBe(dry.total);
    expect(await messageCount(owner.workspaceId)).toBe(before - dry.total);
    const texts = (await ok(owner, "GET", "/api/v1/messages?limit=100")).data.map((m: { text: string }) => m.text).sort();
    expect(texts).toEqual(["A recent post", "Old mail from a customer"]);
    // the emptied conversations went, and so did the strangers left with nothing
    const ws = owner.workspaceId;
    const { rows: convs } = await sql<{ n: number }>`
      select count(*)::int as n from conversations c where workspace_id = ${ws}
        and not exists (select 1 from messages m where m.workspace_id = c.workspace_id and m.conversation_id = c.id)`.execute(t.db);
    expect(convs[0]?.n).toBe(0);
    const { rows: left } = await sql<{ n: number }>`select count(*)::int as n from conversations where workspace_id = ${ws}`.execute(t.db);
    expect(left[0]?.n).toBe(2);
    const { rows: profiles } = await sql<{
      handle: string;
    }>`select handle from profiles where workspace_id = ${ws} order by handle`.execute(t.db);
    expect(profiles.map((p) => p.handle)).toEqual(["known@example.com", "stranger4"]);
    const listed = (await ok(owner, "GET", "/api/v1/privacy/retention")).data[0];
    expect(listed.last_deleted).toBe(3);
    expect((await ok(owner, "POST", "/api/v1/privacy/retention:run")).total).toBe(0);
    const log = await ok(owner, "GET", "/api/v1/audit?action=retention.ran");
    expect(log.data[0].summary).toBe("Retention deleted 3 messages");
  });

  it("is run by the scheduler, per workspace", async () => {
    const other = await newWorkspace(t, "No Policy");
    await ingestOk(other, [post("stranger9", "Old elsewhere", 300)]);
    await ingestOk(owner, [post("stranger5", "Old again", 45)]);
    const otherCount = await messageCount(other.workspaceId);
    const deleted = await runScheduledRetention(t.db);
    expect(deleted).toBeGreaterThanOrEqual(1);
    const texts = (await ok(owner, "GET", "/api/v1/messages?limit=100")).data.map((m: { text: string }) => m.text);
    expect(texts).not.toContain("Old again");
    expect(await messageCount(other.workspaceId)).toBe(otherCount);
    // and a workspace cannot see or change another's policy
    const policy = (await ok(owner, "GET", "/api/v1/privacy/retention")).data[0];
    expect((await other.request("PATCH", `/api/v1/privacy/retention/${policy.id}`, { days: 1 })).statusCode).toBe(404);
    expect((await other.request("DELETE", `/api/v1/privacy/retention/${policy.id}`)).statusCode).toBe(404);
    expect((await ok(other, "GET", "/api/v1/privacy/retention")).data).toEqual([]);
    const patched = await ok(owner, "PATCH", `/api/v1/privacy/retention/${policy.id}`, { enabled: false });
    expect(patched.enabled).toBe(false);
  });
});

describe("PII redaction at ingest", () => {
  const TEXT = "Mail me at jo.b@example.com or call +44 20 7946 0958; card 4111 1111 1111 1111, order 1234 5678 9012 3456";

  it("finds emails, phone numbers and Luhn-valid card numbers", () => {
    expect(redactText(TEXT, { emails: true, phones: true, cards: true })).toBe(
      "Mail me at [email] or call [phone]; card [card], order 1234 5678 9012 3456",
    );
    expect(redactText(TEXT, { emails: true, phones: false, cards: false })).toBe(TEXT.replace("jo.b@example.com", "[email]"));
    expect(redactText("US line (415) 555-2671 today", { emails: false, phones: true, cards: false })).toBe("US line [phone] today");
  });

  it("stores redacted text (and no source payload) only in a workspace that turned it on", async () => {
    const on = await newWorkspace(t, "Redacting");
    const off = await newWorkspace(t, "Not redacting");
    const bad = await on.request("PATCH", "/api/v1/privacy/settings", { redact_emails: "yes" });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].field).toBe("redact_emails");
    const settings = await ok(on, "PATCH", "/api/v1/privacy/settings", { redact_emails: true, redact_phones: true, redact_cards: true });
    expect(settings).toEqual({ redact_emails: true, redact_phones: true, redact_cards: true });
    expect(await ok(off, "GET", "/api/v1/privacy/settings")).toEqual({ redact_emails: false, redact_phones: false, redact_cards: false });

    for (const c of [on, off]) await ingestOk(c, [post("someone", TEXT, 1, { raw: { text: TEXT } })]);
    const stored = async (c: Caller) => {
      const { rows } = await sql<{
        text: string;
        raw: unknown;
      }>`select text, raw from messages where workspace_id = ${c.workspaceId}`.execute(t.db);
      return rows[0];
    };
    const redacted = await stored(on);
    expect(redacted?.text).toBe("Mail me at [email] or call [phone]; card [card], order 1234 5678 9012 3456");
    expect(redacted?.raw).toBeNull();
    expect((await stored(off))?.text).toBe(TEXT);
  });
});
