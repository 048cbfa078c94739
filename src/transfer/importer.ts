import { type Actor, audit, requirePermission } from "../accounts";
import { buildContactRow, buildOrganizationRow, createCustomField, inferFieldType, parseContactInput, schemas } from "../crm";
import { parseWith, zodError } from "../shared/validation";
import { listMembers } from "../store/accounts";
import * as store from "../store/crm";
import type { Db, DbOrTx } from "../store/db";
import { suppressedEmails } from "../store/erasure";
import type { ContactRow, CustomFieldRow, CustomFieldType, NewContactRow, NewOrganizationRow, OrganizationRow } from "../store/schema";
import { readCsv } from "./csv";
import { customKeyFor, type ImportEntity, mapColumns, normalizeHeader, targetLabel } from "./fields";
import {
  addCell,
  type Draft,
  idFromKey,
  type PreparedRow,
  prepareContact,
  prepareOrganization,
  type Rejection,
  type RowContext,
  rejectionsFrom,
} from "./rows";
import { fileError, type ImportSource } from "./source";
import { componentOf, readVCards, textOf, type VCardItem, type VCardProperty } from "./vcard";

export type ImportFormat = "csv" | "vcard";

export type ImportProgress = { rows: number; bytes: number };

export type ImportOptions = {
  entity: ImportEntity;
  format: ImportFormat;
  /** The column (CSV header, or UID for vCard) whose values key the rows: kept as external_id. */
  idColumn?: string;
  /** Validate and count everything, write nothing. */
  dryRun?: boolean;
  /** Create a custom field for each column that maps to nothing, then import it. */
  createFields?: boolean;
  /** CSV: the user's column → field choices over the automatic mapping ("" leaves a column out). */
  columnMap?: Record<string, string>;
  onProgress?: (progress: ImportProgress) => void;
};

export type ImportSummary = {
  total: number;
  created: number;
  updated: number;
  /** Rows skipped because an email address in them belongs to a person who asked to be erased (issue 13). */
  suppressed: number;
  rejected: Rejection[];
  /** Values left empty without rejecting their row (e.g. a birth date that is not a date). */
  warnings: Rejection[];
  unmapped_columns: Array<{ column: string; suggested_type: CustomFieldType }>;
  mapping: Record<string, string>;
  /** Every column of the file in order: the field it fills (null: none) and its first values, to check the mapping by. */
  columns: Array<{ column: string; field: string | null; samples: string[] }>;
};

/** Rows written per INSERT: under PostgreSQL's 65,535 parameters at 21 columns a row. */
export const BATCH_ROWS = 2000;
/** Rows read before the columns are judged (types suggested, fields created). */
const SAMPLE_ROWS = 500;
/** First values of each column shown beside the mapping. */
const COLUMN_SAMPLES = 3;
/** Rows written after which the tables' planner statistics are refreshed. */
const ANALYZE_AFTER_ROWS = 1000;
/** Rejections listed in a summary; the counts stay exact beyond it. */
export const MAX_REJECTIONS = 10_000;

class DryRunRollback extends Error {
  constructor(readonly summary: ImportSummary) {
    super("dry run");
  }
}

/**
 * Imports a CSV or vCard file of contacts or organizations into the actor's
 * workspace, in one transaction: a whole-file error (broken CSV, not a vCard)
 * writes nothing; rows that fail validation are reported and skipped; a dry
 * run does everything and rolls back.
 */
export async function importFile(db: Db, actor: Actor, source: ImportSource, options: ImportOptions): Promise<ImportSummary> {
  requirePermission(actor, "crm:write");
  let summary: ImportSummary;
  try {
    summary = await db.transaction().execute(async (tx) => {
      const result = await new Importer(tx, actor, options).run(source);
      if (options.dryRun) throw new DryRunRollback(result);
      await audit(
        tx,
        actor,
        "import.completed",
        { type: options.entity === "contacts" ? "contact" : "organization" },
        `Imported ${options.entity} from ${options.format === "csv" ? "CSV" : "vCard"}: ${result.created} created, ${result.updated} updated, ${result.rejected.length} rejected${result.suppressed ? `, ${result.suppressed} skipped (erased people)` : ""}`,
        {
          total: result.total,
          created: result.created,
          updated: result.updated,
          rejected: result.rejected.length,
          suppressed: result.suppressed,
        },
      );
      return result;
    });
  } catch (err) {
    if (err instanceof DryRunRollback) return err.summary;
    throw err;
  }
  if (summary.created + summary.updated >= ANALYZE_AFTER_ROWS) await store.analyzeContactTables(db);
  return summary;
}

