import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CUSTOM_KEY_RE } from "../../src/crm/custom-fields";
import { AppError } from "../../src/shared/errors";
import { readCsv } from "../../src/transfer/csv";
import { customKeyFor, JOINED_FIELDS, MULTI_FIELDS, mapColumns } from "../../src/transfer/fields";
import { readVCards } from "../../src/transfer/vcard";
import { csvText, vcardText } from "./files";
import { announceSeed, anyString, fuzzParams, withinTime } from "./support";

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

describe("fuzz: column mapping", () => {
  const header = fc.oneof(
    fc.constantFrom(
      "Name",
      "E-mail",
      "email",
      "Emails",
      "Phone",
      "Company",
      "Tags",
      "id",
      "ID",
      "Street",
      "Address 1",
      "Plan",
      "plan",
      "__proto__",
      "constructor",
      "",
    ),
    anyString(16),
  );
  it("maps any header row: one target per column, a single-valued field fed once, custom keys valid", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("contacts" as const, "organizations" as const),
        fc.array(header, { maxLength: 12 }),
        fc.array(fc.record({ key: fc.constantFrom("plan", "tier", "x"), label: header }), { maxLength: 3 }),
        fc.option(header, { nil: undefined }),
        (entity, columns, defs, idColumn) => {
          const { targets, unmapped } = mapColumns(entity, columns, defs, idColumn);
          expect(targets).toHaveLength(columns.length);
          expect(unmapped).toHaveLength(targets.filter((x) => x === null).length);
          const single = targets.filter((x) => x && !(x.kind === "field" && (MULTI_FIELDS.has(x.field) || JOINED_FIELDS.has(x.field))));
          const labels = single.map((x) => JSON.stringify(x));
          expect(new Set(labels).size).toBe(labels.length);
          const existing = new Set<string>(defs.map((d) => d.key));
          for (const column of columns) {
            const key = customKeyFor(entity, column, existing);
            if (key !== null) {
              expect(key).toMatch(CUSTOM_KEY_RE);
              expect(existing.has(key)).toBe(false);
            }
          }
        },
      ),
      fuzzParams(1500),
    );
  });
});
