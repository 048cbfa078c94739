import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { htmlToText, normalizedMessageSchema, sanitizePostHtml } from "../../src/ingest";
import { fromActivityStreams, fromCsvRow, fromTwcsRow, isActivityStreams, TWCS_COLUMNS, twitterDate } from "../../src/listen/formats";
import { as2Doc } from "./activity-streams";
import { announceSeed, anyString, fuzzParams, tokenSoup } from "./support";

// The ingest formats (ActivityStreams 2.0, the TWCS and generic CSV rows) turn
// whatever a sender posts into candidate messages; the schema then accepts or
// refuses each one. Nothing a sender posts may make them throw.

announceSeed("formats");

describe("fuzz: ingest formats", () => {
  it("ActivityStreams: any document converts to candidates the schema can judge, without throwing", () => {
    fc.assert(
      fc.property(as2Doc, fc.constantFrom("webhook", "mastodon", "file"), (doc, network) => {
        isActivityStreams(doc);
        const items = fromActivityStreams(doc, network as "webhook");
        expect(Array.isArray(items)).toBe(true);
        for (const item of items) normalizedMessageSchema.safeParse(item);
      }),
      fuzzParams(1500),
    );
  });

  it("a collection whose items are not a list is read as empty, not a crash", () => {
    for (const items of ["a string", 42, { type: "Note" }, null, true]) {
      expect(fromActivityStreams({ type: "OrderedCollection", orderedItems: items })).toEqual([]);
      expect(fromActivityStreams({ type: "Collection", items })).toEqual([]);
    }
  });

  it("TWCS and generic CSV rows: any cells give a candidate the schema can judge", () => {
    const columns = [
      ...TWCS_COLUMNS,
      "network",
      "external_id",
      "id",
      "author",
      "author_followers",
      "followers",
      "text",
      "date",
      "public",
      "lang",
    ];
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.oneof(fc.constantFrom(...columns), anyString(8)),
          fc.oneof(anyString(30), fc.constantFrom("true", "1", "no", "-5")),
        ),
        (row) => {
          normalizedMessageSchema.safeParse(fromTwcsRow(row));
          normalizedMessageSchema.safeParse(fromCsvRow(row));
        },
      ),
      fuzzParams(1500),
    );
  });

  it("dates and HTML from senders never throw", () => {
    fc.assert(
      fc.property(
        fc.oneof(anyString(40), fc.constantFrom("Tue Oct 31 22:10:47 +0000 2017", "Tue Foo 99 99:99:99 +9999 9999", "-271821-04-20")),
        (s) => {
          expect(typeof twitterDate(s)).toBe("string");
        },
      ),
      fuzzParams(1000),
    );
    fc.assert(
      fc.property(
        fc.oneof(
          anyString(80),
          tokenSoup(
            ["<p>", "</p>", "<br/>", "<a href='javascript:x'>", "</a>", "<img src=x onerror=y>", "<!--", "-->", "&#0;", "text"],
            20,
          ),
        ),
        (html) => {
          expect(typeof sanitizePostHtml(html)).toBe("string");
          expect(typeof htmlToText(html)).toBe("string");
        },
      ),
      fuzzParams(800),
    );
  });
});
