import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publish } from "../src/events";
import { notePresence, PRESENCE_TTL_MS, parseMentions, presenceOf, type TeamEvent, teamHub } from "../src/team";
import { type Caller, memberWithRole, newWorkspace, startTestApp, type TestApp } from "./support/app";
import { ingestOk, postMaker } from "./support/posts";

// Working as a team in the inbox (issue #14): notes with @mentions feed the notification
// centre (for the mentioned member of this workspace only), unread counts and marks, bulk
// changes in one call, snooze hiding a conversation until its time, canned responses with
// variables filled from the conversation, and saved views with their counts.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

/** A workspace without automation (only the test acts) and n conversations. */
async function workspace(n: number, prefix: string) {
  const owner = await newWorkspace(t);
  for (const r of (await owner.request("GET", "/api/v1/rules")).json().data as Array<{ id: string }>) {
    await owner.request("DELETE", `/api/v1/rules/${r.id}`);
  }
  const post = postMaker(`${prefix}-${owner.workspaceId.slice(0, 8)}`);
  await ingestOk(
    owner,
    Array.from({ length: n }, (_, i) => post({ text: `Post ${i}: my order is late and I want a refund` })),
  );
  const list = (await owner.request("GET", "/api/v1/conversations?limit=200")).json().data as Array<{ id: string }>;
  return { owner, ids: list.map((c) => c.id) };
}

const notificationsOf = async (c: Caller) => (await c.request("GET", "/api/v1/notifications")).json();