type Column = { name: string; samples: string[] };

/**
 * One record of the file. It becomes a draft only when its turn comes, so that
 * records read ahead for sampling use the custom fields created after it.
 */
type RawRecord = { sample: () => void; draft: () => Draft | Rejection | null };

/** What a file reader hands over: its records, and the columns it has seen. */
type Reader = {
  columns: () => Column[];
  records: AsyncGenerator<RawRecord>;
  mapping: () => Record<string, string>;
  /** Columns the user left out. */
  skipped: () => string[];
  /** Re-maps columns after custom fields were created. */
  remap: (defs: CustomFieldRow[]) => void;
  bytes: () => number;
};

class Importer {
  private readonly ws: string;
  private readonly entity: ImportEntity;
  private defs: CustomFieldRow[] = [];
  private ctx: RowContext = { membersByEmail: new Map(), memberIds: new Set() };
  private readonly summary: ImportSummary = {
    total: 0,
    created: 0,
    updated: 0,
    suppressed: 0,
    rejected: [],
    warnings: [],
    unmapped_columns: [],
    mapping: {},
    columns: [],
  };
  /** Each key seen in the file → its row, to refuse repeats. */
  private readonly seenKeys = new Map<string, number>();
  private readonly organizationIds = new Map<string, string>();
  private batch: PreparedRow[] = [];

  constructor(
    private readonly tx: DbOrTx,
    private readonly actor: Actor,
    private readonly options: ImportOptions,
  ) {
    this.ws = actor.workspaceId;
    this.entity = options.entity;
  }

  private reject(r: Rejection) {
    if (this.summary.rejected.length < MAX_REJECTIONS) this.summary.rejected.push(r);
  }

  async run(source: ImportSource): Promise<ImportSummary> {
    const fieldEntity = this.entity === "contacts" ? "contact" : "organization";
    this.defs = await store.listCustomFields(this.tx, this.ws, fieldEntity);
    const members = await listMembers(this.tx, this.ws);
    this.ctx = {
      membersByEmail: new Map(members.map((m) => [m.email.toLowerCase(), m.id])),
      memberIds: new Set(members.map((m) => m.id)),
    };

    const reader = this.options.format === "csv" ? await this.csvReader(source) : this.vcardReader(source);
    // Read ahead so unknown columns can be judged from their values.
    const ahead: RawRecord[] = [];
    for (;;) {
      if (ahead.length >= SAMPLE_ROWS) break;
      const next = await reader.records.next();
      if (next.done) break;
      next.value.sample();
      ahead.push(next.value);
    }
    await this.judgeColumns(reader, fieldEntity);

    const handle = async (raw: RawRecord) => {
      const item = raw.draft();
      if (item === null) return;
      this.summary.total++;
      if (!("cells" in item)) {
        this.reject(item);
        return;
      }
      this.prepare(item);
      if (this.batch.length >= BATCH_ROWS) await this.flush(reader);
    };
    for (const item of ahead) await handle(item);
    ahead.length = 0;
    for await (const item of reader.records) await handle(item);
    await this.flush(reader);

    // Rows fail at different stages (reading, keys, validation): report them in file order.
    this.summary.rejected.sort((a, b) => a.row - b.row);
    this.summary.mapping = reader.mapping();
    const mapped = new Set(Object.keys(this.summary.mapping));
    const skipped = new Set(reader.skipped());
    this.summary.unmapped_columns = reader
      .columns()
      .filter((c) => !mapped.has(c.name) && !skipped.has(c.name))
      .map((c) => ({ column: c.name, suggested_type: inferFieldType(c.samples) }));
    this.summary.columns = reader
      .columns()
      .map((c) => ({ column: c.name, field: this.summary.mapping[c.name] ?? null, samples: c.samples.slice(0, COLUMN_SAMPLES) }));
    return this.summary;
  }

