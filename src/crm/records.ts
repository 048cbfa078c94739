import type { Actor } from "../accounts";
import { requirePermission } from "../accounts";
import * as store from "../store/crm";
import type { Db, DbOrTx } from "../store/db";
import { onDuplicate } from "../store/errors";
import type { CustomFieldRow, Entity } from "../store/schema";

// Contacts and organizations are saved the same way: one transaction that loads the current
// row (when changing one), builds the new row with the entity's custom fields, checks its
// references and writes it, a duplicate external id answering as a conflict.

type NewRow = { workspace_id: string; id: string };

/** What saving one kind of CRM record needs to know about it. */
export type RecordKind<Current extends { id: string }, Row extends NewRow, Input, View> = {
  entity: Entity;
  find: (tx: DbOrTx, workspaceId: string, id: string) => Promise<Current>;
  build: (workspaceId: string, input: Input, defs: CustomFieldRow[], current?: Current) => Row;
  checkReferences: (tx: DbOrTx, workspaceId: string, row: Row) => Promise<void>;
  insert: (tx: DbOrTx, row: Row) => Promise<unknown>;
  update: (tx: DbOrTx, workspaceId: string, id: string, patch: Omit<Row, keyof NewRow>) => Promise<unknown>;
  /** The conflict's message and the external_id field's message when another record has the external id. */
  duplicateExternalId: [message: string, fieldMessage: string];
  get: (tx: DbOrTx, actor: Actor, id: string) => Promise<View>;
};

/** Creates a record, or with an id changes that one; answers with the saved record. */
export async function saveRecord<Current extends { id: string }, Row extends NewRow, Input, View>(
  db: Db,
  actor: Actor,
  kind: RecordKind<Current, Row, Input, View>,
  input: Input,
  id?: string,
): Promise<View> {
  requirePermission(actor, "crm:write");
  return db.transaction().execute(async (tx) => {
    const current = id === undefined ? undefined : await kind.find(tx, actor.workspaceId, id);
    const defs = await store.listCustomFields(tx, actor.workspaceId, kind.entity);
    const row = kind.build(actor.workspaceId, input, defs, current);
    await kind.checkReferences(tx, actor.workspaceId, row);
    const { workspace_id: _w, id: _i, ...patch } = row;
    await onDuplicate(
      current ? kind.update(tx, actor.workspaceId, current.id, patch) : kind.insert(tx, row),
      "external_id",
      ...kind.duplicateExternalId,
    );
    return kind.get(tx, actor, row.id);
  });
}
