import type { Actor } from "../accounts";
import { audit, requirePermission } from "../accounts";
import { AppError, invalid } from "../shared/errors";
import { newId } from "../shared/ids";
import { decodeCursor, encodeCursor, pageLimit, pageOf } from "../shared/pagination";
import { parseWith } from "../shared/validation";
import * as store from "../store/crm";
import type { Db, DbOrTx } from "../store/db";
import { suppressedEmails } from "../store/erasure";
import type { ContactRow, CustomFieldRow, NewContactRow } from "../store/schema";
import { applyCustomValues } from "./custom-fields";
import { filterClauses, type ListParams, parseFilterParam, resolveSort, searchClause } from "./lists";
import { type RecordKind, saveRecord } from "./records";
import { type ContactInput, contactInputSchema } from "./schemas";

export type ContactView = ReturnType<typeof presentContact>;

/** The only shape in which a contact leaves the server. */
export function presentContact(row: ContactRow & { organization_name?: string | null }) {
  return {
    id: row.id,
    name: row.name,
    first_name: row.first_name,
    last_name: row.last_name,
    emails: row.emails,
    phones: row.phones,
    title: row.title,
    organization_id: row.organization_id,
    organization: row.organization_id ? { id: row.organization_id, name: row.organization_name ?? null } : null,
    lifecycle_stage: row.lifecycle_stage,
    owner_id: row.owner_id,
    tags: row.tags,
    consent_email: row.consent_email,
    consent_sms: row.consent_sms,
    consent_tracking: row.consent_tracking,
    city: row.city,
    country: row.country,
    street: row.street,
    address2: row.address2,
    postal_code: row.postal_code,
    region: row.region,
    birth_date: row.birth_date,
    national_id: row.national_id,
    notes: row.notes,
    external_id: row.external_id,
    custom: row.custom,
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export function contactSearchText(
  c: Pick<NewContactRow, "name" | "emails" | "phones" | "title" | "city" | "country" | "external_id" | "tags" | "postal_code">,
) {
  const phones = (c.phones ?? []).flatMap((p) => [p, p.replace(/\D/g, "")]);
  return [c.name, ...(c.emails ?? []), ...phones, c.title, c.city, c.country, c.postal_code, c.external_id, ...(c.tags ?? [])]
    .filter(Boolean)
    .join(" ")
    .toLowerCase();
}

function normalizeCountry(country: string | null | undefined) {
  if (!country) return country ?? null;
  return /^[a-z]{2}$/i.test(country) ? country.toUpperCase() : country;
}

const uniq = <T>(xs: T[]) => [...new Set(xs)];

/**
 * Turns validated input (plus the current row, for updates) into the row to
 * store. Pure: ownership and organization checks happen in the caller.
 */
export function buildContactRow(
  workspaceId: string,
  input: ContactInput,
  defs: CustomFieldRow[],
  current?: ContactRow,
  lenient = false,
): NewContactRow {
  const pick = <K extends keyof ContactInput & keyof ContactRow>(k: K, fallback: ContactRow[K] | null) =>
    (input[k] !== undefined ? input[k] : current ? current[k] : fallback) as ContactRow[K];
  const first_name = pick("first_name", null) || null;
  const last_name = pick("last_name", null) || null;
  const emails = uniq(pick("emails", []) as string[]);
  const explicitName = input.name !== undefined ? input.name : undefined;
  let name = explicitName || "";
  if (!name && (input.first_name !== undefined || input.last_name !== undefined || !current)) {
    name = [first_name, last_name].filter(Boolean).join(" ");
  }
  if (!name && current && explicitName === undefined) name = current.name;
  if (!name) name = emails[0] ?? "";
  if (!name) throw invalid("name", "a contact needs a name, a first or last name, or an email");
  const row: NewContactRow = {
    workspace_id: workspaceId,
    id: current?.id ?? newId(),
    first_name,
    last_name,
    name,
    emails,
    phones: uniq(pick("phones", []) as string[]),
    organization_id: pick("organization_id", null) ?? null,
    title: pick("title", null) || null,
    lifecycle_stage: pick("lifecycle_stage", "lead"),
    owner_id: pick("owner_id", null) ?? null,
    tags: uniq(pick("tags", []) as string[]),
    consent_email: pick("consent_email", false),
    consent_sms: pick("consent_sms", false),
    consent_tracking: pick("consent_tracking", false),
    city: pick("city", null) || null,
    country: normalizeCountry(pick("country", null)),
    street: pick("street", null) || null,
    address2: pick("address2", null) || null,
    postal_code: pick("postal_code", null) || null,
    region: pick("region", null) || null,
    birth_date: pick("birth_date", null) || null,
    national_id: pick("national_id", null) || null,
    notes: pick("notes", null) || null,
    external_id: pick("external_id", null) || null,
    custom: JSON.stringify(applyCustomValues(defs, current?.custom ?? {}, input.custom ?? {}, lenient)),
    search: "",
  };
  row.search = contactSearchText(row);
  return row;
}

async function checkReferences(db: DbOrTx, workspaceId: string, row: NewContactRow) {
  if (row.owner_id && !(await store.isMember(db, workspaceId, row.owner_id))) {
    throw invalid("owner_id", "is not a user of this workspace");
  }
  if (row.organization_id && !(await store.findOrganization(db, workspaceId, row.organization_id))) {
    throw invalid("organization_id", "is not an organization of this workspace");
  }
}

export async function getContact(db: DbOrTx, actor: Actor, id: string) {
  requirePermission(actor, "crm:read");
  const row = await store.findContactOrThrow(db, actor.workspaceId, id);
  return presentContact(row);
}

export async function createContact(db: Db, actor: Actor, input: ContactInput) {
  return saveContact(db, actor, input);
}

export async function updateContact(db: Db, actor: Actor, id: string, input: ContactInput) {
  return saveContact(db, actor, input, id);
}

/** How contacts are saved (crm/records): their row, references and duplicate external id. */
const contactRecord: RecordKind<ContactRow, NewContactRow, ContactInput, Awaited<ReturnType<typeof getContact>>> = {
  entity: "contact",
  find: store.findContactOrThrow,
  build: buildContactRow,
  checkReferences,
  insert: store.insertContact,
  update: store.updateContact,
  duplicateExternalId: ["another contact already has this external id", "already used by another contact"],
  get: getContact,
};

/** Creates a contact, or with an id changes that one: the same row building and checks either way. */
function saveContact(db: Db, actor: Actor, input: ContactInput, id?: string) {
  const checks = async (tx: DbOrTx, workspaceId: string, row: NewContactRow) => {
    await checkReferences(tx, workspaceId, row);
    await checkErasedAddresses(tx, actor, row, input.confirm_erased === true, id);
  };
  return saveRecord(db, actor, { ...contactRecord, checkReferences: checks }, input, id);
}

/**
 * An address of a person who was erased (issue 13) is not taken back by accident: staff confirm
 * that the person came back of their own accord (confirm_erased), and that is audited. The
 * suppression stays, so their old posts are still not ingested again.
 */
async function checkErasedAddresses(tx: DbOrTx, actor: Actor, row: NewContactRow, confirmed: boolean, id?: string) {
  const before = id ? new Set((await store.findContact(tx, actor.workspaceId, id))?.emails ?? []) : new Set<string>();
  const added = (row.emails ?? []).filter((e) => !before.has(e));
  const erased = await suppressedEmails(tx, actor.workspaceId, added);
  if (erased.length === 0) return;
  if (!confirmed)
    throw new AppError(
      "conflict",
      `${erased.join(", ")}: this person asked to be erased. Add them again only if they came back of their own accord, with confirm_erased: true (recorded in the audit log)`,
      [{ field: "emails", message: "belongs to a person who asked to be erased" }],
    );
  await audit(
    tx,
    actor,
    "contact.erased_person_readded",
    { type: "contact", id: row.id },
    `Saved a contact with ${erased.length} address(es) of a person who asked to be erased (confirmed: they came back of their own accord)`,
    { addresses: erased.length },
  );
}

export async function deleteContact(db: Db, actor: Actor, id: string) {
  requirePermission(actor, "crm:write");
  await db.transaction().execute(async (tx) => {
    const contact = await store.findContact(tx, actor.workspaceId, id);
    await store.deleteContactOrThrow(tx, actor.workspaceId, id);
    await audit(tx, actor, "contact.deleted", { type: "contact", id }, `Deleted contact "${contact?.name ?? id}"`);
  });
}

export function parseContactInput(raw: unknown): ContactInput {
  return parseWith(contactInputSchema, raw);
}

export type ContactListParams = ListParams & {
  segment?: string;
  lifecycle_stage?: string;
  tag?: string;
  country?: string;
  owner_id?: string;
  organization_id?: string;
  include_total?: boolean;
};

/** Builds the WHERE and ORDER of a contact list (shared by the list API, segments and export). */
export async function contactListQuery(db: DbOrTx, actor: Actor, params: ContactListParams) {
  const defs = await store.customFieldsOf(db, actor.workspaceId, "contact");
  const sort = resolveSort("contact", params.sort, defs);
  const where = [];
  if (params.segment) {
    const segment = await store.findSegment(db, actor.workspaceId, params.segment);
    if (segment?.entity !== "contact") throw invalid("segment", "is not a contact segment of this workspace");
    const f = segment.filter as { match?: "all" | "any"; conditions?: unknown[]; q?: string };
    where.push(...filterClauses("contact", { match: f.match ?? "all", conditions: f.conditions ?? [] }, defs).where);
    if (f.q) where.push(...searchClause("contact", f.q));
  }
  where.push(...filterClauses("contact", parseFilterParam(params.filter), defs).where);
  const shortcuts: Array<[keyof ContactListParams, string, string]> = [
    ["lifecycle_stage", "lifecycle_stage", "eq"],
    ["country", "country", "eq"],
    ["owner_id", "owner_id", "eq"],
    ["organization_id", "organization_id", "eq"],
    ["tag", "tags", "contains"],
  ];
  const conditions = shortcuts
    .filter(([param]) => params[param] !== undefined && params[param] !== "")
    .map(([param, field, op]) => ({ field, op, value: params[param] }));
  if (conditions.length) where.push(...filterClauses("contact", { match: "all", conditions }, defs).where);
  where.push(...searchClause("contact", params.q));
  return { workspaceId: actor.workspaceId, where, sort };
}

export async function listContacts(db: DbOrTx, actor: Actor, params: ContactListParams) {
  requirePermission(actor, "crm:read");
  const base = await contactListQuery(db, actor, params);
  const limit = pageLimit(params.limit);
  const after = decodeCursor(params.cursor, base.sort.key);
  const rows = await store.listContacts(db, { ...base, after, limit: limit + 1 });
  const page = pageOf(rows, limit, presentContact, (r) => encodeCursor(base.sort.key, store.normalizeSortValue(r.sort_value), r.id));
  return { ...page, total: params.include_total ? await store.countContacts(db, { ...base, limit }) : null };
}
