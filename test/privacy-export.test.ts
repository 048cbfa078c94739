import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { resolve } from "node:path";
import { parse } from "csv-parse/sync";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unzip } from "../src/shared/zip";
import { type Caller, memberWithRole, newWorkspace, startTestApp, type TestApp } from "./support/app";

// Subject access export (issue 13): everything held about one person, as a zip of subject.json
// and a CSV per table, covering every table that references the contact (found from the catalog).

let t: TestApp;
const scratch = mkdtempSync(resolve(tmpdir(), "parley-privacy-"));
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
  rmSync(scratch, { recursive: true, force: true });
});

async function ok(c: Caller, method: string, url: string, body?: unknown) {
  const res = await c.request(method, url, body);
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
  return res.body ? res.json() : undefined;
}

let seq = 0;
async function post(c: Caller, author: { id: string; handle?: string; display_name?: string }, text: string, network: string) {
  seq++;
  const r = await ok(c, "POST", "/api/v1/messages:batch", {
    messages: [
      {
        network,
        external_id: `priv-${seq}-${Math.random().toString(36).slice(2)}`,
        author,
        text,
        created_at: new Date(Date.UTC(2026, 10, 1, 10, seq)).toISOString(),
        public: network !== "email",
      },
    ],
  });
  const { message_id, conversation_id } = r.results[0];
  const conversation = await ok(c, "GET", `/api/v1/conversations/${conversation_id}`);
  return conversation.messages.find((m: { id: string }) => m.id === message_id) as { id: string; profile_id: string };
}

