import { type Actor, auditActor } from "../accounts";
import { invalid } from "../shared/errors";
import { DEFAULT_PAGE, decodeCursor, encodeCursor } from "../shared/pagination";
import { insertAuditEvent } from "../store/accounts";
import { isMember } from "../store/crm";
import type { DbOrTx } from "../store/db";
import * as store from "../store/work";

export const iso = (d: Date | string | null | undefined): string | null => (d ? new Date(d).toISOString() : null);

/** Actor label kept on events: user:…, api_key:…, rule:… */
export const actorLabel = (actor: Actor | null, ruleId?: string | null): string | null =>
  actor ? auditActor(actor) : ruleId ? `rule:${ruleId}` : null;

export async function audit(
  tx: DbOrTx,
  workspaceId: string,
  actor: string | null,
  action: string,
  subjectType: string,
  subjectId: string,
  details: Record<string, unknown> = {},
) {
  await insertAuditEvent(tx, {
    workspace_id: workspaceId,
    actor: actor ?? "system",
    action,
    subject_type: subjectType,
    subject_id: subjectId,
    details,
  });
}

/** Checks that referenced records exist in this workspace; names the field when not. */
export async function checkRefs(
  tx: DbOrTx,
  workspaceId: string,
  refs: {
    contact_id?: string | null;
    organization_id?: string | null;
    team_id?: string | null;
    conversation_id?: string | null;
    message_id?: string | null;
    profile_id?: string | null;
    user_ids?: Record<string, string | null | undefined>;
  },
) {
  const tables = {
    contact_id: "contacts",
    organization_id: "organizations",
    team_id: "teams",
    conversation_id: "conversations",
    message_id: "messages",
    profile_id: "profiles",
  } as const;
  for (const [field, table] of Object.entries(tables) as Array<[keyof typeof tables, (typeof tables)[keyof typeof tables]]>) {
    const id = refs[field];
    if (id && !(await store.existsIn(tx, workspaceId, table, id))) throw invalid(field, "not found in this workspace");
  }
  for (const [field, id] of Object.entries(refs.user_ids ?? {})) {
    if (id && !(await isMember(tx, workspaceId, id))) throw invalid(field, "is not a member of this workspace");
  }
}

/**
 * One page of a case, deal or idea list: `fetch` gets the decoded cursor and limit + 1 rows, the
 * extra row says whether more follow; the next cursor carries the last row's `sortValue` and id.
 */
export async function listPage<Row extends { id: string }, Out, After>(
  sortKey: string,
  params: { cursor?: string; limit?: number },
  fetch: (after: After | undefined, limit: number) => Promise<Row[]>,
  present: (rows: Row[]) => Out[] | Promise<Out[]>,
  sortValue: (row: Row) => unknown,
) {
  const limit = params.limit ?? DEFAULT_PAGE;
  const rows = await fetch(decodeCursor(params.cursor, sortKey) as After | undefined, limit + 1);
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { data: await present(page), next_cursor: rows.length > limit && last ? encodeCursor(sortKey, sortValue(last), last.id) : null };
}

/** The name of a referenced record from a nameMap, or null when nothing is referenced. */
export const nameIn = (names: Map<string, string> | undefined, id: string | null): string | null => (id ? (names?.get(id) ?? null) : null);

export async function nameMap(
  tx: DbOrTx,
  workspaceId: string,
  ids: { contacts?: string[]; organizations?: string[]; teams?: string[]; users?: string[] },
) {
  const uniq = (a?: string[]) => [...new Set((a ?? []).filter(Boolean))];
  const [contacts, organizations, teams, users] = await Promise.all([
    store.namesOf(tx, workspaceId, "contacts", uniq(ids.contacts)),
    store.namesOf(tx, workspaceId, "organizations", uniq(ids.organizations)),
    store.namesOf(tx, workspaceId, "teams", uniq(ids.teams)),
    store.userNames(tx, workspaceId, uniq(ids.users)),
  ]);
  const m = (rows: Array<{ id: string; name: string }>) => new Map(rows.map((r) => [r.id, r.name]));
  return { contacts: m(contacts), organizations: m(organizations), teams: m(teams), users: m(users) };
}
