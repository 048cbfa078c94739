import { z } from "zod";
import { type Actor, audit, requirePermission } from "../accounts";
import { buildContactRow, getContact, parseContactInput } from "../crm";
import { AppError, invalid } from "../shared/errors";
import { decodeCursor, encodeCursor, pageLimit } from "../shared/pagination";
import * as crm from "../store/crm";
import type { Db, DbOrTx } from "../store/db";
import * as store from "../store/identity";
import { AUTO_LINK_LEVELS } from "../store/schema-identity";
import { DEFAULT_THRESHOLD } from "./matching";

// Profiles (message authors) as staff see them: linked ones on the person
// view, unknown ones in "people talking about us we don't know yet", each with
// how it was linked or what suggests whom it belongs to.

type ProfileRecord = store.ProfileRecord;

export function presentProfile(p: ProfileRecord, names: Map<string, string> = new Map()) {
  return {
    id: p.id,
    network: p.network,
    network_id: p.network_id,
    handle: p.handle,
    display_name: p.display_name,
    profile_url: p.profile_url,
    followers: p.followers,
    bio: p.bio,
    verified: p.verified,
    contact_id: p.contact_id,
    link: p.contact_id
      ? {
          method: p.link_method ?? "confirmed",
          evidence: p.link_evidence,
          confidence: p.link_confidence ?? 1,
          linked_at: p.linked_at,
          linked_by_name: p.linked_by ? (names.get(p.linked_by) ?? null) : null,
        }
      : null,
    first_seen_at: p.first_seen_at,
    last_seen_at: p.last_seen_at,
    message_count: p.message_count,
  };
}

async function userNames(db: DbOrTx, workspaceId: string, profiles: ProfileRecord[]) {
  const ids = [...new Set(profiles.flatMap((p) => (p.linked_by ? [p.linked_by] : [])))];
  const members = ids.length ? await store.usersByIds(db, workspaceId, ids) : [];
  return new Map(members.map((m) => [m.id, m.name]));
}

export async function contactProfiles(db: DbOrTx, actor: Actor, contactId: string) {
  requirePermission(actor, "crm:read");
  await getContact(db, actor, contactId);
  const rows = await store.profilesOfContact(db, actor.workspaceId, contactId);
  const names = await userNames(db, actor.workspaceId, rows);
  return { data: rows.map((p) => presentProfile(p, names)) };
}

export const profileListSchema = z
  .object({
    linked: z.enum(["true", "false"]).optional(),
    suggested: z.enum(["true", "false"]).optional(),
    network: z.string().max(40).optional(),
    q: z.string().max(200).optional(),
    cursor: z.string().max(500).optional(),
    limit: z.coerce.number().int().optional(),
  })
  .strict();

export async function listProfiles(db: DbOrTx, actor: Actor, params: z.infer<typeof profileListSchema>) {
  requirePermission(actor, "crm:read");
  const limit = pageLimit(params.limit);
  const c = decodeCursor(params.cursor, "profiles");
  const rows = await store.listProfiles(db, {
    workspaceId: actor.workspaceId,
    linked: params.linked === undefined ? undefined : params.linked === "true",
    suggested: params.suggested === "true",
    network: params.network,
    q: params.q?.trim() || undefined,
    after: c ? { at: new Date(String(c[0])), id: c[1] } : undefined,
    limit: limit + 1,
  });
  const page = rows.slice(0, limit);
  const suggestions = await store.suggestionsFor(
    db,
    actor.workspaceId,
    page.filter((p) => !p.contact_id).map((p) => p.id),
  );
  const top = new Map<string, (typeof suggestions)[number]>();
  for (const s of suggestions) if (!top.has(s.profile_id)) top.set(s.profile_id, s);
  const names = await userNames(db, actor.workspaceId, page);
  const last = page[page.length - 1];
  return {
    data: page.map((p) => {
      const s = top.get(p.id);
      return {
        ...presentProfile(p, names),
        top_suggestion: s ? { contact_id: s.contact_id, contact_name: s.contact_name, score: s.score, evidence: s.evidence } : null,
      };
    }),
    next_cursor: rows.length > limit && last ? encodeCursor("profiles", last.last_seen_at, last.id) : null,
  };
}

export async function getProfile(db: DbOrTx, actor: Actor, id: string) {
  requirePermission(actor, "crm:read");
  const p = await store.findProfileOrThrow(db, actor.workspaceId, id);
  const names = await userNames(db, actor.workspaceId, [p]);
  const suggestions = p.contact_id ? [] : await store.suggestionsFor(db, actor.workspaceId, [p.id]);
  const contact = p.contact_id ? await crm.findContact(db, actor.workspaceId, p.contact_id) : undefined;
  const recent = await store.recentMessagesOfProfile(db, actor.workspaceId, p.id, 10);
  return {
    ...presentProfile(p, names),
    contact: contact ? { id: contact.id, name: contact.name } : null,
    suggestions: suggestions.map((s) => ({
      contact: { id: s.contact_id, name: s.contact_name, emails: s.contact_emails },
      score: s.score,
      evidence: s.evidence,
    })),
    recent_messages: recent,
  };
}

