import { z } from "zod";
import { type Actor, audit, auditActor, requirePermission } from "../accounts";
import { PERSON_FIELDS } from "../contracts";
import { contactSearchText, getContact } from "../crm";
import { AppError, invalid, notFound } from "../shared/errors";
import { newId } from "../shared/ids";
import * as crm from "../store/crm";
import type { Db, DbOrTx } from "../store/db";
import * as store from "../store/identity";
import type { MovedRows } from "../store/schema-identity";

// Merge two contacts into one, with field-level survivorship: for each
// single-valued field the caller picks which value survives (default: the kept
// contact's, or the other's where the kept one is empty); emails, phones and
// tags are unioned; profiles, activities and every other row that points at a
// contact (cases, deals, ideas, votes …) move over. Both contacts are kept as
// they were, with the moved rows' keys, so an undo restores them exactly.

/** Single-valued fields a merge chooses between. */
export const SURVIVOR_FIELDS = [
  "name",
  "first_name",
  "last_name",
  "title",
  "organization_id",
  "lifecycle_stage",
  "owner_id",
  "city",
  "country",
  ...PERSON_FIELDS,
  "notes",
  "external_id",
  "consent_email",
  "consent_sms",
  "consent_tracking",
] as const;
const UNION_FIELDS = ["emails", "phones", "tags"] as const;

export const mergeInputSchema = z
  .object({
    keep: z.uuid(),
    merge: z.uuid(),
    fields: z
      .record(
        z.string().regex(/^([a-z_]+|custom\.[a-z][a-z0-9_]*)$/, { message: "must be a field name or custom.<key>" }),
        z.enum(["keep", "merge"]),
      )
      .optional(),
    reason: z.string().trim().max(1000).optional(),
  })
  .strict();
export type MergeInput = z.infer<typeof mergeInputSchema>;

const isEmpty = (v: unknown) => v === null || v === undefined || v === "" || (Array.isArray(v) && v.length === 0);

