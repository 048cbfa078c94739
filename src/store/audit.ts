import { sql } from "kysely";
import type { DbOrTx } from "./db";

// Reading the audit log (entries are written by accounts' audit(), store/accounts.ts insertAuditEvent).

export type AuditFilters = {
  actor?: string;
  /** An action, or a prefix ending in "." (every contact.* action). */
  action?: string;
  targetType?: string;
  targetId?: string;
  from?: Date;
  to?: Date;
};

/** Newest first, after the entry `beforeId` (exclusive) when given. */
export function listAuditEvents(db: DbOrTx, workspaceId: string, filters: AuditFilters, page: { beforeId?: string; limit: number }) {
  let q = db
    .selectFrom("audit_events as ae")
    // Entries written before actor names were kept show the user's current name.
    .leftJoin("users as u", (j) => j.on(sql<boolean>`ae.actor = 'user:' || u.id::text`))
    .select([
      sql<string>`ae.id::text`.as("id"),
      "ae.created_at",
      "ae.actor",
      sql<string | null>`coalesce(ae.actor_name, u.name)`.as("actor_name"),
      "ae.action",
      "ae.subject_type",
      "ae.subject_id",
      "ae.summary",
      "ae.details",
      "ae.ip",
      "ae.user_agent",
    ])
    .where("ae.workspace_id", "=", workspaceId);
  if (filters.actor) q = q.where("ae.actor", "=", filters.actor);
  if (filters.action?.endsWith(".")) q = q.where(sql<boolean>`starts_with(ae.action, ${filters.action})`);
  else if (filters.action) q = q.where("ae.action", "=", filters.action);
  if (filters.targetType) q = q.where("ae.subject_type", "=", filters.targetType);
  if (filters.targetId) q = q.where("ae.subject_id", "=", filters.targetId);
  if (filters.from) q = q.where("ae.created_at", ">=", filters.from);
  if (filters.to) q = q.where("ae.created_at", "<", filters.to);
  if (page.beforeId) q = q.where(sql<boolean>`ae.id < ${page.beforeId}::bigint`);
  return q.orderBy("ae.id", "desc").limit(page.limit).execute();
}

export type AuditEventRow = Awaited<ReturnType<typeof listAuditEvents>>[number];

/** The workspaces of this store (a backup is recorded in each one's log). */
export async function allWorkspaceIds(db: DbOrTx): Promise<string[]> {
  return (await db.selectFrom("workspaces").select("id").execute()).map((r) => r.id);
}
