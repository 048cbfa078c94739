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
};

/** Where uuids come from: ids the fuzzer has seen in responses, so requests reach real records. */
export type IdPool = { ids: string[] };

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

function stringFor(schema: JsonSchema, pool: IdPool): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = Math.min(schema.maxLength ?? 60, Math.max(min, 60));
  if (schema.format === "uuid") return pooledUuid(pool);
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
  );
}

function numberFor(schema: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const min = schema.minimum ?? -1e6;
  const max = schema.maximum ?? 1e9;
  if (integer) return fc.integer({ min: Math.ceil(Math.max(min, -(2 ** 31))), max: Math.floor(Math.min(max, 2 ** 31)) });
  return fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

function typed(schema: JsonSchema, type: string, pool: IdPool, depth: number): fc.Arbitrary<unknown> {
  switch (type) {
    case "string":
      return stringFor(schema, pool);
    case "integer":
      return numberFor(schema, true);
    case "number":
      return numberFor(schema, false);
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "array": {
      const item = schema.items ? valid(schema.items, pool, depth + 1) : fc.jsonValue({ maxDepth: 1 });
      const minLength = schema.minItems ?? 0;
      return fc.array(item, { minLength, maxLength: Math.max(minLength, Math.min(schema.maxItems ?? MAX_ITEMS, MAX_ITEMS)) });
    }
    case "object": {
      const props = Object.entries(schema.properties ?? {});
      const required = new Set(schema.required ?? []);
      const record = fc.record(Object.fromEntries(props.map(([k, s]) => [k, arbitraryFor(s, pool, depth + 1)])), {
        requiredKeys: props.map(([k]) => k).filter((k) => required.has(k)),
      });
      if (schema.additionalProperties === false || props.length > 0) return record;
      const values = typeof schema.additionalProperties === "object" ? valid(schema.additionalProperties, pool, depth + 1) : junkValue;
      return fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), values, { maxKeys: 4 });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** Values the schema accepts (as far as the walker knows). */
function valid(schema: JsonSchema, pool: IdPool, depth: number): fc.Arbitrary<unknown> {
  if (depth > 6) return fc.constant(schema.default ?? null);
  let arb: fc.Arbitrary<unknown>;
  if (schema.enum) arb = fc.constantFrom(...schema.enum);
  else if (schema.anyOf || schema.oneOf) arb = fc.oneof(...(schema.anyOf ?? schema.oneOf ?? []).map((s) => valid(s, pool, depth + 1)));
  else if (Array.isArray(schema.type)) arb = fc.oneof(...schema.type.map((t) => typed(schema, t, pool, depth)));
  else if (schema.type) arb = typed(schema, schema.type, pool, depth);
  else arb = fc.jsonValue({ maxDepth: 2 });
  return schema.nullable ? fc.option(arb, { nil: null, freq: 5 }) : arb;
}

/** Mostly valid values, sometimes junk in their place (about one node in twelve). */
export function arbitraryFor(schema: JsonSchema, pool: IdPool, depth = 0): fc.Arbitrary<unknown> {
  return fc.oneof({ weight: 11, arbitrary: valid(schema, pool, depth) }, { weight: 1, arbitrary: junkValue });
}
