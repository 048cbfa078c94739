import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Caller, newWorkspace, startTestApp, type TestApp } from "./support/app";

// Erasure (issue 13) and what was derived from a person's words: emerging issues are named from
// their messages' top terms, and rules title ideas from a post. After the person is erased, no
// word only they wrote is left in an issue's name, top terms, centroid or the term frequencies;
// an issue only they made is neutralized; an issue shared with others is named from the rest;
// idea titles summarizing their post are scrubbed. Counts stay whole (their posts are tombstones).

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

let seq = 0;
async function ingest(c: Caller, posts: Array<{ text: string; author: string }>) {
  const messages = posts.map((p) => ({
    network: "mastodon",
    external_id: `derived-${++seq}`,
    author: { id: p.author, handle: p.author },
    text: p.text,
    created_at: new Date(Date.UTC(2026, 10, 20, 10, seq)).toISOString(),
  }));
  const res = await c.request("POST", "/api/v1/messages:batch", { messages });
  expect(res.statusCode, res.body).toBe(200);
}

/** Everything derived about issues in the workspace, as one text. */
async function issueTraces(ws: string): Promise<string> {
  const parts = await Promise.all([
    sql`select label, top_terms from issues where workspace_id = ${ws}`.execute(t.db),
    sql`select term, word from issue_terms where workspace_id = ${ws}`.execute(t.db),
    sql`select term from issue_term_df where workspace_id = ${ws}`.execute(t.db),
  ]);
  return JSON.stringify(parts.map((p) => p.rows)).toLowerCase();
}

type Issue = { id: string; label: string; message_count: number };

describe("erasure and the names derived from a person's words", () => {
  let owner: Caller;
  let jo: string;
  let issuesBefore: Issue[];

  beforeAll(async () => {
    owner = await newWorkspace(t, "Derived Co");
    await ingest(owner, [
      { text: "My grinder lid cracked after one week and the zorblax hinge snapped off, terrible quality", author: "jo" },
      { text: "The grinder lid cracked on mine too, really poor quality", author: "ann" },
      { text: "Grinder lid cracked again after a month, so disappointed", author: "ben" },
      { text: "It would be great if you could add quokkafy export of invoices to PDF", author: "jo" },
    ]);
    const contact = (await owner.request("POST", "/api/v1/contacts", { name: "Jo Brown" })).json();
    jo = contact.id;
    const profiles = (await owner.request("GET", "/api/v1/profiles?limit=50")).json().data as Array<{ id: string; handle: string }>;
    const joProfile = profiles.find((p) => p.handle === "jo");
    expect(joProfile).toBeDefined();
    const linked = await owner.request("POST", `/api/v1/profiles/${joProfile?.id}/link`, { contact_id: jo });
    expect(linked.statusCode, linked.body).toBe(200);
    issuesBefore = (await owner.request("GET", "/api/v1/issues?limit=50")).json().data;
  });

  it("before: the issues and an idea carry the person's own words (so the test can fail)", async () => {
    const traces = await issueTraces(owner.workspaceId);
    expect(traces).toContain("zorblax");
    expect(traces).toContain("quokkaf");
    expect(issuesBefore.find((i) => i.message_count === 3)?.label.toLowerCase()).toMatch(/grinder|lid|crack/);
    expect(issuesBefore.filter((i) => i.message_count === 1)).toHaveLength(1);
    const ideas = (await owner.request("GET", "/api/v1/ideas")).json().data as Array<{ title: string }>;
    expect(ideas.map((i) => i.title.toLowerCase()).join("|")).toContain("quokkafy");
  });

  it("after: no word only they wrote is left; shared issues keep a name from the others; counts stay", async () => {
    const erased = await owner.request("POST", `/api/v1/contacts/${jo}/privacy-erase`, { confirm_name: "Jo Brown" });
    expect(erased.statusCode, erased.body).toBe(200);
    expect(erased.json().messages_tombstoned).toBe(2);

    const traces = await issueTraces(owner.workspaceId);
    for (const word of ["zorblax", "hinge", "snapped", "quokkaf", "invoic"]) expect(traces, word).not.toContain(word);

    const after = (await owner.request("GET", "/api/v1/issues?limit=50")).json().data as Issue[];
    expect(after.map((i) => i.id).sort()).toEqual(issuesBefore.map((i) => i.id).sort());
    for (const issue of issuesBefore) expect(after.find((i) => i.id === issue.id)?.message_count, issue.label).toBe(issue.message_count);
    const shared = after.find((i) => i.message_count === 3);
    expect(shared?.label.toLowerCase()).toMatch(/grinder|lid|crack/);
    // an issue only they made has nothing of theirs left to be named by
    const theirs = after.filter((i) => i.message_count === 1);
    expect(theirs.map((i) => i.label)).toEqual(["(erased)"]);
    // the card shows the tombstone, not the words
    const card = (await owner.request("GET", `/api/v1/issues/${shared?.id}`)).json();
    expect(JSON.stringify(card).toLowerCase()).not.toContain("zorblax");

    const ideas = (await owner.request("GET", "/api/v1/ideas")).json().data as Array<{ title: string; description: string | null }>;
    expect(JSON.stringify(ideas).toLowerCase()).not.toContain("quokkaf");
  });

  it("new posts still group into the shared issue and its name follows them", async () => {
    await ingest(owner, [{ text: "My grinder lid cracked on the first day, awful", author: "cy" }]);
    const after = (await owner.request("GET", "/api/v1/issues?limit=50")).json().data as Issue[];
    const shared = after.find((i) => i.label.toLowerCase().match(/grinder|lid|crack/) && i.message_count === 4);
    expect(shared, JSON.stringify(after)).toBeDefined();
  });
});
