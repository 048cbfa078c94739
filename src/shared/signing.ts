import { createHmac, timingSafeEqual } from "node:crypto";

// Parley's webhook signature, the same both ways: on the deliveries the rules send
// and on those the inbound webhook (POST /hooks/{channelId}) accepts.
// `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`, timestamp in unix seconds.

export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

/** Whether `signature` is the body's signature with this secret and timestamp (compared in constant time). */
export function signatureMatches(secret: string, timestamp: number, body: string, signature: string): boolean {
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
