import fc from "fast-check";
import { anyString } from "./support";

// fast-check arbitraries from the JSON Schemas of the API's OpenAPI document
// (generated from the routes' Zod schemas). zod-fast-check supports neither
// zod 4 nor fast-check 4, so this walks the subset the routes use: type,
// enum, anyOf, nullable, properties/required/additionalProperties, items with
// min/maxItems, min/maxLength, pattern, format (uuid, date, date-time),
// minimum/maximum. Values are mostly valid, so requests get past validation
// into the handlers; every node is sometimes replaced by junk, to test the
// validation itself.

export type JsonSchema = {
  type?: string | string[];
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  nullable?: boolean;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  default?: unknown;
  const?: unknown;
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
};

/** Where uuids come from: ids the fuzzer has seen in responses, so requests reach real records. */
export type IdPool = { ids: string[] };

/** `$defs` of the schema being walked, for `$ref: "#/$defs/…"`. */
let defs: Record<string, JsonSchema> = {};

/** Values for a whole document's schema (resolving its `$defs`); see arbitraryFor. */
export function arbitraryForDocument(schema: JsonSchema, pool: IdPool, junk: number): fc.Arbitrary<unknown> {
  defs = schema.$defs ?? {};
  return arbitraryFor(schema, pool, junk);
}

/** Strings a field's name asks for, so requests get past format checks into the handler. */
function stringByName(name: string | undefined): fc.Arbitrary<string> | null {
  const n = name?.toLowerCase() ?? "";
  if (n.includes("email")) return fc.emailAddress();
  if (n === "domain") return fc.domain();
  if (n === "currency") return fc.constantFrom("EUR", "USD", "JPY");
  if (n === "time_zone" || n === "timezone") return fc.constantFrom("Europe/Berlin", "UTC", "America/New_York");
  if (n.endsWith("url") || n === "href") return fc.webUrl();
  if (n === "password") return fc.string({ minLength: 8, maxLength: 30 });
  if (n === "language" || n === "lang") return fc.constantFrom("en", "de", "fr-CA");
  return null;
}

const MAX_ITEMS = 4;

/** A value of the wrong kind: what a careless or hostile client sends instead. */
export const junkValue: fc.Arbitrary<unknown> = fc.oneof(
  anyString(30),
  fc.constantFrom(null, true, false, 0, -1, 1e308, -1e308, 2 ** 53, 0.5, "", " ", "null", "[]", "{}", "\u0000"),
  fc.jsonValue({ maxDepth: 2 }),
  fc.string({ minLength: 2000, maxLength: 3000 }),
);

function pooledUuid(pool: IdPool): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.nat().map((i) => pool.ids[i % Math.max(1, pool.ids.length)] ?? "00000000-0000-4000-8000-000000000000") },
    { weight: 1, arbitrary: fc.uuid() },
  );
}

function stringFor(schema: JsonSchema, pool: IdPool, name?: string): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = Math.min(schema.maxLength ?? 60, Math.max(min, 60));
  if (schema.format === "uuid") return pooledUuid(pool);
  const named = !schema.pattern && !schema.format ? stringByName(name) : null;
  if (named)
    return fc.oneof(
      { weight: 4, arbitrary: named.filter((v) => v.length >= min && v.length <= (schema.maxLength ?? 1e6)) },
      { weight: 1, arbitrary: fc.string({ maxLength: max }) },
    );
  if (schema.format === "date-time") return fc.date({ noInvalidDate: true }).map((d) => d.toISOString());
  if (schema.format === "date")
    return fc
      .date({ noInvalidDate: true, min: new Date("1900-01-01"), max: new Date("2100-01-01") })
      .map((d) => d.toISOString().slice(0, 10));
  if (schema.pattern) {
    try {
      return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length >= min && s.length <= (schema.maxLength ?? 1e6));
    } catch {
      // A pattern fast-check cannot generate from: fall through to plain strings.
    }
  }
  return fc.oneof(
    { weight: 3, arbitrary: fc.string({ minLength: min, maxLength: max }) },
    { weight: 1, arbitrary: anyString(max).filter((s) => s.length >= min) },
    { weight: 1, arbitrary: prototypeKey.filter((s) => s.length >= min && s.length <= max) },
  );
}

