import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Caller, concreteUrl, memberWithRole, newWorkspace, startTestApp, type TestApp } from "./support/app";

// Walks every route the server registers (not a hand-kept list): a caller of
// workspace A, even an owner, must neither see nor change workspace B.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

type Seeded = Record<string, string>;

async function seed(owner: Caller, label: string): Promise<Seeded> {
  const ok = async (method: string, url: string, body?: unknown) => {
    const res = await owner.request(method, url, body);
    expect(res.statusCode, `${method} ${url}: ${res.body}`).toBeLessThan(300);
    return res.json();
  };
  const field = await ok("POST", "/api/v1/custom-fields", { entity: "contact", key: "secret_score", label: "Secret", type: "number" });
  const org = await ok("POST", "/api/v1/organizations", { name: `${label} Corp secret org` });
  const contact = await ok("POST", "/api/v1/contacts", {
    name: `${label} secret person`,
    emails: [`secret@${label.toLowerCase()}.example`],
    organization_id: org.id,
    custom: { secret_score: 7 },
  });
  const activity = await ok("POST", `/api/v1/contacts/${contact.id}/activities`, { type: "task", subject: `${label} secret task` });
  const segment = await ok("POST", "/api/v1/segments", { name: `${label} secret segment`, filter: { match: "all", conditions: [] } });
  const member = await memberWithRole(t, owner, "agent");
  const team = await ok("POST", "/api/v1/teams", { name: `${label} secret team`, member_ids: [member.userId] });
  const key = await ok("POST", "/api/v1/api-keys", { name: `${label} secret key`, role: "viewer" });
  const invitation = await ok("POST", "/api/v1/invitations", { email: `invitee@${label.toLowerCase()}.example`, role: "agent" });
  const channel = await ok("POST", "/api/v1/channels", { name: `${label} secret channel`, network: "webhook" });
  const own = await ok("POST", "/api/v1/own-accounts", { network: "x", handle: `${label}secrethandle` });
  const term = await ok("POST", "/api/v1/dictionary", { kind: "brand", name: `${label} secret brand` });
  const ingested = await ok("POST", "/api/v1/messages:batch", {
    channel_id: channel.id,
    messages: [
      {
        network: "x",
        external_id: `${label}-secret-post`,
        author: { id: `${label}-author`, handle: `${label}secretauthor` },
        text: `${label} secret post`,
        created_at: "2026-11-01T10:00:00Z",
      },
    ],
  });
  const conversation = await ok("GET", `/api/v1/conversations/${ingested.results[0].conversation_id}`);
  const message = conversation.messages[0];
  const twin = { name: `${label} Twin Person`, emails: [`twin@${label.toLowerCase()}.example`] };
  await ok("POST", "/api/v1/contacts", twin);
  await ok("POST", "/api/v1/contacts", { ...twin, phones: ["+1 415 555 0199"] });
  await ok("POST", "/api/v1/duplicates:scan");
  const pair = (await ok("GET", "/api/v1/duplicates")).data[0];
  const gone = await ok("POST", "/api/v1/contacts", { name: `${label} merged away` });
  const kept = await ok("POST", "/api/v1/contacts", { name: `${label} merged into` });
  const merged = await ok("POST", "/api/v1/contacts:merge", { keep: kept.id, merge: gone.id });
  const slaTarget = { first_response_minutes: 60, resolution_minutes: 480 };
  const slaPolicy = await ok("POST", "/api/v1/sla-policies", {
    name: `${label} secret SLA`,
    priorities: ["urgent"],
    targets: { low: slaTarget, normal: slaTarget, high: slaTarget, urgent: slaTarget },
  });
  const kase = await ok("POST", "/api/v1/cases", {
    subject: `${label} secret case`,
    contact_id: contact.id,
    conversation_id: ingested.results[0].conversation_id,
  });
  const pipeline = await ok("POST", "/api/v1/pipelines", { name: `${label} secret pipeline` });
  const deal = await ok("POST", "/api/v1/deals", { title: `${label} secret deal`, contact_id: contact.id, message_id: message.id });
  const idea = await ok("POST", "/api/v1/ideas", { title: `${label} secret idea`, message_id: message.id });
  const rule = await ok("POST", "/api/v1/rules", {
    name: `${label} secret rule`,
    trigger: { type: "message.received" },
    actions: [{ type: "add_tags", tags: ["x"] }],
  });
  const kbCategory = await ok("POST", "/api/v1/knowledge/categories", { name: `${label} secret category` });
  const kbArticle = await ok("POST", "/api/v1/knowledge/articles", {
    title: `${label} secret article`,
    body: "secret",
    status: "published",
    category_id: kbCategory.id,
  });
  const canned = await ok("POST", "/api/v1/canned", { name: `${label} secret canned`, shortcut: "secret", body: `${label} canned text` });
  const view = await ok("POST", "/api/v1/views", { name: `${label} secret view`, filters: { status: "open" } });
  await ok("POST", "/api/v1/messages:batch", {
    messages: [
      "The app keeps crashing when I upload a photo, this is so frustrating",
      "Your app crashes every time I try to upload photos. Fix it!",
    ].map((text, i) => ({
      network: "x",
      external_id: `${label}-issue-${i}`,
      author: { id: `${label}-critic-${i}` },
      text,
      created_at: "2026-11-01T11:00:00Z",
    })),
  });
  const issue = (await ok("GET", "/api/v1/issues")).data[0];
  const session = (await ok("GET", "/api/v1/auth/sessions")).data[0];
  const retention = await ok("POST", "/api/v1/privacy/retention", { scope: "non_contacts", days: 365 });
  // An image sent with a reply, written directly: this webhook channel has no reply_url to send replies through.
  const image = randomUUID();
  await t.db
    .insertInto("reply_attachments")
    .values({
      workspace_id: owner.workspaceId,
      id: image,
      message_id: message.id,
      position: 0,
      content_type: "image/png",
      byte_size: 8,
      data: Buffer.from("89504e470d0a1a0a", "hex"),
    })
    .execute();
  return {
    "reply-attachments": image,
    "auth/sessions": session.id,
    "privacy/retention": retention.id,
    canned: canned.id,
    views: view.id,
    issues: issue.id,
    "knowledge/articles": kbArticle.id,
    "knowledge/categories": kbCategory.id,
    rules: rule.id,
    "sla-policies": slaPolicy.id,
    cases: kase.id,
    pipelines: pipeline.id,
    deals: deal.id,
    ideas: idea.id,
    profiles: message.profile_id,
    duplicates: pair.id,
    merges: merged.merge.id,
    contacts: contact.id,
    organizations: org.id,
    "custom-fields": field.id,
    activities: activity.id,
    segments: segment.id,
    teams: team.id,
    "api-keys": key.id,
    invitations: invitation.id,
    users: member.userId,
    channels: channel.id,
    "own-accounts": own.id,
    dictionary: term.id,
    conversations: ingested.results[0].conversation_id,
    messages: ingested.results[0].message_id,
  };
}

