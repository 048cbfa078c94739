import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDeal, createOrAttachIdea } from "../src/work";
import { type Caller, memberWithRole, newWorkspace, startTestApp, type TestApp } from "./support/app";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

/** A workspace without automation rules, so only the test creates cases, deals and ideas. */
async function workspace(): Promise<Caller> {
  const c = await newWorkspace(t);
  // (the default rules come with the workspace: remove them)
  for (const r of (await c.request("GET", "/api/v1/rules")).json().data as Array<{ id: string }>) {
    expect((await c.request("DELETE", `/api/v1/rules/${r.id}`)).statusCode).toBe(204);
  }
  return c;
}

let seq = 0;
/** Ingests posts (author id → text) and returns the stored messages in order, with their profiles. */
async function posts(c: Caller, items: Array<{ author: string; text: string; reply_to?: string }>) {
  const messages = items.map((p) => {
    seq++;
    return {
      network: "mastodon",
      external_id: `wi-${seq}`,
      author: { id: p.author, handle: p.author },
      text: p.text,
      created_at: new Date(Date.UTC(2026, 10, 2, 12, 0, seq)).toISOString(),
      ...(p.reply_to ? { in_reply_to: p.reply_to } : {}),
    };
  });
  const res = await c.request("POST", "/api/v1/messages:batch", { messages });
  expect(res.statusCode, res.body).toBe(200);
  const ids = messages.map((m) => m.external_id);
  const rows = await t.db
    .selectFrom("messages")
    .select(["id", "external_id", "profile_id", "conversation_id"])
    .where("workspace_id", "=", c.workspaceId)
    .where("external_id", "in", ids)
    .execute();
  return ids.map((id) => {
    const row = rows.find((r) => r.external_id === id);
    if (!row) throw new Error(`message ${id} not stored`);
    return row;
  });
}

async function contact(c: Caller, name: string, lifecycle_stage = "lead") {
  const res = await c.request("POST", "/api/v1/contacts", { name, lifecycle_stage });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string };
}
async function linkProfile(c: Caller, profileId: string | null, contactId: string) {
  if (!profileId) throw new Error("no profile");
  await t.db
    .updateTable("profiles")
    .set({ contact_id: contactId })
    .where("workspace_id", "=", c.workspaceId)
    .where("id", "=", profileId)
    .execute();
}

