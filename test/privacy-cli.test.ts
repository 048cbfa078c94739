import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../src/store/db";
import { cliEnv, parley, scratchDataDir } from "./support/cli";

// `parley privacy erase` as a user runs it on the embedded store: the name must be typed again,
// and the person is gone afterwards with the erasure in the audit log.

const data = scratchDataDir();
const env = cliEnv(data.dir);

async function query<T>(q: (db: Awaited<ReturnType<typeof openStore>>["db"]) => Promise<T>): Promise<T> {
  const store = await openStore({ dataDir: data.dir });
  try {
    return await q(store.db);
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  const made = await parley(
    ["user", "create", "--email", "p@b.co", "--name", "P", "--password", "password1", "--workspace-name", "Privacy", "--json"],
    env,
  );
  expect(made.code, made.stderr).toBe(0);
  const csv = resolve(data.dir, "people.csv");
  writeFileSync(csv, "name,email\nJo Brown,jo@example.com\nAnn Other,ann@example.com\n");
  const imported = await parley(["import", "contacts", csv, "--json"], env);
  expect(imported.code, imported.stderr).toBe(0);
}, 120_000);
afterAll(() => data.cleanup());

describe("parley privacy erase", () => {
  it("refuses a name that does not match, then erases the person", async () => {
    const jo = await query(
      async (db) => (await sql<{ id: string }>`select id from contacts where name = 'Jo Brown'`.execute(db)).rows[0]?.id as string,
    );
    const wrong = await parley(["privacy", "erase", jo, "--confirm", "Ann Other", "--json"], env);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stdout + wrong.stderr).toContain("confirm_name");

    const done = await parley(["privacy", "erase", jo, "--confirm", "Jo Brown", "--json"], env);
    expect(done.code, done.stderr).toBe(0);
    expect(JSON.parse(done.stdout)).toMatchObject({ contact_id: jo, messages_tombstoned: 0 });

    const left = await query(async (db) => ({
      contacts: (await sql<{ name: string }>`select name from contacts order by name`.execute(db)).rows.map((r) => r.name),
      audit: (await sql<{ action: string; summary: string }>`select action, summary from audit_events where subject_id = ${jo}`.execute(db))
        .rows,
      suppressed: (await sql<{ n: number }>`select count(*)::int as n from privacy_suppressions where kind = 'email'`.execute(db)).rows[0]
        ?.n,
    }));
    expect(left.contacts).toEqual(["Ann Other"]);
    expect(left.audit.map((a) => a.action)).toContain("contact.erased");
    expect(JSON.stringify(left.audit)).not.toContain("Jo Brown");
    expect(left.suppressed).toBe(1);
  }, 120_000);
});