describe("notes and mentions", () => {
  it("a note mentioning a teammate notifies that teammate only, never a same-named user of another workspace", async () => {
    const { owner, ids } = await workspace(1, "note");
    const agent = await memberWithRole(t, owner, "agent");
    const bystander = await memberWithRole(t, owner, "agent");
    const agentEmail = (await agent.request("GET", "/api/v1/auth/me")).json().user.email as string;
    // another workspace has a member with the same name; it must not hear of this note
    const other = await newWorkspace(t, "Other");
    const otherAgent = await memberWithRole(t, other, "agent");

    const res = await owner.request("POST", `/api/v1/conversations/${ids[0]}/notes`, {
      text: `@${agentEmail.split("@")[0]} can you take this one? Refund promised.`,
    });
    expect(res.statusCode, res.body).toBe(201);
    const note = res.json();
    expect(note.mentions.map((m: { id: string }) => m.id)).toEqual([agent.userId]);

    const mine = await notificationsOf(agent);
    expect(mine.unread).toBe(1);
    expect(mine.data[0]).toMatchObject({ kind: "mention", conversation_id: ids[0], link: `/inbox/${ids[0]}` });
    expect(mine.data[0].title).toContain("Olivia Owner mentioned you");
    expect((await notificationsOf(bystander)).unread).toBe(0);
    expect((await notificationsOf(otherAgent)).unread).toBe(0);
    expect((await notificationsOf(owner)).unread).toBe(0);

    // the note is in the conversation's notes, not among its messages (never sent to the customer)
    const notes = (await agent.request("GET", `/api/v1/conversations/${ids[0]}/notes`)).json().data;
    expect(notes.map((n: { text: string }) => n.text)).toEqual([note.text]);
    const conversation = (await agent.request("GET", `/api/v1/conversations/${ids[0]}`)).json();
    expect(conversation.messages.some((m: { text: string }) => m.text === note.text)).toBe(false);

    // another workspace cannot read or write this conversation's notes
    expect((await other.request("GET", `/api/v1/conversations/${ids[0]}/notes`)).statusCode).toBe(404);
    expect((await other.request("POST", `/api/v1/conversations/${ids[0]}/notes`, { text: "hi" })).statusCode).toBe(404);
  });

  it("unread count, mark one read, mark all read", async () => {
    const { owner, ids } = await workspace(1, "unread");
    const agent = await memberWithRole(t, owner, "agent");
    const handle = (await agent.request("GET", "/api/v1/auth/me")).json().user.email.split("@")[0];
    for (const text of [`@${handle} one`, `@${handle} two`, `@${handle} three`]) {
      expect((await owner.request("POST", `/api/v1/conversations/${ids[0]}/notes`, { text })).statusCode).toBe(201);
    }
    expect((await agent.request("GET", "/api/v1/notifications/unread-count")).json()).toEqual({ unread: 3 });
    const [first] = (await notificationsOf(agent)).data;
    const one = await agent.request("POST", "/api/v1/notifications:read", { ids: [first.id] });
    expect(one.json()).toEqual({ marked: 1, unread: 2 });
    // someone else cannot mark my notifications
    expect((await owner.request("POST", "/api/v1/notifications:read", { ids: [first.id] })).json().marked).toBe(0);
    const all = await agent.request("POST", "/api/v1/notifications:read", {});
    expect(all.json()).toEqual({ marked: 2, unread: 0 });
    expect((await agent.request("GET", "/api/v1/notifications?unread=true")).json().data).toEqual([]);
  });

  it("an assignment notifies the new assignee, and their email preference queues an email", async () => {
    const { owner, ids } = await workspace(1, "assign");
    const agent = await memberWithRole(t, owner, "agent");
    const prefs = await agent.request("PUT", "/api/v1/notifications/preferences", { email: ["assignment"] });
    expect(prefs.json()).toEqual({ email: ["assignment"], digest: "off" });
    const res = await owner.request("PATCH", `/api/v1/conversations/${ids[0]}`, { assignee_id: agent.userId });
    expect(res.statusCode, res.body).toBe(200);
    const mine = await notificationsOf(agent);
    expect(mine.data.map((n: { kind: string }) => n.kind)).toEqual(["assignment"]);
    // taking a conversation yourself tells nobody
    await owner.request("PATCH", `/api/v1/conversations/${ids[0]}`, { assignee_id: owner.userId });
    expect((await notificationsOf(owner)).unread).toBe(0);
    const outbox = await t.db
      .selectFrom("outbox")
      .selectAll()
      .where("workspace_id", "=", owner.workspaceId)
      .where("kind", "=", "email")
      .execute();
    expect(outbox).toHaveLength(1);
    expect(JSON.stringify(outbox[0]?.payload)).toContain("Conversation assigned to you");
    expect(
      (await agent.request("PUT", "/api/v1/notifications/preferences", { email: ["nonsense"] })).json().error.details[0].field,
    ).toMatch(/email/);
  });

  it("a case assigned, its SLA warning (told once) and a rule's notify all reach the one notification centre", async () => {
    const { owner, ids } = await workspace(1, "feeds");
    const agent = await memberWithRole(t, owner, "agent");
    const kase = (await owner.request("POST", "/api/v1/cases", { subject: "Parcel lost", conversation_id: ids[0] })).json();
    expect((await owner.request("PATCH", `/api/v1/cases/${kase.id}`, { assignee_id: agent.userId })).statusCode).toBe(200);
    // the SLA scanner publishes a warning; a second scan of the same timer tells nobody again
    for (let i = 0; i < 2; i++) {
      await publish(t.db, owner.workspaceId, { type: "sla.warning", caseId: kase.id, kind: "first_response" });
    }
    const rule = await owner.request("POST", "/api/v1/rules", {
      name: "Tell the agent",
      trigger: { type: "message.received" },
      actions: [{ type: "notify", user_ids: [agent.userId], title: "A new post arrived" }],
    });
    expect(rule.statusCode, rule.body).toBe(201);
    await ingestOk(owner, [postMaker(`feeds2-${owner.workspaceId.slice(0, 8)}`)()]);

    const mine = (await notificationsOf(agent)).data as Array<{ kind: string; title: string; link: string | null }>;
    expect(mine.map((n) => n.kind).sort()).toEqual(["assignment", "rule", "sla"]);
    expect(mine.find((n) => n.kind === "sla")).toMatchObject({
      title: `Case #${kase.number}: first response due soon`,
      link: `/cases/${kase.id}`,
    });
    expect(mine.find((n) => n.kind === "rule")?.title).toBe("A new post arrived");
    expect((await agent.request("GET", "/api/v1/notifications/unread-count")).json()).toEqual({ unread: 3 });
  });

  it("parses mentions by e-mail, its local part, the name without spaces and the first name", () => {
    const members = [
      { id: "1", email: "jo.brown@example.com", name: "Jo Brown" },
      { id: "2", email: "sam@example.com", name: "Sam Lee" },
      { id: "3", email: "sam.k@example.com", name: "Sam King" },
    ];
    expect(parseMentions("@jo.brown and @SamLee", members).map((m) => m.id)).toEqual(["1", "2"]);
    expect(parseMentions("mail @jo.brown@example.com.", members).map((m) => m.id)).toEqual(["1"]);
    // "sam" is Sam Lee's address; an address in the text is not a mention
    expect(parseMentions("@sam? write to x@jo.brown", members).map((m) => m.id)).toEqual(["2"]);
    // but "Sam" as a first name is two people: neither is guessed
    expect(parseMentions("@Sam.", [members[0]!, { id: "4", email: "s1@example.com", name: "Sam A" }, members[2]!])).toEqual([]);
    expect(parseMentions("@Jo, @jo", members).map((m) => m.id)).toEqual(["1"]);
  });
});

