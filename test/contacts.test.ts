import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Caller, newWorkspace, startTestApp, type TestApp } from "./support/app";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

async function create(c: Caller, body: unknown) {
  const res = await c.request("POST", "/api/v1/contacts", body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

describe("contacts", () => {
  it("creates, reads, updates and deletes a contact with normalized values", async () => {
    const owner = await newWorkspace(t);
    const created = await create(owner, {
      first_name: "Jo",
      last_name: "Brown",
      emails: ["Jo.Brown@Example.com"],
      phones: ["+49 30 1234567"],
      country: "de",
      tags: ["vip", "vip", "beta"],
      consent_email: true,
    });
    expect(created).toMatchObject({
      name: "Jo Brown",
      emails: ["jo.brown@example.com"],
      country: "DE",
      tags: ["vip", "beta"],
      lifecycle_stage: "lead",
      consent_email: true,
    });

    const patched = await owner.request("PATCH", `/api/v1/contacts/${created.id}`, { lifecycle_stage: "customer", title: "CTO" });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ lifecycle_stage: "customer", title: "CTO", name: "Jo Brown", emails: ["jo.brown@example.com"] });

    const got = await owner.request("GET", `/api/v1/contacts/${created.id}`);
    expect(got.json().title).toBe("CTO");

    expect((await owner.request("DELETE", `/api/v1/contacts/${created.id}`)).statusCode).toBe(204);
    expect((await owner.request("GET", `/api/v1/contacts/${created.id}`)).statusCode).toBe(404);
  });

  it("needs a name or an email", async () => {
    const owner = await newWorkspace(t);
    const res = await owner.request("POST", "/api/v1/contacts", { title: "Nobody" });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details[0].field).toBe("name");
    const byEmail = await create(owner, { emails: ["only@example.com"] });
    expect(byEmail.name).toBe("only@example.com");
  });

  it("links an organization and refuses one from nowhere", async () => {
    const owner = await newWorkspace(t);
    const org = await owner.request("POST", "/api/v1/organizations", { name: "Globex", domain: "https://www.Globex.com/about" });
    expect(org.statusCode, org.body).toBe(201);
    expect(org.json().domain).toBe("globex.com");
    const c = await create(owner, { name: "Hank", organization_id: org.json().id });
    expect(c.organization).toEqual({ id: org.json().id, name: "Globex" });
    const bad = await owner.request("POST", "/api/v1/contacts", { name: "X", organization_id: "00000000-0000-4000-8000-000000000000" });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details[0].field).toBe("organization_id");
    const orgAfter = await owner.request("GET", `/api/v1/organizations/${org.json().id}`);
    expect(orgAfter.json().contact_count).toBe(1);
  });
});

