import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { resolve } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { loadAll, loadCorrections } from "../src/understand/datasets";
import { INTENTS } from "../src/understand/model";

// `npm run train` folds in agents' corrections exported from the API.

const dir = mkdtempSync(resolve(tmpdir(), "parley-corrections-"));
afterEach(() => {
  delete process.env.PARLEY_CORRECTIONS;
});

describe("corrections as training data", () => {
  it("reads exported corrections: only corrected fields teach, and only in training", () => {
    const file = resolve(dir, "export.jsonl");
    writeFileSync(
      file,
      [
        JSON.stringify({
          id: "1",
          text: "Great, another outage.",
          sentiment: "negative",
          labels: ["complaint"],
          corrected_fields: ["sentiment", "labels"],
        }),
        JSON.stringify({
          id: "2",
          text: "Can I pay yearly?",
          sentiment: "neutral",
          labels: ["question", "purchase_intent"],
          corrected_fields: ["labels"],
        }),
        "",
      ].join("\n"),
    );
    process.env.PARLEY_CORRECTIONS = file;
    const examples = loadCorrections();
    expect(examples).toHaveLength(2);
    expect(examples[0]).toMatchObject({ source: "corrections", sentiment: 0, split: "train" });
    expect(examples[0]?.intents[INTENTS.indexOf("complaint")]).toBe(1);
    expect(examples[1]?.sentiment).toBeUndefined();
    expect(examples[1]?.intents[INTENTS.indexOf("purchase_intent")]).toBe(1);
    expect(examples[1]?.intents[INTENTS.indexOf("spam")]).toBe(0);
    rmSync(dir, { recursive: true, force: true });
  });

  it("are part of what training loads when present", () => {
    const file = resolve(mkdtempSync(resolve(tmpdir(), "parley-corrections-")), "c.jsonl");
    writeFileSync(file, `${JSON.stringify({ text: "refund me now", sentiment: "negative", labels: ["complaint"] })}\n`);
    process.env.PARLEY_CORRECTIONS = file;
    process.env.PARLEY_SHARED_DATA = resolve(tmpdir(), "no-shared-data-here");
    try {
      expect(loadAll().filter((e) => e.source === "corrections")).toHaveLength(1);
    } finally {
      delete process.env.PARLEY_SHARED_DATA;
    }
  });
});