  /** Unknown columns: suggested a type, or created as custom fields when asked. */
  private async judgeColumns(reader: Reader, fieldEntity: "contact" | "organization") {
    const mapping = reader.mapping();
    const skipped = new Set(reader.skipped());
    const unmapped = reader.columns().filter((c) => !(c.name in mapping) && !skipped.has(c.name));
    if (this.options.createFields && unmapped.length) {
      const keys = new Set(this.defs.map((d) => d.key));
      let created = 0;
      for (const column of unmapped) {
        const key = customKeyFor(this.entity, column.name, keys);
        if (!key) continue;
        keys.add(key);
        await createCustomField(
          this.tx,
          this.actor,
          parseWith(schemas.customFieldInputSchema, {
            entity: fieldEntity,
            key,
            label: column.name.slice(0, 120),
            type: inferFieldType(column.samples),
            // Created in one transaction, they share a timestamp: the position keeps the file's order.
            position: this.defs.length + created,
          }),
        );
        created++;
      }
      if (created) {
        this.defs = await store.listCustomFields(this.tx, this.ws, fieldEntity);
        reader.remap(this.defs);
      }
    }
    const columns = reader.columns();
    // A dry run answers anyway: its preview is where the user gives the columns their fields.
    if (this.options.format === "csv" && columns.length && Object.keys(reader.mapping()).length === 0 && !this.options.dryRun) {
      const names = columns.map((c) => c.name).join(", ");
      const example = this.entity === "contacts" ? `"Name", "Email", "Company"` : `"Name", "Domain", "Industry"`;
      throw fileError(
        1,
        `none of the columns (${names}) matches a ${fieldEntity} field: name them like ${example}, or let the import create custom fields for them`,
      );
    }
  }

  private prepare(draft: Draft) {
    const { prepared, errors } = this.entity === "contacts" ? prepareContact(draft, this.ctx) : prepareOrganization(draft, this.ctx);
    if (errors.length) {
      for (const e of errors) this.reject(e);
      return;
    }
    for (const w of prepared.warnings) if (this.summary.warnings.length < MAX_REJECTIONS) this.summary.warnings.push(w);
    // Without an id column, organizations are keyed by their name (case-insensitive).
    if (!prepared.key && this.entity === "organizations" && !this.options.idColumn) {
      const name = typeof prepared.input.name === "string" ? prepared.input.name.trim() : "";
      if (name) prepared.key = { value: name.toLowerCase(), column: prepared.sources.get("name")?.[0] ?? "name" };
    }
    if (prepared.key) {
      const earlier = this.seenKeys.get(prepared.key.value);
      if (earlier !== undefined) {
        const what = this.options.idColumn ? ["id", prepared.key.value] : ["name", prepared.input.name];
        this.reject({
          row: draft.row,
          column: prepared.key.column,
          message: `repeats the ${what[0]} "${what[1]}" of row ${earlier}; ${what[0] === "id" ? "an id" : "a name"} may appear once per file, so this row was not imported`,
        });
        return;
      }
      this.seenKeys.set(prepared.key.value, draft.row);
    }
    this.batch.push(prepared);
  }

  private async flush(reader: Reader) {
    const batch = this.batch;
    this.batch = [];
    if (batch.length) {
      if (this.entity === "contacts") await this.flushContacts(batch);
      else await this.flushOrganizations(batch);
    }
    this.options.onProgress?.({ rows: this.summary.total, bytes: reader.bytes() });
  }

  private nameColumns(prepared: PreparedRow): string[] {
    return ["name", "first_name", "last_name", "emails"].map((f) => prepared.sources.get(f)?.[0] ?? "");
  }

