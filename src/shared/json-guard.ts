// Values from outside that PostgreSQL cannot store, or that blow the stack of
// recursive code (JSON.stringify, validators): the NUL character (text and jsonb
// refuse it), lone UTF-16 surrogates (jsonb refuses their \uD800 escapes; text
// silently turns them into U+FFFD), and nesting deeper than MAX_JSON_DEPTH.
// Both walks are iterative, so a hostile document cannot overflow the stack here.

export const MAX_JSON_DEPTH = 64;

export type JsonPath = Array<string | number>;
export type UnstorableProblem = "nul" | "surrogate" | "depth";
export type Unstorable = { path: JsonPath; problem: UnstorableProblem };

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, "g");

export const UNSTORABLE_MESSAGES: Record<UnstorableProblem, string> = {
  nul: "must not contain the NUL character (U+0000)",
  surrogate: "must be valid Unicode (it holds a lone UTF-16 surrogate)",
  depth: `nests deeper than ${MAX_JSON_DEPTH} levels`,
};

function stringProblem(s: string): UnstorableProblem | null {
  if (s.includes("\u0000")) return "nul";
  if (LONE_SURROGATE.test(s)) return "surrogate";
  return null;
}

/** A string PostgreSQL can store: NUL characters dropped, lone surrogates replaced by U+FFFD. */
export function storableString(s: string): string {
  return s.replaceAll("\u0000", "").replace(LONE_SURROGATES, "\uFFFD");
}

type Frame = { value: unknown; path: JsonPath; depth: number };

export type FindOptions = {
  maxDepth?: number;
  /** Where strings are content the caller cleans itself (storableJson): only the depth is checked there. */
  isContent?: (path: JsonPath) => boolean;
};

/** The first string (or key) PostgreSQL would refuse, or the first place nested too deep; null when all is well. */
export function findUnstorable(value: unknown, { maxDepth = MAX_JSON_DEPTH, isContent }: FindOptions = {}): Unstorable | null {
  const stack: Frame[] = [{ value, path: [], depth: 0 }];
  while (stack.length > 0) {
    const { value: v, path, depth } = stack.pop() as Frame;
    if (typeof v === "string") {
      if (isContent?.(path)) continue;
      const problem = stringProblem(v);
      if (problem) return { path, problem };
      continue;
    }
    if (typeof v !== "object" || v === null) continue;
    if (depth >= maxDepth) return { path, problem: "depth" };
    const entries: Array<[string | number, unknown]> = Array.isArray(v) ? v.map((x, i) => [i, x]) : Object.entries(v);
    // pushed in reverse so the first problem in document order is found first
    for (let i = entries.length - 1; i >= 0; i--) {
      const [k, child] = entries[i] as [string | number, unknown];
      if (typeof k === "string" && !isContent?.(path.concat(k))) {
        const problem = stringProblem(k);
        if (problem) return { path: [...path, k], problem };
      }
      stack.push({ value: child, path: [...path, k], depth: depth + 1 });
    }
  }
  return null;
}

/**
 * A copy of a JSON value with every string and key made storable (storableString).
 * Content from outside is kept, not refused; only nesting deeper than maxDepth is an error,
 * reported with its path.
 */
export function storableJson(value: unknown, maxDepth = MAX_JSON_DEPTH): { ok: true; value: unknown } | { ok: false; path: JsonPath } {
  if (findUnstorable(value, { maxDepth }) === null) return { ok: true, value };
  const root: { value: unknown } = { value: undefined };
  type Job = { from: unknown; path: JsonPath; depth: number; put: (v: unknown) => void };
  const jobs: Job[] = [{ from: value, path: [], depth: 0, put: (v) => (root.value = v) }];
  while (jobs.length > 0) {
    const { from, path, depth, put } = jobs.pop() as Job;
    if (typeof from === "string") {
      put(storableString(from));
      continue;
    }
    if (typeof from !== "object" || from === null) {
      put(from);
      continue;
    }
    if (depth >= maxDepth) return { ok: false, path };
    if (Array.isArray(from)) {
      const out: unknown[] = new Array(from.length);
      put(out);
      for (let i = 0; i < from.length; i++) {
        jobs.push({ from: from[i], path: [...path, i], depth: depth + 1, put: (v) => (out[i] = v) });
      }
    } else {
      const out: Record<string, unknown> = {};
      put(out);
      for (const [k, child] of Object.entries(from)) {
        const key = storableString(k);
        // defined, not assigned: a "__proto__" key stays data, and the key order is kept
        const set = (v: unknown) => Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
        set(undefined);
        jobs.push({ from: child, path: [...path, k], depth: depth + 1, put: set });
      }
    }
  }
  return { ok: true, value: root.value };
}

/**
 * The field a problem is reported on: its whole path (`messages.0.text`), or for
 * nesting too deep, the path up to its second key (`messages.0.raw`, `custom.score`),
 * which names the field without listing 64 levels of it.
 */
export function fieldName({ path, problem }: Unstorable, fallback = "body"): string {
  let cut = path.length;
  if (problem === "depth") {
    const keyAt = path.flatMap((p, i) => (typeof p === "string" ? [i] : []));
    cut = (keyAt[1] ?? keyAt[0] ?? 0) + 1;
  }
  return cut > 0 && path.length > 0 ? path.slice(0, cut).join(".") : fallback;
}
