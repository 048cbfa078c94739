import { matches, type PreparedItem, parseQuery, prepareItem, type QueryNode } from "../listen";
import { type Condition, type ConditionGroup, FIELDS, fieldDef, type Operator } from "./definition";

// Conditions compile once per rule set to closures over a flat record of values
// ("message.text" → …). `test` is the fast path; `explain` records why.

export type Values = Record<string, unknown>;
export type ConditionTrace = { field: string; op: Operator; value?: unknown; actual: unknown; result: boolean };
export type GroupTrace = { match: "all" | "any"; result: boolean; conditions: Array<ConditionTrace | GroupTrace> };

const prepared = new WeakMap<Values, PreparedItem>();
function preparedOf(v: Values): PreparedItem {
  let p = prepared.get(v);
  if (!p) {
    p = prepareItem({
      text: String(v["message.text"] ?? ""),
      authorHandle: (v["author.handle"] as string | null) ?? null,
      language: (v["message.language"] as string | null) ?? null,
    });
    prepared.set(v, p);
  }
  return p;
}

const isSet = (a: unknown) => a !== null && a !== undefined && a !== "" && !(Array.isArray(a) && a.length === 0);
const lower = (a: unknown) => String(a).toLowerCase();

/** Equality and order: the same for numbers and for (lower-cased) text. */
function ordered<T extends number | string>(op: Operator, a: T, e: T): boolean {
  switch (op) {
    case "equals":
      return a === e;
    case "not_equals":
      return a !== e;
    case "gt":
      return a > e;
    case "gte":
      return a >= e;
    case "lt":
      return a < e;
    case "lte":
      return a <= e;
    default:
      return false;
  }
}

function compare(op: Operator, actual: unknown, expected: unknown, numeric: boolean): boolean {
  if (numeric) {
    const a = typeof actual === "number" ? actual : Number(actual);
    if (!isSet(actual) || Number.isNaN(a)) return op === "not_equals";
    return ordered(op, a, Number(expected));
  }
  if (!isSet(actual)) return op === "not_equals" || op === "not_contains";
  const a = lower(actual);
  const e = lower(expected);
  if (op === "contains") return a.includes(e);
  if (op === "not_contains") return !a.includes(e);
  return ordered(op, a, e);
}

export function compileCondition(c: Condition): (v: Values) => boolean {
  const def = fieldDef(c.field);
  const type = def?.type ?? "text";
  const open = !Object.hasOwn(FIELDS, c.field);
  const field = c.field;
  if (c.op === "is_set") return (v) => isSet(v[field]);
  if (c.op === "is_not_set") return (v) => !isSet(v[field]);
  if (c.op === "matches_query") {
    const ast: QueryNode = parseQuery(String(c.value));
    if (field === "message.text") return (v) => matches(ast, preparedOf(v));
    return (v) => matches(ast, prepareItem({ text: String(v[field] ?? "") }));
  }
  if (type === "array") {
    const wanted = (Array.isArray(c.value) ? c.value : [c.value]).map(lower);
    const has = (v: Values) => {
      const a = v[field];
      return Array.isArray(a) ? a.map(lower) : isSet(a) ? [lower(a)] : [];
    };
    switch (c.op) {
      case "contains":
        return (v) => has(v).includes(wanted[0] as string);
      case "not_contains":
        return (v) => !has(v).includes(wanted[0] as string);
      case "in":
        return (v) => has(v).some((x) => wanted.includes(x));
      case "not_in":
        return (v) => !has(v).some((x) => wanted.includes(x));
      default:
        return () => false;
    }
  }
  if (type === "boolean") {
    const e = c.value === true || c.value === "true";
    return (v) => Boolean(v[field]) === e;
  }
  if (c.op === "in" || c.op === "not_in") {
    const list = new Set((c.value as unknown[]).map(lower));
    const inList = (v: Values) => isSet(v[field]) && list.has(lower(v[field]));
    return c.op === "in" ? inList : (v) => !inList(v);
  }
  const numeric = type === "number" || (open && typeof c.value === "number");
  const expected = c.value;
  const op = c.op;
  return (v) => compare(op, v[field], expected, numeric);
}

export type CompiledGroup = { test: (v: Values) => boolean; explain: (v: Values) => GroupTrace };

export function compileGroup(group: ConditionGroup): CompiledGroup {
  const parts = group.conditions.map((c) => {
    if ("conditions" in c) {
      const g = compileGroup(c);
      return { test: g.test, explain: g.explain as (v: Values) => ConditionTrace | GroupTrace };
    }
    const test = compileCondition(c);
    return {
      test,
      explain: (v: Values): ConditionTrace => ({
        field: c.field,
        op: c.op,
        ...(c.value === undefined ? {} : { value: c.value }),
        actual: v[c.field] ?? null,
        result: test(v),
      }),
    };
  });
  const all = group.match === "all";
  const test = (v: Values) => (all ? parts.every((p) => p.test(v)) : parts.length === 0 || parts.some((p) => p.test(v)));
  return {
    test,
    explain: (v) => {
      const conditions = parts.map((p) => p.explain(v));
      return { match: group.match, result: test(v), conditions };
    },
  };
}

/** Field prefixes a group reads (to load only what rules need). */
export function fieldsOf(group: ConditionGroup, out = new Set<string>()): Set<string> {
  for (const c of group.conditions) {
    if ("conditions" in c) fieldsOf(c, out);
    else out.add(c.field);
  }
  return out;
}
