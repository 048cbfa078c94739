import { type Actor, audit, requirePermission } from "../accounts";
import type { CategoryInput } from "../contracts/knowledge";
import { invalid, notFound } from "../shared/errors";
import { newId } from "../shared/ids";
import type { Db, DbOrTx } from "../store/db";
import { onDuplicate, orThrow, touchedOrThrow } from "../store/errors";
import * as store from "../store/knowledge";
import { slugify } from "./articles";
import { type CategoryOut, presentCategory } from "./present";

// Categories group the help centre's articles (Billing, Shipping, Your account…). Deleting
// one keeps its articles, uncategorized.

const WRITE = "knowledge:write";
const TAKEN = "another category of this workspace has this slug";

/** The workspace's categories in their order, each with its count of published articles. */
export async function listCategories(db: DbOrTx, workspaceId: string): Promise<CategoryOut[]> {
  return (await store.listCategories(db, workspaceId)).map(presentCategory);
}

export async function createCategory(db: Db, actor: Actor, input: CategoryInput): Promise<CategoryOut> {
  requirePermission(actor, WRITE);
  return db.transaction().execute(async (tx) => {
    const slug = input.slug ?? slugify(input.name);
    if (!input.slug && (await store.findCategoryBySlug(tx, actor.workspaceId, slug))) throw invalid("slug", TAKEN);
    const row = await onDuplicate(
      store.insertCategory(tx, {
        workspace_id: actor.workspaceId,
        id: newId(),
        name: input.name,
        slug,
        description: input.description ?? null,
        position: input.position ?? 0,
      }),
      "slug",
      TAKEN,
    );
    await audit(
      tx,
      actor,
      "knowledge.category.created",
      { type: "kb_category", id: row.id },
      `Added the help-centre category "${row.name}"`,
    );
    return presentCategory({ ...row, article_count: 0 });
  });
}

export async function updateCategory(db: Db, actor: Actor, id: string, patch: Partial<CategoryInput>): Promise<CategoryOut> {
  requirePermission(actor, WRITE);
  return db.transaction().execute(async (tx) => {
    await orThrow(store.findCategory(tx, actor.workspaceId, id), "Category");
    const row = await onDuplicate(
      store.updateCategory(tx, actor.workspaceId, id, {
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.slug !== undefined ? { slug: patch.slug } : {}),
        ...(patch.description !== undefined ? { description: patch.description } : {}),
        ...(patch.position !== undefined ? { position: patch.position } : {}),
      }),
      "slug",
      TAKEN,
    );
    if (!row) throw notFound("Category");
    await audit(tx, actor, "knowledge.category.updated", { type: "kb_category", id }, `Changed the help-centre category "${row.name}"`);
    const counted = (await store.listCategories(tx, actor.workspaceId)).find((c) => c.id === id);
    return presentCategory(counted ?? row);
  });
}

export async function deleteCategory(db: Db, actor: Actor, id: string): Promise<void> {
  requirePermission(actor, WRITE);
  await db.transaction().execute(async (tx) => {
    const row = await orThrow(store.findCategory(tx, actor.workspaceId, id), "Category");
    await touchedOrThrow(store.deleteCategory(tx, actor.workspaceId, id), "Category");
    await audit(tx, actor, "knowledge.category.deleted", { type: "kb_category", id }, `Deleted the help-centre category "${row.name}"`);
  });
}
