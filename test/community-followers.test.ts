import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { noticeIdeaStatusChange } from "../src/community";
import { newWorkspace, startTestApp, type TestApp } from "./support/app";
import { portalOf, Visitor } from "./support/portal";

// An idea's followers and voters are told when staff change its status (#17): one email per
// member per status change through the outbox, never a duplicate, none for a member who turned
// these emails off (in their profile or by the link in the email). A vote that came from a
// social post counts for the member who is the same person. And the deflection count: an asker
// who opened a suggested article and then posted the question was not deflected.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const ideaIdFrom = (location: string | undefined) => /\/ideas\/([0-9a-f-]{36})/.exec(location ?? "")?.[1] as string;

type Notice = { to: string[]; subject: string; text: string; status_change_id: string };

async function notices(workspaceId: string): Promise<Notice[]> {
  const rows = await t.db
    .selectFrom("outbox")
    .select("payload")
    .where("workspace_id", "=", workspaceId)
    .where("kind", "=", "email")
    .orderBy("created_at")
    .execute();
  return rows.map((r) => r.payload as Notice & { purpose: string }).filter((p) => p.purpose === "community_idea_status");
}
const recipients = (list: Notice[]) => list.flatMap((n) => n.to).sort();

describe("idea status notices", () => {
  it("followers and voters get one email per status change; not those who opted out, nor anyone twice", async () => {
    const owner = await newWorkspace(t, "Notice Roasters");
    const base = await portalOf(owner);

    const author = new Visitor(t, base, "203.0.113.61");
    const authorEmail = await author.signUp("Ada Author");
    const submitted = await author.post("/ideas", { title: "Decaf cold brew concentrate", description: "For evenings." });
    expect(submitted.statusCode, submitted.body).toBe(303);
    const ideaId = ideaIdFrom(submitted.headers.location as string);

    // a voter who then stops following still hears (they voted)
    const voter = new Visitor(t, base, "203.0.113.62");
    const voterEmail = await voter.signUp("Vic Voter");
    expect((await voter.post(`/ideas/${ideaId}/vote`, {})).statusCode).toBe(303);
    expect((await voter.post(`/ideas/${ideaId}/follow`, { follow: "0" })).statusCode).toBe(303);

    // a follower who did not vote
    const follower = new Visitor(t, base, "203.0.113.63");
    const followerEmail = await follower.signUp("Fay Follower");
    expect((await follower.post(`/ideas/${ideaId}/follow`, { follow: "1" })).statusCode).toBe(303);

    // a voter who turned these emails off in their profile
    const quiet = new Visitor(t, base, "203.0.113.64");
    await quiet.signUp("Quinn Quiet");
    expect((await quiet.post(`/ideas/${ideaId}/vote`, {})).statusCode).toBe(303);
    const saved = await quiet.post("/profile", { display_name: "Quinn Quiet", notify_replies: "1" });
    expect(saved.body).toContain("Saved.");
    expect(saved.body).toContain("an idea I follow or voted for changes status");

    // a member with nothing to do with the idea
    await new Visitor(t, base, "203.0.113.65").signUp("Uma Unrelated");

    // a vote from a social post (staff attach it to the contact), by a person who is also a member
    const contact = await owner.request("POST", "/api/v1/contacts", { name: "Sol Social", emails: ["sol.social@example.com"] });
    expect(contact.statusCode, contact.body).toBe(201);
    const socialVote = await owner.request("POST", `/api/v1/ideas/${ideaId}/votes`, { contact_id: contact.json().id });
    expect(socialVote.statusCode, socialVote.body).toBeLessThan(300);
    const social = new Visitor(t, base, "203.0.113.66");
    expect(
      (await social.post("/signup", { display_name: "Sol Social", email: "sol.social@example.com", password: "a long password" }))
        .statusCode,
    ).toBe(303);

    // signing up is authenticated evidence: the member's community profile is linked to that contact
    const linked = await owner.request("GET", `/api/v1/contacts/${contact.json().id}/profiles`);
    expect(linked.statusCode, linked.body).toBe(200);
    expect(JSON.stringify(linked.json())).toContain('"community"');

    // another workspace's idea changing tells nobody here
    const other = await newWorkspace(t, "Other Roasters");
    const otherIdea = await other.request("POST", "/api/v1/ideas", { title: "Other idea entirely" });
    await other.request("PATCH", `/api/v1/ideas/${otherIdea.json().id}`, { status: "planned" });

    const planned = await owner.request("PATCH", `/api/v1/ideas/${ideaId}`, { status: "planned" });
    expect(planned.statusCode, planned.body).toBe(200);
    let sent = await notices(owner.workspaceId);
    expect(recipients(sent)).toEqual([authorEmail, followerEmail, "sol.social@example.com", voterEmail].sort());
    const mine = sent.find((n) => n.to[0] === authorEmail) as Notice;
    expect(mine.subject).toBe("Decaf cold brew concentrate: now planned");
    expect(mine.text).toContain("is now planned (it was new)");
    expect(mine.text).toMatch(new RegExp(`https?://[^\\s]+${base}/ideas/${ideaId}\\b`));
    expect(mine.text).toMatch(/Stop emails about ideas: https?:\/\/[^\s]+\/notices\/stop\?m=[0-9a-f-]{36}&k=[0-9a-f]{32}/);
    expect(mine.text).toContain(`${base}/profile`);

    // the same status again is no change: nothing more; a retry of the handler adds no duplicate
    await owner.request("PATCH", `/api/v1/ideas/${ideaId}`, { status: "planned" });
    await noticeIdeaStatusChange(t.db, owner.workspaceId, {
      type: "record.changed",
      entity: "idea",
      id: ideaId,
      changes: { status: ["new", "planned"] },
    });
    sent = await notices(owner.workspaceId);
    expect(sent).toHaveLength(4);

    // the follower stops these emails with the link in theirs (no sign-in needed)
    const theirs = sent.find((n) => n.to[0] === followerEmail) as Notice;
    const stopPath = (/https?:\/\/[^\s]+?(\/notices\/stop\?[^\s]+)/.exec(theirs.text)?.[1] ?? "").replace(/&amp;/g, "&");
    const stranger = new Visitor(t, base, "203.0.113.67");
    const confirm = await stranger.get(stopPath);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain("Stop these emails");
    const params = new URLSearchParams(stopPath.split("?")[1]);
    // a wrong key does nothing
    expect((await stranger.post("/notices/stop", { m: params.get("m") ?? "", k: "0".repeat(32) })).statusCode).toBe(404);
    const stopped = await stranger.post("/notices/stop", { m: params.get("m") ?? "", k: params.get("k") ?? "" });
    expect(stopped.statusCode).toBe(200);
    expect(stopped.body).toContain("you will get no more emails about ideas");

    // the next change tells the others once more
    await owner.request("PATCH", `/api/v1/ideas/${ideaId}`, { status: "in_progress" });
    sent = await notices(owner.workspaceId);
    expect(sent).toHaveLength(7);
    expect(recipients(sent.slice(4))).toEqual([authorEmail, "sol.social@example.com", voterEmail].sort());
    expect(sent[4]?.text).toContain("is now in progress (it was planned)");
    // back to planned is a new change, told again (once)
    await owner.request("PATCH", `/api/v1/ideas/${ideaId}`, { status: "planned" });
    expect(await notices(owner.workspaceId)).toHaveLength(10);
    expect(await notices(other.workspaceId)).toHaveLength(0);
  });

  it("followers of a duplicate merged into the idea hear of its status too", async () => {
    const owner = await newWorkspace(t, "Merge Roasters");
    const base = await portalOf(owner);
    const a = new Visitor(t, base, "203.0.113.71");
    const aEmail = await a.signUp("Abe First");
    const first = ideaIdFrom((await a.post("/ideas", { title: "Oat milk option in store", description: "" })).headers.location as string);
    const dup = await owner.request("POST", "/api/v1/ideas", { title: "Plant milk at the counter" });
    const b = new Visitor(t, base, "203.0.113.72");
    const bEmail = await b.signUp("Bea Second");
    expect((await b.post(`/ideas/${dup.json().id}/follow`, { follow: "1" })).statusCode).toBe(303);
    const merged = await owner.request("POST", `/api/v1/ideas/${dup.json().id}/merge`, { into_id: first });
    expect(merged.statusCode, merged.body).toBeLessThan(300);
    // with a custom domain, the email links there
    expect((await owner.request("PATCH", "/api/v1/community/settings", { custom_domain: "ideas.merge-roasters.com" })).statusCode).toBe(
      200,
    );
    await owner.request("PATCH", `/api/v1/ideas/${first}`, { status: "done" });
    const sent = await notices(owner.workspaceId);
    expect(recipients(sent)).toEqual([aEmail, bEmail].sort());
    expect(sent[0]?.text).toContain(`See the idea: https://ideas.merge-roasters.com/ideas/${first}\n`);
    expect(sent[0]?.text).toMatch(/Stop emails about ideas: https:\/\/ideas\.merge-roasters\.com\/notices\/stop\?m=/);
  });
});

