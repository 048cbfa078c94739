import { isCalendarDate } from "../contracts";
import { AppError } from "../shared/errors";
import { isUuid } from "../shared/ids";
import { LIFECYCLE_STAGES } from "../store/schema";
import { JOINED_FIELDS, MULTI_FIELDS } from "./fields";

// From the cells of one imported row to the input the CRM's own validation
// takes (the same `parseContactInput` / `buildContactRow` as the API), keeping
// track of which column each value came from so that a rejection names it.

/** One value of a row: the column it came from, and the raw text (or values a format already split). */
export type Cell = { column: string; value: string | string[] };

/** A row of a file, its cells grouped by target ("emails", "custom.plan", "external_id" for the id). */
export type Draft = { row: number; cells: Map<string, Cell[]> };

export type Rejection = { row: number; column: string | null; message: string };

export type RowContext = {
  /** Workspace members: lower-case email → user id. */
  membersByEmail: Map<string, string>;
  memberIds: Set<string>;
};

/** The row as raw input, the id it is keyed by (--id-column), and its organization by name. */
export type PreparedRow = {
  row: number;
  input: Record<string, unknown>;
  /** Where each input field came from; arrays have one column per value. */
  sources: Map<string, string[]>;
  key?: { value: string; column: string };
  /** undefined: the file says nothing; null: clear it; a string: the organization's name. */
  organization?: string | null;
  organizationColumn?: string;
  /** Values dropped without rejecting the row (a birth date that is not a date). */
  warnings: Rejection[];
};

/**
 * A birth date as YYYY-MM-DD from the spellings files use: ISO, YYYYMMDD, and
 * D.M.YYYY / D/M/YYYY (day first, as most of the world writes it); US-style
 * M/D/YYYY is taken only when the first number cannot be a day-of-month pair.
 */
