import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileQueries, parseQuery, QuerySyntaxError } from "../../src/listen/query";
import { announceSeed, anyString, fuzzParams, tokenSoup } from "./support";

// The listening query language takes text from users (and the API): any text
// either parses or is refused with a QuerySyntaxError at a position inside it,
// and a query that parses matches any post without throwing.

announceSeed("query");

const QUERY_TOKENS = [
  "acme",
  "ACME",
  "acme*",
  "*",
  '"acme cloud"',
  '"',
  "“",
  "”",
  "(",
  ")",
  "AND",
  "OR",
  "NOT",
  "&&",
  "||",
  "-",
  "-jobs",
  "#",
  "#outage",
  "@",
  "@acmehelp",
  "from:",
  "from:jo",
  "from:@jo",
  "lang:de",
  "lang:",
  "foo:bar",
  "https://acme.example/x",
  ":",
  "'",
  "’s",
  ".",
  "_",
  "\u0000",
  "\u202e",
  "😀",
];

const queryText = fc.oneof(anyString(60), tokenSoup(QUERY_TOKENS, 25, [" ", "", " ", "\t"]));
const postText = fc.oneof(anyString(80), tokenSoup(["acme", "#outage", "@acmehelp", "jobs", "acme cloud", "’s", "-", "."], 20));

function parseOrSyntaxError(q: string) {
  try {
    return parseQuery(q);
  } catch (err) {
    if (!(err instanceof QuerySyntaxError)) throw err;
    expect(err.position).toBeGreaterThanOrEqual(0);
    expect(err.position).toBeLessThanOrEqual(q.length);
    expect(err.reason.length).toBeGreaterThan(0);
    return null;
  }
}

describe("fuzz: listening query language", () => {
  it("any text parses or is refused with a positioned syntax error", () => {
    fc.assert(
      fc.property(queryText, (q) => {
        parseOrSyntaxError(q);
      }),
      fuzzParams(3000),
    );
  });

  it("a query that parses matches any post, author and language without throwing", () => {
    fc.assert(
      fc.property(
        queryText,
        postText,
        fc.option(anyString(12)),
        fc.option(fc.oneof(fc.constantFrom("en", "de", "en-GB", ""), anyString(6))),
        (q, text, authorHandle, language) => {
          if (!parseOrSyntaxError(q)) return;
          const dictionary = new Map([["acme", ["acme corp", "@acmehelp", "akme", ""]]]);
          expect(typeof compileQueries([q], dictionary)({ text, authorHandle, language })).toBe("boolean");
        },
      ),
      fuzzParams(2000),
    );
  });

  it("deep nesting is refused as a syntax error, not a stack overflow", () => {
    const depth = 100_000;
    for (const q of [
      `${"(".repeat(depth)}acme${")".repeat(depth)}`,
      `${"(".repeat(depth)}acme`,
      `${"-".repeat(depth)}acme`,
      `${"NOT ".repeat(depth)}acme`,
    ]) {
      expect(() => parseQuery(q), q.slice(0, 12)).toThrow(QuerySyntaxError);
    }
    // A long flat query is no problem: "- " is a word here, and words just AND together.
    expect(compileQueries([`${"- ".repeat(depth)}acme`])({ text: "acme" })).toBe(false);
    // Nesting people write still works.
    expect(compileQueries([`${"(".repeat(20)}acme${")".repeat(20)}`])({ text: "acme" })).toBe(true);
    expect(compileQueries(["NOT NOT acme"])({ text: "acme" })).toBe(true);
  });
});
