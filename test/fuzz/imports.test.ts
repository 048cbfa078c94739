import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AppError } from "../../src/shared/errors";
import { readCsv } from "../../src/transfer/csv";
import { readVCards } from "../../src/transfer/vcard";
import { csvText, vcardText } from "./files";
import { announceSeed, fuzzParams, withinTime } from "./support";

// Contact and organization files come from other systems and from people: any
// CSV or vCard text is read into rows and rejections, or refused as a whole
// with an error naming the problem; never anything else, never a hang. The
// import routes are fuzzed with the same files in routes.test.ts.

announceSeed("imports");

/** Reads a whole file; the only error allowed is the whole-file AppError. */
async function readAll(read: () => Promise<unknown>) {
  try {
    await withinTime(read(), "reading a file");
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    expect(err.message.length).toBeGreaterThan(0);
  }
}

describe("fuzz: CSV and vCard readers", () => {
  it("any CSV text gives a header and rows, or a whole-file error", async () => {
    await fc.assert(
      fc.asyncProperty(csvText, async (text) => {
        await readAll(async () => {
          const table = await readCsv(text, { bytes: 0 });
          for await (const row of table.rows) expect(row.row).toBeGreaterThan(1);
        });
      }),
      fuzzParams(800),
    );
  });

  it("any vCard text gives cards or rejected cards, or a whole-file error", async () => {
    await fc.assert(
      fc.asyncProperty(vcardText, async (text) => {
        await readAll(async () => {
          for await (const item of readVCards(text, { bytes: 0 })) expect(item.card).toBeGreaterThan(0);
        });
      }),
      fuzzParams(800),
    );
  });
});
