import { CONTACT_FIELDS, ORGANIZATION_FIELDS } from "../contracts/transfer";
import { CUSTOM_KEY_RE, RESERVED_KEYS } from "../crm";
import { invalid } from "../shared/errors";
import type { CustomFieldRow } from "../store/schema";

// Which field a column of an imported file feeds. Headers are compared after
// normalizing case, spaces, punctuation and accents, so "E-mail", "email" and
// "Email " are the same column to us.

export type ImportEntity = "contacts" | "organizations";

// The fields a file's columns can fill (src/contracts/transfer.ts, where the web app reads them too).
export {
  CONSENT_FIELDS,
  CONTACT_FIELDS,
  CONTACT_HEAD_FIELDS,
  CONTACT_PLACE_FIELDS,
  ORGANIZATION_FIELDS,
} from "../contracts/transfer";
export type ContactField = (typeof CONTACT_FIELDS)[number];
export type OrganizationField = (typeof ORGANIZATION_FIELDS)[number];

/** Where a column's values go: a built-in field, a custom field, or the record's id (--id-column). */
export type Target = { kind: "field"; field: string } | { kind: "custom"; key: string } | { kind: "key" };

/** Fields that take several values: several columns may feed them, and a cell may hold a list. */
export const MULTI_FIELDS = new Set(["emails", "phones", "tags"]);
/** Single-valued fields several columns may feed together, joined with a space in file order ("6" + "tullaroop street"). */
export const JOINED_FIELDS = new Set(["street"]);

export function normalizeHeader(header: string): string {
  return header
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");
}

const CONTACT_SYNONYMS: Record<ContactField, string[]> = {
  name: ["name", "fullname", "contact", "contactname", "displayname", "person", "personname"],
  first_name: ["firstname", "givenname", "first", "forename", "fname", "christianname"],
  last_name: ["lastname", "surname", "familyname", "last", "lname"],
  emails: [],
  phones: [],
  organization: [
    "organization",
    "organisation",
    "company",
    "companyname",
    "organizationname",
    "organisationname",
    "account",
    "accountname",
    "employer",
    "org",
  ],
  title: ["title", "jobtitle", "position", "jobposition", "designation", "jobrole"],
  lifecycle_stage: ["lifecyclestage", "lifecycle", "stage", "status", "contactstage", "contactstatus"],
  owner: ["owner", "owneremail", "contactowner", "accountowner", "assignedto", "ownerid"],
  tags: ["tags", "tag", "labels", "label", "categories"],
  city: ["city", "town", "locality", "suburb", "municipality"],
  // "Street number" and "Address 1" both feed the street: several columns join in file order.
  street: [
    "street",
    "streetaddress",
    "address",
    "address1",
    "addressline1",
    "addressline",
    "street1",
    "addr1",
    "streetnumber",
    "streetno",
    "housenumber",
    "houseno",
    "streetname",
  ],
  address2: ["address2", "addressline2", "street2", "addr2", "building", "apartment", "suite", "unit"],
  postal_code: ["postalcode", "postcode", "zip", "zipcode", "postal", "plz", "cap", "codepostal"],
  region: ["region", "state", "province", "county", "stateprovince", "stateorprovince", "territory"],
  birth_date: ["birthdate", "dateofbirth", "dob", "birthday", "born", "bday", "geburtsdatum"],
  national_id: [
    "nationalid",
    "socsecid",
    "ssn",
    "socialsecuritynumber",
    "socialsecurityno",
    "socsecno",
    "nationalinsurancenumber",
    "nino",
    "taxid",
    "personalid",
    "idnumber",
    "personnummer",
  ],
  country: ["country", "countrycode", "countryregion", "nation"],
  notes: ["notes", "note", "comments", "comment", "description"],
  consent_email: [
    "consentemail",
    "emailconsent",
    "optin",
    "emailoptin",
    "optinemail",
    "marketingconsent",
    "marketingoptin",
    "emailmarketing",
    "acceptsmarketing",
    "newsletter",
    "subscribed",
  ],
  consent_sms: ["consentsms", "smsconsent", "smsoptin", "optinsms", "textoptin", "smsmarketing"],
  consent_tracking: ["consenttracking", "trackingconsent", "trackingoptin", "cookieconsent"],
};

