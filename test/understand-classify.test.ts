import { spawn } from "node:child_process";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";

const BIN = resolve(import.meta.dirname, "../bin/parley.js");

function classify(input: string): Promise<{ code: number | null; lines: Array<Record<string, unknown>>; stderr: string }> {
  return new Promise((done, failed) => {
    const child = spawn(process.execPath, [BIN, "classify"], { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("error", failed);
    child.on("close", (code) =>
      done({
        code,
        stderr,
        lines: stdout
          .split("\n")
          .filter(Boolean)
          .map((l) => JSON.parse(l) as Record<string, unknown>),
      }),
    );
    child.stdin.end(input);
  });
}

describe("parley classify", () => {
  it("writes one line per input, in order, with exactly the contract's keys", async () => {
    const inputs = [
      { id: "a", text: "@SkyLinkAir lost my bag AGAIN, I want a refund now 😡" },
      { id: "b", text: "How do I reset my password?" },
      { id: "c", text: "Love the new update, thank you! ❤️" },
    ];
    const { code, lines } = await classify(`${inputs.map((i) => JSON.stringify(i)).join("\n")}\n`);
    expect(code).toBe(0);
    expect(lines.map((l) => l.id)).toEqual(["a", "b", "c"]);
    for (const line of lines) {
      expect(Object.keys(line)).toEqual(["id", "language", "sentiment", "intents", "labels", "priority", "reasons", "signals"]);
      expect(Object.keys(line.signals as object)).toEqual(["irony", "toxic"]);
      expect(Object.keys(line.sentiment as object)).toEqual(["label", "score"]);
      expect(Object.keys(line.intents as object)).toEqual([
        "complaint",
        "question",
        "suggestion",
        "praise",
        "purchase_intent",
        "churn_risk",
        "spam",
      ]);
      expect(Number.isInteger(line.priority)).toBe(true);
      expect(Array.isArray(line.reasons)).toBe(true);
    }
    expect(lines[0].labels).toContain("complaint");
    expect((lines[0].sentiment as { label: string }).label).toBe("negative");
    expect(lines[1].labels).toContain("question");
  });

  it("answers a bad line with {id, error} and goes on", async () => {
    const input = [
      '{"id": "1", "text": "fine thanks"}',
      "this is not json",
      '{"id": "3"}',
      '{"id": 4, "text": "number id"}',
      '{"id": "5", "text": "still working after the bad lines?"}',
    ].join("\n");
    const { code, lines } = await classify(input);
    expect(code).toBe(0);
    expect(lines).toHaveLength(5);
    expect(lines[0].id).toBe("1");
    expect(lines[0].language).toBeDefined();
    expect(Object.keys(lines[1])).toEqual(["id", "error"]);
    expect(lines[1].id).toBeNull();
    expect(lines[2]).toEqual({ id: "3", error: "text is missing" });
    expect(lines[3]).toEqual({ id: 4, error: "id must be a string" });
    expect(lines[4].id).toBe("5");
    expect(lines[4].labels).toContain("question");
  });

  it("handles empty input", async () => {
    const { code, lines } = await classify("");
    expect(code).toBe(0);
    expect(lines).toEqual([]);
  });
});