describe("pipelines", () => {
  it("makes a default Sales pipeline and lets admins reshape stages", async () => {
    const c = await workspace();
    const list = (await c.request("GET", "/api/v1/pipelines")).json();
    expect(list.data).toHaveLength(1);
    const sales = list.data[0];
    expect(sales).toMatchObject({ name: "Sales", is_default: true });
    expect(sales.stages.map((s: { name: string }) => s.name)).toEqual(["New", "Qualified", "Proposal", "Negotiation", "Won", "Lost"]);
    expect((await c.request("GET", "/api/v1/pipelines")).json().data).toHaveLength(1);

    const stages = sales.stages.filter((s: { name: string }) => s.name !== "Proposal").reverse();
    const res = await c.request("PATCH", `/api/v1/pipelines/${sales.id}`, {
      stages: [
        ...stages.map((s: { id: string; name: string; kind: string }) => ({ id: s.id, name: s.name, kind: s.kind })),
        { name: "Demo", probability: 40 },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().stages.map((s: { name: string }) => s.name)).toEqual(["Lost", "Won", "Negotiation", "Qualified", "New", "Demo"]);

    // A stage holding deals cannot be removed.
    const deal = (await c.request("POST", "/api/v1/deals", { title: "Big one", value: 1000, currency: "eur" })).json();
    const firstOpen = res.json().stages.find((s: { kind: string }) => s.kind === "open");
    expect(deal.stage_id).toBe(firstOpen.id);
    const without = res.json().stages.filter((s: { id: string }) => s.id !== firstOpen.id);
    const refused = await c.request("PATCH", `/api/v1/pipelines/${sales.id}`, { stages: without });
    expect(refused.statusCode).toBe(409);

    const agent = await memberWithRole(t, c, "agent");
    expect((await agent.request("POST", "/api/v1/pipelines", { name: "Partners" })).statusCode).toBe(403);
    const created = await c.request("POST", "/api/v1/pipelines", {
      name: "Partners",
      stages: [{ name: "Intro" }, { name: "Signed", kind: "won" }],
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().stages).toHaveLength(2);
  });
});

describe("deals", () => {
  it("comes from a message, moves the contact to opportunity and, when won, to customer", async () => {
    const c = await workspace();
    const [m] = await posts(c, [{ author: "buyer", text: "Can I get a quote for 50 seats?" }]);
    const buyer = await contact(c, "Bea Buyer", "lead");
    await linkProfile(c, m.profile_id, buyer.id);

    const deal = await createDeal(t.db, c.workspaceId, {
      title: "50 seats",
      message_id: m.id,
      value: 5000,
      currency: "usd",
      source: "rule",
    });
    expect(deal.contact_id).toBe(buyer.id);
    expect(deal.conversation_id).toBe(m.conversation_id);
    const person = (await c.request("GET", `/api/v1/contacts/${buyer.id}`)).json();
    expect(person.lifecycle_stage).toBe("opportunity");

    // The same conversation does not open a second deal; it updates the open one.
    const again = await createDeal(t.db, c.workspaceId, { title: "50 seats (again)", conversation_id: m.conversation_id, value: 7000 });
    expect(again.id).toBe(deal.id);
    expect(Number(again.value)).toBe(7000);

    const view = (await c.request("GET", `/api/v1/deals/${deal.id}`)).json();
    expect(view.source_message).toMatchObject({ id: m.id, network: "mastodon", text: "Can I get a quote for 50 seats?" });
    expect(view).toMatchObject({ value: 7000, currency: "USD", contact_name: "Bea Buyer", status: "open" });

    const won = await c.request("PATCH", `/api/v1/deals/${deal.id}`, { status: "won" });
    expect(won.statusCode, won.body).toBe(200);
    expect(won.json().status).toBe("won");
    expect(won.json().stage_history).toHaveLength(2);
    expect((await c.request("GET", `/api/v1/contacts/${buyer.id}`)).json().lifecycle_stage).toBe("customer");

    const audit = await t.db
      .selectFrom("audit_events")
      .select(["action", "details"])
      .where("workspace_id", "=", c.workspaceId)
      .where("action", "=", "contact.lifecycle_changed")
      .orderBy("id")
      .execute();
    expect(audit.map((a) => [a.details.from, a.details.to])).toEqual([
      ["lead", "opportunity"],
      ["opportunity", "customer"],
    ]);

    // A new deal after the won one opens fresh, and lists filter by contact.
    const next = await createDeal(t.db, c.workspaceId, { title: "Renewal", conversation_id: m.conversation_id });
    expect(next.id).not.toBe(deal.id);
    const byContact = (await c.request("GET", `/api/v1/deals?contact_id=${buyer.id}`)).json();
    expect(byContact.data).toHaveLength(2);
    expect((await c.request("GET", "/api/v1/deals?status=won")).json().data.map((d: { id: string }) => d.id)).toEqual([deal.id]);
  });

  it("names the bad field of a deal", async () => {
    const c = await workspace();
    const res = await c.request("POST", "/api/v1/deals", { title: "X", currency: "euro" });
    expect(res.statusCode).toBe(400);
    expect(JSON.stringify(res.json())).toContain("currency");
    const missing = await c.request("POST", "/api/v1/deals", { title: "X", contact_id: "00000000-0000-4000-8000-000000000000" });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.details[0].field).toBe("contact_id");
  });
});

describe("ideas", () => {
  it("counts a vote per author of linked messages, once per person", async () => {
    const c = await workspace();
    const [a1, a2, b1, own] = await posts(c, [
      { author: "ann", text: "Please add dark mode" },
      { author: "ann", text: "Dark mode pretty please" },
      { author: "bob", text: "I want a dark theme" },
      { author: "ann-alt", text: "dark mode!!" },
    ]);
    const ann = await contact(c, "Ann");
    await linkProfile(c, a1.profile_id, ann.id);
    await linkProfile(c, own.profile_id, ann.id); // Ann's second account

    const first = await createOrAttachIdea(t.db, c.workspaceId, { title: "Dark mode", message_id: a1.id });
    expect(first).toMatchObject({ created: true, voted: true });
    const second = await createOrAttachIdea(t.db, c.workspaceId, { title: "Dark mode please", message_id: a2.id, match_similar: true });
    expect(second).toMatchObject({ created: false, voted: false });
    expect(second.idea.id).toBe(first.idea.id);
    const third = await createOrAttachIdea(t.db, c.workspaceId, { title: "x", idea_id: first.idea.id, message_id: b1.id });
    expect(third).toMatchObject({ created: false, voted: true });
    const fourth = await createOrAttachIdea(t.db, c.workspaceId, { title: "x", idea_id: first.idea.id, message_id: own.id });
    expect(fourth.voted).toBe(false);
    // The same message again (a rule re-run) changes nothing.
    expect((await createOrAttachIdea(t.db, c.workspaceId, { title: "Dark mode", message_id: a1.id })).voted).toBe(false);

    const view = (await c.request("GET", `/api/v1/ideas/${first.idea.id}`)).json();
    expect(view.vote_count).toBe(2);
    expect(view.messages).toHaveLength(4);
    const unrelated = await createOrAttachIdea(t.db, c.workspaceId, { title: "Export to CSV", match_similar: true });
    expect(unrelated.created).toBe(true);
  });

  it("merges a duplicate: votes move over without counting anyone twice", async () => {
    const c = await workspace();
    const [m1, m2, m3] = await posts(c, [
      { author: "cat", text: "Offline mode" },
      { author: "dan", text: "Work offline" },
      { author: "cat", text: "offline please" },
    ]);
    const keep = (await createOrAttachIdea(t.db, c.workspaceId, { title: "Offline mode", message_id: m1.id })).idea;
    const dup = (await createOrAttachIdea(t.db, c.workspaceId, { title: "Work without internet", message_id: m2.id })).idea;
    await createOrAttachIdea(t.db, c.workspaceId, { title: "", idea_id: dup.id, message_id: m3.id }); // cat again, on the duplicate
    const eve = await contact(c, "Eve");
    await c.request("POST", `/api/v1/ideas/${dup.id}/votes`, { contact_id: eve.id });
    expect((await c.request("GET", `/api/v1/ideas/${dup.id}`)).json().vote_count).toBe(3);

    const merged = await c.request("POST", `/api/v1/ideas/${dup.id}/merge`, { into_id: keep.id });
    expect(merged.statusCode, merged.body).toBe(200);
    expect(merged.json().id).toBe(keep.id);
    expect(merged.json().vote_count).toBe(3); // cat, dan, eve
    expect(merged.json().messages).toHaveLength(3);
    const gone = (await c.request("GET", `/api/v1/ideas/${dup.id}`)).json();
    expect(gone).toMatchObject({ merged_into_id: keep.id, vote_count: 0 });
    const list = (await c.request("GET", "/api/v1/ideas")).json();
    expect(list.data.map((i: { id: string }) => i.id)).toEqual([keep.id]);
    // Attaching to the merged idea lands on the one it was merged into.
    const [m4] = await posts(c, [{ author: "fay", text: "offline!" }]);
    const attached = await createOrAttachIdea(t.db, c.workspaceId, { title: "", idea_id: dup.id, message_id: m4.id });
    expect(attached.idea.id).toBe(keep.id);
    expect(attached.idea.vote_count).toBe(4);
    expect((await c.request("POST", `/api/v1/ideas/${keep.id}/merge`, { into_id: keep.id })).statusCode).toBe(400);
  });

  it("notifies every voter once when the status changes", async () => {
    const c = await workspace();
    const [m1, m2] = await posts(c, [
      { author: "gil", text: "SSO with Okta" },
      { author: "hal", text: "Okta SSO" },
    ]);
    const idea = (await createOrAttachIdea(t.db, c.workspaceId, { title: "Okta SSO", message_id: m1.id })).idea;
    await c.request("POST", `/api/v1/ideas/${idea.id}/messages`, { message_id: m2.id });
    const ivy = await contact(c, "Ivy");
    const voted = await c.request("POST", `/api/v1/ideas/${idea.id}/votes`, { contact_id: ivy.id });
    expect(voted.json()).toMatchObject({ voted: true });
    expect((await c.request("POST", `/api/v1/ideas/${idea.id}/votes`, { contact_id: ivy.id })).json().voted).toBe(false);

    const res = await c.request("PATCH", `/api/v1/ideas/${idea.id}`, { status: "planned" });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().notifications).toHaveLength(3);
    expect(res.json().notifications.every((n: { status: string }) => n.status === "planned")).toBe(true);
    expect(res.json().status_history.map((h: { to: string }) => h.to)).toEqual(["new", "planned"]);
    // Same status again: no new notifications.
    await c.request("PATCH", `/api/v1/ideas/${idea.id}`, { status: "planned" });
    expect((await c.request("GET", `/api/v1/ideas/${idea.id}`)).json().notifications).toHaveLength(3);

    const unvote = await c.request("DELETE", `/api/v1/ideas/${idea.id}/votes?contact_id=${ivy.id}`);
    expect(unvote.statusCode, unvote.body).toBe(200);
    expect(unvote.json().vote_count).toBe(2);
    const planned = (await c.request("GET", "/api/v1/ideas?status=planned")).json();
    expect(planned.data.map((i: { id: string }) => i.id)).toEqual([idea.id]);
    expect((await c.request("GET", "/api/v1/ideas?status=done")).json().data).toEqual([]);
  });

  it("a contact merge moves cases, deals and votes to the kept contact, counting a person once", async () => {
    const c = await workspace();
    const kept = await contact(c, "Jo Brown");
    const gone = await contact(c, "Jo B.");
    const idea = (await c.request("POST", "/api/v1/ideas", { title: "Bulk export", contact_id: kept.id })).json();
    await c.request("POST", `/api/v1/ideas/${idea.id}/votes`, { contact_id: gone.id });
    expect((await c.request("GET", `/api/v1/ideas/${idea.id}`)).json().vote_count).toBe(2);
    const kase = (await c.request("POST", "/api/v1/cases", { subject: "Export broken", contact_id: gone.id })).json();
    const deal = (await c.request("POST", "/api/v1/deals", { title: "Export add-on", contact_id: gone.id })).json();

    const merged = await c.request("POST", "/api/v1/contacts:merge", { keep: kept.id, merge: gone.id });
    expect(merged.statusCode, merged.body).toBe(200);
    const after = (await c.request("GET", `/api/v1/ideas/${idea.id}`)).json();
    expect(after.vote_count).toBe(1);
    expect(after.votes.map((v: { contact_id: string }) => v.contact_id)).toEqual([kept.id]);
    expect((await c.request("GET", `/api/v1/cases?contact_id=${kept.id}`)).json().data.map((x: { id: string }) => x.id)).toEqual([kase.id]);
    expect((await c.request("GET", `/api/v1/deals?contact_id=${kept.id}`)).json().data.map((x: { id: string }) => x.id)).toEqual([deal.id]);
  });
});
