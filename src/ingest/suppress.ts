import { suppressionHash as hash, type Suppression, suppressedHashes } from "../store/erasure";
import type { Candidate, NetworkBatch } from "./batch";

// Suppression (issue 13), before anything else is stored: a person who was erased left only
// hashes of their identities (network + author id, network + handle, email address). A message
// whose author matches one is dropped whole ("filtered", reason "suppressed"): nothing of it is
// stored, so neither their old posts nor new ones bring them back as a profile or a person.

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** The suppression hashes of one identity on a network (its id, handle and any email address). */
export function identityHashes(
  workspaceId: string,
  network: string,
  author: { id: string; handle?: string | null },
  emails: string[] = [],
): Suppression[] {
  const out: Suppression[] = [{ kind: "profile", hash: hash(workspaceId, "profile", `${network}\u0000${author.id}`) }];
  const handle = author.handle?.trim().replace(/^@/, "").toLowerCase();
  if (handle) out.push({ kind: "handle", hash: hash(workspaceId, "handle", `${network}\u0000${handle}`) });
  const addresses = [author.id, author.handle ?? "", ...emails].map((a) => a.trim().toLowerCase()).filter((a) => EMAIL.test(a));
  for (const a of new Set(addresses)) out.push({ kind: "email", hash: hash(workspaceId, "email", a) });
  return out;
}

/** The candidates whose author was not erased; the others are marked filtered. */
export async function dropSuppressed({ tx, workspaceId, network, outcomes }: NetworkBatch, group: Candidate[]): Promise<Candidate[]> {
  const hashesOf = new Map(group.map((c) => [c, identityHashes(workspaceId, network, c.msg.author).map((s) => s.hash)]));
  const suppressed = await suppressedHashes(tx, workspaceId, [...hashesOf.values()].flat());
  if (suppressed.size === 0) return group;
  return group.filter((c) => {
    if (!hashesOf.get(c)?.some((h) => suppressed.has(h))) return true;
    outcomes[c.index] = { status: "filtered", external_id: c.msg.external_id, reason: "suppressed: the author's data was erased" };
    return false;
  });
}
