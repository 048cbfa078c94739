import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverOutbox } from "../src/rules";
import { newWorkspace, startTestApp, type TestApp } from "./support/app";
import { portalOf, Visitor } from "./support/portal";

// The public community portal as customers and staff use it: members sign up, ask, answer,
// accept; every post reaches the staff inbox as a community message; a staff reply from the
// inbox shows in the thread; one workspace's portal never shows another's.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const idFrom = (location: string | undefined) => /\/(?:q|ideas|cases)\/([0-9a-f-]{36})/.exec(location ?? "")?.[1] as string;

describe("community portal", () => {
  it("a question asked on the portal is answered by another member, accepted, reaches the inbox, and a staff reply shows in the thread", async () => {
    const owner = await newWorkspace(t, "Grindhouse Coffee");
    const base = await portalOf(owner);
    expect(base).toMatch(/^\/c\/grindhouse-coffee/);

    const home = await new Visitor(t, base).get("");
    expect(home.statusCode).toBe(200);
    expect(home.headers["content-type"]).toMatch(/text\/html/);
    expect(home.body).toContain("Grindhouse Coffee");

    const asker = new Visitor(t, base, "203.0.113.10");
    await asker.signUp("Jo Brown");
    const asked = await asker.post("/questions", { title: "How do I descale the Grinder 3000?", body: "It has got slow. Any tips?" });
    expect(asked.statusCode, asked.body).toBe(303);
    const questionId = idFrom(asked.headers.location as string);
    expect(questionId).toBeTruthy();

    const helper = new Visitor(t, base, "203.0.113.11");
    await helper.signUp("Sam Helper");
    const answered = await helper.post(`/q/${questionId}/answers`, { body: "Run a descaling tablet through it twice." });
    expect(answered.statusCode, answered.body).toBe(303);
    const answerId = /#p-([0-9a-f-]{36})/.exec(answered.headers.location as string)?.[1] as string;

    // the helper cannot accept (only the asker or staff can)
    expect((await helper.post(`/posts/${answerId}/accept`, {})).statusCode).toBe(403);
    expect((await asker.post(`/posts/${answerId}/accept`, {})).statusCode).toBe(303);
    const thread = await asker.get(`/q/${questionId}`);
    expect(thread.body).toContain("Run a descaling tablet through it twice.");
    expect(thread.body).toContain("Accepted answer");

    // staff promote the accepted answer to a draft help-centre article in one call
    const promoted = await owner.request("POST", "/api/v1/community/promoted-answers", { answer_id: answerId });
    expect(promoted.statusCode, promoted.body).toBe(201);
    expect(promoted.json()).toMatchObject({ title: "How do I descale the Grinder 3000?", status: "draft" });
    const article = (await owner.request("GET", `/api/v1/knowledge/articles/${promoted.json().article_id}`)).json();
    expect(article.body).toBe("Run a descaling tablet through it twice.");

    // both posts are community messages in the staff inbox, threaded as one conversation
    const convos = (await owner.request("GET", "/api/v1/conversations?network=community")).json().data as Array<{ id: string }>;
    expect(convos).toHaveLength(1);
    const conversation = (await owner.request("GET", `/api/v1/conversations/${convos[0]?.id}`)).json();
    expect(conversation.messages.map((m: { text: string }) => m.text)).toEqual([
      "How do I descale the Grinder 3000?\n\nIt has got slow. Any tips?",
      "Run a descaling tablet through it twice.",
    ]);

    // staff answer from the inbox; once delivered it shows on the portal with a Staff badge
    const reply = await owner.request("POST", `/api/v1/conversations/${convos[0]?.id}/replies`, {
      text: "Staff here: use our descaler <b>every month</b>.",
      visibility: "public",
    });
    expect(reply.statusCode, reply.body).toBe(201);
    await deliverOutbox(t.db, { retryBaseSeconds: 1 });
    const after = await new Visitor(t, base).get(`/q/${questionId}`);
    expect(after.body).toContain("Staff here: use our descaler &lt;b&gt;every month&lt;/b&gt;.");
    expect(after.body).toMatch(/badge staff">Staff</);
  });

  it("one workspace's portal never shows another's questions, ideas or members", async () => {
    const a = await newWorkspace(t, "Tenant Alpha");
    const b = await newWorkspace(t, "Tenant Beta");
    const baseA = await portalOf(a);
    const baseB = await portalOf(b);
    expect(baseA).not.toBe(baseB);

    const alice = new Visitor(t, baseA, "198.51.100.1");
    await alice.signUp("Alice Alpha");
    const asked = await alice.post("/questions", { title: "Alpha secret question here", body: "alpha secret body" });
    const questionId = idFrom(asked.headers.location as string);
    const idea = await alice.post("/ideas", { title: "Alpha secret idea please", description: "" });
    const ideaId = idFrom(idea.headers.location as string);

    const bob = new Visitor(t, baseB, "198.51.100.2");
    await bob.signUp("Bob Beta");
    for (const path of ["", "/questions", "/ideas", "/roadmap", "/search?q=alpha", "/ideas/similar?q=Alpha%20secret%20idea"]) {
      const res = await bob.get(path);
      expect(res.statusCode, path).toBe(200);
      expect(res.body, path).not.toMatch(/alpha secret/i);
    }
    expect((await bob.get(`/q/${questionId}`)).statusCode).toBe(404);
    expect((await bob.get(`/ideas/${ideaId}`)).statusCode).toBe(404);
    expect((await bob.post(`/q/${questionId}/answers`, { body: "sneaky" })).statusCode).toBe(404);
    expect((await bob.post(`/ideas/${ideaId}/vote`, {})).statusCode).toBe(404);

    // Alice's session cookie means nothing on Beta's portal
    const crossed = new Visitor(t, baseB, "198.51.100.3");
    crossed.cookies = new Map(alice.cookies);
    expect((await crossed.get("")).body).toContain("Sign in");
    expect((await crossed.post("/questions", { title: "Cross tenant post", body: "x" })).statusCode).toBe(401);
    // staff of B see none of A's community posts
    const bInbox = (await b.request("GET", "/api/v1/conversations?network=community")).json().data;
    expect(JSON.stringify(bInbox)).not.toMatch(/alpha secret/i);
    expect((await t.app.inject({ method: "GET", url: "/c/no-such-community" })).statusCode).toBe(404);
  });

  it("forms without the CSRF token are refused", async () => {
    const owner = await newWorkspace(t, "Csrf Co");
    const base = await portalOf(owner);
    const v = new Visitor(t, base, "198.51.100.20");
    await v.signUp("Carl Csrf");
    expect((await v.post("/questions", { title: "A question without token", body: "x" }, { csrf: null })).statusCode).toBe(403);
    expect((await v.post("/questions", { title: "A question with a wrong token", body: "x" }, { csrf: "x".repeat(32) })).statusCode).toBe(
      403,
    );
    expect((await owner.request("GET", "/api/v1/conversations?network=community")).json().data).toHaveLength(0);
  });

  it("hostile content is inert: scripts, event handlers and javascript: links are shown as text or removed", async () => {
    const owner = await newWorkspace(t, "Hostile Inc");
    const base = await portalOf(owner);
    const v = new Visitor(t, base, "198.51.100.30");
    await v.signUp('<img src=x onerror="alert(1)">');
    const asked = await v.post("/questions", {
      title: "<script>alert('title')</script> help",
      body: '<script>alert(1)</script>\n\n<img src=x onerror=alert(2)> [click](javascript:alert(3)) <a href="javascript:alert(4)">x</a>',
    });
    expect(asked.statusCode, asked.body).toBe(303);
    const page = (await new Visitor(t, base).get(`/q/${idFrom(asked.headers.location as string)}`)).body;
    expect(page).not.toMatch(/<script>alert/);
    expect(page).not.toMatch(/<img[^>]+onerror/i);
    expect(page).not.toMatch(/<a[^>]+href="javascript:/i);
    expect(page).toContain("&lt;script&gt;alert(&#39;title&#39;)&lt;/script&gt; help");
    expect(page).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    // the only scripts on the page are the portal's own file
    expect([...page.matchAll(/<script\b[^>]*>/g)].map((m) => m[0])).toEqual(['<script src="/c/assets/portal.js" defer>']);
    const listing = (await new Visitor(t, base).get("/questions")).body;
    expect(listing).not.toMatch(/<img[^>]+onerror/i);
  });

  it("a magic link signs in once; the token goes out through the email outbox", async () => {
    const owner = await newWorkspace(t, "Magic Shop");
    const base = await portalOf(owner);
    const v = new Visitor(t, base, "198.51.100.40");
    const requested = await v.post("/magic", { email: "Mia.Magic@example.com" });
    expect(requested.statusCode).toBe(200);
    expect(requested.body).toContain("a link is on its way");
    const row = await t.db
      .selectFrom("outbox")
      .select("payload")
      .where("workspace_id", "=", owner.workspaceId)
      .where("kind", "=", "email")
      .executeTakeFirstOrThrow();
    const payload = row.payload as { to: string[]; text: string };
    expect(payload.to).toEqual(["mia.magic@example.com"]);
    const link = /https?:\/\/[^\s]+(\/c\/[^\s]+\/magic\/[^\s]+)/.exec(payload.text)?.[1] as string;
    expect(link).toBeTruthy();
    const path = link.slice(base.length);
    const used = await v.get(path);
    expect(used.statusCode).toBe(303);
    expect((await v.get("/profile")).body).toContain("mia.magic@example.com");
    // a second use is refused
    expect((await new Visitor(t, base, "198.51.100.41").get(path)).statusCode).toBe(401);
  });

  it("the help centre: search and the ask form suggest published articles; an article page counts views and helpful votes", async () => {
    const owner = await newWorkspace(t, "Help Desk Co");
    const base = await portalOf(owner);
    const created = await owner.request("POST", "/api/v1/knowledge/articles", {
      title: "Descaling your grinder",
      body: "Run **two** descaling tablets.\n\n<script>alert(1)</script>",
      status: "published",
    });
    expect(created.statusCode, created.body).toBe(201);
    await owner.request("POST", "/api/v1/knowledge/articles", { title: "Descaling draft notes", body: "secret draft", status: "draft" });
    const v = new Visitor(t, base, "198.51.100.50");
    const suggest = (await v.get("/suggest?q=descaling")).json().data as Array<{ kind: string; title: string; url: string }>;
    expect(suggest.filter((s) => s.kind === "article").map((s) => s.title)).toEqual(["Descaling your grinder"]);
    const search = (await v.get("/search?q=descaling")).body;
    expect(search).toContain("Descaling your grinder");
    expect(search).not.toContain("Descaling draft notes");
    const url = suggest.find((s) => s.kind === "article")?.url as string;
    const article = await v.get(url.slice(base.length));
    expect(article.statusCode).toBe(200);
    expect(article.body).toContain("<strong>two</strong>");
    expect(article.body).not.toContain("<script>alert(1)");
    const slug = /\/help\/([^?]+)/.exec(url)?.[1] as string;
    expect((await v.post(`/help/${slug}/feedback`, { helpful: "1" })).statusCode).toBe(200);
    const stats = (await owner.request("GET", `/api/v1/knowledge/articles/${created.json().id}`)).json();
    expect(JSON.stringify(stats)).toMatch(/"helpful":1/);
  });
});
