import type { Actor } from "../accounts";
import { requirePermission } from "../accounts";
import { invalid } from "../shared/errors";
import { newId } from "../shared/ids";
import * as store from "../store/crm";
import type { Db, DbOrTx } from "../store/db";
import { onDuplicate } from "../store/errors";
import type { CustomFieldRow, Entity } from "../store/schema";
import { type CustomFieldInput, type CustomFieldPatch, PERSON_FIELDS } from "./schemas";

// Fields a workspace adds to contacts and organizations; values live in `custom`.

/** Keys that would be confused with built-in fields in imports, filters and exports. */
export const RESERVED_KEYS = new Set([
  "id",
  "name",
  "first_name",
  "last_name",
  "email",
  "emails",
  "phone",
  "phones",
  "title",
  "organization",
  "organization_id",
  "lifecycle_stage",
  "owner_id",
  "tags",
  "city",
  "country",
  ...PERSON_FIELDS,
  "notes",
  "external_id",
  "created_at",
  "updated_at",
  "domain",
  "industry",
  "size",
  "has_open_tasks",
]);

export function presentCustomField(row: CustomFieldRow) {
  return {
    id: row.id,
    entity: row.entity,
    key: row.key,
    label: row.label,
    type: row.type,
    options: row.options,
    position: row.position,
    created_at: row.created_at,
  };
}

function checkOptions(type: string, options: string[] | undefined) {
  const needs = type === "select" || type === "multiselect";
  if (needs && (!options || options.length === 0)) throw invalid("options", `a ${type} field needs at least one option`);
  if (!needs && options && options.length > 0) throw invalid("options", `a ${type} field has no options`);
  if (options && new Set(options.map((o) => o.toLowerCase())).size !== options.length) {
    throw invalid("options", "options must be unique");
  }
}

export async function listCustomFields(db: DbOrTx, actor: Actor, entity?: Entity) {
  requirePermission(actor, "crm:read");
  return { data: (await store.listCustomFields(db, actor.workspaceId, entity)).map(presentCustomField) };
}

export async function createCustomField(db: Db, actor: Actor, input: CustomFieldInput) {
  requirePermission(actor, "fields:manage");
  if (RESERVED_KEYS.has(input.key)) throw invalid("key", `"${input.key}" is a built-in field`);
  checkOptions(input.type, input.options);
  const id = newId();
  await onDuplicate(
    store.insertCustomField(db, {
      workspace_id: actor.workspaceId,
      id,
      entity: input.entity,
      key: input.key,
      label: input.label,
      type: input.type,
      options: input.options ?? [],
      position: input.position ?? 0,
    }),
    "key",
    `a ${input.entity} field with this key already exists`,
  );
  const row = await store.findCustomFieldOrThrow(db, actor.workspaceId, id);
  return presentCustomField(row);
}

export async function updateCustomField(db: Db, actor: Actor, id: string, input: CustomFieldPatch) {
  requirePermission(actor, "fields:manage");
  const current = await store.findCustomFieldOrThrow(db, actor.workspaceId, id);
  if (input.options) checkOptions(current.type, input.options);
  await store.updateCustomField(db, actor.workspaceId, id, input);
  const row = await store.findCustomFieldOrThrow(db, actor.workspaceId, id);
  return presentCustomField(row);
}

export async function deleteCustomField(db: Db, actor: Actor, id: string) {
  requirePermission(actor, "fields:manage");
  await db.transaction().execute(async (tx) => {
    const current = await store.findCustomFieldOrThrow(tx, actor.workspaceId, id);
    await store.deleteCustomField(tx, current);
  });
}