// Plausible bodies, so that a refusal proves tenancy rather than validation.
const BODIES: Record<string, unknown> = {
  "PATCH /api/v1/contacts/:id": { name: "Hijacked" },
  "POST /api/v1/contacts/:id/activities": { type: "note", body: "Hijacked" },
  "POST /api/v1/contacts/:id/consent": { purpose: "marketing_email", status: "granted" },
  "POST /api/v1/contacts/:id/privacy-erase": { confirm_name: "B secret person" },
  "PATCH /api/v1/privacy/retention/:id": { days: 1 },
  "PATCH /api/v1/organizations/:id": { name: "Hijacked" },
  "POST /api/v1/organizations/:id/activities": { type: "note", body: "Hijacked" },
  "PATCH /api/v1/custom-fields/:id": { label: "Hijacked" },
  "PATCH /api/v1/activities/:id": { subject: "Hijacked", completed: true },
  "PATCH /api/v1/segments/:id": { name: "Hijacked" },
  "PATCH /api/v1/teams/:id": { name: "Hijacked" },
  "PATCH /api/v1/users/:id": { role: "viewer" },
  "PATCH /api/v1/conversations/:id": { status: "closed" },
  "POST /api/v1/conversations/:id/replies": { text: "Hijacked" },
  "POST /api/v1/conversations/:id/notes": { text: "Hijacked" },
  "POST /api/v1/conversations/:id/presence": { state: "typing" },
  "POST /api/v1/conversations/:id/snooze": { until: "2099-01-01T00:00:00Z" },
  "POST /api/v1/conversations/:id/read": { read: true },
  "PATCH /api/v1/canned/:id": { body: "Hijacked" },
  "PATCH /api/v1/views/:id": { name: "Hijacked" },
  "POST /api/v1/conversations/:id/replies/:reply_id(^[^:/]+)::retry": {},
  "POST /api/v1/messages/:id/corrections": { sentiment: "positive", labels: ["praise"] },
  "PATCH /api/v1/channels/:id": { name: "Hijacked", queries: ["x"] },
  "POST /api/v1/profiles/:id/link": { create_contact: { name: "Hijacked" } },
  "POST /api/v1/profiles/:id/dismiss": { contact_id: "00000000-0000-4000-8000-000000000000" },
  "PATCH /api/v1/sla-policies/:id": { name: "Hijacked" },
  "PATCH /api/v1/cases/:id": { status: "closed" },
  "POST /api/v1/cases/:id/comments": { body: "Hijacked", public: true },
  "POST /api/v1/cases/:id/satisfaction": { rating: 1 },
  "POST /api/v1/cases/:id/conversations": { conversation_id: "00000000-0000-4000-8000-000000000000" },
  "PATCH /api/v1/pipelines/:id": { name: "Hijacked" },
  "PATCH /api/v1/deals/:id": { title: "Hijacked" },
  "PATCH /api/v1/ideas/:id": { status: "declined" },
  "POST /api/v1/ideas/:id/votes": { contact_id: "00000000-0000-4000-8000-000000000000" },
  "POST /api/v1/ideas/:id/messages": { message_id: "00000000-0000-4000-8000-000000000000" },
  "POST /api/v1/ideas/:id/merge": { into_id: "00000000-0000-4000-8000-000000000000" },
  "POST /api/v1/ideas/:id/split": { message_ids: ["00000000-0000-4000-8000-000000000000"] },
  "PATCH /api/v1/rules/:id": { name: "Hijacked" },
  "PATCH /api/v1/knowledge/articles/:id": { title: "Hijacked" },
  "PATCH /api/v1/knowledge/categories/:id": { name: "Hijacked" },
  "POST /api/v1/rules/:id(^[^:/]+)::test": { message: { text: "Hijacked" } },
  "POST /api/v1/rules/:id(^[^:/]+)::dry-run": {},
  "POST /api/v1/rules/:id(^[^:/]+)::restore": { version: 1 },
};

