import type { Actor } from "../accounts";
import { requirePermission } from "../accounts";
import { invalid } from "../shared/errors";
import { newId } from "../shared/ids";
import { decodeCursor, encodeCursor, pageLimit } from "../shared/pagination";
import * as store from "../store/crm";
import type { Db, DbOrTx } from "../store/db";
import type { ActivityRow } from "../store/schema";
import type { ActivityInput, ActivityPatch } from "./schemas";

type SubjectNames = { contacts: Map<string, string>; organizations: Map<string, string> };

export function presentActivity(row: ActivityRow, names?: SubjectNames) {
  return {
    id: row.id,
    kind: "activity" as const,
    type: row.type,
    subject: row.subject,
    body: row.body,
    occurred_at: row.occurred_at,
    due_at: row.due_at,
    assignee_id: row.assignee_id,
    completed_at: row.completed_at,
    contact_id: row.contact_id,
    organization_id: row.organization_id,
    contact: row.contact_id && names ? { id: row.contact_id, name: names.contacts.get(row.contact_id) ?? null } : null,
    organization:
      row.organization_id && names ? { id: row.organization_id, name: names.organizations.get(row.organization_id) ?? null } : null,
    created_by: row.created_by,
    created_at: row.created_at,
  };
}

async function checkAssignee(db: DbOrTx, workspaceId: string, assigneeId: string | null | undefined) {
  if (assigneeId && !(await store.isMember(db, workspaceId, assigneeId))) {
    throw invalid("assignee_id", "is not a user of this workspace");
  }
}

export type ActivitySubject = { contactId: string } | { organizationId: string };

export async function addActivity(db: Db, actor: Actor, subject: ActivitySubject, input: ActivityInput) {
  requirePermission(actor, "crm:write");
  return db.transaction().execute(async (tx) => {
    let contactId: string | null = null;
    let organizationId: string | null = null;
    if ("contactId" in subject) {
      const contact = await store.findContactOrThrow(tx, actor.workspaceId, subject.contactId);
      contactId = contact.id;
      organizationId = null;
    } else {
      await store.findOrganizationOrThrow(tx, actor.workspaceId, subject.organizationId);
      organizationId = subject.organizationId;
    }
    await checkAssignee(tx, actor.workspaceId, input.assignee_id);
    if (input.type !== "task" && (input.due_at || input.assignee_id)) {
      throw invalid("due_at", "only tasks have a due date and an assignee");
    }
    if (!input.subject && !input.body) throw invalid("body", "write a subject or a body");
    const id = newId();
    await store.insertActivity(tx, {
      workspace_id: actor.workspaceId,
      id,
      contact_id: contactId,
      organization_id: organizationId,
      type: input.type,
      subject: input.subject ?? null,
      body: input.body ?? null,
      occurred_at: input.occurred_at ? new Date(input.occurred_at) : new Date(),
      due_at: input.due_at ? new Date(input.due_at) : null,
      assignee_id: input.assignee_id ?? (input.type === "task" ? actor.userId : null),
      completed_at: input.completed ? new Date() : null,
      created_by: actor.userId,
    });
    const row = await store.findActivityOrThrow(tx, actor.workspaceId, id);
    return presentActivity(row);
  });
}

export async function updateActivity(db: Db, actor: Actor, id: string, input: ActivityPatch) {
  requirePermission(actor, "crm:write");
  return db.transaction().execute(async (tx) => {
    const current = await store.findActivityOrThrow(tx, actor.workspaceId, id);
    await checkAssignee(tx, actor.workspaceId, input.assignee_id);
    await store.updateActivity(tx, actor.workspaceId, id, {
      ...(input.subject !== undefined ? { subject: input.subject } : {}),
      ...(input.body !== undefined ? { body: input.body } : {}),
      ...(input.occurred_at !== undefined ? { occurred_at: new Date(input.occurred_at) } : {}),
      ...(input.due_at !== undefined ? { due_at: input.due_at ? new Date(input.due_at) : null } : {}),
      ...(input.assignee_id !== undefined ? { assignee_id: input.assignee_id } : {}),
      ...(input.completed !== undefined ? { completed_at: input.completed ? (current.completed_at ?? new Date()) : null } : {}),
    });
    const row = await store.findActivityOrThrow(tx, actor.workspaceId, id);
    return presentActivity(row);
  });
}

export async function deleteActivity(db: DbOrTx, actor: Actor, id: string) {
  requirePermission(actor, "crm:write");
  await store.deleteActivityOrThrow(db, actor.workspaceId, id);
}

export const TIMELINE_LIMIT = 500;

/** One chronological timeline, newest first. Later issues add messages, cases and deals here. */
export async function timeline(db: DbOrTx, actor: Actor, subject: ActivitySubject) {
  requirePermission(actor, "crm:read");
  if ("contactId" in subject) {
    await store.findContactOrThrow(db, actor.workspaceId, subject.contactId);
  } else {
    await store.findOrganizationOrThrow(db, actor.workspaceId, subject.organizationId);
  }
  const rows = await store.listActivitiesFor(db, actor.workspaceId, subject, TIMELINE_LIMIT);
  return { data: rows.map((r) => presentActivity(r)) };
}

export async function listActivities(
  db: DbOrTx,
  actor: Actor,
  params: { type?: string; open?: boolean; assignee_id?: string; cursor?: string; limit?: number },
) {
  requirePermission(actor, "crm:read");
  const limit = pageLimit(params.limit);
  const after = decodeCursor(params.cursor, "-occurred_at") as [string, string] | undefined;
  const rows = await store.listActivities(db, actor.workspaceId, {
    type: params.type,
    open: params.open,
    assigneeId: params.assignee_id,
    after,
    limit: limit + 1,
  });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  const names = await store.subjectNames(
    db,
    actor.workspaceId,
    [...new Set(page.map((r) => r.contact_id).filter((x): x is string => Boolean(x)))],
    [...new Set(page.map((r) => r.organization_id).filter((x): x is string => Boolean(x)))],
  );
  return {
    data: page.map((r) => presentActivity(r, names)),
    next_cursor: rows.length > limit && last ? encodeCursor("-occurred_at", last.occurred_at, last.id) : null,
  };
}