function survivingPatch(kept: Record<string, unknown>, merged: Record<string, unknown>, fields: Record<string, "keep" | "merge">) {
  for (const f of Object.keys(fields)) {
    if (!f.startsWith("custom.") && !(SURVIVOR_FIELDS as readonly string[]).includes(f)) {
      throw invalid(`fields.${f}`, `is not a field a merge chooses (one of: ${SURVIVOR_FIELDS.join(", ")}, custom.<key>)`);
    }
  }
  const patch: Record<string, unknown> = {};
  for (const f of SURVIVOR_FIELDS) {
    const choice = fields[f] ?? (isEmpty(kept[f]) && !isEmpty(merged[f]) ? "merge" : "keep");
    if (choice === "merge") patch[f] = merged[f];
  }
  for (const f of UNION_FIELDS) {
    const all = [...((kept[f] as string[]) ?? []), ...((merged[f] as string[]) ?? [])];
    const seen = new Set<string>();
    patch[f] = all.filter((v) => {
      const k = v.toLowerCase();
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  }
  const keptCustom = (kept.custom ?? {}) as Record<string, unknown>;
  const mergedCustom = (merged.custom ?? {}) as Record<string, unknown>;
  const custom: Record<string, unknown> = { ...keptCustom };
  for (const key of new Set([...Object.keys(keptCustom), ...Object.keys(mergedCustom)])) {
    const choice = fields[`custom.${key}`] ?? (isEmpty(keptCustom[key]) && !isEmpty(mergedCustom[key]) ? "merge" : "keep");
    if (choice === "merge") {
      if (mergedCustom[key] === undefined) delete custom[key];
      else custom[key] = mergedCustom[key];
    }
  }
  patch.custom = JSON.stringify(custom);
  return patch;
}

/** `input` is parsed with mergeInputSchema at the edge (the route's body schema, or the CLI). */
export async function mergeContacts(db: Db, actor: Actor, input: MergeInput) {
  requirePermission(actor, "crm:write");
  if (input.keep === input.merge) throw invalid("merge", "a contact cannot be merged with itself");
  const ws = actor.workspaceId;
  return db.transaction().execute(async (tx) => {
    const keptBefore = await store.contactSnapshot(tx, ws, input.keep);
    if (!keptBefore) throw notFound("Contact to keep");
    const mergedBefore = await store.contactSnapshot(tx, ws, input.merge);
    if (!mergedBefore) throw notFound("Contact to merge");
    const patch = survivingPatch(keptBefore, mergedBefore, input.fields ?? {});

    const moved: MovedRows = {};
    for (const ref of await store.contactReferences(tx)) {
      const r = await store.moveReferences(tx, ws, ref, input.merge, input.keep);
      if (r.moved.length || r.removed.length) moved[`${ref.table}.${ref.column}`] = r;
    }
    await store.deleteContactRow(tx, ws, input.merge);
    const kept = await crm.findContact(tx, ws, input.keep);
    const next = { ...kept, ...patch } as Record<string, unknown>;
    await crm.updateContact(tx, ws, input.keep, {
      ...(patch as object),
      search: contactSearchText(next as Parameters<typeof contactSearchText>[0]),
    });

    const mergeId = newId();
    await store.insertMerge(tx, {
      workspace_id: ws,
      id: mergeId,
      kept_id: input.keep,
      merged_id: input.merge,
      merged_name: String(mergedBefore.name ?? ""),
      fields: input.fields ?? {},
      reason: input.reason ?? null,
      actor: auditActor(actor),
      actor_user_id: actor.userId,
      kept_before: keptBefore,
      merged_before: mergedBefore,
      moved,
    });
    await audit(
      tx,
      actor,
      "contact.merged",
      { type: "contact", id: input.keep },
      `Merged "${String(mergedBefore.name ?? "")}" into "${String(keptBefore.name ?? "")}"`,
      {
        merge_id: mergeId,
        merged_id: input.merge,
        merged_name: mergedBefore.name,
        reason: input.reason ?? null,
        moved: Object.fromEntries(Object.entries(moved).map(([k, v]) => [k, v.moved.length])),
      },
    );
    return { merge: await presentMerge(tx, ws, mergeId), contact: await getContact(tx, actor, input.keep) };
  });
}

export async function undoMerge(db: Db, actor: Actor, mergeId: string) {
  requirePermission(actor, "crm:write");
  const ws = actor.workspaceId;
  return db.transaction().execute(async (tx) => {
    const m = await store.findMergeOrThrow(tx, ws, mergeId);
    if (m.undone_at) throw new AppError("conflict", "this merge was already undone");
    if (m.erased_at)
      throw new AppError("conflict", "a person in this merge was erased: it can no longer be undone", [
        { field: "merge", message: "involves erased data" },
      ]);
    const later = await store.laterMerges(tx, ws, [m.kept_id, m.merged_id], mergeId);
    if (later.length) {
      throw new AppError("conflict", "a later merge involves these contacts: undo it first", [
        { field: "merge", message: `undo merge ${later[0]?.id} first` },
      ]);
    }
    const keptBefore = parseJson(m.kept_before);
    const mergedBefore = parseJson(m.merged_before);
    // The merged contact comes back first (its external id may be held by the kept one now).
    await store.restoreContact(tx, keptBefore);
    await store.restoreContact(tx, mergedBefore);
    const moved = parseJson(m.moved) as MovedRows;
    const refs = await store.contactReferences(tx);
    for (const [key, rows] of Object.entries(moved)) {
      const ref = refs.find((r) => `${r.table}.${r.column}` === key);
      if (!ref) continue; // a table dropped since: nothing to restore
      await store.restoreReferences(tx, ws, ref, m.kept_id, m.merged_id, rows.moved, rows.removed);
    }
    await store.markMergeUndone(tx, ws, mergeId, auditActor(actor));
    await audit(
      tx,
      actor,
      "contact.unmerged",
      { type: "contact", id: m.kept_id },
      `Undid the merge of "${m.merged_name}" into "${String(keptBefore.name ?? "")}"`,
      { merge_id: mergeId, restored_id: m.merged_id },
    );
    return {
      merge: await presentMerge(tx, ws, mergeId),
      contacts: [await getContact(tx, actor, m.kept_id), await getContact(tx, actor, m.merged_id)],
    };
  });
}

function parseJson<T = Record<string, unknown>>(v: unknown): T {
  return (typeof v === "string" ? JSON.parse(v) : v) as T;
}

export async function presentMerge(db: DbOrTx, workspaceId: string, id: string) {
  const [m] = await store.mergesOf(db, workspaceId, { id });
  if (!m) throw notFound("Merge");
  return mergeView(m);
}

type MergeListRow = Awaited<ReturnType<typeof store.mergesOf>>[number];
function mergeView(m: MergeListRow) {
  return {
    id: m.id,
    kept_id: m.kept_id,
    merged_id: m.merged_id,
    merged_name: m.merged_name,
    fields: parseJson<Record<string, "keep" | "merge">>(m.fields),
    reason: m.reason,
    actor: m.actor,
    actor_name: m.actor_name ?? null,
    created_at: m.created_at,
    undone_at: m.undone_at,
  };
}

export async function listMerges(db: DbOrTx, actor: Actor, contactId?: string) {
  requirePermission(actor, "crm:read");
  const rows = await store.mergesOf(db, actor.workspaceId, { contactId });
  return { data: rows.map(mergeView) };
}