/** Snapshot of everything B can see, to prove nothing changed. */
async function snapshot(b: Caller) {
  const urls = [
    "/api/v1/contacts?limit=200",
    "/api/v1/organizations?limit=200",
    "/api/v1/custom-fields",
    "/api/v1/activities?limit=200",
    "/api/v1/segments",
    "/api/v1/teams",
    "/api/v1/api-keys",
    "/api/v1/invitations",
    "/api/v1/users",
    "/api/v1/channels",
    "/api/v1/own-accounts",
    "/api/v1/dictionary",
    "/api/v1/conversations",
    "/api/v1/messages",
    "/api/v1/profiles",
    "/api/v1/duplicates",
    "/api/v1/merges",
    "/api/v1/identity/settings",
    "/api/v1/sla-policies",
    "/api/v1/cases",
    "/api/v1/pipelines",
    "/api/v1/deals",
    "/api/v1/ideas",
    "/api/v1/rules",
    "/api/v1/outbox",
    "/api/v1/knowledge/articles",
    "/api/v1/knowledge/categories",
    "/api/v1/canned",
    "/api/v1/views",
    "/api/v1/privacy/retention",
    "/api/v1/privacy/settings",
  ];
  const out: Record<string, unknown> = {};
  for (const url of urls) {
    const res = await b.request("GET", url);
    const body = res.json();
    // last_used_at moves when B's own key is used; not a change by A.
    // An SLA's remaining minutes move with the clock, not with A.
    out[url] = JSON.parse(JSON.stringify(body), (k, v) => (k === "last_used_at" || k === "remaining_business_minutes" ? null : v));
  }
  return out;
}

/** Routes whose parameter names a view, not a record: every value they take. */
const NAMED_PARAMS: Record<string, string[]> = {
  "/api/v1/reports/:name": ["/api/v1/reports/listening", "/api/v1/reports/service"],
};

