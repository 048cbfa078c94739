import { type Actor, requirePermission } from "../accounts";
import type { ViewFilters } from "../contracts/team";
import { conversationStoreFilter } from "../inbox";
import { notFound } from "../shared/errors";
import { newId } from "../shared/ids";
import type { DbOrTx } from "../store/db";
import { countConversations } from "../store/listening";
import type { SavedViewRow } from "../store/schema-team";
import * as store from "../store/team";

// Saved views of the inbox ("my open complaints", "unassigned high priority"): a name and the
// inbox list's filters, shared with the workspace or kept for oneself, each with its count now.
// The web app opens a view by passing its filters to GET /conversations.

async function presentView(db: DbOrTx, actor: Actor, row: SavedViewRow) {
  const filters = row.filters as ViewFilters;
  const count = await countConversations(db, conversationStoreFilter(actor, filters));
  return { id: row.id, name: row.name, filters, shared: row.owner_id === null, count, created_at: row.created_at };
}

export async function listViews(db: DbOrTx, actor: Actor) {
  requirePermission(actor, "crm:read");
  const rows = await store.listViews(db, actor.workspaceId, actor.userId);
  return { data: await Promise.all(rows.map((r) => presentView(db, actor, r))) };
}

export async function createView(db: DbOrTx, actor: Actor, input: { name: string; filters: ViewFilters; shared: boolean }) {
  requirePermission(actor, "crm:read");
  // A shared view changes what everyone sees in their list of views.
  if (input.shared) requirePermission(actor, "crm:write");
  const id = newId();
  await store.insertView(db, {
    workspace_id: actor.workspaceId,
    id,
    name: input.name,
    filters: JSON.stringify(input.filters),
    owner_id: input.shared ? null : actor.userId,
  });
  return presentView(db, actor, await store.findViewOrThrow(db, actor.workspaceId, id));
}

async function ownViewOrThrow(db: DbOrTx, actor: Actor, id: string) {
  const row = await store.findViewOrThrow(db, actor.workspaceId, id);
  if (row.owner_id === null) requirePermission(actor, "crm:write");
  else if (row.owner_id !== actor.userId) throw notFound("Saved view");
  return row;
}

export async function updateView(db: DbOrTx, actor: Actor, id: string, patch: { name?: string; filters?: ViewFilters }) {
  requirePermission(actor, "crm:read");
  await ownViewOrThrow(db, actor, id);
  await store.updateView(db, actor.workspaceId, id, {
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(patch.filters !== undefined ? { filters: JSON.stringify(patch.filters) } : {}),
  });
  return presentView(db, actor, await store.findViewOrThrow(db, actor.workspaceId, id));
}

export async function deleteView(db: DbOrTx, actor: Actor, id: string) {
  requirePermission(actor, "crm:read");
  await ownViewOrThrow(db, actor, id);
  await store.deleteViewOrThrow(db, actor.workspaceId, id);
}