  private async flushContacts(batch: PreparedRow[]) {
    const keys = batch.flatMap((p) => (p.key ? [p.key.value] : []));
    const existing = await store.findContactsByKeys(this.tx, this.ws, {
      externalIds: keys,
      ids: keys.flatMap((k) => idFromKey(k) ?? []),
    });
    const byExternal = new Map(existing.filter((r) => r.external_id).map((r) => [r.external_id as string, r]));
    const byId = new Map(existing.map((r) => [r.id, r]));
    const claimed = new Map<string, number>();
    const built: Array<{ prepared: PreparedRow; row: NewContactRow; current?: ContactRow }> = [];

    // A row without an id that names an existing contact's email address updates that contact
    // rather than creating the same person twice (one query for the batch).
    const parsed = batch.map((prepared) => {
      const key = prepared.key?.value;
      const raw = { ...prepared.input };
      const byKey = key ? (byExternal.get(key) ?? byId.get(idFromKey(key) ?? "")) : undefined;
      if (key && !byKey) raw.external_id = key;
      try {
        return { prepared, byKey, input: parseContactInput(raw), error: null };
      } catch (error) {
        return { prepared, byKey, input: null, error };
      }
    });
    const unkeyedEmails = parsed.flatMap((p) => (p.prepared.key || !p.input ? [] : (p.input.emails ?? [])));
    const byEmail = new Map<string, ContactRow[]>();
    for (const c of await store.findContactsByEmails(this.tx, this.ws, unkeyedEmails)) {
      for (const e of c.emails) byEmail.set(e, [...(byEmail.get(e) ?? []), c]);
    }

    for (const { prepared, byKey, input, error } of parsed) {
      if (!input) {
        for (const r of rejectionsFrom(error, prepared, this.nameColumns(prepared))) this.reject(r);
        continue;
      }
      let current = byKey;
      if (!current && !prepared.key) {
        const matches = new Map((input.emails ?? []).flatMap((e) => byEmail.get(e) ?? []).map((c) => [c.id, c]));
        if (matches.size > 1) {
          const names = [...matches.values()].map((c) => c.name).join(", ");
          this.reject({
            row: prepared.row,
            column: prepared.sources.get("emails")?.[0] ?? null,
            message: `its email addresses belong to ${matches.size} contacts (${names}): merge them first, or import with an id column`,
          });
          continue;
        }
        current = [...matches.values()][0];
      }
      if (current) {
        const other = claimed.get(current.id);
        if (other !== undefined) {
          this.reject({ row: prepared.row, column: prepared.key?.column ?? null, message: `matches the same contact as row ${other}` });
          continue;
        }
        claimed.set(current.id, prepared.row);
      }
      try {
        built.push({ prepared, row: buildContactRow(this.ws, input, this.defs, current, true), current });
      } catch (err) {
        for (const r of rejectionsFrom(err, prepared, this.nameColumns(prepared))) this.reject(r);
      }
    }

    await this.resolveOrganizations(built.flatMap((b) => (b.prepared.organization ? [b.prepared.organization] : [])));
    for (const b of built) {
      if (b.prepared.organization === null) b.row.organization_id = null;
      else if (b.prepared.organization) b.row.organization_id = this.organizationIds.get(b.prepared.organization.toLowerCase()) ?? null;
    }

    // a person who was erased does not come back through a file: their rows are skipped and counted
    const added = built.flatMap((b) => (b.row.emails ?? []).filter((e) => !(b.current?.emails ?? []).includes(e)));
    const erased = new Set(await suppressedEmails(this.tx, this.ws, added));
    const kept = erased.size
      ? built.filter((b) => !(b.row.emails ?? []).some((e) => erased.has(e) && !b.current?.emails.includes(e)))
      : built;
    this.summary.suppressed += built.length - kept.length;
    const fresh = kept.filter((b) => !b.current).map((b) => b.row);
    const known = kept.filter((b) => b.current).map((b) => b.row);
    const result = await store.upsertContacts(this.tx, fresh);
    await store.updateContactsById(this.tx, known);
    this.summary.created += result.inserted;
    this.summary.updated += result.updated + known.length;
  }