/** Tables with a row pointing at the contact, asked of the catalog independently of the export. */
async function referencingTables(workspaceId: string, contactId: string): Promise<string[]> {
  const { rows: columns } = await sql<{ table_name: string; column_name: string }>`
    select distinct tc.table_name, kcu.column_name
    from information_schema.table_constraints tc
    join information_schema.key_column_usage kcu on kcu.constraint_name = tc.constraint_name and kcu.table_schema = tc.table_schema
    join information_schema.constraint_column_usage ccu on ccu.constraint_name = tc.constraint_name and ccu.table_schema = tc.table_schema
    where tc.constraint_type = 'FOREIGN KEY' and ccu.table_name = 'contacts' and kcu.column_name <> 'workspace_id'`.execute(t.db);
  const found: string[] = [];
  for (const { table_name, column_name } of columns) {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from ${sql.id(table_name)}
      where workspace_id = ${workspaceId} and ${sql.id(column_name)}::text = ${contactId}`.execute(t.db);
    if ((rows[0]?.n ?? 0) > 0) found.push(table_name);
  }
  return found;
}

describe("subject access export", () => {
  let owner: Caller;
  let jo: { id: string };

  beforeAll(async () => {
    owner = await newWorkspace(t, "Privacy Co");
    jo = await ok(owner, "POST", "/api/v1/contacts", { name: "Jo Brown", emails: ["jo.brown@example.com"], tags: ["vip"] });
    // messages on three networks: email links itself by address; the others are linked by hand
    await post(
      owner,
      { id: "jo.brown@example.com", handle: "jo.brown@example.com", display_name: "Jo Brown" },
      "My order is late",
      "email",
    );
    const tweet = await post(owner, { id: "x-1", handle: "jo_b", display_name: "Jo B" }, "Still waiting on that refund", "x");
    const toot = await post(owner, { id: "m-1", handle: "jo@mastodon.example", display_name: "Jo" }, "Great support today!", "mastodon");
    await ok(owner, "POST", `/api/v1/profiles/${tweet.profile_id}/link`, { contact_id: jo.id });
    await ok(owner, "POST", `/api/v1/profiles/${toot.profile_id}/link`, { contact_id: jo.id });
    await ok(owner, "POST", `/api/v1/contacts/${jo.id}/activities`, { type: "note", body: "Prefers email" });
    await ok(owner, "POST", "/api/v1/cases", { subject: "Late order", contact_id: jo.id });
    await ok(owner, "POST", "/api/v1/deals", { title: "Upgrade", contact_id: jo.id });
    const idea = await ok(owner, "POST", "/api/v1/ideas", { title: "Dark mode" });
    await ok(owner, "POST", `/api/v1/ideas/${idea.id}/votes`, { contact_id: jo.id });
    // someone else, who must not appear
    await ok(owner, "POST", "/api/v1/contacts", { name: "Ann Other", emails: ["ann@example.com"] });
  });

  it("holds every table that references the person, their messages with analysis, and the audit entries, as JSON and CSV", async () => {
    const res = await owner.request("GET", `/api/v1/contacts/${jo.id}/privacy-export`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers["content-type"]).toBe("application/zip");
    expect(res.headers["content-disposition"]).toContain(`privacy-export-${jo.id}-`);
    const archive = res.rawPayload;
    // a real unzip agrees the archive is sound
    const file = resolve(scratch, "export.zip");
    writeFileSync(file, archive);
    expect(execFileSync("unzip", ["-t", file]).toString()).toContain("No errors detected");

    const files = new Map(unzip(archive).map((e) => [e.name, Buffer.from(e.data).toString("utf8")]));
    const subject = JSON.parse(files.get("subject.json") ?? "{}") as {
      contact_id: string;
      tables: Record<string, Array<Record<string, unknown>>>;
    };
    expect(subject.contact_id).toBe(jo.id);
    const tables = subject.tables;

    for (const table of await referencingTables(owner.workspaceId, jo.id)) expect(Object.keys(tables), table).toContain(table);
    expect(tables.contacts?.map((c) => c.name)).toEqual(["Jo Brown"]);
    expect(tables.profiles?.map((p) => p.network).sort()).toEqual(["email", "mastodon", "x"]);
    const texts = tables.messages?.map((m) => m.text).sort();
    expect(texts).toEqual(["Great support today!", "My order is late", "Still waiting on that refund"]);
    expect(tables.messages?.every((m) => m.analyzed_at && m.sentiment !== undefined)).toBe(true);
    expect(tables.activities?.map((a) => a.body)).toEqual(["Prefers email"]);
    // the default rules may open cases of their own from the complaints: the one made here is among them
    expect(tables.cases?.map((c) => c.subject)).toContain("Late order");
    expect(tables.deals?.map((d) => d.title)).toContain("Upgrade");
    expect(Object.entries(tables).some(([name, rows]) => name.includes("vote") && rows.length === 1)).toBe(true);
    const actions = tables.audit_events?.map((a) => a.action);
    expect(actions).toContain("contact.privacy_exported");
    expect(JSON.stringify(tables)).not.toContain("Ann Other");

    // one CSV per table, with the same rows
    for (const [table, rows] of Object.entries(tables)) {
      const csv = files.get(`${table}.csv`);
      expect(csv, table).toBeDefined();
      expect(parse(csv ?? "", { columns: true, bom: true }), table).toHaveLength(rows.length);
    }
  });

  it("is for owners and admins, and only within the workspace", async () => {
    const agent = await memberWithRole(t, owner, "agent");
    expect((await agent.request("GET", `/api/v1/contacts/${jo.id}/privacy-export`)).statusCode).toBe(403);
    const admin = await memberWithRole(t, owner, "admin");
    expect((await admin.request("GET", `/api/v1/contacts/${jo.id}/privacy-export`)).statusCode).toBe(200);
    const other = await newWorkspace(t, "Elsewhere");
    expect((await other.request("GET", `/api/v1/contacts/${jo.id}/privacy-export`)).statusCode).toBe(404);
    const bad = await owner.request("GET", "/api/v1/contacts/not-an-id/privacy-export");
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].field).toBe("id");
    const log = await ok(owner, "GET", `/api/v1/audit?action=contact.privacy_exported&target_id=${jo.id}`);
    expect(log.data.length).toBeGreaterThanOrEqual(2);
    expect(log.data[0].summary).toBe('Exported everything held about "Jo Brown"');
  });
});
