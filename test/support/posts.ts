import { expect } from "vitest";
import type { Caller } from "./app";

/**
 * Normalized posts for tests: each call a new post (own id, author and minute),
 * Mastodon by default; `over` replaces any field.
 */
export function postMaker(prefix: string) {
  let seq = 0;
  return (over: Record<string, unknown> = {}) => {
    seq++;
    return {
      network: "mastodon",
      external_id: `${prefix}-${seq}`,
      author: { id: `${prefix}-author-${seq}`, handle: `user${seq}`, display_name: `User ${seq}`, followers: 10 },
      text: `Post number ${seq} about Acme`,
      created_at: new Date(Date.UTC(2026, 10, 2, 10, 0, seq)).toISOString(),
      ...over,
    };
  };
}

/** Ingests through the batch API and expects it to be accepted. */
export async function ingestOk(c: Caller, messages: unknown[]) {
  const res = await c.request("POST", "/api/v1/messages:batch", { messages });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}
