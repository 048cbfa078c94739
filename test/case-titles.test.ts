import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newWorkspace, startTestApp, type TestApp } from "./support/app";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe("cases made by the default rules", () => {
  it("are titled for people: a summary of the complaint, not its first 80 characters", async () => {
    const c = await newWorkspace(t);
    const text =
      "@acmehelp hi, my order #5521 never arrived and nobody answers my emails, I want a refund now https://example.com/orders/5521 this is the third time it happens and I am done";
    const res = await c.request("POST", "/api/v1/messages:batch", {
      messages: [
        {
          network: "x",
          external_id: "ct-1",
          author: { id: "ct-a", handle: "angry" },
          text,
          created_at: new Date(Date.UTC(2026, 10, 1, 12)).toISOString(),
        },
      ],
    });
    expect(res.statusCode, res.body).toBe(200);
    const cases = (await c.request("GET", "/api/v1/cases")).json().data as Array<{ subject: string }>;
    expect(cases).toHaveLength(1);
    const subject = cases[0]?.subject ?? "";
    expect(subject).toMatch(/^My order 5521 never arrived/);
    expect(subject).not.toMatch(/@acmehelp|https?:|Escalation/);
    expect(subject.length).toBeLessThanOrEqual(81);
    expect(text.startsWith(subject.replace(/…$/, ""))).toBe(false);
  });
});
