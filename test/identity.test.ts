import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Caller, memberWithRole, newWorkspace, startTestApp, type TestApp } from "./support/app";

// Identity resolution end to end through the API: profiles linked on strong
// evidence only, suggestions for the rest, the duplicates queue, merge with
// survivorship, and undo that restores everything exactly.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

let seq = 0;
async function ok(c: Caller, method: string, url: string, body?: unknown) {
  const res = await c.request(method, url, body);
  expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
  return res.body ? res.json() : undefined;
}

async function post(
  c: Caller,
  author: { id: string; handle?: string; display_name?: string; bio?: string; followers?: number; verified?: boolean },
  text: string,
  network = "x",
) {
  seq++;
  const r = await ok(c, "POST", "/api/v1/messages:batch", {
    messages: [
      {
        network,
        external_id: `id-${seq}-${Math.random().toString(36).slice(2)}`,
        author,
        text,
        created_at: new Date(Date.UTC(2026, 10, 1, 10, seq)).toISOString(),
        public: network !== "email",
      },
    ],
  });
  const { message_id, conversation_id } = r.results[0];
  const conversation = await ok(c, "GET", `/api/v1/conversations/${conversation_id}`);
  const message = conversation.messages.find((m: { id: string }) => m.id === message_id);
  return { message_id: message_id as string, conversation_id: conversation_id as string, profile_id: message.profile_id as string };
}

describe("profiles → contacts", () => {
  it("links an email author to the contact with that address, and only suggests weaker matches", async () => {
    const owner = await newWorkspace(t);
    const jo = await ok(owner, "POST", "/api/v1/contacts", { name: "Jo Brown", emails: ["jo.brown@example.com"] });
    const mail = await post(
      owner,
      { id: "Jo.Brown@Example.com", handle: "Jo.Brown@Example.com", display_name: "Jo Brown" },
      "My order is late",
      "email",
    );

    const linked = await ok(owner, "GET", `/api/v1/contacts/${jo.id}/profiles`);
    expect(linked.data).toHaveLength(1);
    expect(linked.data[0]).toMatchObject({
      id: mail.profile_id,
      network: "email",
      contact_id: jo.id,
      link: { method: "email", evidence: ["same email jo.brown@example.com"] },
    });

    // Same name on X is not evidence enough to link: a suggestion, with its evidence.
    const tweet = await post(owner, { id: "x-77", handle: "jo_b", display_name: "Jo Brown", followers: 48_000 }, "Your app keeps crashing");
    const profile = await ok(owner, "GET", `/api/v1/profiles/${tweet.profile_id}`);
    expect(profile.contact_id).toBeNull();
    expect(profile.suggestions[0]).toMatchObject({ contact: { id: jo.id, name: "Jo Brown" } });
    expect(profile.suggestions[0].evidence.join(" ")).toContain("similar");
    expect(profile.suggestions[0].score).toBeLessThan(0.9);

    const unknown = await ok(owner, "GET", "/api/v1/profiles?linked=false");
    expect(unknown.data.map((p: { id: string }) => p.id)).toEqual([tweet.profile_id]);
    expect(unknown.data[0].top_suggestion).toMatchObject({ contact_id: jo.id, contact_name: "Jo Brown" });

    // An agent confirms: linked, evidence kept, and the message joins the person's timeline.
    const agent = await memberWithRole(t, owner, "agent");
    const confirmed = await ok(agent, "POST", `/api/v1/profiles/${tweet.profile_id}/link`, { contact_id: jo.id });
    expect(confirmed).toMatchObject({ contact_id: jo.id, link: { method: "confirmed", linked_by_name: "agent user" } });
    const timeline = await ok(owner, "GET", `/api/v1/contacts/${jo.id}/history?types=message`);
    expect(timeline.data.map((i: { type: string; id: string }) => [i.type, i.id])).toEqual([
      ["message", tweet.message_id],
      ["message", mail.message_id],
    ]);
    const onX = await ok(owner, "GET", `/api/v1/contacts/${jo.id}/history?network=x`);
    expect(onX.data).toHaveLength(1);
    const insights = await ok(owner, "GET", `/api/v1/contacts/${jo.id}/insights`);
    expect(insights.message_count).toBe(2);
    expect(insights.scores.influence).toBeGreaterThan(50);
    expect(insights.scores.reasons.join(" ")).toContain("48,000 followers across 2 profiles");
    expect(insights.scores.reasons.join(" ")).toContain("over 2 messages");
    expect(insights.scores.health).toEqual(expect.any(Number));
    // A contact Parley has heard nothing from gets no health score rather than a made-up one.
    const quiet = await ok(owner, "POST", "/api/v1/contacts", { name: "Quiet Person" });
    expect((await ok(owner, "GET", `/api/v1/contacts/${quiet.id}/insights`)).scores).toMatchObject({ health: null, reasons: [] });
    expect(insights.networks).toEqual(
      expect.arrayContaining([
        { network: "x", count: 1 },
        { network: "email", count: 1 },
      ]),
    );

    // Unlinking says "not this person": the pair is not suggested again.
    const unlinked = await ok(agent, "POST", `/api/v1/profiles/${tweet.profile_id}/unlink`);
    expect(unlinked.contact_id).toBeNull();
    expect(unlinked.suggestions).toEqual([]);
  });

  it("does not link by itself when the workspace turns auto-linking off", async () => {
    const owner = await newWorkspace(t);
    const admin = await memberWithRole(t, owner, "admin");
    expect((await admin.request("PATCH", "/api/v1/identity/settings", { auto_link: "off" })).statusCode).toBe(403);
    const bad = await owner.request("PATCH", "/api/v1/identity/settings", { auto_link: "sometimes" });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].field).toBe("auto_link");
    await ok(owner, "PATCH", "/api/v1/identity/settings", { auto_link: "off" });
    const sam = await ok(owner, "POST", "/api/v1/contacts", { name: "Sam Lee", emails: ["sam@example.org"] });
    const mail = await post(owner, { id: "sam@example.org", display_name: "Sam Lee" }, "Hello", "email");
    const profile = await ok(owner, "GET", `/api/v1/profiles/${mail.profile_id}`);
    expect(profile.contact_id).toBeNull();
    expect(profile.suggestions[0]).toMatchObject({ contact: { id: sam.id }, evidence: ["same email sam@example.org"] });
  });

  it("makes a contact from an unknown author", async () => {
    const owner = await newWorkspace(t);
    const p = await post(
      owner,
      { id: "m-1", handle: "@ada", display_name: "Ada Okafor", bio: "engineer" },
      "Love the new release",
      "mastodon",
    );
    const linked = await ok(owner, "POST", `/api/v1/profiles/${p.profile_id}/link`, { create_contact: {} });
    expect(linked.contact).toMatchObject({ name: "Ada Okafor" });
    const contacts = await ok(owner, "GET", "/api/v1/contacts?q=okafor");
    expect(contacts.data.map((c: { name: string }) => c.name)).toEqual(["Ada Okafor"]);
    const bad = await owner.request("POST", `/api/v1/profiles/${p.profile_id}/link`, { contact_id: "not-an-id" });
    expect(bad.statusCode).toBe(400);
  });
});

