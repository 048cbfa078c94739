import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Actor } from "../src/accounts";
import * as kb from "../src/knowledge";
import { newWorkspace, startTestApp, type TestApp } from "./support/app";

// Full-text search of the help centre (on PGlite here, on PostgreSQL in CI), and what the
// public portal relies on: published articles only, views, votes and deflections counted
// once per visitor, answers promoted to drafts, and no workspace reading another's.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

async function workspace(name = "Acme"): Promise<Actor> {
  const owner = await newWorkspace(t, name);
  return { workspaceId: owner.workspaceId, role: "owner", kind: "user", userId: owner.userId, label: "Olivia Owner" };
}

async function write(actor: Actor, title: string, body: string, status: "draft" | "published" = "published", category_id?: string) {
  return kb.createArticle(t.db, actor, { title, body, status, category_id });
}

const titles = (hits: Array<{ title: string }>) => hits.map((h) => h.title);

describe("help centre search", () => {
  it("finds other forms of a word, ranks title matches first and reads the query as a search box", async () => {
    const ws = await workspace();
    await write(ws, "Shipping times", "Parcels leave the warehouse daily. Orders that were refunded do not ship.");
    await write(ws, "Refunds", "How we pay your money back after a return.");
    await write(ws, "Changing your delivery address", "Open your orders and choose a new address before it ships.");
    await write(ws, "Refunding a gift card", "Gift cards cannot be refunded, except where the law says so.", "draft");

    // "refund" finds "Refunds", "refunded" and "Refunding"; the title match ranks first; drafts are not public.
    expect(titles(await kb.searchArticles(t.db, ws.workspaceId, "refund"))).toEqual(["Refunds", "Shipping times"]);
    expect(titles(await kb.searchArticles(t.db, ws.workspaceId, "refund", { publishedOnly: false }))).toEqual([
      "Refunding a gift card",
      "Refunds",
      "Shipping times",
    ]);
    // Every word must match while some article has them all …
    expect(titles(await kb.searchArticles(t.db, ws.workspaceId, "shipped orders address"))).toEqual(["Changing your delivery address"]);
    // … "-word" excludes, and a quoted phrase must appear as written.
    expect(titles(await kb.searchArticles(t.db, ws.workspaceId, "orders -refund"))).toEqual(["Changing your delivery address"]);
    expect(titles(await kb.searchArticles(t.db, ws.workspaceId, '"leave the warehouse"'))).toEqual(["Shipping times"]);
    // When nothing has every word, any word will do, best first.
    expect(titles(await kb.searchArticles(t.db, ws.workspaceId, "refund lasagne"))).toEqual(["Refunds", "Shipping times"]);
    // Nothing to search for, or only stop words, is no result rather than an error.
    expect(await kb.searchArticles(t.db, ws.workspaceId, "   ")).toEqual([]);
    expect(await kb.searchArticles(t.db, ws.workspaceId, "the and of")).toEqual([]);
    expect(await kb.searchArticles(t.db, ws.workspaceId, "'\"():&|!<->")).toEqual([]);

    const [hit] = await kb.searchArticles(t.db, ws.workspaceId, "warehouse");
    expect(hit?.snippet).toContain("Parcels leave the warehouse daily");
    expect(hit?.rank).toBeGreaterThan(0);
    // A hit links to its page in the workspace's public help centre (its portal; one is made when missing).
    let portal = await t.db.selectFrom("community_portals").select("slug").where("workspace_id", "=", ws.workspaceId).executeTakeFirst();
    if (!portal) {
      expect(hit?.url).toBeNull();
      portal = await t.db
        .insertInto("community_portals")
        .values({ workspace_id: ws.workspaceId, slug: `kb-${ws.workspaceId.slice(0, 8)}` })
        .returning("slug")
        .executeTakeFirstOrThrow();
    }
    const [linked] = await kb.searchArticles(t.db, ws.workspaceId, "warehouse");
    expect(linked?.url).toBe(`/c/${portal.slug}/help/shipping-times`);
    const [draft] = await kb.searchArticles(t.db, ws.workspaceId, "gift", { publishedOnly: false });
    expect(draft?.url).toBeNull();

    // Suggestions read a customer's whole message: the article sharing most of its words comes first.
    const suggested = await kb.suggestArticles(t.db, ws.workspaceId, "hi, I returned my order, when do I get my money back? thanks");
    expect(titles(suggested)[0]).toBe("Refunds");
  });

  it("an edit reindexes the article at once", async () => {
    const ws = await workspace();
    const article = await write(ws, "Passwords", "Reset it from the sign-in page.");
    expect(await kb.searchArticles(t.db, ws.workspaceId, "authenticator")).toEqual([]);
    await kb.updateArticle(t.db, ws, article.id, { body: "Turn on two-factor sign-in with an authenticator app." });
    expect(titles(await kb.searchArticles(t.db, ws.workspaceId, "authenticators"))).toEqual(["Passwords"]);
    await kb.updateArticle(t.db, ws, article.id, { status: "draft" });
    expect(await kb.searchArticles(t.db, ws.workspaceId, "authenticator")).toEqual([]);
  });

  it("serves the public help centre: published articles, categories, sanitized HTML", async () => {
    const ws = await workspace();
    const billing = await kb.createCategory(t.db, ws, { name: "Billing" });
    const account = await kb.createCategory(t.db, ws, { name: "Account", position: 0 });
    await write(ws, "Invoices", "Download them from **Billing**. <img src=x onerror=alert(1)>", "published", billing.id);
    await write(ws, "VAT numbers", "Coming soon.", "draft", billing.id);
    await write(ws, "Deleting your account", "Write to us.", "published", account.id);

    const article = await kb.getPublishedArticle(t.db, ws.workspaceId, "invoices");
    expect(article?.html).toBe('<p>Download them from <strong>Billing</strong>. <img src="x" /></p>\n');
    expect(await kb.getPublishedArticle(t.db, ws.workspaceId, "vat-numbers")).toBeNull();
    expect(titles(await kb.listPublishedArticles(t.db, ws.workspaceId, { category: "billing" }))).toEqual(["Invoices"]);
    expect(titles(await kb.listPublishedArticles(t.db, ws.workspaceId, { category: billing.id }))).toEqual(["Invoices"]);
    expect(titles(await kb.listPublishedArticles(t.db, ws.workspaceId))).toEqual(["Deleting your account", "Invoices"]);
    expect(await kb.listPublishedArticles(t.db, ws.workspaceId, { category: "no-such-category" })).toEqual([]);
    const categories = await kb.listCategories(t.db, ws.workspaceId);
    expect(categories.map((c) => [c.name, c.article_count])).toEqual([
      ["Account", 1],
      ["Billing", 1],
    ]);
  });

  it("counts views, one vote per visitor (a second vote replaces the first) and each deflection once", async () => {
    const ws = await workspace();
    const article = await write(ws, "Returns", "Send it back within 30 days.");
    const draft = await write(ws, "Secret plans", "Not yet.", "draft");
    const visit = (visitorKey: string) => ({ articleId: article.id, visitorKey });

    expect(await kb.recordArticleView(t.db, ws.workspaceId, visit("v1"))).toBe(true);
    await kb.recordArticleView(t.db, ws.workspaceId, visit("v1"));
    await kb.recordArticleView(t.db, ws.workspaceId, visit("v2"));
    await kb.recordArticleFeedback(t.db, ws.workspaceId, { ...visit("v1"), helpful: true });
    await kb.recordArticleFeedback(t.db, ws.workspaceId, { ...visit("v1"), helpful: true });
    await kb.recordArticleFeedback(t.db, ws.workspaceId, { ...visit("v2"), helpful: true });
    await kb.recordArticleFeedback(t.db, ws.workspaceId, { ...visit("v2"), helpful: false });
    await kb.recordArticleFeedback(t.db, ws.workspaceId, { ...visit("v3"), helpful: false });
    expect(await kb.recordDeflection(t.db, ws.workspaceId, visit("v1"))).toBe(true);
    expect(await kb.recordDeflection(t.db, ws.workspaceId, visit("v1"))).toBe(false);
    expect(await kb.recordDeflection(t.db, ws.workspaceId, visit("v3"))).toBe(true);
    // A draft has no public page: nothing counts on it.
    expect(await kb.recordArticleView(t.db, ws.workspaceId, { articleId: draft.id, visitorKey: "v1" })).toBe(false);

    const list = await kb.listArticles(t.db, ws, {});
    expect(list.data.find((a) => a.id === article.id)?.stats).toEqual({ views: 3, helpful: 1, not_helpful: 2, deflections: 2 });
    expect(list.data.find((a) => a.id === draft.id)?.stats).toEqual({ views: 0, helpful: 0, not_helpful: 0, deflections: 0 });
    await expect(kb.recordArticleView(t.db, ws.workspaceId, visit(""))).rejects.toThrow(/visitorKey/);
  });

  it("promotes a community answer to a draft article", async () => {
    const ws = await workspace();
    const article = await kb.promoteAnswerToArticle(t.db, ws.workspaceId, ws, {
      title: "Can I pause my subscription?",
      body: "Yes: open *Billing* and choose **Pause**. <script>steal()</script>",
      sourceUrl: "https://example.com/c/acme/questions/42",
    });
    expect(article).toMatchObject({
      status: "draft",
      slug: "can-i-pause-my-subscription",
      source_url: "https://example.com/c/acme/questions/42",
    });
    expect(article.html).toBe("<p>Yes: open <em>Billing</em> and choose <strong>Pause</strong>. </p>\n");
    const agent: Actor = { ...ws, role: "agent" };
    await expect(kb.promoteAnswerToArticle(t.db, ws.workspaceId, agent, { title: "X", body: "Y" })).rejects.toThrow();
  });

  it("never reads another workspace's articles", async () => {
    const a = await workspace("A");
    const b = await workspace("B");
    const secret = await write(b, "Refund secrets", "refund refund");
    const category = await kb.createCategory(t.db, b, { name: "B only" });
    expect(await kb.searchArticles(t.db, a.workspaceId, "refund")).toEqual([]);
    expect(await kb.suggestArticles(t.db, a.workspaceId, "refund please")).toEqual([]);
    expect(await kb.getPublishedArticle(t.db, a.workspaceId, secret.slug)).toBeNull();
    expect(await kb.listPublishedArticles(t.db, a.workspaceId, { category: category.id })).toEqual([]);
    expect(await kb.listCategories(t.db, a.workspaceId)).toEqual([]);
    expect(await kb.recordArticleView(t.db, a.workspaceId, { articleId: secret.id, visitorKey: "x" })).toBe(false);
    expect(await kb.recordDeflection(t.db, a.workspaceId, { articleId: secret.id, visitorKey: "x" })).toBe(false);
    await expect(kb.promoteAnswerToArticle(t.db, b.workspaceId, a, { title: "X", body: "Y" })).rejects.toThrow();
    expect((await kb.getArticle(t.db, b, secret.id)).stats.views).toBe(0);
  });
});