  /** Organizations named in contact rows: matched by name, created when missing. */
  private async resolveOrganizations(names: string[]) {
    const wanted = new Map<string, string>();
    for (const n of names) if (!this.organizationIds.has(n.toLowerCase())) wanted.set(n.toLowerCase(), n);
    if (wanted.size === 0) return;
    const found = await store.findOrganizationsByName(this.tx, this.ws, [...wanted.values()]);
    // Prefer the exact spelling when several organizations share a name.
    for (const o of [...found].sort(
      (a, b) => Number(wanted.get(b.name.toLowerCase()) === b.name) - Number(wanted.get(a.name.toLowerCase()) === a.name),
    )) {
      const lower = o.name.toLowerCase();
      if (!this.organizationIds.has(lower)) this.organizationIds.set(lower, o.id);
    }
    const missing = [...wanted].filter(([lower]) => !this.organizationIds.has(lower));
    if (missing.length === 0) return;
    const rows = missing.map(([, name]) => buildOrganizationRow(this.ws, { name }, []));
    await store.insertOrganizations(this.tx, rows);
    for (const row of rows) this.organizationIds.set(row.name.toLowerCase(), row.id);
  }

  private async flushOrganizations(batch: PreparedRow[]) {
    const keys = batch.flatMap((p) => (p.key ? [p.key.value] : []));
    const byIdColumn = Boolean(this.options.idColumn);
    const existing = await store.findOrganizationsByKeys(
      this.tx,
      this.ws,
      byIdColumn ? { externalIds: keys, ids: keys.flatMap((k) => idFromKey(k) ?? []) } : { names: keys },
    );
    const byExternal = new Map(existing.filter((r) => r.external_id).map((r) => [r.external_id as string, r]));
    const byId = new Map(existing.map((r) => [r.id, r]));
    const byName = new Map<string, OrganizationRow>();
    for (const r of existing) if (!byName.has(r.name.toLowerCase())) byName.set(r.name.toLowerCase(), r);
    const claimed = new Map<string, number>();
    const fresh: NewOrganizationRow[] = [];
    const known: NewOrganizationRow[] = [];

    for (const prepared of batch) {
      const key = prepared.key?.value;
      let current: OrganizationRow | undefined;
      if (key) current = byIdColumn ? (byExternal.get(key) ?? byId.get(idFromKey(key) ?? "")) : byName.get(key);
      if (current) {
        const other = claimed.get(current.id);
        if (other !== undefined) {
          this.reject({
            row: prepared.row,
            column: prepared.key?.column ?? null,
            message: `matches the same organization as row ${other}`,
          });
          continue;
        }
        claimed.set(current.id, prepared.row);
      }
      const raw = { ...prepared.input };
      if (key && byIdColumn && !current) raw.external_id = key;
      try {
        const parsed = schemas.organizationPatchSchema.safeParse(raw);
        if (!parsed.success) throw zodError(parsed.error);
        const row = buildOrganizationRow(this.ws, parsed.data, this.defs, current, true);
        (current ? known : fresh).push(row);
      } catch (err) {
        for (const r of rejectionsFrom(err, prepared, [prepared.sources.get("name")?.[0] ?? ""])) this.reject(r);
      }
    }
    const result = await store.upsertOrganizations(this.tx, fresh);
    await store.updateOrganizationsById(this.tx, known);
    this.summary.created += result.inserted;
    this.summary.updated += result.updated + known.length;
  }

  // ---------- Readers

