import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listPublishedArticles, searchArticles } from "../src/knowledge";
import { openStore } from "../src/store/db";
import { cliEnv, parley, scratchDataDir } from "./support/cli";

// `parley kb import DIR` as a user runs it: a folder of Markdown files becomes the help
// centre's articles, again and again without copies, and a bad file imports nothing.

const scratch = scratchDataDir();
const docs = scratchDataDir();
const env = cliEnv(scratch.dir);

beforeAll(async () => {
  const made = await parley(
    ["user", "create", "--email", "kb@b.co", "--name", "K", "--password", "password1", "--workspace-name", "Acme", "--json"],
    env,
  );
  expect(made.code, made.stderr).toBe(0);
});
afterAll(() => {
  scratch.cleanup();
  docs.cleanup();
});

async function stored() {
  const store = await openStore({ dataDir: scratch.dir, command: "test" });
  try {
    const ws = await store.db.selectFrom("workspaces").select("id").executeTakeFirstOrThrow();
    return {
      published: (await listPublishedArticles(store.db, ws.id)).map((a) => [a.slug, a.title, a.category?.name ?? null]),
      refund: (await searchArticles(store.db, ws.id, "refunded")).map((h) => h.slug),
    };
  } finally {
    await store.close();
  }
}

describe("parley kb import", { timeout: 240_000 }, () => {
  it("imports a folder of Markdown files by slug, updates on a second run, and refuses a bad file whole", async () => {
    mkdirSync(join(docs.dir, "billing"));
    writeFileSync(
      join(docs.dir, "billing", "refunds.md"),
      "---\ntitle: How refunds work\ncategory: Billing\nsource_url: https://example.com/old-faq#refunds\n---\nWe refund within **5 days**.\n",
    );
    writeFileSync(join(docs.dir, "reset-password.md"), "# Resetting your password\n\nOpen *Settings* and choose Reset.\n");
    writeFileSync(join(docs.dir, "roadmap.md"), "---\ntitle: Our roadmap\nstatus: draft\n---\nSoon.\n");
    writeFileSync(join(docs.dir, "notes.txt"), "not an article");

    const first = await parley(["kb", "import", docs.dir, "--json"], env);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({ created: 3, updated: 0, unchanged: 0, categories_created: 1 });
    expect(await stored()).toEqual({
      published: [
        ["refunds", "How refunds work", "Billing"],
        ["reset-password", "Resetting your password", null],
      ],
      refund: ["refunds"],
    });

    const again = await parley(["kb", "import", docs.dir, "--json"], env);
    expect(JSON.parse(again.stdout)).toEqual({ created: 0, updated: 0, unchanged: 3, categories_created: 0 });

    writeFileSync(join(docs.dir, "roadmap.md"), "---\ntitle: Our roadmap\nstatus: published\n---\nShipping dark mode.\n");
    const human = await parley(["kb", "import", docs.dir], env);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toBe("0 created, 1 updated, 2 unchanged\n");

    // One bad file: the error names it and nothing of the folder is imported.
    writeFileSync(join(docs.dir, "zz-new.md"), "---\ntitle: Brand new\n---\nNew.\n");
    writeFileSync(join(docs.dir, "zz-bad.md"), "---\ntitle: Bad\nstatus: archived\n---\nBody.\n");
    const bad = await parley(["kb", "import", docs.dir, "--json"], env);
    expect(bad.code).toBe(1);
    const error = JSON.parse(bad.stdout).error;
    expect(error.code).toBe("validation_error");
    expect(error.message).toContain("zz-bad.md");
    expect(error.message).toContain("status");
    expect((await stored()).published.map(([slug]) => slug)).toEqual(["refunds", "roadmap", "reset-password"]);

    const missing = await parley(["kb", "import", join(docs.dir, "nope")], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("no such folder");
  });
});
