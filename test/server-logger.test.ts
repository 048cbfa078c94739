import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { serverLogger } from "../src/cli/start";

function sink(isTTY: boolean) {
  const stream = new PassThrough() as PassThrough & { isTTY?: boolean };
  stream.isTTY = isTTY;
  let text = "";
  stream.on("data", (d) => {
    text += d;
  });
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => text };
}

const until = async (check: () => boolean) => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
};

describe("npm start's log lines", () => {
  afterEach(() => {
    delete process.env.PARLEY_LOG_FORMAT;
  });

  it("are readable lines on a terminal", async () => {
    const out = sink(true);
    const logger = await serverLogger(out.stream);
    logger.info("Parley is running at http://localhost:4000");
    await until(() => out.text().includes("\n"));
    const line = out.text();
    expect(line).toMatch(/INFO/);
    expect(line).toContain("Parley is running at http://localhost:4000");
    expect(() => JSON.parse(line)).toThrow();
    expect(line).not.toMatch(/"hostname"|"pid"/);
  });

  it("are JSON when PARLEY_LOG_FORMAT=json, even on a terminal", async () => {
    process.env.PARLEY_LOG_FORMAT = "json";
    const out = sink(true);
    (await serverLogger(out.stream)).info("listening");
    await until(() => out.text().includes("\n"));
    expect(JSON.parse(out.text())).toMatchObject({ level: 30, msg: "listening" });
  });

  it("are JSON when the output is piped to a file or a collector", async () => {
    const out = sink(false);
    (await serverLogger(out.stream)).warn("slow");
    await until(() => out.text().includes("\n"));
    expect(JSON.parse(out.text())).toMatchObject({ level: 40, msg: "slow" });
  });
});
