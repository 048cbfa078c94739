import { type Actor, audit, requirePermission } from "../accounts";
import { type ContactListParams, contactListQuery, type OrganizationListParams, organizationListQuery } from "../crm";
import { findUserById } from "../store/accounts";
import * as store from "../store/crm";
import type { DbOrTx } from "../store/db";
import type { CustomFieldRow } from "../store/schema";
import { csvLines } from "./csv";
import { CONSENT_FIELDS, CONTACT_HEAD_FIELDS, CONTACT_PLACE_FIELDS, type ImportEntity } from "./fields";
import type { ImportFormat } from "./importer";
import { contactVCard, organizationVCard } from "./vcard";

// Exports stream: rows are read a page at a time (keyset pagination over the
// same filters as the lists) and written out as they come, so a million
// contacts never sit in memory.

export type ExportOptions = {
  entity: ImportEntity;
  format: ImportFormat;
  /** The list's filters: q, filter, segment, lifecycle_stage, tag, country, owner_id, organization_id, sort. */
  params?: ContactListParams & OrganizationListParams;
  pageSize?: number;
};

export const CONTACT_COLUMNS = [
  "id",
  ...CONTACT_HEAD_FIELDS,
  ...CONSENT_FIELDS,
  ...CONTACT_PLACE_FIELDS,
  "external_id",
  "created_at",
  "updated_at",
] as const;

export const ORGANIZATION_COLUMNS = [
  "id",
  "name",
  "domain",
  "industry",
  "size",
  "owner",
  "contact_count",
  "external_id",
  "created_at",
  "updated_at",
] as const;

const iso = (d: Date | string) => (d instanceof Date ? d : new Date(d)).toISOString();

function customCell(value: unknown): string {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return value.join("; ");
  return String(value);
}

/** Owners are written by email, as the importer reads them; looked up once per user. */
function ownerEmails(db: DbOrTx) {
  const cache = new Map<string, string>();
  return async (id: string | null): Promise<string> => {
    if (!id) return "";
    let email = cache.get(id);
    if (email === undefined) {
      email = (await findUserById(db, id))?.email ?? id;
      cache.set(id, email);
    }
    return email;
  };
}

export function exportContentType(format: ImportFormat) {
  return format === "csv" ? "text/csv; charset=utf-8" : "text/vcard; charset=utf-8";
}

export function exportFileName(entity: ImportEntity, format: ImportFormat, now = new Date()) {
  return `${entity}-${now.toISOString().slice(0, 10)}.${format === "csv" ? "csv" : "vcf"}`;
}

/**
 * Checks the filters and permission first (so a bad filter is an error, not a
 * broken download), then returns the file as a stream of text chunks.
 */
export async function exportFile(db: DbOrTx, actor: Actor, options: ExportOptions): Promise<AsyncGenerator<string>> {
  requirePermission(actor, "crm:read");
  const params = options.params ?? {};
  const pageSize = options.pageSize ?? 2000;
  const fieldEntity = options.entity === "contacts" ? "contact" : "organization";
  const defs = await store.listCustomFields(db, actor.workspaceId, fieldEntity);
  const owner = ownerEmails(db);
  const filters = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined && v !== ""));
  await audit(
    db,
    actor,
    "export.started",
    { type: fieldEntity },
    `Exported ${options.entity} as ${options.format === "csv" ? "CSV" : "vCard"}${Object.keys(filters).length ? " (filtered)" : ""}`,
    { format: options.format, filters },
  );
  if (options.entity === "contacts") {
    const query = await contactListQuery(db, actor, params);
    return options.format === "csv"
      ? contactsCsv(store.iterateContacts(db, query, pageSize), defs, owner)
      : contactsVCard(store.iterateContacts(db, query, pageSize));
  }
  const query = await organizationListQuery(db, actor, params);
  return options.format === "csv"
    ? organizationsCsv(store.iterateOrganizations(db, query, pageSize), defs, owner)
    : organizationsVCard(store.iterateOrganizations(db, query, pageSize));
}

async function* contactsCsv(
  pages: AsyncGenerator<store.ContactListRow[]>,
  defs: CustomFieldRow[],
  owner: (id: string | null) => Promise<string>,
): AsyncGenerator<string> {
  yield `\ufeff${csvLines([[...CONTACT_COLUMNS, ...defs.map((d) => d.key)]])}`;
  for await (const page of pages) {
    const rows: string[][] = [];
    for (const c of page) {
      const custom = (typeof c.custom === "string" ? JSON.parse(c.custom) : c.custom) as Record<string, unknown>;
      rows.push([
        c.id,
        c.name,
        c.first_name ?? "",
        c.last_name ?? "",
        c.emails.join("; "),
        c.phones.join("; "),
        c.organization_name ?? "",
        c.title ?? "",
        c.lifecycle_stage,
        await owner(c.owner_id),
        c.tags.join("; "),
        String(c.consent_email),
        String(c.consent_sms),
        String(c.consent_tracking),
        c.city ?? "",
        c.country ?? "",
        c.street ?? "",
        c.address2 ?? "",
        c.postal_code ?? "",
        c.region ?? "",
        c.birth_date ?? "",
        c.national_id ?? "",
        c.notes ?? "",
        c.external_id ?? "",
        iso(c.created_at),
        iso(c.updated_at),
        ...defs.map((d) => customCell(custom?.[d.key])),
      ]);
    }
    yield csvLines(rows);
  }
}

async function* organizationsCsv(
  pages: AsyncGenerator<store.OrganizationListRow[]>,
  defs: CustomFieldRow[],
  owner: (id: string | null) => Promise<string>,
): AsyncGenerator<string> {
  yield `\ufeff${csvLines([[...ORGANIZATION_COLUMNS, ...defs.map((d) => d.key)]])}`;
  for await (const page of pages) {
    const rows: string[][] = [];
    for (const o of page) {
      const custom = (typeof o.custom === "string" ? JSON.parse(o.custom) : o.custom) as Record<string, unknown>;
      rows.push([
        o.id,
        o.name,
        o.domain ?? "",
        o.industry ?? "",
        o.size ?? "",
        await owner(o.owner_id),
        String(o.contact_count),
        o.external_id ?? "",
        iso(o.created_at),
        iso(o.updated_at),
        ...defs.map((d) => customCell(custom?.[d.key])),
      ]);
    }
    yield csvLines(rows);
  }
}

/** The UID of an exported card: the external id when there is one, else the Parley id as a URN. */
const uidOf = (row: { id: string; external_id: string | null }) => row.external_id || `urn:uuid:${row.id}`;

async function* contactsVCard(pages: AsyncGenerator<store.ContactListRow[]>): AsyncGenerator<string> {
  for await (const page of pages) {
    yield page
      .map((c) =>
        contactVCard({
          uid: uidOf(c),
          name: c.name,
          first_name: c.first_name,
          last_name: c.last_name,
          emails: c.emails,
          phones: c.phones,
          organization: c.organization_name,
          title: c.title,
          notes: c.notes,
          city: c.city,
          country: c.country,
          street: c.street,
          address2: c.address2,
          postal_code: c.postal_code,
          region: c.region,
          birth_date: c.birth_date,
          tags: c.tags,
          updated_at: c.updated_at,
        }),
      )
      .join("");
  }
}

async function* organizationsVCard(pages: AsyncGenerator<store.OrganizationListRow[]>): AsyncGenerator<string> {
  for await (const page of pages) {
    yield page.map((o) => organizationVCard({ uid: uidOf(o), name: o.name, domain: o.domain, updated_at: o.updated_at })).join("");
  }
}
