import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newWorkspace, startTestApp, type TestApp } from "./support/app";

let t: TestApp;
let base: string;
beforeAll(async () => {
  t = await startTestApp();
  await t.app.listen({ port: 0, host: "127.0.0.1" });
  const addr = t.app.server.address();
  base = `http://127.0.0.1:${typeof addr === "object" && addr ? addr.port : 0}`;
});
afterAll(async () => {
  await t?.close();
});

/**
 * Reads Server-Sent Events from the real server until `count` events or the timeout.
 * `ready` resolves on the stream's ": connected" comment, written once the server has subscribed.
 */
function collectEvents(cookie: string, count: number, timeoutMs: number) {
  let markReady: () => void = () => {};
  const ready = new Promise<void>((r) => {
    markReady = r;
  });
  const done = new Promise<{ events: Array<{ event: string; data: Record<string, unknown> }>; status: number }>((resolve, reject) => {
    const events: Array<{ event: string; data: Record<string, unknown> }> = [];
    const req = http.get(`${base}/api/v1/stream`, { headers: { cookie } }, (res) => {
      let buffer = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        buffer += chunk;
        if (buffer.includes(": connected\n\n")) markReady();
        let end = buffer.indexOf("\n\n");
        while (end >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (event && data) events.push({ event, data: JSON.parse(data) });
          if (events.length >= count) {
            req.destroy();
            resolve({ events, status: res.statusCode ?? 0 });
          }
          end = buffer.indexOf("\n\n");
        }
      });
    });
    req.on("error", (err) => {
      if (events.length >= count) return;
      reject(err);
    });
    setTimeout(() => {
      markReady();
      req.destroy();
      resolve({ events, status: 200 });
    }, timeoutMs);
  });
  return { ready, done };
}

describe("live inbox stream", () => {
  it("pushes new messages of the workspace, and only of that workspace", async () => {
    const a = await newWorkspace(t, "A");
    const b = await newWorkspace(t, "B");
    // A browser session of each workspace owner, as the inbox would hold.
    const signIn = async (email: string) => {
      const res = await t.app.inject({ method: "POST", url: "/api/v1/auth/signin", payload: { email, password: "correct horse" } });
      return `parley_session=${res.cookies.find((x) => x.name === "parley_session")?.value}`;
    };
    const users = await t.db
      .selectFrom("users")
      .innerJoin("memberships", "memberships.user_id", "users.id")
      .select(["users.email", "memberships.workspace_id"])
      .execute();
    const emailOf = (ws: string) => users.find((u) => u.workspace_id === ws)?.email as string;
    const listening = collectEvents(await signIn(emailOf(a.workspaceId)), 1, 10_000);
    await listening.ready;
    const msg = (id: string) => ({
      network: "x",
      external_id: id,
      author: { id: "u1", handle: "u1" },
      text: `hello ${id}`,
      created_at: new Date().toISOString(),
    });
    await b.request("POST", "/api/v1/messages:batch", { messages: [msg("for-b")] });
    await a.request("POST", "/api/v1/messages:batch", { messages: [msg("for-a")] });
    const { events, status } = await listening.done;
    expect(status).toBe(200);
    expect(events).toHaveLength(1);
    expect(events[0]?.event).toBe("message.created");
    expect(events[0]?.data.workspace_id).toBe(a.workspaceId);
    const stored = (await a.request("GET", "/api/v1/messages")).json().data[0];
    expect(events[0]?.data.message_id).toBe(stored.id);
  });
});
