import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliEnv, createFirstUser, parley, scratchDataDir } from "./support/cli";

// `parley report issues` as a user runs it: a real process on an embedded store with ingested complaints.

const scratch = scratchDataDir();
const env = cliEnv(scratch.dir);

beforeAll(async () => {
  await createFirstUser(env);
  const file = resolve(scratch.dir, "messages.jsonl");
  const texts = [
    "The app keeps crashing when I upload a photo, this is so frustrating",
    "Your app crashes every time I try to upload photos. Fix it!",
    "How do I reset my password? The reset email never arrives",
  ];
  writeFileSync(
    file,
    texts
      .map((text, i) =>
        JSON.stringify({
          network: "mastodon",
          external_id: `m${i}`,
          author: { id: `a${i}`, handle: `a${i}` },
          text,
          created_at: new Date().toISOString(),
        }),
      )
      .join("\n"),
  );
  const ingested = await parley(["ingest", file, "--json"], env);
  expect(ingested.code, ingested.stderr).toBe(0);
}, 240_000);
afterAll(() => scratch.cleanup());

describe("parley report issues", { timeout: 240_000 }, () => {
  it("lists the emerging issues as JSON, CSV and a table", async () => {
    const json = await parley(["report", "issues", "--json"], env);
    expect(json.code, json.stderr).toBe(0);
    const page = JSON.parse(json.stdout) as { data: Array<{ label: string; message_count: number }> };
    expect(page.data.map((i) => i.message_count).sort()).toEqual([1, 2]);
    expect(page.data.find((i) => i.message_count === 2)?.label).toMatch(/crash|upload|photo/);

    const csv = await parley(["report", "issues", "--csv"], env);
    expect(csv.code, csv.stderr).toBe(0);
    const rows = parse(csv.stdout, { columns: true }) as Array<Record<string, string>>;
    expect(rows).toHaveLength(2);
    expect(rows.map((r) => r.messages).sort()).toEqual(["1", "2"]);

    const text = await parley(["report", "issues"], env);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/^issue\s+7 days\s+messages/);

    const bursting = await parley(["report", "issues", "--bursting", "--json"], env);
    expect(JSON.parse(bursting.stdout).data).toEqual([]);

    const bad = await parley(["report", "issues", "--days", "0", "--json"], env);
    expect(bad.code).not.toBe(0);
    expect(bad.stdout + bad.stderr).toContain("days");
  });
});
