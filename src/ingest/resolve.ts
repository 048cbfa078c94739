import { resolveProfiles } from "../identity";
import { newId } from "../shared/ids";
import * as store from "../store/listening";
import { type NetworkBatch, networkKey, type Storable } from "./batch";

// Stage 4, resolve: each author becomes (or refreshes) a profile on its network;
// a new profile is linked to a contact on strong evidence, suggested on weaker
// (src/identity).

/** The authors' profile ids, by networkKey(network, author id). */
export async function resolveAuthors({ tx, workspaceId, network }: NetworkBatch, messages: Storable[]): Promise<Map<string, string>> {
  const profileInputs = new Map<string, store.ProfileUpsert>();
  for (const { msg } of messages) {
    const a = msg.author;
    // Several posts by one author in a batch: what any of them tells about the author is kept.
    const prev = profileInputs.get(a.id);
    profileInputs.set(a.id, {
      id: prev?.id ?? newId(),
      network,
      network_id: a.id,
      handle: a.handle ?? prev?.handle ?? null,
      display_name: a.display_name ?? prev?.display_name ?? null,
      profile_url: a.profile_url ?? prev?.profile_url ?? null,
      followers: a.followers ?? prev?.followers ?? null,
      bio: a.bio ?? prev?.bio ?? null,
      verified: (a.verified ?? false) || (prev?.verified ?? false),
      messages: (prev?.messages ?? 0) + 1,
      seen_at: prev && prev.seen_at > new Date(msg.created_at) ? prev.seen_at : new Date(msg.created_at),
    });
  }
  const profileIds = await store.upsertProfiles(tx, workspaceId, [...profileInputs.values()]);
  // only the profiles this batch created are new (an upsert keeps an existing profile's id)
  await resolveProfiles(
    tx,
    workspaceId,
    [...profileInputs.values()].filter((p) => profileIds.get(networkKey(network, p.network_id)) === p.id),
  );
  return profileIds;
}