describe("duplicates, merge and undo", () => {
  it("queues likely duplicates with evidence, remembers 'not the same person'", async () => {
    const owner = await newWorkspace(t);
    const a = await ok(owner, "POST", "/api/v1/contacts", {
      name: "Jonathan Smith",
      emails: ["jon.smith@example.com"],
      phones: ["+1 415 555 0100"],
    });
    const b = await ok(owner, "POST", "/api/v1/contacts", { name: "Jon Smith", emails: ["JON.SMITH@example.com"], city: "Oakland" });
    await ok(owner, "POST", "/api/v1/contacts", { name: "Maria Garcia", emails: ["maria@example.net"] });
    const scan = await ok(owner, "POST", "/api/v1/duplicates:scan");
    expect(scan).toMatchObject({ scanned: 3, found: 1 });
    const queue = await ok(owner, "GET", "/api/v1/duplicates");
    expect(queue.data).toHaveLength(1);
    const pair = queue.data[0];
    expect([pair.a.id, pair.b.id].sort()).toEqual([a.id, b.id].sort());
    expect(pair.score).toBeGreaterThan(0.8);
    expect(pair.evidence.join(" ")).toContain("email");
    expect(queue.scanned_at).not.toBeNull();

    await ok(owner, "POST", `/api/v1/duplicates/${pair.id}/dismiss`);
    expect((await ok(owner, "GET", "/api/v1/duplicates")).data).toEqual([]);
    await ok(owner, "POST", "/api/v1/duplicates:scan");
    expect((await ok(owner, "GET", "/api/v1/duplicates")).data).toEqual([]);
  });

  it("merges with field-level survivorship, moves everything, and undo restores both exactly", async () => {
    const owner = await newWorkspace(t);
    const field = { entity: "contact", key: "plan", label: "Plan", type: "text" };
    await ok(owner, "POST", "/api/v1/custom-fields", field);
    const kept = await ok(owner, "POST", "/api/v1/contacts", {
      name: "Jo Brown",
      emails: ["jo@example.com"],
      tags: ["vip"],
      city: "Leeds",
      external_id: "crm-1",
      custom: { plan: "pro" },
    });
    const other = await ok(owner, "POST", "/api/v1/contacts", {
      name: "Joanne Brown",
      title: "CTO",
      emails: ["joanne@brown.example", "JO@example.com"],
      phones: ["+44 20 7946 0000"],
      tags: ["beta", "VIP"],
      city: "London",
      birth_date: "1990-05-02",
      external_id: "crm-2",
      custom: { plan: "free" },
    });
    const note = await ok(owner, "POST", `/api/v1/contacts/${other.id}/activities`, { type: "note", body: "Called about renewal" });
    await ok(owner, "POST", `/api/v1/contacts/${kept.id}/activities`, { type: "note", body: "First contact" });
    const tweet = await post(owner, { id: "x-jo", handle: "joanne", display_name: "Joanne B" }, "Renewal question");
    await ok(owner, "POST", `/api/v1/profiles/${tweet.profile_id}/link`, { contact_id: other.id });

    const beforeKept = await ok(owner, "GET", `/api/v1/contacts/${kept.id}`);
    const beforeOther = await ok(owner, "GET", `/api/v1/contacts/${other.id}`);
    const beforeKeptTimeline = await ok(owner, "GET", `/api/v1/contacts/${kept.id}/history`);
    const beforeOtherTimeline = await ok(owner, "GET", `/api/v1/contacts/${other.id}/history`);

    const bad = await owner.request("POST", "/api/v1/contacts:merge", { keep: kept.id, merge: kept.id });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].field).toBe("merge");
    const badField = await owner.request("POST", "/api/v1/contacts:merge", { keep: kept.id, merge: other.id, fields: { emails: "merge" } });
    expect(badField.statusCode).toBe(400);
    expect(badField.json().error.details[0].field).toBe("fields.emails");
    expect((await owner.request("GET", `/api/v1/contacts/${other.id}`)).statusCode).toBe(200); // nothing half-done

    const viewer = await memberWithRole(t, owner, "viewer");
    expect((await viewer.request("POST", "/api/v1/contacts:merge", { keep: kept.id, merge: other.id })).statusCode).toBe(403);

    const merged = await ok(owner, "POST", "/api/v1/contacts:merge", {
      keep: kept.id,
      merge: other.id,
      fields: { name: "merge", city: "merge", "custom.plan": "keep" },
      reason: "same person, two sign-ups",
    });
    expect(merged.contact).toMatchObject({
      id: kept.id,
      name: "Joanne Brown", // chosen
      city: "London", // chosen
      title: "CTO", // kept one had none
      birth_date: "1990-05-02",
      external_id: "crm-1",
      custom: { plan: "pro" },
    });
    expect(merged.contact.emails).toEqual(["jo@example.com", "joanne@brown.example"]);
    expect(merged.contact.tags).toEqual(["vip", "beta"]);
    expect(merged.contact.phones).toEqual(["+44 20 7946 0000"]);
    expect(merged.merge).toMatchObject({
      kept_id: kept.id,
      merged_id: other.id,
      merged_name: "Joanne Brown",
      reason: "same person, two sign-ups",
    });

    expect((await owner.request("GET", `/api/v1/contacts/${other.id}`)).statusCode).toBe(404);
    const profiles = await ok(owner, "GET", `/api/v1/contacts/${kept.id}/profiles`);
    expect(profiles.data.map((p: { id: string }) => p.id)).toEqual([tweet.profile_id]);
    const timeline = await ok(owner, "GET", `/api/v1/contacts/${kept.id}/history`);
    const ids = timeline.data.map((i: { id: string }) => i.id);
    expect(ids).toContain(note.id);
    expect(ids).toContain(tweet.message_id);
    expect(timeline.data[0]).toMatchObject({ type: "merge", title: "Merged with Joanne Brown" });
    const history = await ok(owner, "GET", `/api/v1/merges?contact_id=${kept.id}`);
    expect(history.data).toHaveLength(1);

    const undone = await ok(owner, "POST", `/api/v1/merges/${merged.merge.id}:undo`);
    expect(undone.merge.undone_at).not.toBeNull();
    expect(await ok(owner, "GET", `/api/v1/contacts/${kept.id}`)).toEqual(beforeKept);
    expect(await ok(owner, "GET", `/api/v1/contacts/${other.id}`)).toEqual(beforeOther);
    const strip = (tl: { data: Array<{ type: string }> }) => tl.data.filter((i) => i.type !== "merge");
    expect(strip(await ok(owner, "GET", `/api/v1/contacts/${kept.id}/history`))).toEqual(strip(beforeKeptTimeline));
    expect(await ok(owner, "GET", `/api/v1/contacts/${other.id}/history`)).toEqual(beforeOtherTimeline);
    const profilesBack = await ok(owner, "GET", `/api/v1/contacts/${other.id}/profiles`);
    expect(profilesBack.data.map((p: { id: string }) => p.id)).toEqual([tweet.profile_id]);

    const again = await owner.request("POST", `/api/v1/merges/${merged.merge.id}:undo`);
    expect(again.statusCode).toBe(409);
    const audit = await t.db.selectFrom("audit_events").select("action").where("workspace_id", "=", owner.workspaceId).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(["contact.merged", "contact.unmerged"]));
  });
});
