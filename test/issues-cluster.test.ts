import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clusterable, IssueSpace, issueLabel } from "../src/insight";
import { summarizeRequest, termVector, textSimilarity } from "../src/understand";
import { type Caller, newWorkspace, startTestApp, type TestApp } from "./support/app";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

let seq = 0;
/** Ingests inbound posts and returns their stored ids with the labels understanding gave them. */
async function ingest(c: Caller, texts: string[], at = new Date()) {
  const messages = texts.map((text) => {
    seq++;
    return {
      network: "mastodon",
      external_id: `iss-${seq}`,
      author: { id: `user-${seq}`, handle: `user${seq}` },
      text,
      created_at: new Date(at.getTime() + seq * 1000).toISOString(),
    };
  });
  const res = await c.request("POST", "/api/v1/messages:batch", { messages });
  expect(res.statusCode, res.body).toBe(200);
  const rows = await t.db
    .selectFrom("messages")
    .select(["id", "external_id", "labels"])
    .where("workspace_id", "=", c.workspaceId)
    .where(
      "external_id",
      "in",
      messages.map((m) => m.external_id),
    )
    .execute();
  return messages.map((m) => rows.find((r) => r.external_id === m.external_id) as { id: string; labels: string[] });
}

async function issueOf(c: Caller, messageId: string) {
  const row = await t.db
    .selectFrom("issue_messages")
    .select("issue_id")
    .where("workspace_id", "=", c.workspaceId)
    .where("message_id", "=", messageId)
    .executeTakeFirst();
  return row?.issue_id ?? null;
}

describe("text features", () => {
  it("titles a request for people: greetings, handles, URLs and the asking are dropped, cut at a word", () => {
    expect(summarizeRequest("@acme please add dark mode!!! my eyes hurt at night")).toBe("Add dark mode");
    expect(summarizeRequest("Hi team, could you please support exporting reports to CSV? Thanks!")).toBe(
      "Support exporting reports to CSV",
    );
    expect(summarizeRequest("I wish you would add a dark theme https://example.com/x")).toBe("Add a dark theme");
    expect(summarizeRequest("Dark mode please 🙏")).toBe("Dark mode");
    const long = summarizeRequest(
      "It would be great if you could let us schedule posts for later, we run campaigns across many time zones",
    );
    expect(long.length).toBeLessThanOrEqual(61);
    expect(long.startsWith("Let us schedule posts for later")).toBe(true);
    expect(long.endsWith("…")).toBe(true);
  });

  it("compares texts by their content words and pairs", () => {
    expect(textSimilarity("Add dark mode", "dark mode please!!")).toBeGreaterThan(0.9);
    expect(textSimilarity("Add dark mode", "Export reports to CSV")).toBe(0);
    expect([...termVector("The cards were charged twice").weights.keys()]).toContain("card");
  });

  it("groups in memory: paraphrases join, unrelated texts start their own issue, names come from top terms", () => {
    const space = new IssueSpace(new Map(), 0);
    const a = space.assign(termVector("my card payment was declined at the shop"));
    const b = space.assign(termVector("card payment declined again, what is going on"));
    const c = space.assign(termVector("how do I change my delivery address"));
    expect(a.created).toBe(true);
    expect(b.issueId).toBe(a.issueId);
    expect(c.issueId).not.toBe(a.issueId);
    expect(issueLabel(space.topTerms(a.issueId))).toMatch(/payment|declined|card/);
  });

  it("gives a message that started its own issue a second look once the batch's centroids are final", () => {
    const seedText = "The app crashes when I upload a photo from the gallery";
    const late = "android keeps shutting down the app when I pick pictures";
    const bridges = [
      "App crash on photo upload, gallery pictures never go through",
      "gallery pictures upload fails and the app shuts down on android",
    ];
    const space = new IssueSpace(new Map(), 0);
    const seed = space.assign(termVector(seedText));
    (space.issues.get(seed.issueId) as { isNew: boolean }).isNew = false;
    // compared first, it falls short of the seed issue and starts one of its own …
    const first = space.assign(termVector(late));
    expect(first.created).toBe(true);
    for (const b of bridges) expect(space.assign(termVector(b)).issueId).toBe(seed.issueId);
    // … but the seed issue, having taken the bridging posts, now holds it
    const moved = space.reconsider(first.issueId, termVector(late));
    expect(moved?.issueId).toBe(seed.issueId);
    expect(moved?.similarity).toBeGreaterThanOrEqual(0.2);
    expect(space.issues.has(first.issueId)).toBe(false);
    // an issue that was already stored is never dropped this way
    expect(space.reconsider(seed.issueId, termVector(seedText))).toBeNull();
  });

  it("leaves out outbound, spam and unlabelled messages", () => {
    expect(clusterable({ direction: "inbound", labels: ["complaint"] })).toBe(true);
    expect(clusterable({ direction: "outbound", labels: ["complaint"] })).toBe(false);
    expect(clusterable({ direction: "inbound", labels: ["complaint", "spam"] })).toBe(false);
    expect(clusterable({ direction: "inbound", labels: ["praise"] })).toBe(false);
  });
});

describe("emerging issues from ingested messages", () => {
  it("groups complaints as they arrive, keeps an issue's id across batches, and skips short and spam posts", async () => {
    const c = await newWorkspace(t);
    const first = await ingest(c, [
      "The app keeps crashing when I upload a photo, this is so frustrating",
      "Your app crashes every time I try to upload photos. Fix it!",
      "How do I reset my password? The reset email never arrives",
    ]);
    for (const m of first)
      expect(
        m.labels.some((l) => ["complaint", "question", "suggestion"].includes(l)),
        m.labels.join(),
      ).toBe(true);
    const crash = await issueOf(c, first[0]!.id);
    expect(crash).not.toBeNull();
    expect(await issueOf(c, first[1]!.id)).toBe(crash);
    const password = await issueOf(c, first[2]!.id);
    expect(password).not.toBeNull();
    expect(password).not.toBe(crash);

    // a later batch lands on the same issues, by the same ids
    const later = await ingest(c, [
      "Still crashing on photo upload after the update, terrible",
      "Password reset email not arriving, how do I log in?",
    ]);
    expect(await issueOf(c, later[0]!.id)).toBe(crash);
    expect(await issueOf(c, later[1]!.id)).toBe(password);

    const short = await ingest(c, ["help?"]);
    expect(await issueOf(c, short[0]!.id)).toBeNull();

    const list = (await c.request("GET", "/api/v1/issues")).json() as { data: Array<{ id: string; label: string; message_count: number }> };
    const crashIssue = list.data.find((i) => i.id === crash);
    expect(crashIssue?.message_count).toBe(3);
    expect(crashIssue?.label).toMatch(/crash|upload|photo/);
  });
});