  private async csvReader(source: ImportSource): Promise<Reader> {
    const counter = { bytes: 0 };
    const table = await readCsv(source, counter);
    const { idColumn } = this.options;
    if (idColumn !== undefined && !table.header.some((h) => normalizeHeader(h) === normalizeHeader(idColumn))) {
      throw fileError(1, `the id column "${idColumn}" is not a column of the file (its columns: ${table.header.join(", ")})`);
    }
    const chosen = this.options.columnMap ?? {};
    let mapped = mapColumns(this.entity, table.header, this.defs, idColumn, chosen);
    const columns: Column[] = table.header.map((name) => ({ name, samples: [] }));
    async function* records(): AsyncGenerator<RawRecord> {
      for await (const record of table.rows) {
        yield {
          sample: () =>
            record.cells.forEach((value, i) => {
              const col = columns[i];
              if (col && value && col.samples.length < SAMPLE_ROWS) col.samples.push(value);
            }),
          draft: () => {
            if (record.cells.every((c) => c === "")) return null;
            const draft: Draft = { row: record.row, cells: new Map() };
            mapped.targets.forEach((target, i) => {
              if (target) addCell(draft, targetLabel(target), { column: table.header[i] as string, value: record.cells[i] ?? "" });
            });
            return draft;
          },
        };
      }
    }
    return {
      columns: () => columns,
      records: records(),
      mapping: () => mapped.mapping,
      skipped: () => mapped.skipped,
      remap: (defs) => {
        mapped = mapColumns(this.entity, table.header, defs, idColumn, chosen);
      },
      bytes: () => counter.bytes,
    };
  }

