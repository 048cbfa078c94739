import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Caller, newWorkspace, startTestApp, type TestApp } from "./support/app";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

let seq = 0;
function post(text: string, language?: string) {
  seq++;
  return {
    network: "mastodon",
    external_id: `wf-${seq}`,
    author: { id: `wf-acct-${seq}`, handle: `wf${seq}` },
    text,
    ...(language ? { language } : {}),
    created_at: new Date(Date.UTC(2026, 10, 1, 12, 0, seq)).toISOString(),
  };
}

async function texts(c: Caller, path: string, query: string) {
  const res = await c.request("GET", `/api/v1/${path}${encodeURIComponent(query)}`);
  expect(res.statusCode, res.body).toBe(200);
  return res
    .json()
    .data.map((m: { text?: string; snippet?: string }) => m.text ?? m.snippet)
    .sort();
}

describe("search finds word forms", () => {
  let c: Caller;
  beforeAll(async () => {
    c = await newWorkspace(t);
    const res = await c.request("POST", "/api/v1/messages:batch", {
      messages: [
        post("I was promised refunds for both orders and nothing came"),
        post("They refunded me within a day, great service"),
        post("Where is my refund? Order 1182"),
        post("Die Rückerstattungen kommen nie an", "de"),
        post("Refurbished phones are cheaper"),
        post("Love the new dashboard"),
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
  });

  it("matches every form of an English word, in messages and conversations", async () => {
    const all = [
      "I was promised refunds for both orders and nothing came",
      "They refunded me within a day, great service",
      "Where is my refund? Order 1182",
    ];
    expect(await texts(c, "messages?limit=50&query=", "refund")).toEqual(all);
    expect(await texts(c, "messages?limit=50&query=", "refunds")).toEqual(all);
    expect(await texts(c, "conversations?limit=50&q=", "refunded")).toEqual(all);
  });

  it("stems by the message's language", async () => {
    expect(await texts(c, "messages?limit=50&query=", "Rückerstattung")).toEqual(["Die Rückerstattungen kommen nie an"]);
  });

  it("keeps web-search syntax: all words must match, -word excludes", async () => {
    expect(await texts(c, "messages?limit=50&query=", "refund order")).toEqual([
      "I was promised refunds for both orders and nothing came",
      "Where is my refund? Order 1182",
    ]);
    expect(await texts(c, "messages?limit=50&query=", "refund -orders")).toEqual(["They refunded me within a day, great service"]);
  });

  it("reads a trailing * as a prefix", async () => {
    expect(await texts(c, "messages?limit=50&query=", "ref*")).toEqual([
      "I was promised refunds for both orders and nothing came",
      "Refurbished phones are cheaper",
      "They refunded me within a day, great service",
      "Where is my refund? Order 1182",
    ]);
    expect(await texts(c, "messages?limit=50&query=", "refu* service")).toEqual(["They refunded me within a day, great service"]);
  });

  it("treats query syntax characters as text, never as an error", async () => {
    for (const q of ["refund:*", "a & | !b", "(((", "x*y*", "'; drop table messages; --", "*"]) {
      const res = await c.request("GET", `/api/v1/messages?query=${encodeURIComponent(q)}`);
      expect(res.statusCode, `${q}: ${res.body}`).toBe(200);
    }
  });
});