describe("tenancy", () => {
  it("every /api/v1 route declares who may call it", () => {
    const api = t.routes.filter((r) => r.url.startsWith("/api/v1"));
    expect(api.length).toBeGreaterThan(30);
    const undeclared = api.filter((r) => !r.access).map((r) => `${r.method} ${r.url}`);
    expect(undeclared).toEqual([]);
  });

  it("a workspace A owner cannot read or change workspace B through any route", async () => {
    const a = await newWorkspace(t, "A");
    const b = await newWorkspace(t, "B");
    await seed(a, "A"); // A has data of its own, so lists are not trivially empty
    const bIds = await seed(b, "B");
    const before = await snapshot(b);
    const secrets = Object.values(bIds);

    const routes = t.routes.filter((r) => r.url.startsWith("/api/v1") && r.access !== "public");
    const tried: string[] = [];
    for (const route of routes) {
      const key = `${route.method} ${route.url}`;
      const match = /^\/api\/v1\/([a-z-]+(?:\/[a-z-]+)?)\/:id/.exec(route.url);
      const named = NAMED_PARAMS[route.url];
      if (named && route.method === "GET") {
        // A parameter that names a view of the whole workspace (a report), not a record.
        for (const url of named) {
          const res = await a.request("GET", url);
          expect(res.statusCode, `${url}: ${res.body}`).toBeLessThan(500);
          for (const secret of secrets) expect(res.body, `${url} leaked a B record`).not.toContain(secret);
          expect(res.body).not.toContain("B secret");
        }
        tried.push(key);
        continue;
      }
      if (route.url.replaceAll("::", "").includes(":") && !match)
        throw new Error(`${key}: the tenancy test does not know this parameter; teach it`);
      if (match) {
        const resource = match[1] as string;
        const id = bIds[resource];
        if (!id) throw new Error(`${key}: no workspace B record for "${resource}"; seed one`);
        const url = concreteUrl(route.url, id);
        const res = await a.request(route.method, url, BODIES[key]);
        expect([403, 404], `${key} → ${res.statusCode} ${res.body}`).toContain(res.statusCode);
        tried.push(key);
      } else if (route.url === "/api/v1/stream") {
        // A live stream never ends: its tenancy is proven in test/listening-live.test.ts.
        tried.push(key);
      } else if (route.method === "GET") {
        const res = await a.request("GET", route.url);
        expect(res.statusCode, `${key}: ${res.body}`).toBeLessThan(500);
        for (const secret of secrets) expect(res.body, `${key} leaked a B record`).not.toContain(secret);
        expect(res.body).not.toContain("B secret");
        tried.push(key);
      }
    }
    expect(tried.length).toBeGreaterThan(25);
    expect(await snapshot(b)).toEqual(before);
  });

  it("records of another workspace cannot be referenced from this one", async () => {
    const a = await newWorkspace(t, "A2");
    const b = await newWorkspace(t, "B2");
    const bIds = await seed(b, "B");
    const aIds = await seed(a, "A");
    const bad = [
      ["POST", "/api/v1/contacts", { name: "X", organization_id: bIds.organizations }, "organization_id"],
      ["POST", "/api/v1/contacts", { name: "X", owner_id: bIds.users }, "owner_id"],
      ["POST", "/api/v1/teams", { name: "X", member_ids: [bIds.users] }, "member_ids"],
      ["GET", `/api/v1/contacts?segment=${bIds.segments}`, undefined, "segment"],
      ["POST", `/api/v1/profiles/${aIds.profiles}/link`, { contact_id: bIds.contacts }, "contact_id"],
      ["POST", "/api/v1/cases", { subject: "X", contact_id: bIds.contacts }, "contact_id"],
      ["POST", "/api/v1/deals", { title: "X", message_id: bIds.messages }, "message_id"],
      ["POST", "/api/v1/ideas", { title: "X", message_id: bIds.messages }, "message_id"],
    ] as const;
    for (const [method, url, body, field] of bad) {
      const res = await a.request(method, url, body);
      expect(res.statusCode, `${method} ${url}`).toBe(400);
      expect(res.json().error.details[0].field).toBe(field);
    }
    // A merge naming B's contact finds nothing to merge, and B's contact is untouched.
    const merge = await a.request("POST", "/api/v1/contacts:merge", { keep: aIds.contacts, merge: bIds.contacts });
    expect(merge.statusCode).toBe(404);
    expect((await b.request("GET", `/api/v1/contacts/${bIds.contacts}`)).statusCode).toBe(200);
  });
});
