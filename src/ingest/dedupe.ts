import { createHash } from "node:crypto";
import { newId } from "../shared/ids";
import * as store from "../store/listening";
import { type Candidate, type NetworkBatch, type Normalized, networkKey, type Storable } from "./batch";
import type { IngestOutcome } from "./outcomes";

// Stage 2, dedupe: a message is stored once per (network, external_id), whether it
// comes twice in one batch or again later (also after a crash and a re-ingest); a
// repost of a stored post, or a near-identical copy of one, is collapsed into it
// (counted on it, and remembered as an alias so it is a duplicate next time).

/** Near-identical copies share this hash: case, links, mentions and punctuation don't count. */
export function contentHash(text: string): string | null {
  const core = text
    .toLowerCase()
    .replace(/https?:\/\/\S+/g, " ")
    .replace(/@[\p{L}\p{N}_.]+/gu, " ")
    .replace(/[^\p{L}\p{N}#]+/gu, " ")
    .trim();
  // Short texts ("thanks!", "same here") are too common to call copies.
  if (core.length < 40) return null;
  return createHash("sha1").update(core).digest("hex");
}

/** The batch without its own repeats (the first one counts), oldest first so that parents come before replies. */
export function dedupeBatch(normalized: Normalized[], outcomes: IngestOutcome[]): Candidate[] {
  const seen = new Set<string>();
  const candidates: Candidate[] = [];
  for (const n of normalized) {
    const k = networkKey(n.msg.network, n.msg.external_id);
    if (seen.has(k)) {
      outcomes[n.index] = { status: "duplicate", external_id: n.msg.external_id };
      continue;
    }
    seen.add(k);
    const hash = n.msg.in_reply_to || n.msg.repost_of ? null : contentHash(n.text);
    candidates.push({ ...n, hash });
  }
  return candidates.sort((a, b) => a.msg.created_at.localeCompare(b.msg.created_at) || a.index - b.index);
}

export function byNetwork(candidates: Candidate[]): Map<string, Candidate[]> {
  const groups = new Map<string, Candidate[]>();
  for (const c of candidates) {
    const group = groups.get(c.msg.network);
    if (group) group.push(c);
    else groups.set(c.msg.network, [c]);
  }
  return groups;
}

/** The messages not stored yet (as messages or as collapsed aliases). */
export async function dedupeStored({ tx, workspaceId, network, outcomes }: NetworkBatch, group: Candidate[]): Promise<Candidate[]> {
  const existing = await store.existingExternalIds(
    tx,
    workspaceId,
    network,
    group.map((c) => c.msg.external_id),
  );
  return group.filter((c) => {
    if (!existing.has(c.msg.external_id)) return true;
    outcomes[c.index] = { status: "duplicate", external_id: c.msg.external_id };
    return false;
  });
}

/** Stored messages the batch refers to: by external id (parents, quoted and reposted posts) and by content hash (copies). */
export type References = {
  known: Map<string, { id: string; conversation_id: string }>;
  byHash: Map<string, string>;
};

export async function findReferences({ tx, workspaceId, network }: NetworkBatch, fresh: Candidate[]): Promise<References> {
  const refIds = new Set<string>();
  for (const c of fresh) {
    for (const r of [c.msg.in_reply_to, c.msg.quote_of, c.msg.repost_of, ...(c.msg.references ?? [])]) if (r) refIds.add(r);
  }
  const known = new Map<string, { id: string; conversation_id: string }>();
  for (const m of await store.messagesByExternalId(tx, workspaceId, network, [...refIds])) known.set(m.external_id, m);
  const hashes = [...new Set(fresh.map((c) => c.hash).filter((h): h is string => Boolean(h)))];
  const byHash = new Map<string, string>();
  for (const m of await store.messagesByContentHash(tx, workspaceId, network, hashes)) {
    if (m.content_hash && !byHash.has(m.content_hash)) byHash.set(m.content_hash, m.id);
  }
  return { known, byHash };
}

export type Alias = { workspace_id: string; network: string; external_id: string; message_id: string; kind: "repost" | "copy" };
export type Collapsed = {
  /** The messages to store, each with its new id. */
  messages: Storable[];
  aliases: Alias[];
  /** Reposts and copies to add to the stored messages, by message id. */
  counts: Map<string, { reposts: number; copies: number }>;
};

/** Reposts of known posts and near-identical copies (of stored messages, or of one earlier in the batch) are collapsed. */
export function collapse({ workspaceId, network, outcomes }: NetworkBatch, fresh: Candidate[], { known, byHash }: References): Collapsed {
  const counts = new Map<string, { reposts: number; copies: number }>();
  const aliases: Alias[] = [];
  const bump = (id: string, field: "reposts" | "copies") => {
    const c = counts.get(id) ?? { reposts: 0, copies: 0 };
    c[field]++;
    counts.set(id, c);
  };
  const messages: Storable[] = [];
  for (const c of fresh) {
    const original = c.msg.repost_of ? known.get(c.msg.repost_of) : undefined;
    if (original) {
      bump(original.id, "reposts");
      aliases.push({ workspace_id: workspaceId, network, external_id: c.msg.external_id, message_id: original.id, kind: "repost" });
      outcomes[c.index] = {
        status: "collapsed",
        external_id: c.msg.external_id,
        message_id: original.id,
        conversation_id: original.conversation_id,
        reason: "repost",
      };
      continue;
    }
    const copyOf = c.hash ? byHash.get(c.hash) : undefined;
    if (copyOf) {
      bump(copyOf, "copies");
      aliases.push({ workspace_id: workspaceId, network, external_id: c.msg.external_id, message_id: copyOf, kind: "copy" });
      outcomes[c.index] = { status: "collapsed", external_id: c.msg.external_id, message_id: copyOf, reason: "near-identical copy" };
      continue;
    }
    const id = newId();
    if (c.hash) byHash.set(c.hash, id);
    messages.push({ ...c, id });
    outcomes[c.index] = { status: "stored", external_id: c.msg.external_id, message_id: id };
  }
  return { messages, aliases, counts };
}
