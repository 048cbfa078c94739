import { type Actor, requirePermission } from "../accounts";
import { CANNED_VARIABLES } from "../contracts/team";
import { invalid } from "../shared/errors";
import { newId } from "../shared/ids";
import type { DbOrTx } from "../store/db";
import { onDuplicate } from "../store/errors";
import { findConversationOrThrow } from "../store/listening";
import type { CannedResponseRow } from "../store/schema-team";
import * as store from "../store/team";

// Canned responses: saved answers with variables, managed in Settings and inserted with "/"
// in the composer (managers and admins keep them). Variables are filled on the server from the conversation (its customer's
// contact, its newest case) and the agent; the text stays plain text the agent can edit.

const VARIABLE = /\{\{\s*([a-z_]+\.[a-z_]+)\s*\}\}/g;
const known = new Set<string>(CANNED_VARIABLES);

function variablesIn(body: string) {
  return [...new Set([...body.matchAll(VARIABLE)].map((m) => m[1] ?? ""))];
}

function checkVariables(body: string | undefined) {
  if (body === undefined) return;
  const unknown = variablesIn(body).filter((v) => !known.has(v));
  if (unknown.length)
    throw invalid(
      "body",
      `unknown variable ${unknown.map((v) => `{{${v}}}`).join(", ")}; use ${CANNED_VARIABLES.map((v) => `{{${v}}}`).join(", ")}`,
    );
}

function presentCanned(row: CannedResponseRow) {
  return {
    id: row.id,
    name: row.name,
    shortcut: row.shortcut,
    body: row.body,
    variables: variablesIn(row.body),
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

const DUPLICATE = "another canned response has this shortcut";

export async function listCanned(db: DbOrTx, actor: Actor) {
  requirePermission(actor, "crm:read");
  return { data: (await store.listCanned(db, actor.workspaceId)).map(presentCanned) };
}

export async function getCanned(db: DbOrTx, actor: Actor, id: string) {
  requirePermission(actor, "crm:read");
  return presentCanned(await store.findCannedOrThrow(db, actor.workspaceId, id));
}

export async function createCanned(db: DbOrTx, actor: Actor, input: { name: string; shortcut: string; body: string }) {
  requirePermission(actor, "teams:manage");
  checkVariables(input.body);
  const id = newId();
  await onDuplicate(
    store.insertCanned(db, { workspace_id: actor.workspaceId, id, ...input, created_by: actor.userId }),
    "shortcut",
    DUPLICATE,
  );
  return getCanned(db, actor, id);
}

export async function updateCanned(db: DbOrTx, actor: Actor, id: string, patch: { name?: string; shortcut?: string; body?: string }) {
  requirePermission(actor, "teams:manage");
  checkVariables(patch.body);
  await store.findCannedOrThrow(db, actor.workspaceId, id);
  await onDuplicate(store.updateCanned(db, actor.workspaceId, id, patch), "shortcut", DUPLICATE);
  return getCanned(db, actor, id);
}

export async function deleteCanned(db: DbOrTx, actor: Actor, id: string) {
  requirePermission(actor, "teams:manage");
  await store.deleteCannedOrThrow(db, actor.workspaceId, id);
}

/** The response's text for this conversation, its variables filled; the empty ones are named. */
export async function renderCanned(db: DbOrTx, actor: Actor, id: string, conversationId: string | undefined) {
  requirePermission(actor, "crm:read");
  const canned = await store.findCannedOrThrow(db, actor.workspaceId, id);
  if (conversationId) await findConversationOrThrow(db, actor.workspaceId, conversationId);
  const { contact, author, kase } = conversationId
    ? await store.cannedContext(db, actor.workspaceId, conversationId)
    : { contact: undefined, author: undefined, kase: undefined };
  const authorName = author?.author_name?.trim() || null;
  const contactName = contact?.name?.trim() || contact?.display_name?.trim() || authorName;
  const values: Record<string, string | null> = {
    "contact.first_name": contact?.first_name?.trim() || contactName?.split(/\s+/)[0] || null,
    "contact.last_name": contact?.last_name?.trim() || null,
    "contact.name": contactName,
    "agent.name": actor.label,
    "agent.first_name": actor.label.split(/\s+/)[0] ?? actor.label,
    "case.number": kase ? String(kase.number) : null,
  };
  const missing = new Set<string>();
  const text = canned.body.replace(VARIABLE, (_all, name: string) => {
    const v = values[name];
    if (v === null || v === undefined) {
      missing.add(name);
      return "";
    }
    return v;
  });
  return { text, missing: [...missing] };
}
