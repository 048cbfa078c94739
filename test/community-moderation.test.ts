import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Caller, newWorkspace, startTestApp, type TestApp } from "./support/app";
import { portalOf, Visitor } from "./support/portal";

// Trust, limits and moderation on the community portal, the ideas board's vote count (portal
// votes and social posts, one per person) and the member's case portal.

let t: TestApp;
beforeAll(async () => {
  // a small per-address limit so the test reaches it
  t = await startTestApp({ portalLimits: { max: 5, windowMs: 10 * 60 * 1000 } });
});
afterAll(async () => {
  await t?.close();
});

const idFrom = (location: unknown) => /\/(?:q|ideas|cases)\/([0-9a-f-]{36})/.exec(String(location ?? ""))?.[1] as string;

async function ask(v: Visitor, title: string, body = "Some details here.") {
  const res = await v.post("/questions", { title, body });
  expect(res.statusCode, res.body).toBe(303);
  return idFrom(res.headers.location);
}

async function memberId(owner: Caller, email: string): Promise<string> {
  const row = await t.db
    .selectFrom("community_members")
    .select("id")
    .where("workspace_id", "=", owner.workspaceId)
    .where("email", "=", email)
    .executeTakeFirstOrThrow();
  return row.id;
}

describe("community trust, limits and moderation", () => {
  it("a new member's links stay text and their posts are rate limited; taking part earns links", async () => {
    const owner = await newWorkspace(t, "Trust Works");
    const base = await portalOf(owner);
    const newbie = new Visitor(t, base, "192.0.2.10");
    await newbie.signUp("Nina New");
    const first = await ask(newbie, "First question from Nina", "See https://spam.example/buy and [this](https://spam.example/x)");
    const firstPage = (await newbie.get(`/q/${first}`)).body;
    expect(firstPage).not.toContain('href="https://spam.example');
    expect(firstPage).toContain("https://spam.example/buy");

    await ask(newbie, "Second question from Nina");
    await ask(newbie, "Third question from Nina");
    // three visible posts earn level 1 (Member): links now render, nofollow
    const linked = await ask(newbie, "Fourth question from Nina", "[docs](https://docs.example/guide)");
    expect((await newbie.get(`/q/${linked}`)).body).toContain(
      '<a href="https://docs.example/guide" rel="nofollow ugc noopener noreferrer">docs</a>',
    );
    // and the earlier post's link too: posts render at the author's level
    expect((await newbie.get(`/q/${first}`)).body).toContain('href="https://spam.example/x"');

    const other = new Visitor(t, base, "192.0.2.11");
    await other.signUp("Oscar Other");
    for (let i = 1; i <= 3; i++) await ask(other, `Oscar question number ${i}`);
    // a level-0 member may post 3 times in 10 minutes — but Oscar now has 3 posts, so level 1;
    // a fresh member shows the limit
    const flooder = new Visitor(t, base, "192.0.2.12");
    await flooder.signUp("Fred Flood");
    await ask(flooder, "Flood question one");
    await ask(flooder, "Flood question two");
    const s = await ask(flooder, "Flood question three");
    expect(s).toBeTruthy();
    // the member is level 1 after three posts: the fourth passes; level 1 allows 10 in the window
    for (let i = 4; i <= 10; i++) {
      // a fresh address each time: this is the account's limit, not the address's
      flooder.ipOverride = `192.0.3.${i}`;
      expect((await flooder.post("/questions", { title: `Flood question ${i}`, body: "x" })).statusCode).toBe(303);
    }
    flooder.ipOverride = "192.0.3.99";
    const limited = await flooder.post("/questions", { title: "Flood question eleven", body: "x" });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers["retry-after"]).toBeDefined();
    expect(limited.body).toContain("Flood question eleven"); // the form comes back with what was typed
  });

  it("limits writes per client address", async () => {
    const owner = await newWorkspace(t, "Address Limits");
    const base = await portalOf(owner);
    const attacker = new Visitor(t, base, "192.0.2.66");
    const tries = [];
    for (let i = 0; i < 6; i++)
      tries.push((await attacker.post("/signin", { email: "who@example.com", password: "guess guess guess" })).statusCode);
    expect(tries.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(tries[5]).toBe(429);
    // another address is not held back
    const other = new Visitor(t, base, "192.0.2.67");
    expect((await other.post("/signin", { email: "who@example.com", password: "guess guess guess" })).statusCode).toBe(401);
  });

  it("members report a post; staff see it in the queue, hide it (gone from the portal) and restore it; staff can name a trusted member", async () => {
    const owner = await newWorkspace(t, "Moderated Place");
    const base = await portalOf(owner);
    const asker = new Visitor(t, base, "192.0.2.20");
    await asker.signUp("Ann Asker");
    const q = await ask(asker, "Where is the reset button?");
    const troll = new Visitor(t, base, "192.0.2.21");
    const trollEmail = await troll.signUp("Tom Troll");
    const answered = await troll.post(`/q/${q}/answers`, { body: "Nobody here cares, read the manual yourself" });
    const answerId = /#p-([0-9a-f-]{36})/.exec(String(answered.headers.location))?.[1] as string;

    expect((await asker.post(`/posts/${answerId}/report`, { reason: "Abusive" })).statusCode).toBe(200);
    const queue = (await owner.request("GET", "/api/v1/community/moderation")).json().data as Array<{ post_id: string; reasons: string[] }>;
    expect(queue.find((i) => i.post_id === answerId)?.reasons).toEqual(["Abusive"]);

    const hidden = await owner.request("POST", "/api/v1/community/moderation", { post_id: answerId, action: "hide" });
    expect(hidden.statusCode, hidden.body).toBe(200);
    expect((await asker.get(`/q/${q}`)).body).not.toContain("read the manual yourself");
    expect(((await owner.request("GET", "/api/v1/community/moderation")).json().data as unknown[]).length).toBe(0);
    await owner.request("POST", "/api/v1/community/moderation", { post_id: answerId, action: "restore" });
    expect((await asker.get(`/q/${q}`)).body).toContain("read the manual yourself");

    // bad input names the field
    const bad = await owner.request("POST", "/api/v1/community/moderation", { post_id: "nope", action: "hide" });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain("post_id");

    // staff name a member trusted (level 2): their images show and they carry the badge
    const trollId = await memberId(owner, trollEmail);
    const standing = await owner.request("POST", "/api/v1/community/member-standing", { member_id: trollId, trust_level: 2 });
    expect(standing.json()).toMatchObject({ trust_level: 2, trust_locked: true });
    await troll.post(`/q/${q}/answers`, { body: "![diagram](https://img.example/d.png)" });
    const page = (await asker.get(`/q/${q}`)).body;
    expect(page).toContain('<img src="https://img.example/d.png" alt="diagram" />');
    expect(page).toMatch(/Tom Troll<span class="badge">Trusted<\/span>/);
    // suspended: can no longer post
    await owner.request("POST", "/api/v1/community/member-standing", { member_id: trollId, suspended: true });
    expect((await troll.post(`/q/${q}/answers`, { body: "still here" })).statusCode).toBe(401);
  });

  it("an idea's votes count portal members and social posts, one per person", async () => {
    const owner = await newWorkspace(t, "Ideas Board");
    const base = await portalOf(owner);
    const ann = new Visitor(t, base, "192.0.2.30");
    await ann.signUp("Ann Idea");
    const submitted = await ann.post("/ideas", { title: "Dark mode for the mobile app", description: "My eyes hurt at night." });
    expect(submitted.statusCode, submitted.body).toBe(303);
    const ideaId = idFrom(submitted.headers.location);

    // while typing, the similar idea is offered
    const similar = await new Visitor(t, base, "192.0.2.31").get("/ideas/similar?q=dark%20mode%20app");
    expect(similar.json().data.map((i: { id: string }) => i.id)).toContain(ideaId);

    const ben = new Visitor(t, base, "192.0.2.32");
    await ben.signUp("Ben Voter");
    expect((await ben.post(`/ideas/${ideaId}/vote`, {})).statusCode).toBe(303);
    expect((await ben.post(`/ideas/${ideaId}/vote`, {})).statusCode).toBe(303); // twice is still one vote

    // a post on X asking for the same thing, linked to the idea, is one more person's vote
    const ingested = await owner.request("POST", "/api/v1/messages:batch", {
      messages: [
        {
          network: "x",
          external_id: "tweet-dark-mode",
          author: { id: "x-carla", handle: "carla" },
          text: "Would love a dark mode in your app!",
          created_at: "2026-11-20T10:00:00Z",
        },
      ],
    });
    const messageId = ingested.json().results[0].message_id as string;
    await owner.request("POST", `/api/v1/ideas/${ideaId}/messages`, { message_id: messageId });

    const idea = (await owner.request("GET", `/api/v1/ideas/${ideaId}`)).json();
    expect(idea.title).toBe("Dark mode for the mobile app");
    expect(idea.vote_count).toBe(3);
    const page = (await ben.get(`/ideas/${ideaId}`)).body;
    expect(page).toMatch(/data-testid="idea-votes">3</);
    expect(page).toContain("You voted");

    // staff plan it: it is on the public roadmap
    await owner.request("PATCH", `/api/v1/ideas/${ideaId}`, { status: "planned" });
    expect((await ben.get("/roadmap")).body).toContain("Dark mode for the mobile app");
  });

  it("a member sees their own cases and replies to them; the reply lands on the case's conversation", async () => {
    const owner = await newWorkspace(t, "Case Portal");
    const base = await portalOf(owner);
    const cara = new Visitor(t, base, "192.0.2.40");
    await cara.signUp("Cara Customer");
    const q = await ask(cara, "My grinder arrived broken", "The hopper is cracked.");
    const convo = (await owner.request("GET", "/api/v1/conversations?network=community")).json().data[0];
    const created = await owner.request("POST", "/api/v1/cases", { subject: "Broken hopper", conversation_id: convo.id });
    expect(created.statusCode, created.body).toBeLessThan(300);
    // (the default rules may already have opened a case on the question: that one is answered)
    const caseId = created.json().id as string;
    const subject = created.json().subject as string;

    const list = (await cara.get("/cases")).body;
    expect(list).toContain(subject.replace(/&/g, "&amp;").replace(/</g, "&lt;"));
    const reply = await cara.post(`/cases/${caseId}/replies`, { body: "Here is my order number: 12345" });
    expect(reply.statusCode, reply.body).toBe(303);
    const messages = (await owner.request("GET", `/api/v1/conversations/${convo.id}`)).json().messages as Array<{ text: string }>;
    expect(messages.map((m) => m.text)).toContain("Here is my order number: 12345");
    expect((await cara.get(`/cases/${caseId}`)).body).toContain("Here is my order number: 12345");

    // another member cannot see or answer it
    const dan = new Visitor(t, base, "192.0.2.41");
    await dan.signUp("Dan Other");
    expect((await dan.get(`/cases/${caseId}`)).statusCode).toBe(404);
    expect((await dan.post(`/cases/${caseId}/replies`, { body: "hi" })).statusCode).toBe(404);
    expect((await dan.get("/cases")).body).not.toContain(`/cases/${caseId}`);
    expect(q).toBeTruthy();
  });
});