describe("custom fields", () => {
  it("validates values by type, filters and sorts by them, and clears them", async () => {
    const owner = await newWorkspace(t);
    const fields = [
      { entity: "contact", key: "score", label: "Score", type: "number" },
      { entity: "contact", key: "renewal", label: "Renewal", type: "date" },
      { entity: "contact", key: "plan", label: "Plan", type: "select", options: ["Free", "Pro", "Enterprise"] },
      { entity: "contact", key: "channels", label: "Channels", type: "multiselect", options: ["email", "x", "mastodon"] },
      { entity: "contact", key: "beta", label: "Beta", type: "boolean" },
      { entity: "contact", key: "site", label: "Site", type: "url" },
    ];
    for (const f of fields) {
      const res = await owner.request("POST", "/api/v1/custom-fields", f);
      expect(res.statusCode, res.body).toBe(201);
    }
    const listed = await owner.request("GET", "/api/v1/custom-fields?entity=contact");
    expect(listed.json().data.map((f: { key: string }) => f.key)).toEqual(fields.map((f) => f.key));

    const a = await create(owner, {
      name: "Ada",
      custom: { score: 90, plan: "pro", channels: ["x", "email"], beta: true, renewal: "2027-01-31" },
    });
    expect(a.custom).toEqual({ score: 90, plan: "Pro", channels: ["x", "email"], beta: true, renewal: "2027-01-31" });
    await create(owner, { name: "Bob", custom: { score: 15, plan: "Free" } });
    await create(owner, { name: "Cy", custom: { score: 150, channels: ["mastodon"] } });

    for (const [custom, field] of [
      [{ score: "high" }, "custom.score"],
      [{ renewal: "2027-02-30" }, "custom.renewal"],
      [{ plan: "Gold" }, "custom.plan"],
      [{ site: "javascript:alert(1)" }, "custom.site"],
      [{ nope: 1 }, "custom.nope"],
    ] as const) {
      const res = await owner.request("POST", "/api/v1/contacts", { name: "Bad", custom });
      expect(res.statusCode, JSON.stringify(custom)).toBe(400);
      expect(res.json().error.details[0].field).toBe(field);
    }

    const filter = encodeURIComponent(JSON.stringify({ match: "all", conditions: [{ field: "custom.score", op: "gte", value: 50 }] }));
    const high = await owner.request("GET", `/api/v1/contacts?filter=${filter}&sort=-custom.score`);
    expect(high.statusCode, high.body).toBe(200);
    expect(high.json().data.map((c: { name: string }) => c.name)).toEqual(["Cy", "Ada"]);

    const multi = encodeURIComponent(
      JSON.stringify({ match: "all", conditions: [{ field: "custom.channels", op: "has_any", value: ["x", "mastodon"] }] }),
    );
    const viaChannels = await owner.request("GET", `/api/v1/contacts?filter=${multi}&sort=name`);
    expect(viaChannels.json().data.map((c: { name: string }) => c.name)).toEqual(["Ada", "Cy"]);

    const cleared = await owner.request("PATCH", `/api/v1/contacts/${a.id}`, { custom: { plan: null } });
    expect(cleared.json().custom.plan).toBeUndefined();
    expect(cleared.json().custom.score).toBe(90);

    const del = await owner.request("DELETE", `/api/v1/custom-fields/${listed.json().data[0].id}`);
    expect(del.statusCode).toBe(204);
    const after = await owner.request("GET", `/api/v1/contacts/${a.id}`);
    expect(after.json().custom.score).toBeUndefined();
  });

  it("refuses duplicate and reserved keys and selects without options", async () => {
    const owner = await newWorkspace(t);
    expect(
      (await owner.request("POST", "/api/v1/custom-fields", { entity: "contact", key: "tier", label: "Tier", type: "text" })).statusCode,
    ).toBe(201);
    const dup = await owner.request("POST", "/api/v1/custom-fields", { entity: "contact", key: "tier", label: "Tier 2", type: "text" });
    expect(dup.statusCode).toBe(409);
    const reserved = await owner.request("POST", "/api/v1/custom-fields", { entity: "contact", key: "email", label: "E", type: "text" });
    expect(reserved.statusCode).toBe(400);
    const noOptions = await owner.request("POST", "/api/v1/custom-fields", {
      entity: "contact",
      key: "shirt",
      label: "Shirt",
      type: "select",
    });
    expect(noOptions.json().error.details[0].field).toBe("options");
  });
});