describe("inbox list: bulk, snooze, views, read marks, sort", () => {
  it("a bulk call assigns, tags and closes many conversations at once; an id of another workspace fails it whole", async () => {
    const { owner, ids } = await workspace(3, "bulk");
    const agent = await memberWithRole(t, owner, "agent");
    const res = await owner.request("POST", "/api/v1/conversations:bulk", {
      ids: ids.slice(0, 2),
      assignee_id: agent.userId,
      add_tags: ["refund"],
      status: "closed",
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().updated).toBe(2);
    const closed = (await owner.request("GET", "/api/v1/conversations?status=closed")).json().data;
    expect(closed.map((c: { id: string }) => c.id).sort()).toEqual(ids.slice(0, 2).sort());
    expect(closed.every((c: { assignee_id: string; tags: string[] }) => c.assignee_id === agent.userId && c.tags.includes("refund"))).toBe(
      true,
    );
    expect((await owner.request("GET", "/api/v1/conversations?tag=refund")).json().data).toHaveLength(2);
    // each assignment told the agent
    expect((await notificationsOf(agent)).unread).toBe(2);

    const other = await newWorkspace(t, "Other");
    const theirs = await other.request("POST", "/api/v1/conversations:bulk", { ids: [ids[2]], status: "closed" });
    expect(theirs.statusCode).toBe(400);
    expect(theirs.json().error.details[0].field).toBe("ids");
    const mixed = await owner.request("POST", "/api/v1/conversations:bulk", {
      ids: [ids[2], "00000000-0000-4000-8000-000000000000"],
      status: "closed",
    });
    expect(mixed.statusCode).toBe(400);
    expect((await owner.request("GET", `/api/v1/conversations/${ids[2]}`)).json().status).not.toBe("closed");
    expect((await owner.request("POST", "/api/v1/conversations:bulk", { ids: [] })).json().error.details[0].field).toBe("ids");
  });

  it("a snoozed conversation leaves the open list and comes back when its time has passed", async () => {
    const { owner, ids } = await workspace(2, "snooze");
    const until = new Date(Date.now() + 60 * 60_000).toISOString();
    const res = await owner.request("POST", `/api/v1/conversations/${ids[0]}/snooze`, { until });
    expect(res.statusCode, res.body).toBe(200);
    const open = async () => (await owner.request("GET", "/api/v1/conversations")).json().data.map((c: { id: string }) => c.id);
    expect(await open()).toEqual([ids[1]]);
    const snoozed = (await owner.request("GET", "/api/v1/conversations?snoozed=only")).json().data;
    expect(snoozed.map((c: { id: string }) => c.id)).toEqual([ids[0]]);
    // time passes: its snooze ends (set in the past directly, as the clock would)
    await t.db
      .updateTable("conversations")
      .set({ snoozed_until: new Date(Date.now() - 1000) })
      .where("id", "=", ids[0]!)
      .execute();
    expect((await open()).sort()).toEqual([...ids].sort());
    expect(
      (await owner.request("POST", `/api/v1/conversations/${ids[0]}/snooze`, { until: "2001-01-01T00:00:00Z" })).json().error.details[0]
        .field,
    ).toBe("until");
  });

  it("saved views count what they show: my open complaints, unassigned high priority", async () => {
    const { owner, ids } = await workspace(4, "views");
    await owner.request("POST", "/api/v1/conversations:bulk", { ids: ids.slice(0, 3), status: "open" });
    await owner.request("POST", "/api/v1/conversations:bulk", { ids: ids.slice(0, 2), assignee_id: owner.userId });
    const mine = await owner.request("POST", "/api/v1/views", { name: "My open", filters: { assignee: "me", status: "open" } });
    expect(mine.statusCode, mine.body).toBe(201);
    expect(mine.json().count).toBe(2);
    const unassigned = await owner.request("POST", "/api/v1/views", {
      name: "Unassigned",
      filters: { assignee: "none", min_priority: 0 },
      shared: false,
    });
    expect(unassigned.json().count).toBe(2);
    // the count follows the data
    await owner.request("POST", "/api/v1/conversations:bulk", { ids: [ids[2]], assignee_id: owner.userId });
    const views = (await owner.request("GET", "/api/v1/views")).json().data;
    expect(views.map((v: { name: string; count: number }) => [v.name, v.count])).toEqual([
      ["My open", 3],
      ["Unassigned", 1],
    ]);
    // a private view is not another member's; "me" is whoever looks
    const agent = await memberWithRole(t, owner, "agent");
    const theirs = (await agent.request("GET", "/api/v1/views")).json().data;
    expect(theirs.map((v: { name: string; count: number }) => [v.name, v.count])).toEqual([["My open", 0]]);
    const bad = await owner.request("POST", "/api/v1/views", { name: "x", filters: { label: "nonsense" } });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain("label");
  });

  it("read marks are per user, and the list sorts by priority or waiting time", async () => {
    const { owner, ids } = await workspace(3, "read");
    const agent = await memberWithRole(t, owner, "agent");
    expect((await owner.request("POST", `/api/v1/conversations/${ids[0]}/read`, { read: true })).json()).toEqual({
      id: ids[0],
      unread: false,
    });
    const unreadOf = async (c: Caller) =>
      Object.fromEntries(
        (await c.request("GET", "/api/v1/conversations")).json().data.map((r: { id: string; unread: boolean }) => [r.id, r.unread]),
      );
    expect((await unreadOf(owner))[ids[0]!]).toBe(false);
    expect((await unreadOf(agent))[ids[0]!]).toBe(true);

    await t.db.updateTable("conversations").set({ priority: 90 }).where("id", "=", ids[2]!).execute();
    await t.db.updateTable("conversations").set({ priority: 50 }).where("id", "=", ids[0]!).execute();
    await t.db.updateTable("conversations").set({ priority: 10 }).where("id", "=", ids[1]!).execute();
    const byPriority = (await owner.request("GET", "/api/v1/conversations?sort=priority&limit=2")).json();
    expect(byPriority.data.map((c: { id: string }) => c.id)).toEqual([ids[2], ids[0]]);
    const rest = (await owner.request("GET", `/api/v1/conversations?sort=priority&limit=2&cursor=${byPriority.next_cursor}`)).json();
    expect(rest.data.map((c: { id: string }) => c.id)).toEqual([ids[1]]);
    const waiting = (await owner.request("GET", "/api/v1/conversations?sort=waiting"))
      .json()
      .data.map((c: { last_inbound_at: string }) => c.last_inbound_at);
    expect(waiting).toEqual([...waiting].sort());
  });
});

describe("presence", () => {
  it("each agent sees the others on a conversation, typing or viewing, until their heartbeat stops", async () => {
    const { owner, ids } = await workspace(1, "presence");
    const agent = await memberWithRole(t, owner, "agent");
    const id = ids[0] as string;
    const ada = { workspaceId: owner.workspaceId, role: "owner" as const, kind: "user" as const, userId: owner.userId, label: "Ada" };
    const sam = { workspaceId: owner.workspaceId, role: "agent" as const, kind: "user" as const, userId: agent.userId, label: "Sam" };
    const heard: TeamEvent[] = [];
    const stop = teamHub.subscribe(owner.workspaceId, owner.userId, (e) => heard.push(e));
    const t0 = 1_000_000;
    expect((await notePresence(t.db, ada, id, "viewing", t0)).others).toEqual([]);
    const seen = await notePresence(t.db, sam, id, "typing", t0 + 1000);
    expect(seen.others.map((o) => [o.name, o.state])).toEqual([["Ada", "viewing"]]);
    expect((await presenceOf(t.db, ada, id, t0 + 2000)).others.map((o) => [o.name, o.state])).toEqual([["Sam", "typing"]]);
    // Sam's stream event reached Ada's workspace subscription
    expect(heard.some((e) => e.type === "presence.changed" && e.viewers.some((v) => v.name === "Sam" && v.state === "typing"))).toBe(true);
    // Sam stops sending heartbeats: after the time to live, Ada is alone again
    expect((await presenceOf(t.db, ada, id, t0 + 1000 + PRESENCE_TTL_MS + 1)).others).toEqual([]);
    // another workspace cannot look
    const other = await newWorkspace(t, "Other");
    const eve = { workspaceId: other.workspaceId, role: "owner" as const, kind: "user" as const, userId: other.userId, label: "Eve" };
    await expect(presenceOf(t.db, eve, id)).rejects.toThrow(/not found/i);
    stop();
  });
});

describe("canned responses", () => {
  it("fills {{contact.first_name}}, {{agent.name}} and {{case.number}} from the conversation", async () => {
    const { owner, ids } = await workspace(1, "canned");
    const conversation = (await owner.request("GET", `/api/v1/conversations/${ids[0]}`)).json();
    const profileId = conversation.messages[0].profile_id as string;
    const contact = (await owner.request("POST", "/api/v1/contacts", { first_name: "Jo", last_name: "Brown" })).json();
    expect((await owner.request("POST", `/api/v1/profiles/${profileId}/link`, { contact_id: contact.id })).statusCode).toBe(200);
    const kase = (await owner.request("POST", "/api/v1/cases", { subject: "Late order", conversation_id: ids[0] })).json();

    const created = await owner.request("POST", "/api/v1/canned", {
      name: "Refund on its way",
      shortcut: "refund",
      body: "Hi {{contact.first_name}}, your refund for case #{{ case.number }} is on its way. — {{agent.name}}",
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().variables).toEqual(["contact.first_name", "case.number", "agent.name"]);
    const rendered = await owner.request("GET", `/api/v1/canned/${created.json().id}/render?conversation=${ids[0]}`);
    expect(rendered.json()).toEqual({ text: `Hi Jo, your refund for case #${kase.number} is on its way. — Olivia Owner`, missing: [] });

    const unknown = await owner.request("POST", "/api/v1/canned", { name: "x", shortcut: "x", body: "{{contact.password}}" });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.details[0].field).toBe("body");
    const twice = await owner.request("POST", "/api/v1/canned", { name: "again", shortcut: "refund", body: "x" });
    expect(twice.statusCode).toBe(409);
    // agents use canned responses; managing them is for managers up
    const agent = await memberWithRole(t, owner, "agent");
    expect((await agent.request("GET", "/api/v1/canned")).json().data).toHaveLength(1);
    expect((await agent.request("POST", "/api/v1/canned", { name: "a", shortcut: "a", body: "a" })).statusCode).toBe(403);
    // another workspace's conversation is not rendered into
    const other = await newWorkspace(t, "Other");
    expect((await other.request("GET", `/api/v1/canned/${created.json().id}/render?conversation=${ids[0]}`)).statusCode).toBe(404);
  });
});