describe("deflections", () => {
  it("an asker who opened a suggested article and then posted the question is not counted as deflected", async () => {
    const owner = await newWorkspace(t, "Deflect Beans");
    const base = await portalOf(owner);
    const article = await owner.request("POST", "/api/v1/knowledge/articles", {
      title: "Resetting your grinder",
      body: "Hold the button for five seconds.",
      status: "published",
    });
    expect(article.statusCode, article.body).toBe(201);
    const slug = article.json().slug as string;
    const deflections = async () =>
      (
        (await owner.request("GET", "/api/v1/knowledge/articles")).json().data as Array<{ id: string; stats: { deflections: number } }>
      ).find((a) => a.id === article.json().id)?.stats.deflections;

    // one asker reads the suggestion and leaves: a deflection
    const reader = new Visitor(t, base, "203.0.113.81");
    await reader.signUp("Rita Reader");
    expect((await reader.get(`/help/${slug}?from=ask`)).statusCode).toBe(200);
    expect(await deflections()).toBe(1);

    // another opens it (before and after signing in) and then asks anyway: not a deflection
    const asker = new Visitor(t, base, "203.0.113.82");
    expect((await asker.get(`/help/${slug}?from=ask`)).statusCode).toBe(200);
    await asker.signUp("Arlo Asker");
    expect((await asker.get(`/help/${slug}?from=ask`)).statusCode).toBe(200);
    expect(await deflections()).toBe(3);
    const asked = await asker.post("/questions", { title: "Grinder reset did not work", body: "Held it, nothing happened." });
    expect(asked.statusCode, asked.body).toBe(303);
    expect(await deflections()).toBe(1);

    // (the reader upvotes the question: once, however often they press)
    const questionPath = (asked.headers.location as string).slice(base.length);
    const questionId = questionPath.split("/").pop() as string;
    expect((await reader.post(`/posts/${questionId}/upvote`, {})).statusCode).toBe(303);
    await reader.post(`/posts/${questionId}/upvote`, {});
    expect((await asker.get(questionPath)).body).toContain("1 upvote");

    // the reader asking a question within the hour after all: that article did not settle it either
    await reader.post("/questions", { title: "A different question here", body: "Something else." });
    expect(await deflections()).toBe(0);
  });
});