export function parseBirthDate(raw: string): string | null {
  const v = raw.trim().replace(/T.*$/, "");
  let y: number;
  let m: number;
  let d: number;
  let r = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(v) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(v) ?? /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/.exec(v);
  if (r) [y, m, d] = [Number(r[1]), Number(r[2]), Number(r[3])];
  else {
    r = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})$/.exec(v);
    if (!r) return null;
    const [a, b] = [Number(r[1]), Number(r[2])];
    [y, m, d] = b > 12 && a <= 12 ? [Number(r[3]), a, b] : [Number(r[3]), b, a];
  }
  const iso = `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
  return isCalendarDate(iso) ? iso : null;
}

export function addCell(draft: Draft, target: string, cell: Cell) {
  const list = draft.cells.get(target);
  if (list) list.push(cell);
  else draft.cells.set(target, [cell]);
}

const SPLIT: Record<string, RegExp> = {
  emails: /[;,\s]+/,
  phones: /[;,\n]+/,
  tags: /[;,]+/,
};

const TRUE_WORDS = new Set(["true", "yes", "y", "1", "x", "on", "opted in", "optedin", "subscribed", "granted", "consented"]);
const FALSE_WORDS = new Set(["false", "no", "n", "0", "off", "opted out", "optedout", "unsubscribed", "denied", "declined"]);

export function parseYesNo(raw: string): boolean | undefined {
  const v = raw.trim().toLowerCase();
  if (TRUE_WORDS.has(v)) return true;
  if (FALSE_WORDS.has(v)) return false;
  return undefined;
}

const joined = (cell: Cell) => (Array.isArray(cell.value) ? cell.value.join("; ") : cell.value).trim();

/** A Parley id given as a key: a bare UUID or a vCard's `urn:uuid:` UID. */
export function idFromKey(key: string): string | undefined {
  const bare = key.replace(/^urn:uuid:/i, "");
  return isUuid(bare) ? bare.toLowerCase() : undefined;
}

type Collected = { prepared: PreparedRow; errors: Rejection[] };

type FieldSpec = { scalars: Set<string>; keepWhenEmpty: Set<string> };

function collect(draft: Draft, ctx: RowContext, spec: FieldSpec): Collected {
  const prepared: PreparedRow = { row: draft.row, input: {}, sources: new Map(), warnings: [] };
  const errors: Rejection[] = [];
  const reject = (column: string | null, message: string) => errors.push({ row: draft.row, column, message });
  const custom: Record<string, unknown> = {};

  for (const [target, cells] of draft.cells) {
    const first = cells[0] as Cell;
    if (target === "external_id") {
      const value = joined(first);
      if (!value)
        reject(first.column, "is empty: with an id column every row needs an id, so that importing again updates instead of duplicating");
      else prepared.key = { value, column: first.column };
      continue;
    }
    if (target.startsWith("custom.")) {
      const key = target.slice(7);
      custom[key] = joined(first);
      prepared.sources.set(target, [first.column]);
      continue;
    }
    if (MULTI_FIELDS.has(target)) {
      const values: string[] = [];
      const columns: string[] = [];
      for (const cell of cells) {
        const parts = Array.isArray(cell.value) ? cell.value : cell.value.split(SPLIT[target] as RegExp);
        for (const part of parts.map((p) => p.trim()).filter(Boolean)) {
          values.push(part);
          columns.push(cell.column);
        }
      }
      prepared.input[target] = values;
      prepared.sources.set(target, columns.length ? columns : [first.column]);
      continue;
    }
    const value = JOINED_FIELDS.has(target) ? cells.map(joined).filter(Boolean).join(" ") : joined(first);
    const source = JOINED_FIELDS.has(target) ? cells.map((c) => c.column) : [first.column];
    switch (target) {
      case "birth_date": {
        prepared.sources.set("birth_date", source);
        if (!value) {
          prepared.input.birth_date = null;
          break;
        }
        const date = parseBirthDate(value);
        if (date) prepared.input.birth_date = date;
        else {
          // A wrong birth date is not worth losing the person: kept empty, and said.
          prepared.input.birth_date = null;
          prepared.warnings.push({ row: draft.row, column: first.column, message: `"${value}" is not a date; left empty` });
        }
        break;
      }
      case "lifecycle_stage": {
        if (!value) break;
        const stage = LIFECYCLE_STAGES.find((s) => s === value.toLowerCase());
        if (!stage) reject(first.column, `"${value}" is not a lifecycle stage (one of: ${LIFECYCLE_STAGES.join(", ")})`);
        else prepared.input.lifecycle_stage = stage;
        prepared.sources.set("lifecycle_stage", source);
        break;
      }
      case "owner": {
        prepared.sources.set("owner_id", source);
        if (!value) {
          prepared.input.owner_id = null;
          break;
        }
        const id =
          ctx.membersByEmail.get(value.toLowerCase()) ?? (ctx.memberIds.has(value.toLowerCase()) ? value.toLowerCase() : undefined);
        if (!id) reject(first.column, `no user of this workspace has the email "${value}"`);
        else prepared.input.owner_id = id;
        break;
      }
      case "organization": {
        prepared.organizationColumn = first.column;
        if (!value) prepared.organization = null;
        else if (value.length > 300) reject(first.column, "an organization name is at most 300 characters");
        else prepared.organization = value;
        break;
      }
      case "consent_email":
      case "consent_sms":
      case "consent_tracking": {
        prepared.sources.set(target, source);
        if (!value) break;
        const yes = parseYesNo(value);
        if (yes === undefined) reject(first.column, `"${value}" is not yes or no (use yes/no, true/false or 1/0)`);
        else prepared.input[target] = yes;
        break;
      }
      default:
        if (!spec.scalars.has(target)) break;
        prepared.input[target] = value || (spec.keepWhenEmpty.has(target) ? undefined : null);
        prepared.sources.set(target, source);
    }
  }
  if (Object.keys(custom).length) prepared.input.custom = custom;
  return { prepared, errors };
}

const CONTACT_SPEC: FieldSpec = {
  scalars: new Set([
    "name",
    "first_name",
    "last_name",
    "title",
    "city",
    "country",
    "street",
    "address2",
    "postal_code",
    "region",
    "national_id",
    "notes",
  ]),
  keepWhenEmpty: new Set(),
};
// An organization's name can be changed by a file but not cleared.
const ORGANIZATION_SPEC: FieldSpec = { scalars: new Set(["name", "domain", "industry", "size"]), keepWhenEmpty: new Set(["name"]) };

export function prepareContact(draft: Draft, ctx: RowContext): Collected {
  return collect(draft, ctx, CONTACT_SPEC);
}

export function prepareOrganization(draft: Draft, ctx: RowContext): Collected {
  return collect(draft, ctx, ORGANIZATION_SPEC);
}

/**
 * A domain validation error (field paths like "emails.1", "custom.plan") as
 * rejections naming the file's columns.
 */
export function rejectionsFrom(err: unknown, prepared: PreparedRow, fallbackColumns: string[]): Rejection[] {
  if (!(err instanceof AppError) || err.code !== "validation_error") throw err;
  const details = err.details?.length ? err.details : [{ field: undefined, message: err.message }];
  return details.map((d) => {
    const path = d.field ?? "";
    let column: string | null = null;
    let value: unknown;
    const m = /^([a-z_]+)\.(\d+)$/.exec(path);
    if (m) {
      column = prepared.sources.get(m[1] as string)?.[Number(m[2])] ?? null;
      value = (prepared.input[m[1] as string] as unknown[] | undefined)?.[Number(m[2])];
    } else if (path.startsWith("custom.")) {
      column = prepared.sources.get(path)?.[0] ?? null;
      value = (prepared.input.custom as Record<string, unknown> | undefined)?.[path.slice(7)];
    } else if (path === "external_id") {
      column = prepared.key?.column ?? null;
      value = prepared.key?.value;
    } else {
      column = prepared.sources.get(path)?.[0] ?? null;
      value = prepared.input[path];
    }
    if (column === null && (path === "name" || path === "")) {
      column = fallbackColumns.find((c) => c) ?? null;
    }
    const shown = typeof value === "string" && value.length <= 80 && !d.message.includes(`"${value}"`) ? ` (got "${value}")` : "";
    return { row: prepared.row, column, message: `${d.message}${shown}` };
  });
}
