import type { Actor } from "../accounts";
import { requirePermission } from "../accounts";
import { AppError, invalid } from "../shared/errors";
import { newId } from "../shared/ids";
import * as store from "../store/crm";
import type { Db, DbOrTx } from "../store/db";
import type { WhereClause } from "../store/filter-sql";
import type { Entity, SegmentRow } from "../store/schema";
import { validateFilter } from "./filter";
import { filterClauses, searchClause } from "./lists";
import type { SegmentInput, SegmentPatch } from "./schemas";

export function presentSegment(row: SegmentRow) {
  return {
    id: row.id,
    name: row.name,
    entity: row.entity,
    filter: row.filter,
    created_by: row.created_by,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export async function listSegments(db: DbOrTx, actor: Actor) {
  requirePermission(actor, "crm:read");
  return { data: (await store.listSegments(db, actor.workspaceId)).map(presentSegment) };
}

export async function getSegment(db: DbOrTx, actor: Actor, id: string) {
  requirePermission(actor, "crm:read");
  const row = await store.findSegmentOrThrow(db, actor.workspaceId, id);
  return presentSegment(row);
}

/** A segment's filter checked against the entity's fields, as it is stored. */
async function storedFilter(db: DbOrTx, workspaceId: string, entity: SegmentRow["entity"], filter: SegmentInput["filter"]) {
  const defs = await store.listCustomFields(db, workspaceId, entity);
  const group = validateFilter(entity, { match: filter.match, conditions: filter.conditions }, defs);
  return JSON.stringify({ ...group, ...(filter.q ? { q: filter.q } : {}) });
}

export async function createSegment(db: Db, actor: Actor, input: SegmentInput) {
  requirePermission(actor, "segments:write");
  const filter = await storedFilter(db, actor.workspaceId, input.entity, input.filter);
  const id = newId();
  await store.insertSegment(db, {
    workspace_id: actor.workspaceId,
    id,
    name: input.name,
    entity: input.entity,
    filter,
    created_by: actor.userId,
  });
  return getSegment(db, actor, id);
}

export async function updateSegment(db: Db, actor: Actor, id: string, input: SegmentPatch) {
  requirePermission(actor, "segments:write");
  const current = await store.findSegmentOrThrow(db, actor.workspaceId, id);
  const patch: { name?: string; filter?: string } = {};
  if (input.name) patch.name = input.name;
  if (input.filter) patch.filter = await storedFilter(db, actor.workspaceId, current.entity, input.filter);
  await store.updateSegment(db, actor.workspaceId, id, patch);
  return getSegment(db, actor, id);
}

export async function deleteSegment(db: DbOrTx, actor: Actor, id: string) {
  requirePermission(actor, "segments:write");
  await store.deleteSegmentOrThrow(db, actor.workspaceId, id);
}

/**
 * Who is in a segment, as conditions over alias `t` (a contact, or an organization for an organization
 * segment), compiled as the contact list compiles it, so a report can count a segment's people in SQL.
 * A segment that is not this workspace's, or whose filter no longer fits the fields, is an error naming `segment`.
 */
export async function segmentMembers(db: DbOrTx, workspaceId: string, id: string): Promise<{ entity: Entity; where: WhereClause[] }> {
  const segment = await store.findSegment(db, workspaceId, id);
  if (!segment) throw invalid("segment", "is not a segment of this workspace");
  const f = segment.filter as { match?: "all" | "any"; conditions?: unknown[]; q?: string };
  const defs = await store.listCustomFields(db, workspaceId, segment.entity);
  try {
    const where = filterClauses(segment.entity, { match: f.match ?? "all", conditions: f.conditions ?? [] }, defs).where;
    return { entity: segment.entity, where: [...where, ...searchClause(segment.entity, f.q)] };
  } catch (err) {
    if (err instanceof AppError) throw invalid("segment", `its filter no longer applies (${err.message}); edit the segment`);
    throw err;
  }
}
