import { afterAll, describe, expect, it } from "vitest";
import { cliEnv, freePort, parley, scratchDataDir, startServerProcess } from "./support/cli";

// kill -9 during ingest, restart: every message acknowledged before the kill is
// stored exactly once, and resending everything stores the rest exactly once.

const scratch = scratchDataDir();
afterAll(() => scratch.cleanup());

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
});
