import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { communities, computeInfluence, pageRank, runScheduledInfluence, stanceOf } from "../src/insight";
import { apiKeyCaller, type Caller, newWorkspace, startTestApp, type TestApp } from "./support/app";

// People and influence (#16): a hand-built interaction graph whose PageRank order (solved by
// hand: r = (1-d)/N + d·M·r for the graph below), advocate/detractor split and communities are known.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe("pageRank and communities (pure)", () => {
  it("spreads a dangling node's rank over everyone and matches the closed form", () => {
    // A → B, B engaged with no one: rA = (1-d)/2 + d·rB/2, rB = (1-d)/2 + d·rB/2 + d·rA
    const { scores, converged } = pageRank(["A", "B"], [{ source: "A", target: "B", weight: 1 }]);
    expect(converged).toBe(true);
    expect(scores.get("A")).toBeCloseTo(0.350877, 5);
    expect(scores.get("B")).toBeCloseTo(0.649123, 5);
  });

  it("weights edges: two replies count twice one", () => {
    const { scores } = pageRank(
      ["S", "X", "Y"],
      [
        { source: "S", target: "X", weight: 2 },
        { source: "S", target: "Y", weight: 1 },
      ],
    );
    expect(scores.get("X") as number).toBeGreaterThan(scores.get("Y") as number);
    const sum = [...scores.values()].reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 9);
  });

  it("finds two groups that talk among themselves, bridged weakly", () => {
    const e = (source: string, target: string, weight = 3) => ({ source, target, weight });
    const groups = communities(
      ["a", "b", "c", "d", "e", "f"],
      [e("a", "b"), e("b", "c"), e("c", "a"), e("d", "e"), e("e", "f"), e("f", "d"), e("c", "d", 1)],
    );
    expect(groups.get("a")).toBe(groups.get("b"));
    expect(groups.get("a")).toBe(groups.get("c"));
    expect(groups.get("d")).toBe(groups.get("e"));
    expect(groups.get("d")).toBe(groups.get("f"));
    expect(groups.get("a")).not.toBe(groups.get("d"));
  });

  it("stance: two of three messages with a clear sentiment", () => {
    expect(stanceOf(2, 1)).toBe("advocate");
    expect(stanceOf(1, 2)).toBe("detractor");
    expect(stanceOf(1, 1)).toBe("neutral");
    expect(stanceOf(0, 0)).toBe("neutral");
  });
});

type Post = { id: string; author: string; text: string; network?: "mastodon" | "bluesky"; reply?: string; quote?: string };

async function ingest(c: Caller, prefix: string, posts: Post[]) {
  const at = new Date(Date.now() - 86_400_000).toISOString();
  const messages = posts.map((p) => ({
    network: p.network ?? "mastodon",
    external_id: `${prefix}-${p.id}`,
    author: { id: `${p.network ?? "mastodon"}-${p.author}`, handle: p.author, display_name: p.author },
    text: p.text,
    created_at: at,
    ...(p.reply ? { in_reply_to: `${prefix}-${p.reply}` } : {}),
    ...(p.quote ? { quote_of: `${prefix}-${p.quote}` } : {}),
  }));
  const res = await c.request("POST", "/api/v1/messages:batch", { messages });
  expect(res.statusCode, res.body).toBe(200);
}

// Community 1: ann, bob, cat and dan (on Bluesky) reply to Hana; Greg mentions her; she replies to
// Greg, and Ann does too. Community 2: Xia, Yan and Zed talk among themselves.
const GRAPH: Post[] = [
  { id: "h1", author: "hana", text: "Loving the new release, great work team, thank you!" },
  { id: "hb", author: "hana_b", network: "bluesky", text: "What a wonderful community, I love it here" },
  { id: "g1", author: "greg", text: "The update is terrible and broke everything. Awful, I hate it" },
  { id: "x1", author: "xia", text: "Has anyone tried the new export feature?" },
  { id: "y1", author: "yan", text: "The export is slow and buggy, really disappointing and frustrating" },
  { id: "z1", author: "zed", text: "Export works brilliantly for me, fantastic and fast. Love it!" },
  { id: "a1", author: "ann", reply: "h1", text: "Absolutely love it too, brilliant work!" },
  { id: "b1", author: "bob", reply: "h1", text: "Which version number is it?" },
  { id: "c1", author: "cat", reply: "h1", text: "Is it available on Android yet?" },
  { id: "g2", author: "greg", text: "@hana your release broke my setup, terrible and useless" },
  { id: "h2", author: "hana", reply: "g1", text: "We will look into it today, please send details" },
  { id: "a2", author: "ann", reply: "g1", text: "Which device are you using?" },
  { id: "x2", author: "xia", reply: "y1", text: "What file size are you exporting?" },
  { id: "y2", author: "yan", reply: "z1", text: "Not for me, it crashes constantly, awful and broken" },
  { id: "z2", author: "zed", reply: "x1", text: "Yes, it's excellent, I love it, great job" },
  { id: "x3", author: "xia", text: "@zed which settings do you use?" },
  { id: "d1", author: "dan", network: "bluesky", reply: "hb", text: "Agreed, this place is great and friendly" },
];

