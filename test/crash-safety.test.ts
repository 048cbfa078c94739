import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { afterAll, describe, expect, it } from "vitest";
import { cliEnv, freePort, parley, scratchDataDir, startServerProcess } from "./support/cli";

// kill -9 during ingest, restart: every message acknowledged before the kill is
// stored exactly once, and resending everything stores the rest exactly once.

const scratch = scratchDataDir();
const outboxScratch = scratchDataDir();
afterAll(() => {
  scratch.cleanup();
  outboxScratch.cleanup();
});

const BATCHES = 30;
const PER_BATCH = 40;

function batch(b: number) {
  return Array.from({ length: PER_BATCH }, (_, i) => ({
    network: "x",
    external_id: `crash-${b}-${i}`,
    author: { id: `author-${(b * PER_BATCH + i) % 97}`, handle: `author${(b * PER_BATCH + i) % 97}` },
    text: `Message ${i} of batch ${b}: the app keeps logging me out since the update`,
    created_at: new Date(Date.UTC(2026, 10, 1, 0, b, i)).toISOString(),
    in_reply_to: i > 0 && i % 5 === 0 ? `crash-${b}-${i - 1}` : null,
  }));
}

async function countByExternalId(base: string, key: string) {
  const counts = new Map<string, number>();
  let cursor: string | null = null;
  do {
    const res = await fetch(`${base}/api/v1/messages?limit=200${cursor ? `&cursor=${cursor}` : ""}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    const body = (await res.json()) as { data: Array<{ external_id: string }>; next_cursor: string | null };
    for (const m of body.data) counts.set(m.external_id, (counts.get(m.external_id) ?? 0) + 1);
    cursor = body.next_cursor;
  } while (cursor);
  return counts;
}

describe("crash safety", () => {
  it("loses no acknowledged message and duplicates none after kill -9 and restart", { timeout: 300_000 }, async () => {
    const env = cliEnv(scratch.dir);
    const made = await parley(
      ["user", "create", "--email", "a@b.co", "--name", "A", "--password", "password1", "--workspace-name", "Acme", "--json"],
      env,
    );
    expect(made.code, made.stderr).toBe(0);
    const key = JSON.parse((await parley(["apikey", "create", "--name", "loader", "--role", "agent", "--json"], env)).stdout)
      .secret as string;

    const port = await freePort();
    let server = await startServerProcess(env, port);
    const acked = new Set<number>();
    const send = (base: string, b: number) =>
      fetch(`${base}/api/v1/messages:batch`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({ messages: batch(b) }),
      });

    // Four senders at a time; the server is killed once some batches are acknowledged.
    let next = 0;
    let killed = false;
    const sender = async () => {
      while (next < BATCHES && !killed) {
        const b = next++;
        try {
          const res = await send(server.base, b);
          if (res.ok) {
            const body = (await res.json()) as { stored: number; duplicates: number };
            expect(body.stored + body.duplicates).toBe(PER_BATCH);
            acked.add(b);
          }
        } catch {
          // connection dropped by the kill: not acknowledged
        }
        if (acked.size >= 8 && !killed) {
          killed = true;
          server.child.kill("SIGKILL");
        }
      }
    };
    await Promise.all([sender(), sender(), sender(), sender()]);
    expect(killed).toBe(true);
    await new Promise<void>((resolve) => {
      if (server.child.exitCode !== null || server.child.signalCode !== null) resolve();
      else server.child.once("exit", () => resolve());
    });
    expect(acked.size).toBeGreaterThanOrEqual(8);
    expect(acked.size).toBeLessThan(BATCHES);

    server = await startServerProcess(env, port);
    try {
      const afterCrash = await countByExternalId(server.base, key);
      for (const b of acked) {
        for (let i = 0; i < PER_BATCH; i++) expect(afterCrash.get(`crash-${b}-${i}`), `crash-${b}-${i}`).toBe(1);
      }
      for (const n of afterCrash.values()) expect(n).toBe(1);

      // The sender retries everything; nothing doubles.
      for (let b = 0; b < BATCHES; b++) expect((await send(server.base, b)).status).toBe(200);
      const final = await countByExternalId(server.base, key);
      expect(final.size).toBe(BATCHES * PER_BATCH);
      for (const n of final.values()) expect(n).toBe(1);
    } finally {
      server.child.kill("SIGTERM");
    }
  });

  it("sends a reply exactly once when the server is killed -9 while sending it", { timeout: 120_000 }, async () => {
    // The receiving end of a webhook channel: it holds the first delivery open (the server dies
    // while waiting for it), answers the next ones, and drops a repeat of a delivery id it has
    // answered, as a network honouring an idempotency key does.
    const seen: string[] = [];
    const answered = new Map<string, number>();
    let firstArrived: () => void = () => undefined;
    const arrived = new Promise<void>((r) => {
      firstArrived = r;
    });
    const receiver = createServer((req: IncomingMessage, res: ServerResponse) => {
      let body = "";
      req.on("data", (d) => {
        body += d;
      });
      req.on("end", () => {
        const id = String(req.headers["x-parley-delivery"]);
        seen.push(id);
        if (seen.length === 1) {
          firstArrived();
          return; // never answered: the sender is killed first
        }
        answered.set(id, (answered.get(id) ?? 0) + 1);
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ id: `receiver-${id}`, text: JSON.parse(body).text }));
      });
    });
    await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
    const address = receiver.address();
    const receiverUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/replies`;

    const env = cliEnv(outboxScratch.dir, { PARLEY_ALLOW_PRIVATE_URLS: "127.0.0.1", PARLEY_OUTBOX_LEASE_SECONDS: "2" });
    const made = await parley(
      ["user", "create", "--email", "o@b.co", "--name", "O", "--password", "password1", "--workspace-name", "Outbox", "--json"],
      env,
    );
    expect(made.code, made.stderr).toBe(0);
    const key = JSON.parse((await parley(["apikey", "create", "--name", "ops", "--role", "admin", "--json"], env)).stdout).secret as string;
    const port = await freePort();
    let server = await startServerProcess(env, port);
    const call = async (method: string, path: string, body?: unknown) => {
      const res = await fetch(`${server.base}/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${key}`, ...(body ? { "content-type": "application/json" } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      return { status: res.status, json: (await res.json()) as Record<string, unknown> & { data?: Record<string, unknown>[] } };
    };
    try {
      const channel = await call("POST", "/channels", { name: "Helpdesk", network: "webhook", config: { reply_url: receiverUrl } });
      expect(channel.status).toBe(201);
      const message = {
        network: "webhook",
        external_id: "t-1",
        author: { id: "u-1", handle: "nora" },
        text: "My invoice is wrong",
        created_at: new Date().toISOString(),
      };
      expect((await call("POST", "/messages:batch", { channel_id: channel.json.id, messages: [message] })).status).toBe(200);
      const conversationId = (await call("GET", "/conversations?network=webhook")).json.data?.[0]?.id as string;
      const sent = await call("POST", `/conversations/${conversationId}/replies`, { text: "A new invoice is on its way." });
      expect(sent.status).toBe(201);
      const replyId = sent.json.id as string;

      // The reply and its outbox entry are committed; the server dies while the send is in flight.
      await arrived;
      server.child.kill("SIGKILL");
      await new Promise<void>((r) => {
        if (server.child.exitCode !== null || server.child.signalCode !== null) r();
        else server.child.once("exit", () => r());
      });

      server = await startServerProcess(env, port);
      let status = "";
      for (let i = 0; i < 120 && status !== "sent"; i++) {
        await new Promise((r) => setTimeout(r, 250));
        status = String((await call("GET", `/conversations/${conversationId}/replies/${replyId}`)).json.delivery_status);
      }
      expect(status).toBe("sent");
      const after = await call("GET", `/conversations/${conversationId}/replies/${replyId}`);
      expect(after.json.external_id).toBe(`receiver-${replyId}`);
      // Every attempt carried the same delivery id, and the receiver answered it once.
      expect(new Set(seen)).toEqual(new Set([replyId]));
      expect([...answered.entries()]).toEqual([[replyId, 1]]);
      const thread = await call("GET", `/messages?conversation_id=${conversationId}`);
      const outbound = (thread.json.data ?? []).filter((m) => m.direction === "outbound");
      expect(outbound.map((m) => m.text)).toEqual(["A new invoice is on its way."]);
    } finally {
      server.child.kill("SIGTERM");
      receiver.closeAllConnections();
      await new Promise<void>((r) => receiver.close(() => r()));
    }
  });
});