const ORGANIZATION_SYNONYMS: Record<OrganizationField, string[]> = {
  name: [
    "name",
    "company",
    "companyname",
    "organization",
    "organisation",
    "organizationname",
    "organisationname",
    "account",
    "accountname",
  ],
  domain: ["domain", "website", "web", "url", "homepage", "site", "companydomain", "websiteurl", "companywebsite"],
  industry: ["industry", "sector", "vertical"],
  size: ["size", "employees", "companysize", "headcount", "numberofemployees", "employeecount", "staff"],
  owner: ["owner", "owneremail", "accountowner", "assignedto", "ownerid"],
};

// "Work Email", "E-mail 2", "Email Address" …; "Mobile", "Phone Number", "Tel" …
const EMAIL_RE = /^(work|home|personal|private|business|other|primary|secondary|alternate|alt|main)?(e?mail)(address)?\d*$/;
const PHONE_RE =
  /^(work|home|business|office|mobile|cell|other|primary|main|direct|private)?(phone|tel|telephone|mobile|cell|cellphone|mobilephone)(number|no|nr)?\d*$/;

/** Columns Parley writes in exports that are not imported (the importer reports them as unmapped). */
export const READ_ONLY_COLUMNS = new Set(["id", "externalid", "createdat", "updatedat", "contactcount"]);

export function builtinFieldFor(entity: ImportEntity, header: string): string | undefined {
  const n = normalizeHeader(header);
  if (!n) return undefined;
  if (entity === "contacts") {
    // Consent columns ("Email opt-in") mention email too: they are matched first.
    for (const f of ["consent_email", "consent_sms", "consent_tracking"] as const) {
      if (CONTACT_SYNONYMS[f].includes(n)) return f;
    }
    if (n === "emails" || EMAIL_RE.test(n)) return "emails";
    if (n === "phones" || PHONE_RE.test(n)) return "phones";
    for (const [field, names] of Object.entries(CONTACT_SYNONYMS)) if (names.includes(n)) return field;
    return undefined;
  }
  for (const [field, names] of Object.entries(ORGANIZATION_SYNONYMS)) if (names.includes(n)) return field;
  return undefined;
}

export type ColumnMapping = {
  /** One entry per column of the file, in order; null when the column is not imported. */
  targets: Array<Target | null>;
  /** column → field name as shown to the user ("emails", "custom.plan", "external_id"). */
  mapping: Record<string, string>;
  /** Columns that feed nothing, in file order. */
  unmapped: string[];
  /** Columns the user chose to leave out (a "" in the column map): not offered as custom fields. */
  skipped: string[];
};

/**
 * The user's choice for one column (the import's column map): "" leaves it out; "external_id"
 * keys the rows; a field name ("emails", "city") or "custom.<key>" fills that field. An unknown
 * target or a column the file does not have is refused, naming `map.<column>`.
 */
function chosenTarget(
  entity: ImportEntity,
  column: string,
  choice: string,
  exactNames: Set<string>,
  defs: Pick<CustomFieldRow, "key" | "label">[],
): Target | null {
  if (choice === "") return null;
  if (choice === "external_id") return { kind: "key" };
  if (choice.startsWith("custom.")) {
    const key = choice.slice("custom.".length);
    if (defs.some((d) => d.key === key)) return { kind: "custom", key };
    throw invalid(`map.${column}`, `there is no custom field "${key}" for ${entity}`);
  }
  if (exactNames.has(choice)) return { kind: "field", field: choice };
  throw invalid(`map.${column}`, `"${choice}" is not a field of ${entity}`);
}

export function targetLabel(t: Target): string {
  if (t.kind === "key") return "external_id";
  if (t.kind === "custom") return `custom.${t.key}`;
  return t.field;
}

/**
 * Maps a file's columns to fields. Order of precedence: the --id-column; the
 * built-in field names Parley itself writes ("first_name", "emails"); a custom
 * field whose key or label matches; then the common synonyms. A single-valued
 * field takes the first column that names it; later ones stay unmapped.
 */
