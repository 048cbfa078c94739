import type { Actor } from "../accounts";
import { requirePermission } from "../accounts";
import { invalid } from "../shared/errors";
import { newId } from "../shared/ids";
import { decodeCursor, encodeCursor, pageLimit, pageOf } from "../shared/pagination";
import * as store from "../store/crm";
import type { Db, DbOrTx } from "../store/db";
import type { CustomFieldRow, NewOrganizationRow, OrganizationRow } from "../store/schema";
import { applyCustomValues } from "./custom-fields";
import { filterClauses, type ListParams, parseFilterParam, resolveSort, searchClause } from "./lists";
import { type RecordKind, saveRecord } from "./records";
import type { OrganizationInput, OrganizationPatch } from "./schemas";

export function presentOrganization(row: OrganizationRow & { contact_count?: number }) {
  return {
    id: row.id,
    name: row.name,
    domain: row.domain,
    industry: row.industry,
    size: row.size,
    owner_id: row.owner_id,
    external_id: row.external_id,
    custom: row.custom,
    contact_count: row.contact_count ?? 0,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

function normalizeDomain(domain: string | null | undefined): string | null {
  if (!domain) return null;
  const d = domain
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, "")
    .replace(/^www\./, "")
    .replace(/\/.*$/, "");
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(d)) throw invalid("domain", "must be a domain name like example.com");
  return d;
}

export function buildOrganizationRow(
  workspaceId: string,
  input: Partial<OrganizationInput>,
  defs: CustomFieldRow[],
  current?: OrganizationRow,
  lenient = false,
): NewOrganizationRow {
  const pick = <K extends keyof OrganizationInput & keyof OrganizationRow>(k: K) =>
    (input[k] !== undefined ? input[k] : current ? current[k] : null) as OrganizationRow[K];
  const name = pick("name");
  if (!name) throw invalid("name", "an organization needs a name");
  return {
    workspace_id: workspaceId,
    id: current?.id ?? newId(),
    name,
    domain: normalizeDomain(pick("domain")),
    industry: pick("industry") || null,
    size: pick("size") || null,
    owner_id: pick("owner_id") ?? null,
    external_id: pick("external_id") || null,
    custom: JSON.stringify(applyCustomValues(defs, current?.custom ?? {}, input.custom ?? {}, lenient)),
  };
}

async function checkOwner(db: DbOrTx, workspaceId: string, ownerId: string | null | undefined) {
  if (ownerId && !(await store.isMember(db, workspaceId, ownerId))) throw invalid("owner_id", "is not a user of this workspace");
}

export async function getOrganization(db: DbOrTx, actor: Actor, id: string) {
  requirePermission(actor, "crm:read");
  const row = await store.findOrganizationOrThrow(db, actor.workspaceId, id);
  return presentOrganization(row);
}

export async function createOrganization(db: Db, actor: Actor, input: OrganizationInput) {
  return saveOrganization(db, actor, input);
}

export async function updateOrganization(db: Db, actor: Actor, id: string, input: OrganizationPatch) {
  return saveOrganization(db, actor, input, id);
}

/** How organizations are saved (crm/records): their row, owner and duplicate external id. */
const organizationRecord: RecordKind<
  OrganizationRow,
  NewOrganizationRow,
  OrganizationPatch,
  Awaited<ReturnType<typeof getOrganization>>
> = {
  entity: "organization",
  find: store.findOrganizationOrThrow,
  build: buildOrganizationRow,
  checkReferences: (db, workspaceId, row) => checkOwner(db, workspaceId, row.owner_id),
  insert: (db, row) => store.insertOrganizations(db, [row]),
  update: store.updateOrganization,
  duplicateExternalId: ["another organization already has this external id", "already used"],
  get: getOrganization,
};

/** Creates an organization, or with an id changes that one: the same row building and checks either way. */
function saveOrganization(db: Db, actor: Actor, input: OrganizationPatch, id?: string) {
  return saveRecord(db, actor, organizationRecord, input, id);
}

export async function deleteOrganization(db: DbOrTx, actor: Actor, id: string) {
  requirePermission(actor, "crm:write");
  await store.deleteOrganizationOrThrow(db, actor.workspaceId, id);
}

export type OrganizationListParams = ListParams & { include_total?: boolean };

export async function organizationListQuery(db: DbOrTx, actor: Actor, params: OrganizationListParams) {
  const defs = await store.listCustomFields(db, actor.workspaceId, "organization");
  const sort = resolveSort("organization", params.sort, defs);
  const where = [...filterClauses("organization", parseFilterParam(params.filter), defs).where, ...searchClause("organization", params.q)];
  return { workspaceId: actor.workspaceId, where, sort };
}

export async function listOrganizations(db: DbOrTx, actor: Actor, params: OrganizationListParams) {
  requirePermission(actor, "crm:read");
  const base = await organizationListQuery(db, actor, params);
  const limit = pageLimit(params.limit);
  const rows = await store.listOrganizations(db, { ...base, after: decodeCursor(params.cursor, base.sort.key), limit: limit + 1 });
  const page = pageOf(rows, limit, presentOrganization, (r) => encodeCursor(base.sort.key, store.normalizeSortValue(r.sort_value), r.id));
  return { ...page, total: params.include_total ? await store.countOrganizations(db, { ...base, limit }) : null };
}