describe("lists", () => {
  it("searches, filters, sorts and pages with a cursor without gaps or repeats", async () => {
    const owner = await newWorkspace(t);
    const names = Array.from({ length: 23 }, (_, i) => `Person ${String(i).padStart(2, "0")}`);
    for (const [i, name] of names.entries()) {
      await create(owner, { name, country: i % 2 ? "DE" : "FR", lifecycle_stage: i % 3 ? "lead" : "customer", emails: [`p${i}@ex.com`] });
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url = `/api/v1/contacts?sort=-name&limit=5&include_total=true${cursor ? `&cursor=${cursor}` : ""}`;
      const res = await owner.request("GET", url);
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      expect(body.total).toBe(23);
      seen.push(...body.data.map((c: { name: string }) => c.name));
      cursor = body.next_cursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(5);
    expect(seen).toEqual([...names].reverse());

    const de = await owner.request("GET", "/api/v1/contacts?country=DE&lifecycle_stage=customer&sort=name");
    expect(de.json().data.map((c: { name: string }) => c.name)).toEqual(["Person 03", "Person 09", "Person 15", "Person 21"]);

    const search = await owner.request("GET", "/api/v1/contacts?q=p17@ex");
    expect(search.json().data.map((c: { name: string }) => c.name)).toEqual(["Person 17"]);

    const wrongCursor = await owner.request("GET", `/api/v1/contacts?sort=name&cursor=${encodeURIComponent("garbage")}`);
    expect(wrongCursor.statusCode).toBe(400);
    expect(wrongCursor.json().error.details[0].field).toBe("cursor");
    const badSort = await owner.request("GET", "/api/v1/contacts?sort=password");
    expect(badSort.json().error.details[0].field).toBe("sort");
  });

  it("saves segments and lists them, including open-task conditions", async () => {
    const owner = await newWorkspace(t);
    const ann = await create(owner, { name: "Ann", country: "DE", lifecycle_stage: "customer" });
    await create(owner, { name: "Ben", country: "DE", lifecycle_stage: "customer" });
    await create(owner, { name: "Cat", country: "FR", lifecycle_stage: "customer" });
    const task = await owner.request("POST", `/api/v1/contacts/${ann.id}/activities`, {
      type: "task",
      subject: "Call back",
      due_at: "2026-12-01T10:00:00Z",
    });
    expect(task.statusCode, task.body).toBe(201);

    const seg = await owner.request("POST", "/api/v1/segments", {
      name: "Customers in DE with open tasks",
      filter: {
        match: "all",
        conditions: [
          { field: "lifecycle_stage", op: "eq", value: "customer" },
          { field: "country", op: "eq", value: "DE" },
          { field: "has_open_tasks", op: "eq", value: true },
        ],
      },
    });
    expect(seg.statusCode, seg.body).toBe(201);
    const list = await owner.request("GET", `/api/v1/contacts?segment=${seg.json().id}`);
    expect(list.json().data.map((c: { name: string }) => c.name)).toEqual(["Ann"]);

    // Closing the task takes Ann out of the segment.
    await owner.request("PATCH", `/api/v1/activities/${task.json().id}`, { completed: true });
    const after = await owner.request("GET", `/api/v1/contacts?segment=${seg.json().id}`);
    expect(after.json().data).toEqual([]);

    const bad = await owner.request("POST", "/api/v1/segments", {
      name: "Bad",
      filter: { conditions: [{ field: "salary", op: "eq", value: 1 }] },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toContain("salary");
    // a field named like an Object property is unknown too, not a lookup into the prototype
    for (const field of ["constructor", "__proto__", "toString"]) {
      const proto = await owner.request("POST", "/api/v1/segments", {
        name: "Proto",
        filter: { conditions: [{ field, op: "eq", value: 1 }] },
      });
      expect(proto.statusCode, proto.body).toBe(400);
    }
  });
});

describe("timeline", () => {
  it("shows notes, calls and tasks newest first, for the contact and its organization", async () => {
    const owner = await newWorkspace(t);
    const org = (await owner.request("POST", "/api/v1/organizations", { name: "Initech" })).json();
    const c = await create(owner, { name: "Peter", organization_id: org.id });
    const post = (body: unknown) => owner.request("POST", `/api/v1/contacts/${c.id}/activities`, body);
    expect((await post({ type: "note", body: "Met at the fair", occurred_at: "2026-01-01T09:00:00Z" })).statusCode).toBe(201);
    expect((await post({ type: "call", subject: "Intro call", occurred_at: "2026-02-01T09:00:00Z" })).statusCode).toBe(201);
    expect(
      (await post({ type: "task", subject: "Send quote", due_at: "2026-03-01", occurred_at: "2026-02-15T09:00:00Z" })).statusCode,
    ).toBe(201);
    const orgNote = await owner.request("POST", `/api/v1/organizations/${org.id}/activities`, {
      type: "meeting",
      subject: "QBR",
      occurred_at: "2026-03-01T09:00:00Z",
    });
    expect(orgNote.statusCode).toBe(201);

    const tl = await owner.request("GET", `/api/v1/contacts/${c.id}/timeline`);
    expect(tl.json().data.map((a: { type: string }) => a.type)).toEqual(["task", "call", "note"]);
    const task = tl.json().data[0];
    expect(task.assignee_id).toBe(owner.userId);

    const orgTl = await owner.request("GET", `/api/v1/organizations/${org.id}/timeline`);
    expect(orgTl.json().data.map((a: { type: string }) => a.type)).toEqual(["meeting", "task", "call", "note"]);

    const open = await owner.request("GET", "/api/v1/activities?type=task&open=true");
    expect(open.json().data).toHaveLength(1);
    expect(open.json().data[0].contact).toEqual({ id: c.id, name: "Peter" });

    const empty = await post({ type: "note" });
    expect(empty.statusCode).toBe(400);
    const dueOnNote = await post({ type: "note", body: "x", due_at: "2026-01-01" });
    expect(dueOnNote.json().error.details[0].field).toBe("due_at");
  });
});
