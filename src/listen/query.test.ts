import { describe, expect, it } from "vitest";
import { compileQueries, parseQuery, QuerySyntaxError } from "./query";

const hit = (query: string, text: string, extra: { authorHandle?: string; language?: string } = {}, dict?: Map<string, string[]>) =>
  compileQueries([query], dict)({ text, ...extra });

describe("listening queries", () => {
  it("parses precedence: NOT over AND over OR, implicit AND", () => {
    expect(parseQuery('acme OR "acme cloud" -jobs')).toEqual({
      type: "or",
      children: [
        { type: "term", value: "acme", prefix: false },
        {
          type: "and",
          children: [
            { type: "phrase", value: "acme cloud" },
            { type: "not", child: { type: "term", value: "jobs", prefix: false } },
          ],
        },
      ],
    });
  });

  it("matches words, phrases, hashtags, mentions, authors, languages and exclusions", () => {
    expect(hit("acme", "I love ACME!")).toBe(true);
    expect(hit("acme", "acmesoft is great")).toBe(false);
    expect(hit("acme*", "acmesoft is great")).toBe(true);
    expect(hit('"customer service"', "Their customer   service is slow")).toBe(true);
    expect(hit('"customer service"', "service for the customer")).toBe(false);
    expect(hit("#outage", "Is there an #Outage right now?")).toBe(true);
    expect(hit("@acmehelp", "hey @AcmeHelp my order is late")).toBe(true);
    expect(hit("from:jo", "anything", { authorHandle: "@Jo" })).toBe(true);
    expect(hit("lang:de", "hallo", { language: "de" })).toBe(true);
    expect(hit("acme -jobs", "acme jobs in berlin")).toBe(false);
    expect(hit("acme NOT (jobs OR hiring)", "acme is hiring")).toBe(false);
    expect(hit("(acme OR globex) AND refund", "globex refund please")).toBe(true);
    expect(hit("(acme OR globex) AND refund", "globex is fine")).toBe(false);
  });

  it("expands brand dictionary entries to their names, misspellings and handles", () => {
    const dict = new Map([["acme", ["acme corp", "akme", "@acmehelp"]]]);
    expect(hit("acme", "akme ruined my day", {}, dict)).toBe(true);
    expect(hit("acme", "ping @acmehelp", {}, dict)).toBe(true);
    expect(hit("acme", "nothing here", {}, dict)).toBe(false);
  });

  it("explains malformed queries with position and reason", () => {
    const cases: Array<[string, number, RegExp]> = [
      ["(acme OR globex", 0, /never closed/],
      ["acme)", 4, /no matching/],
      ['acme "refund', 5, /quote is never closed/],
      ["acme OR", 5, /OR needs/],
      ["foo:bar", 0, /unknown field/],
      ["", 0, /empty/],
      ["acme AND NOT", 9, /NOT needs/],
    ];
    for (const [q, pos, reason] of cases) {
      try {
        parseQuery(q);
        expect.unreachable(`"${q}" should not parse`);
      } catch (err) {
        expect(err, q).toBeInstanceOf(QuerySyntaxError);
        expect((err as QuerySyntaxError).position, q).toBe(pos);
        expect((err as QuerySyntaxError).reason, q).toMatch(reason);
      }
    }
  });
});
