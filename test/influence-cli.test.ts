import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cliEnv, createFirstUser, parley, scratchDataDir } from "./support/cli";

// `parley report influence` as a user runs it: a real process on an embedded store.

const scratch = scratchDataDir();
const env = cliEnv(scratch.dir);

beforeAll(async () => {
  await createFirstUser(env);
  const file = resolve(scratch.dir, "messages.jsonl");
  const at = new Date().toISOString();
  const posts = [
    { external_id: "m0", author: "nia", text: "Loving the new dashboard, brilliant work!" },
    { external_id: "m1", author: "omar", text: "Agreed, it is great", in_reply_to: "m0" },
    { external_id: "m2", author: "pat", text: "@nia where is the export button?" },
  ];
  writeFileSync(
    file,
    posts
      .map(({ author, ...p }) => JSON.stringify({ network: "mastodon", author: { id: author, handle: author }, created_at: at, ...p }))
      .join("\n"),
  );
  const ingested = await parley(["ingest", file, "--json"], env);
  expect(ingested.code, ingested.stderr).toBe(0);
}, 240_000);
afterAll(() => scratch.cleanup());

describe("parley report influence", { timeout: 240_000 }, () => {
  it("recomputes and lists people by influence as JSON and a table", async () => {
    const json = await parley(["report", "influence", "--refresh", "--json"], env);
    expect(json.code, json.stderr).toBe(0);
    const list = JSON.parse(json.stdout) as { run: { people: number }; data: Array<{ name: string; rank: number; why: string[] }> };
    expect(list.run.people).toBe(3);
    expect(list.data[0]).toMatchObject({ name: "nia", rank: 1 });
    expect(list.data[0]?.why).toContain("replied to 1 time by 1 person");

    const text = await parley(["report", "influence"], env);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/between 3 people/);
    expect(text.stdout).toMatch(/^1\s+nia\s+mastodon/m);

    const bad = await parley(["report", "influence", "--kind", "fans", "--json"], env);
    expect(bad.code).not.toBe(0);
    expect(bad.stdout + bad.stderr).toMatch(/kind/);
  });
});
