import { invalid } from "../shared/errors";
import type { CustomFieldRow, CustomFieldType, CustomValues } from "../store/schema";

export const CUSTOM_KEY_RE = /^[a-z][a-z0-9_]{0,62}$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

export type FieldDef = Pick<CustomFieldRow, "key" | "label" | "type" | "options">;

function isValidDate(value: string): boolean {
  if (!DATE_RE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/**
 * Checks one custom value against its field's type. `lenient` accepts the
 * string forms found in files (CSV): "42", "yes", "a; b".
 */
export function coerceCustomValue(def: FieldDef, raw: unknown, lenient = false): unknown {
  const field = `custom.${def.key}`;
  if (raw === null || raw === undefined || (lenient && raw === "")) return null;
  switch (def.type as CustomFieldType) {
    case "text": {
      if (typeof raw !== "string") throw invalid(field, "must be text");
      if (raw.length > 10_000) throw invalid(field, "is longer than 10000 characters");
      return raw;
    }
    case "number": {
      const n = typeof raw === "string" && lenient ? Number(raw.trim().replace(/,(?=\d{3}\b)/g, "")) : raw;
      if (typeof n !== "number" || !Number.isFinite(n)) throw invalid(field, "must be a number");
      return n;
    }
    case "date": {
      if (typeof raw !== "string" || !isValidDate(raw.trim())) throw invalid(field, "must be a date as YYYY-MM-DD");
      return raw.trim();
    }
    case "boolean": {
      if (typeof raw === "boolean") return raw;
      if (lenient && typeof raw === "string") {
        const v = raw.trim().toLowerCase();
        if (["true", "yes", "y", "1", "x"].includes(v)) return true;
        if (["false", "no", "n", "0"].includes(v)) return false;
      }
      throw invalid(field, "must be true or false");
    }
    case "select": {
      if (typeof raw !== "string") throw invalid(field, "must be one of the field's options");
      const match = def.options.find((o) => o.toLowerCase() === raw.trim().toLowerCase());
      if (!match) throw invalid(field, `"${raw}" is not one of: ${def.options.join(", ")}`);
      return match;
    }
    case "multiselect": {
      const list =
        lenient && typeof raw === "string"
          ? raw
              .split(/[;,|]/)
              .map((s) => s.trim())
              .filter(Boolean)
          : raw;
      if (!Array.isArray(list) || list.some((v) => typeof v !== "string")) {
        throw invalid(field, "must be a list of the field's options");
      }
      const out: string[] = [];
      for (const v of list as string[]) {
        const match = def.options.find((o) => o.toLowerCase() === v.trim().toLowerCase());
        if (!match) throw invalid(field, `"${v}" is not one of: ${def.options.join(", ")}`);
        if (!out.includes(match)) out.push(match);
      }
      return out;
    }
    case "url": {
      if (typeof raw !== "string") throw invalid(field, "must be a URL");
      let url: URL;
      try {
        url = new URL(raw.trim());
      } catch {
        throw invalid(field, "must be a URL starting with http:// or https://");
      }
      if (url.protocol !== "http:" && url.protocol !== "https:") {
        throw invalid(field, "must be a URL starting with http:// or https://");
      }
      return url.toString();
    }
  }
  throw invalid(field, "has an unknown type");
}

/** Merges a patch of custom values into the current ones; null clears a value. */
export function applyCustomValues(defs: FieldDef[], current: CustomValues, patch: Record<string, unknown>, lenient = false): CustomValues {
  const byKey = new Map(defs.map((d) => [d.key, d]));
  const next: CustomValues = { ...current };
  for (const [key, raw] of Object.entries(patch)) {
    const def = byKey.get(key);
    if (!def) throw invalid(`custom.${key}`, "is not a custom field of this workspace (create it in Settings first)");
    const value = coerceCustomValue(def, raw, lenient);
    if (value === null) delete next[key];
    else next[key] = value;
  }
  return next;
}

/** Guesses a field type from sample values: offered for unknown CSV columns. */
export function inferFieldType(samples: string[]): CustomFieldType {
  const values = samples.map((s) => s.trim()).filter(Boolean);
  if (values.length === 0) return "text";
  if (values.every((v) => /^-?\d+(\.\d+)?$/.test(v))) return "number";
  if (values.every((v) => isValidDate(v))) return "date";
  if (values.every((v) => /^(true|false|yes|no)$/i.test(v))) return "boolean";
  if (values.every((v) => /^https?:\/\/\S+$/i.test(v))) return "url";
  return "text";
}
