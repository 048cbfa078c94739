import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Caller, memberWithRole, newWorkspace, startTestApp, type TestApp } from "./support/app";

// The help centre's staff API: managers write articles and categories, agents read and
// search them, the Markdown comes back sanitized, and one workspace never sees another's.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const API = "/api/v1/knowledge";

async function ok(c: Caller, method: string, url: string, body?: unknown) {
  const res = await c.request(method, url, body);
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
  return res.statusCode === 204 ? null : res.json();
}

describe("help centre articles", () => {
  it("a manager writes, publishes, edits and deletes an article; an agent reads it but cannot write", async () => {
    const owner = await newWorkspace(t);
    const manager = await memberWithRole(t, owner, "manager");
    const agent = await memberWithRole(t, owner, "agent");

    const billing = await ok(manager, "POST", `${API}/categories`, { name: "Billing & payments" });
    expect(billing.slug).toBe("billing-payments");
    const created = await ok(manager, "POST", `${API}/articles`, {
      title: "How do refunds work?",
      body: "Refunds reach your card within **5 days**.",
      category_id: billing.id,
    });
    expect(created).toMatchObject({
      title: "How do refunds work?",
      slug: "how-do-refunds-work",
      status: "draft",
      published_at: null,
      category: { id: billing.id, name: "Billing & payments" },
      author: { id: manager.userId },
      stats: { views: 0, helpful: 0, not_helpful: 0, deflections: 0 },
    });
    expect(created.html).toBe("<p>Refunds reach your card within <strong>5 days</strong>.</p>\n");

    // A second article with the same title gets a free slug.
    const twin = await ok(manager, "POST", `${API}/articles`, { title: "How do refunds work?" });
    expect(twin.slug).toBe("how-do-refunds-work-2");
    const taken = await manager.request("PATCH", `${API}/articles/${twin.id}`, { slug: "how-do-refunds-work" });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.details[0].field).toBe("slug");

    const published = await ok(manager, "PATCH", `${API}/articles/${created.id}`, {
      status: "published",
      body: "Refunds reach your card within **3 days**.",
    });
    expect(published.status).toBe("published");
    expect(published.published_at).not.toBeNull();
    expect(published.html).toContain("<strong>3 days</strong>");
    const versions = await ok(agent, "GET", `${API}/articles/${created.id}/versions`);
    expect(versions.data.map((v: { body: string }) => v.body)).toEqual([
      "Refunds reach your card within **3 days**.",
      "Refunds reach your card within **5 days**.",
    ]);

    // Agents read, list and see the category's published count; they cannot write.
    const read = await ok(agent, "GET", `${API}/articles/${created.id}`);
    expect(read.body).toBe("Refunds reach your card within **3 days**.");
    const list = await ok(agent, "GET", `${API}/articles`);
    expect(list.data.map((a: { id: string }) => a.id)).toEqual([created.id, twin.id]);
    const drafts = await ok(agent, "GET", `${API}/articles?status=draft`);
    expect(drafts.data.map((a: { id: string }) => a.id)).toEqual([twin.id]);
    const categories = await ok(agent, "GET", `${API}/categories`);
    expect(categories.data).toEqual([expect.objectContaining({ id: billing.id, article_count: 1 })]);
    for (const [method, url, body] of [
      ["POST", `${API}/articles`, { title: "Agent's article" }],
      ["PATCH", `${API}/articles/${created.id}`, { title: "Changed by an agent" }],
      ["DELETE", `${API}/articles/${created.id}`, undefined],
      ["POST", `${API}/categories`, { name: "Agent's category" }],
    ] as const) {
      const res = await agent.request(method, url, body);
      expect(res.statusCode, `${method} ${url}`).toBe(403);
    }

    // Deleting the category keeps its article, uncategorized.
    await ok(manager, "DELETE", `${API}/categories/${billing.id}`);
    expect((await ok(agent, "GET", `${API}/articles/${created.id}`)).category).toBeNull();
    await ok(manager, "DELETE", `${API}/articles/${created.id}`);
    expect((await agent.request("GET", `${API}/articles/${created.id}`)).statusCode).toBe(404);
  });

  it("names the field of bad input", async () => {
    const owner = await newWorkspace(t);
    const cases: Array<[string, string, unknown, string]> = [
      ["POST", `${API}/articles`, { title: "" }, "title"],
      ["POST", `${API}/articles`, { title: "X", slug: "Not A Slug!" }, "slug"],
      ["POST", `${API}/articles`, { title: "X", status: "archived" }, "status"],
      ["POST", `${API}/articles`, { title: "X", category_id: "00000000-0000-4000-8000-000000000000" }, "category_id"],
      ["POST", `${API}/articles`, { title: "X", source_url: "not a url" }, "source_url"],
      ["POST", `${API}/categories`, { name: "   " }, "name"],
    ];
    for (const [method, url, body, field] of cases) {
      const res = await owner.request(method, url, body);
      expect(res.statusCode, `${JSON.stringify(body)}: ${res.body}`).toBe(400);
      expect(res.body).toContain(field);
    }
    const noQuery = await owner.request("GET", `${API}/suggest`);
    expect(noQuery.statusCode).toBe(400);
    expect(noQuery.body).toContain("q");
  });

  it("renders hostile Markdown inert: no scripts, handlers or javascript: links", async () => {
    const owner = await newWorkspace(t);
    const body = [
      "# Title <script>alert('x')</script>",
      "",
      "<img src=x onerror=\"alert('img')\">",
      "",
      "[click me](javascript:alert('link')) and [ok](https://example.com/help)",
      "",
      '<a href="JaVaScRiPt:alert(1)" onclick="alert(2)">raw link</a>',
      "",
      '<iframe src="https://evil.example"></iframe><style>body{display:none}</style>',
      "",
      '<div onmouseover="alert(3)">hover</div> <svg onload="alert(4)"></svg>',
      "",
      "![pic](data:image/svg+xml;base64,PHN2Zz4=)",
    ].join("\n");
    const article = await ok(owner, "POST", `${API}/articles`, { title: "Hostile", body, status: "published" });
    const preview = await ok(owner, "POST", `${API}/preview`, { body });
    for (const html of [article.html, preview.html]) {
      expect(html).not.toMatch(/<script|<iframe|<style|<svg|onerror|onclick|onmouseover|onload/i);
      expect(html).not.toMatch(/javascript:/i);
      expect(html).not.toContain("data:image");
      expect(html).toContain('<a href="https://example.com/help" rel="noopener noreferrer nofollow ugc">ok</a>');
      expect(html).toContain("<h1>Title </h1>");
    }
    // The stored Markdown is kept as written, for the editor.
    expect(article.body).toBe(body);
    // Script text is not indexed as the article's words.
    const hits = await ok(owner, "GET", `${API}/search?q=alert`);
    expect(hits.data).toEqual([]);
  });

  it("suggests published articles for a conversation's newest inbound message", async () => {
    const owner = await newWorkspace(t);
    await ok(owner, "POST", `${API}/articles`, {
      title: "Refunds and returns",
      body: "Send the parcel back and we refund the order.",
      status: "published",
    });
    await ok(owner, "POST", `${API}/articles`, { title: "Refund policy draft", body: "Not public yet.", status: "draft" });
    await ok(owner, "POST", `${API}/articles`, { title: "Changing your password", body: "Open settings.", status: "published" });
    const ingested = await ok(owner, "POST", "/api/v1/messages:batch", {
      messages: [
        {
          network: "mastodon",
          external_id: "kb-suggest-1",
          author: { id: "cust-1", handle: "cust1" },
          text: "My order arrived broken, how do I get refunded?",
          created_at: "2026-11-02T10:00:00Z",
        },
      ],
    });
    const conversationId = ingested.results[0].conversation_id;
    const suggested = await ok(owner, "GET", `${API}/suggest?conversation_id=${conversationId}`);
    expect(suggested.data.map((h: { title: string }) => h.title)).toEqual(["Refunds and returns"]);
    const byText = await ok(owner, "GET", `${API}/suggest?q=${encodeURIComponent("forgot my password")}`);
    expect(byText.data.map((h: { title: string }) => h.title)).toEqual(["Changing your password"]);
  });

  it("one workspace never sees or changes another's articles", async () => {
    const a = await newWorkspace(t, "A");
    const b = await newWorkspace(t, "B");
    const secret = await ok(b, "POST", `${API}/articles`, { title: "B secret refunds", body: "refund", status: "published" });
    const cat = await ok(b, "POST", `${API}/categories`, { name: "B secret category" });
    for (const url of [
      `${API}/articles`,
      `${API}/categories`,
      `${API}/search?q=refund`,
      `${API}/suggest?q=refund`,
      `${API}/articles?q=refund`,
    ]) {
      const res = await a.request("GET", url);
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toContain("B secret");
    }
    expect((await a.request("GET", `${API}/articles/${secret.id}`)).statusCode).toBe(404);
    expect((await a.request("GET", `${API}/articles/${secret.id}/versions`)).statusCode).toBe(404);
    expect((await a.request("PATCH", `${API}/articles/${secret.id}`, { title: "Hijacked" })).statusCode).toBe(404);
    expect((await a.request("DELETE", `${API}/articles/${secret.id}`)).statusCode).toBe(404);
    expect((await a.request("PATCH", `${API}/categories/${cat.id}`, { name: "Hijacked" })).statusCode).toBe(404);
    expect((await a.request("POST", `${API}/articles`, { title: "X", category_id: cat.id })).statusCode).toBe(400);
    expect((await ok(b, "GET", `${API}/articles/${secret.id}`)).title).toBe("B secret refunds");
    // Slugs are per workspace: A may use B's.
    expect((await ok(a, "POST", `${API}/articles`, { title: "B secret refunds" })).slug).toBe("b-secret-refunds");
  });
});