  private vcardReader(source: ImportSource): Reader {
    const counter = { bytes: 0 };
    const entity = this.entity;
    const byUid = this.options.idColumn !== undefined && normalizeHeader(this.options.idColumn) === "uid";
    if (this.options.idColumn !== undefined && !byUid) {
      throw fileError(null, `a vCard file is keyed by its UID: use UID as the id column (not "${this.options.idColumn}")`);
    }
    const mapping: Record<string, string> = {};
    const extras = new Map<string, Column>();
    let customByName = customLookup(this.defs);
    const note = (prop: string, field: string) => {
      mapping[prop] = field;
    };

    const toDraft = (item: VCardItem): Draft | Rejection => {
      if ("error" in item) return { row: item.card, column: null, message: item.error };
      const draft: Draft = { row: item.card, cells: new Map() };
      const props = item.properties;
      const all = (name: string) => props.filter((p) => p.name === name);
      const firstText = (name: string) => textOf(all(name)[0]?.values[0]);
      const fn = firstText("FN");
      const n = all("N")[0];
      const orgName = componentOf(all("ORG")[0]?.values[0], 0);
      if (entity === "contacts") {
        if (fn) {
          addCell(draft, "name", { column: "FN", value: fn });
          note("FN", "name");
        }
        if (n) {
          addCell(draft, "first_name", { column: "N", value: componentOf(n.values[0], 1) });
          addCell(draft, "last_name", { column: "N", value: componentOf(n.values[0], 0) });
          note("N", "first_name, last_name");
        }
        const emails = all("EMAIL")
          .flatMap((p) => p.values.map(textOf))
          .filter(Boolean);
        if (emails.length) {
          addCell(draft, "emails", { column: "EMAIL", value: emails });
          note("EMAIL", "emails");
        }
        const phones = all("TEL")
          .flatMap((p) => p.values.map(textOf))
          .map((t) => t.replace(/^tel:/i, ""))
          .filter(Boolean);
        if (phones.length) {
          addCell(draft, "phones", { column: "TEL", value: phones });
          note("TEL", "phones");
        }
        if (all("ORG").length) {
          addCell(draft, "organization", { column: "ORG", value: orgName });
          note("ORG", "organization");
        }
        if (all("TITLE").length) {
          addCell(draft, "title", { column: "TITLE", value: firstText("TITLE") });
          note("TITLE", "title");
        }
        const notes = all("NOTE")
          .map((p) => textOf(p.values[0]))
          .filter(Boolean);
        if (notes.length) {
          addCell(draft, "notes", { column: "NOTE", value: notes.join("\n\n") });
          note("NOTE", "notes");
        }
        const adr = all("ADR").find((p) => [1, 2, 3, 4, 5, 6].some((i) => componentOf(p.values[0], i)));
        if (adr) {
          // ADR: post office box; extended address; street; locality; region; postal code; country
          const parts = { address2: 1, street: 2, city: 3, region: 4, postal_code: 5, country: 6 } as const;
          for (const [field, i] of Object.entries(parts)) addCell(draft, field, { column: "ADR", value: componentOf(adr.values[0], i) });
          note("ADR", "street, address2, city, region, postal_code, country");
        }
        const bday = firstText("BDAY");
        if (bday) {
          addCell(draft, "birth_date", { column: "BDAY", value: bday });
          note("BDAY", "birth_date");
        }
        const tags = all("CATEGORIES")
          .flatMap((p) => p.values.map(textOf))
          .filter(Boolean);
        if (tags.length) {
          addCell(draft, "tags", { column: "CATEGORIES", value: tags });
          note("CATEGORIES", "tags");
        }
        if (!fn && !(n && textOf(n.values[0])) && emails.length === 0) {
          return {
            row: item.card,
            column: "FN",
            message: `card ${item.card} (line ${item.line}) has no FN, N or EMAIL: a contact needs a name or an email`,
          };
        }
      } else {
        const name = orgName || fn;
        if (name) {
          addCell(draft, "name", { column: orgName ? "ORG" : "FN", value: name });
          note(orgName ? "ORG" : "FN", "name");
        }
        const url = firstText("URL");
        if (url) {
          addCell(draft, "domain", { column: "URL", value: url });
          note("URL", "domain");
        }
        if (!name)
          return {
            row: item.card,
            column: "FN",
            message: `card ${item.card} (line ${item.line}) has no ORG or FN: an organization needs a name`,
          };
      }
      const uid = firstText("UID");
      if (byUid) {
        addCell(draft, "external_id", { column: "UID", value: uid });
        note("UID", "external_id");
      }
      for (const [name, value] of extraValues(item.properties)) {
        const key = customByName.get(normalizeHeader(name));
        if (key) {
          addCell(draft, `custom.${key}`, { column: name, value });
          note(name, `custom.${key}`);
        } else if (!extras.has(name)) extras.set(name, { name, samples: [] });
      }
      return draft;
    };
    const extraValues = (props: VCardProperty[]) => {
      const handled = new Set(entity === "contacts" ? CONTACT_PROPS : ORGANIZATION_PROPS);
      const values = new Map<string, string>();
      for (const p of props) {
        if (handled.has(p.name) || IGNORED_PROPS.has(p.name) || p.name.startsWith("X-AB")) continue;
        if (p.name === "UID") continue;
        const text = textOf(p.values);
        values.set(p.name, [values.get(p.name), text].filter(Boolean).join("; "));
      }
      return values;
    };
    const sample = (item: VCardItem) => {
      if ("error" in item) return;
      for (const [name, value] of extraValues(item.properties)) {
        const col = extras.get(name) ?? { name, samples: [] };
        if (value && col.samples.length < SAMPLE_ROWS) col.samples.push(value);
        extras.set(name, col);
      }
    };

    async function* records(): AsyncGenerator<RawRecord> {
      for await (const item of readVCards(source, counter)) yield { sample: () => sample(item), draft: () => toDraft(item) };
    }
    return {
      columns: () => [...extras.values()].filter((c) => !(c.name in mapping)),
      records: records(),
      mapping: () => mapping,
      skipped: () => [],
      remap: (defs) => {
        customByName = customLookup(defs);
      },
      bytes: () => counter.bytes,
    };
  }
}

const CONTACT_PROPS = ["FN", "N", "EMAIL", "TEL", "ORG", "TITLE", "NOTE", "ADR", "CATEGORIES"];
const ORGANIZATION_PROPS = ["FN", "ORG", "URL"];
/** Card metadata and binary payloads: never offered as custom fields. */
const IGNORED_PROPS = new Set([
  "BEGIN",
  "END",
  "VERSION",
  "PRODID",
  "REV",
  "KIND",
  "PHOTO",
  "LOGO",
  "SOUND",
  "KEY",
  "LABEL",
  "SORT-STRING",
  "CLIENTPIDMAP",
  "XML",
  "SOURCE",
  "NAME",
  "MAILER",
  "CLASS",
]);

function customLookup(defs: CustomFieldRow[]) {
  const map = new Map<string, string>();
  for (const d of defs) {
    for (const name of [normalizeHeader(d.key), normalizeHeader(d.label)]) if (name && !map.has(name)) map.set(name, d.key);
  }
  return map;
}