export const linkBodySchema = z.union([
  z.object({ contact_id: z.uuid() }).strict(),
  z
    .object({
      create_contact: z
        .object({
          name: z.string().trim().max(300).optional(),
          emails: z.array(z.string()).max(20).optional(),
        })
        .strict(),
    })
    .strict(),
]);
export type LinkProfileInput = z.infer<typeof linkBodySchema>;

/** An agent links a profile to a contact (confirmed evidence), or makes a new contact of it. */
export async function linkProfileTo(db: Db, actor: Actor, profileId: string, body: LinkProfileInput) {
  requirePermission(actor, "crm:write");
  return db.transaction().execute(async (tx) => {
    const p = await store.findProfileOrThrow(tx, actor.workspaceId, profileId);
    let contactId: string;
    let evidence: string[];
    if ("contact_id" in body) {
      if (!(await crm.findContact(tx, actor.workspaceId, body.contact_id))) {
        throw invalid("contact_id", "is not a contact of this workspace");
      }
      contactId = body.contact_id;
      const suggested = (await store.suggestionsFor(tx, actor.workspaceId, [p.id])).find((s) => s.contact_id === contactId);
      evidence = [`confirmed by ${actor.label}`, ...(suggested?.evidence ?? [])];
    } else {
      const name = body.create_contact.name || p.display_name || p.handle || p.network_id;
      const input = parseContactInput({ name, emails: body.create_contact.emails });
      const row = buildContactRow(actor.workspaceId, input, await crm.listCustomFields(tx, actor.workspaceId, "contact"));
      await crm.insertContact(tx, row);
      contactId = row.id;
      evidence = [`contact created from this profile by ${actor.label}`];
    }
    await store.linkProfile(tx, actor.workspaceId, p.id, {
      contact_id: contactId,
      method: "confirmed",
      evidence,
      confidence: 1,
      by: actor.userId,
    });
    await audit(tx, actor, "profile.linked", { type: "profile", id: p.id }, `Linked ${profileLabel(p)} to a contact`, {
      contact_id: contactId,
      previous_contact_id: p.contact_id,
    });
    return getProfile(tx, actor, p.id);
  });
}

/** How an audit entry names a profile: its network and handle. */
const profileLabel = (p: { network: string; handle: string | null; network_id: string }) =>
  `${p.network} profile ${p.handle ?? p.network_id}`;

export async function unlinkProfile(db: Db, actor: Actor, profileId: string) {
  requirePermission(actor, "crm:write");
  return db.transaction().execute(async (tx) => {
    const p = await store.findProfileOrThrow(tx, actor.workspaceId, profileId);
    if (!p.contact_id) throw new AppError("conflict", "this profile is not linked to a contact");
    await store.linkProfile(tx, actor.workspaceId, p.id, { contact_id: null, method: null, evidence: [], confidence: null, by: null });
    // Unlinking says "not this person": never suggest the pair again.
    await store.dismissSuggestion(tx, actor.workspaceId, p.id, p.contact_id);
    await audit(tx, actor, "profile.unlinked", { type: "profile", id: p.id }, `Unlinked ${profileLabel(p)} from its contact`, {
      contact_id: p.contact_id,
    });
    return getProfile(tx, actor, p.id);
  });
}

export const dismissSuggestionSchema = z.object({ contact_id: z.uuid() }).strict();
export type DismissSuggestionInput = z.infer<typeof dismissSuggestionSchema>;

export async function dismissProfileSuggestion(db: DbOrTx, actor: Actor, profileId: string, body: DismissSuggestionInput) {
  requirePermission(actor, "crm:write");
  const p = await store.findProfileOrThrow(db, actor.workspaceId, profileId);
  if (!(await crm.findContact(db, actor.workspaceId, body.contact_id))) throw invalid("contact_id", "is not a contact of this workspace");
  await store.dismissSuggestion(db, actor.workspaceId, p.id, body.contact_id);
  return { ok: true as const };
}

export const identitySettingsSchema = z
  .object({
    auto_link: z.enum(AUTO_LINK_LEVELS).optional(),
    suggest_threshold: z.number().min(0).max(1).optional(),
    duplicate_threshold: z.number().min(0).max(1).nullable().optional(),
  })
  .strict();
export type IdentitySettingsPatch = z.infer<typeof identitySettingsSchema>;

export async function getIdentitySettings(db: DbOrTx, actor: Actor) {
  requirePermission(actor, "crm:read");
  const s = await store.identitySettings(db, actor.workspaceId);
  return { ...s, duplicate_threshold: s.duplicate_threshold ?? DEFAULT_THRESHOLD };
}

export async function updateIdentitySettings(db: DbOrTx, actor: Actor, patch: IdentitySettingsPatch) {
  requirePermission(actor, "workspace:manage");
  await store.saveIdentitySettings(db, actor.workspaceId, patch);
  await audit(db, actor, "identity.settings_changed", { type: "workspace", id: actor.workspaceId }, "Changed the identity settings", patch);
  return getIdentitySettings(db, actor);
}