async function seedGraph(c: Caller, prefix: string) {
  await ingest(c, prefix, GRAPH);
  const contact = await c.request("POST", "/api/v1/contacts", { name: "Hana Hill" });
  expect(contact.statusCode, contact.body).toBe(201);
  const hanaId = contact.json().id as string;
  // one person across networks: both of Hana's profiles link to her contact
  const profiles = await t.db
    .selectFrom("profiles")
    .select(["id", "handle"])
    .where("workspace_id", "=", c.workspaceId)
    .where("handle", "in", ["hana", "hana_b"])
    .execute();
  expect(profiles).toHaveLength(2);
  for (const p of profiles) {
    const res = await c.request("POST", `/api/v1/profiles/${p.id}/link`, { contact_id: hanaId });
    expect(res.statusCode, res.body).toBe(200);
  }
  return hanaId;
}

type Person = {
  name: string;
  rank: number;
  score: number;
  stance: string;
  community: number;
  contact_id: string | null;
  why: string[];
  counts: Record<string, number>;
};

describe("people and influence", () => {
  let a: Caller;
  let hanaId: string;
  beforeAll(async () => {
    a = await newWorkspace(t, "Influence A");
    hanaId = await seedGraph(a, "inf");
    const labels = await t.db
      .selectFrom("messages")
      .select(["external_id", "sentiment"])
      .where("workspace_id", "=", a.workspaceId)
      .execute();
    const sentiment = Object.fromEntries(labels.map((m) => [m.external_id, m.sentiment]));
    // the stances below rest on these labels from the understanding stage
    expect(sentiment, JSON.stringify(sentiment)).toMatchObject({
      "inf-h1": "positive",
      "inf-hb": "positive",
      "inf-g1": "negative",
      "inf-g2": "negative",
      "inf-z1": "positive",
      "inf-z2": "positive",
      "inf-y1": "negative",
      "inf-y2": "negative",
    });
  });

  it("is empty until computed, then ranks people by engagement received", async () => {
    const before = await a.request("GET", "/api/v1/people/influence");
    expect(before.statusCode, before.body).toBe(200);
    expect(before.json()).toMatchObject({ run: null, data: [] });

    const run = await a.request("POST", "/api/v1/people/influence:run");
    expect(run.statusCode, run.body).toBe(200);
    expect(run.json()).toMatchObject({ people: 9, links: 11, interactions: 11, communities: 2, converged: true });

    const list = (await a.request("GET", "/api/v1/people/influence?kind=all")).json();
    const people = list.data as Person[];
    expect(people.map((p) => p.name).slice(0, 5)).toEqual(["Hana Hill", "greg", "zed", "xia", "yan"]);
    // solved by hand (9 nodes, no dangling ones): hana 0.311486…, greg 0.288514…, zed 0.132467…, xia 0.129263…, yan 0.071604…, leaves 0.15/9
    const score = Object.fromEntries(people.map((p) => [p.name, p.score]));
    expect(score["Hana Hill"]).toBeCloseTo(0.3114865, 6);
    expect(score.greg).toBeCloseTo(0.2885135, 6);
    expect(score.zed).toBeCloseTo(0.1324666, 6);
    expect(score.xia).toBeCloseTo(0.1292632, 6);
    expect(score.yan).toBeCloseTo(0.0716035, 6);
    for (const leaf of ["ann", "bob", "cat", "dan"]) expect(score[leaf]).toBeCloseTo(0.15 / 9, 6);

    // rolled up: Hana's two profiles are one person, replied to on both networks
    const hana = people[0] as Person;
    expect(hana.contact_id).toBe(hanaId);
    expect(hana.counts).toMatchObject({ replies_received: 4, repliers: 4, mentions_received: 1, mentioners: 1, engaged_with: 1 });
    expect(hana.why).toContain("replied to 4 times by 4 people");
    expect(hana.why).toContain("mentioned 1 time by 1 person");
    expect(hana.why.join(" ")).toMatch(/ranks 1 of 9/);
  });

  it("splits advocates from detractors among the influential", async () => {
    const adv = (await a.request("GET", "/api/v1/people/influence?kind=advocates")).json().data as Person[];
    // Ann and Dan are positive too, but nobody engages with them: below the average influence
    expect(adv.map((p) => p.name)).toEqual(["Hana Hill", "zed"]);
    const det = (await a.request("GET", "/api/v1/people/influence?kind=detractors")).json().data as Person[];
    // Yan is negative but little engaged with
    expect(det.map((p) => p.name)).toEqual(["greg"]);
    expect(det[0]?.why.join(" ")).toMatch(/mostly negative/);
    const limited = (await a.request("GET", "/api/v1/people/influence?limit=2")).json().data as Person[];
    expect(limited).toHaveLength(2);
  });

  it("shows a contact's figures and community on the person view", async () => {
    const res = await a.request("GET", `/api/v1/contacts/${hanaId}/influence`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.person).toMatchObject({ rank: 1, stance: "advocate", name: "Hana Hill", community_size: 6 });
    expect(body.community_members.map((m: { name: string }) => m.name).sort()).toEqual(["ann", "bob", "cat", "dan", "greg"]);

    const other = await a.request("POST", "/api/v1/contacts", { name: "Quiet Quinn" });
    const quiet = await a.request("GET", `/api/v1/contacts/${other.json().id}/influence`);
    expect(quiet.statusCode).toBe(200);
    expect(quiet.json()).toMatchObject({ person: null, community_members: [] });
  });

  it("names the bad field and checks permissions", async () => {
    const bad = await a.request("GET", "/api/v1/people/influence?kind=fans");
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toMatch(/kind/);
    const zero = await a.request("GET", "/api/v1/people/influence?limit=0");
    expect(zero.statusCode).toBe(400);
    expect(zero.body).toMatch(/limit/);
    const viewer = await apiKeyCaller(t, a, "viewer");
    expect((await viewer.request("GET", "/api/v1/people/influence")).statusCode).toBe(200);
    expect((await viewer.request("POST", "/api/v1/people/influence:run")).statusCode).toBe(403);
  });

  it("keeps workspaces apart", async () => {
    const b = await newWorkspace(t, "Influence B");
    await ingest(b, "infb", [
      { id: "p", author: "pia", text: "Hello there" },
      { id: "q", author: "quentin", reply: "p", text: "Hi Pia" },
    ]);
    // B cannot read A's person
    expect((await b.request("GET", `/api/v1/contacts/${hanaId}/influence`)).statusCode).toBe(404);
    const run = (await b.request("POST", "/api/v1/people/influence:run")).json();
    expect(run).toMatchObject({ people: 2, links: 1 });
    const names = ((await b.request("GET", "/api/v1/people/influence")).json().data as Person[]).map((p) => p.name);
    expect(names).toEqual(["pia", "quentin"]);
    // and A's figures are untouched by B's run
    const aNames = ((await a.request("GET", "/api/v1/people/influence")).json().data as Person[]).map((p) => p.name);
    expect(aNames).toHaveLength(9);
    expect(aNames).not.toContain("pia");
  });

  it("the scheduler scores workspaces heard from since their last run, and a second run replaces the first", async () => {
    const c = await newWorkspace(t, "Influence C");
    await ingest(c, "infc", [
      { id: "r", author: "rae", text: "Morning all" },
      { id: "s", author: "sam", reply: "r", text: "Morning Rae" },
      { id: "u", author: "uma", quote: "r", text: "This, every day" },
    ]);
    expect(await runScheduledInfluence(t.db)).toBeGreaterThanOrEqual(1);
    const run = await t.db.selectFrom("influence_runs").selectAll().where("workspace_id", "=", c.workspaceId).executeTakeFirst();
    expect(run).toMatchObject({ people: 3, links: 2 });
    const rae = (await c.request("GET", "/api/v1/people/influence")).json().data[0] as Person;
    expect(rae.name).toBe("rae");
    expect(rae.counts).toMatchObject({ replies_received: 1, quotes_received: 1, quoters: 1 });
    expect(rae.why).toContain("quoted 1 time by 1 person");
    // run twice: the same figures, no duplicates
    await computeInfluence(t.db, c.workspaceId);
    const rows = await t.db.selectFrom("person_influence").select("node").where("workspace_id", "=", c.workspaceId).execute();
    expect(rows).toHaveLength(3);

    // nothing new heard: the next round leaves C alone; a new message brings it back
    const computedAt = async () =>
      (await t.db.selectFrom("influence_runs").select("computed_at").where("workspace_id", "=", c.workspaceId).executeTakeFirstOrThrow())
        .computed_at;
    const before = await computedAt();
    await runScheduledInfluence(t.db);
    expect(await computedAt()).toEqual(before);
    await ingest(c, "infc", [{ id: "v", author: "vic", reply: "r", text: "Morning!" }]);
    await runScheduledInfluence(t.db);
    expect(await computedAt()).not.toEqual(before);
    expect((await c.request("GET", "/api/v1/people/influence")).json().run).toMatchObject({ people: 4 });
  });
});