export function mapColumns(
  entity: ImportEntity,
  columns: string[],
  defs: Pick<CustomFieldRow, "key" | "label">[],
  idColumn?: string,
  /** The user's choices per column, over the automatic mapping (see chosenTarget). */
  chosenByColumn: Record<string, string> = {},
): ColumnMapping {
  // a Map, so that a column named like an Object property ("__proto__", "constructor") is just a name
  const chosen = new Map(Object.entries(chosenByColumn));
  for (const column of chosen.keys()) {
    if (!columns.includes(column)) throw invalid(`map.${column}`, "is not a column of the file");
  }
  const wantedId = idColumn === undefined ? undefined : normalizeHeader(idColumn);
  const exactNames = new Set<string>(entity === "contacts" ? CONTACT_FIELDS : ORGANIZATION_FIELDS);
  const customByName = new Map<string, string>();
  for (const d of defs) {
    for (const name of [normalizeHeader(d.key), normalizeHeader(d.label)]) {
      if (name && !customByName.has(name)) customByName.set(name, d.key);
    }
  }
  const taken = new Set<string>();
  let idTaken = false;
  const targets: Array<Target | null> = [];
  const mapping: Record<string, string> = {};
  const unmapped: string[] = [];
  const skipped: string[] = [];
  // The user's choices first: a field they gave a column is not taken by a column matched by name.
  const choices = new Map<string, Target | null>();
  for (const column of columns) {
    const choice = chosen.get(column);
    if (choice === undefined) continue;
    const target = chosenTarget(entity, column, choice, exactNames, defs);
    choices.set(column, target);
    if (!target) continue;
    const label = targetLabel(target);
    const several = target.kind === "field" && (MULTI_FIELDS.has(target.field) || JOINED_FIELDS.has(target.field));
    if (target.kind === "key" ? idTaken : taken.has(label) && !several) {
      throw invalid(`map.${column}`, `another column already fills ${label}`);
    }
    if (target.kind === "key") idTaken = true;
    else taken.add(label);
  }
  for (const column of columns) {
    const n = normalizeHeader(column);
    let target: Target | null = null;
    const choice = chosen.get(column);
    if (choice !== undefined) {
      target = choices.get(column) ?? null;
      if (!target) skipped.push(column);
    } else if (wantedId !== undefined && n === wantedId && !idTaken) {
      target = { kind: "key" };
      idTaken = true;
    } else if (n && !READ_ONLY_COLUMNS.has(n)) {
      const exact = [...exactNames].find((f) => normalizeHeader(f) === n);
      const custom = customByName.get(n);
      const field = exact ?? (custom ? undefined : builtinFieldFor(entity, column));
      if (field) target = { kind: "field", field };
      else if (custom) target = { kind: "custom", key: custom };
    }
    if (target && target.kind !== "key" && choice === undefined) {
      const label = targetLabel(target);
      const several = target.kind === "field" && (MULTI_FIELDS.has(target.field) || JOINED_FIELDS.has(target.field));
      if (taken.has(label) && !several) target = null;
      else taken.add(label);
    }
    targets.push(target);
    if (target) mapping[column] = targetLabel(target);
    else if (choice === undefined) unmapped.push(column);
  }
  return { targets, mapping, unmapped, skipped };
}

/**
 * The key of a custom field created for an unmapped column: snake_case of the
 * header. Null when the header cannot make a key of its own (it names a
 * built-in or read-only field, or is empty).
 */
export function customKeyFor(entity: ImportEntity, header: string, existing: Set<string>): string | null {
  const n = normalizeHeader(header);
  if (!n || READ_ONLY_COLUMNS.has(n) || builtinFieldFor(entity, header)) return null;
  let key = header
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  if (!/^[a-z]/.test(key)) key = `field_${key}`;
  key = key.slice(0, 60).replace(/_+$/, "");
  if (RESERVED_KEYS.has(key)) return null;
  let candidate = key;
  for (let i = 2; existing.has(candidate); i++) candidate = `${key}_${i}`;
  return CUSTOM_KEY_RE.test(candidate) ? candidate : null;
}