/** Names an object inherits: a lookup table indexed by user input must not find them (a field "constructor"
 * once found Object.prototype's and made a 500). */
const prototypeKey = fc.constantFrom("constructor", "__proto__", "toString", "hasOwnProperty", "valueOf", "prototype");

function numberFor(schema: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const min = schema.minimum ?? -1e6;
  const max = schema.maximum ?? 1e9;
  if (integer) return fc.integer({ min: Math.ceil(Math.max(min, -(2 ** 31))), max: Math.floor(Math.min(max, 2 ** 31)) });
  return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

function typed(schema: JsonSchema, type: string, pool: IdPool, depth: number, junk: number, name?: string): fc.Arbitrary<unknown> {
  switch (type) {
    case "string":
      return stringFor(schema, pool, name);
    case "integer":
      return numberFor(schema, true);
    case "number":
      return numberFor(schema, false);
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "array": {
      const item = schema.items ? arbitraryFor(schema.items, pool, junk, depth + 1, name) : fc.jsonValue({ maxDepth: 1 });
      const minLength = schema.minItems ?? 0;
      return fc.array(item, { minLength, maxLength: Math.max(minLength, Math.min(schema.maxItems ?? MAX_ITEMS, MAX_ITEMS)) });
    }
    case "object": {
      const props = Object.entries(schema.properties ?? {});
      const required = new Set(schema.required ?? []);
      const record = fc.record(Object.fromEntries(props.map(([k, s]) => [k, arbitraryFor(s, pool, junk, depth + 1, k)])), {
        requiredKeys: props.map(([k]) => k).filter((k) => required.has(k)),
      });
      if (schema.additionalProperties === false || props.length > 0) return record;
      const values =
        typeof schema.additionalProperties === "object" ? arbitraryFor(schema.additionalProperties, pool, junk, depth + 1) : junkValue;
      return fc.dictionary(fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), prototypeKey), values, { maxKeys: 4 });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Values the schema accepts (as far as the walker knows). */
function valid(schema: JsonSchema, pool: IdPool, depth: number, junk: number, name?: string): fc.Arbitrary<unknown> {
  if (depth > 8) return fc.constant(schema.default ?? null);
  const ref = schema.$ref?.match(/^#\/\$defs\/(.+)$/)?.[1];
  if (ref) return defs[ref] ? valid(defs[ref], pool, depth + 2, junk, name) : fc.jsonValue({ maxDepth: 1 });
  let arb: fc.Arbitrary<unknown>;
  if ("const" in schema) arb = fc.constant(schema.const);
  else if (schema.enum) arb = fc.constantFrom(...schema.enum);
  else if (schema.anyOf || schema.oneOf)
    arb = fc.oneof(...(schema.anyOf ?? schema.oneOf ?? []).map((s) => valid(s, pool, depth + 1, junk, name)));
  else if (Array.isArray(schema.type)) arb = fc.oneof(...schema.type.map((t) => typed(schema, t, pool, depth, junk, name)));
  else if (schema.type) arb = typed(schema, schema.type, pool, depth, junk, name);
  else if (schema.properties) arb = typed(schema, "object", pool, depth, junk, name);
  else arb = fc.jsonValue({ maxDepth: 2 });
  return schema.nullable ? fc.option(arb, { nil: null, freq: 5 }) : arb;
}

/**
 * Values for `schema`: each node is junk with probability `junk` (0: values the
 * schema accepts, as far as this walker knows; 0.1: mostly valid, some junk).
 */
export function arbitraryFor(schema: JsonSchema, pool: IdPool, junk: number, depth = 0, name?: string): fc.Arbitrary<unknown> {
  const good = valid(schema, pool, depth, junk, name);
  if (junk <= 0) return good;
  const weight = Math.max(1, Math.round((1 - junk) / junk));
  return fc.oneof({ weight, arbitrary: good }, { weight: 1, arbitrary: junkValue });
}
