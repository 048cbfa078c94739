import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliEnv, createFirstUser, parley, ROOT, scratchDataDir } from "./support/cli";

// `parley import` / `parley export` as a user runs them: real processes on an embedded store.

const fixture = (name: string) => resolve(ROOT, "test/fixtures/transfer", name);
const scratch = scratchDataDir();
const env = cliEnv(scratch.dir);

beforeAll(async () => {
  await createFirstUser(env);
});
afterAll(() => scratch.cleanup());

// Each run starts a process and opens the store: seconds apiece on a busy machine.
describe("parley import and export", { timeout: 240_000 }, () => {
  it("imports a CSV with --json, reports rejected rows, exits 0, and is idempotent with --id-column", async () => {
    const res = await parley(["import", "contacts", fixture("contacts-mixed.csv"), "--id-column", "External ID", "--json"], env);
    expect(res.code, res.stderr).toBe(0);
    const summary = JSON.parse(res.stdout);
    expect(summary).toMatchObject({ total: 8, created: 4, updated: 0 });
    expect(summary.rejected.map((r: { row: number; column: string }) => [r.row, r.column])).toEqual([
      [4, "E-mail"],
      [5, "Lifecycle Stage"],
      [7, "Email Opt-in"],
      [10, "First Name"],
    ]);
    expect(summary.unmapped_columns).toEqual([
      { column: "Customer Since", suggested_type: "date" },
      { column: "Plan", suggested_type: "text" },
    ]);
    expect(Object.keys(summary)).toEqual([
      "total",
      "created",
      "updated",
      "suppressed",
      "rejected",
      "warnings",
      "unmapped_columns",
      "mapping",
      "columns",
    ]);

    const again = JSON.parse(
      (await parley(["import", "contacts", fixture("contacts-mixed.csv"), "--id-column", "External ID", "--json"], env)).stdout,
    );
    expect(again).toMatchObject({ created: 0, updated: 4 });
  });

  it("prints a readable summary without --json, and a dry run writes nothing", async () => {
    const res = await parley(["import", "organizations", fixture("organizations.csv"), "--dry-run"], env);
    expect(res.code, res.stderr).toBe(0);
    // Acme Corp and Globex exist already (the contact import created them): matched by name.
    expect(res.stdout).toContain("Would import 6 rows: 1 created, 2 updated, 3 rejected (dry run: nothing written)");
    expect(res.stdout).toContain('row 4 [Website]: must be a domain name like example.com (got "not a domain")');
    expect(res.stdout).toContain("Company Name → name");
    const exported = await parley(["export", "organizations"], env);
    // Only the organizations the contact import created exist: the dry run added none.
    expect(exported.stdout).not.toContain("Umbrella Inc.");
  });

  it("reads standard input with FILE -, given the format", async () => {
    const vcard = readFileSync(fixture("contacts-v3.vcf"), "utf8");
    const res = await parley(["import", "contacts", "-", "--format", "vcard", "--json"], env, vcard);
    expect(res.code, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ total: 2, created: 2 });
  });

  it("exits non-zero with a clear message when the file is broken as a whole, or missing", async () => {
    const broken = await parley(["import", "contacts", fixture("contacts-broken.csv")], env);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain('parley: row 3 (line 3): a quoted value is never closed; the file ends inside "quotes"');
    const json = await parley(["import", "contacts", fixture("not-a-vcard.vcf"), "--json"], env);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout).error).toMatchObject({
      code: "validation_error",
      message: expect.stringContaining("not a vCard file: line 1"),
    });
    const missing = await parley(["import", "contacts", resolve(scratch.dir, "nope.csv")], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("cannot read");
    const unknown = await parley(["import", "contacts", resolve(ROOT, "package.json")], env);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("give --format csv or --format vcard");
  });

  it("exports CSV to stdout and vCard to a file, and the CSV imports back by id without duplicates", async () => {
    const csv = await parley(["export", "contacts"], env);
    expect(csv.code, csv.stderr).toBe(0);
    const lines = csv.stdout
      .replace(/^\ufeff/, "")
      .trim()
      .split("\r\n");
    expect(lines[0]).toMatch(/^id,name,first_name,last_name,emails,phones,organization,/);
    expect(lines.length).toBeGreaterThan(4);

    const out = resolve(scratch.dir, "people.vcf");
    const vcf = await parley(["export", "contacts", "--out", out], env);
    expect(vcf.code, vcf.stderr).toBe(0);
    expect(readFileSync(out, "utf8")).toMatch(/^BEGIN:VCARD\r\nVERSION:4\.0\r\n/);

    const file = resolve(scratch.dir, "people.csv");
    writeFileSync(file, csv.stdout);
    const back = JSON.parse((await parley(["import", "contacts", file, "--id-column", "id", "--json"], env)).stdout);
    expect(back).toMatchObject({ created: 0, updated: lines.length - 1, rejected: [] });
  });
});
