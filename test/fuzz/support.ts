import fc from "fast-check";
import { vi } from "vitest";

// Settings shared by the fuzz suite. `npm test` runs it with a fixed seed, so a
// run is repeatable; CI adds runs with random seeds:
//   FUZZ_SEED=<integer>|random   the seed (default 20261202); printed on every run
//   FUZZ_RUNS=<number>           multiplies every property's number of runs (default 1)
// A failing property prints its seed and counterexample path; replay it with
// FUZZ_SEED=<seed> npx vitest run test/fuzz/<file>.

const DEFAULT_SEED = 20261202;

function seedFromEnv(): number {
  const raw = process.env.FUZZ_SEED?.trim();
  if (!raw) return DEFAULT_SEED;
  if (raw === "random") return Math.floor(Math.random() * 0x7fffffff);
  const n = Number(raw);
  if (!Number.isInteger(n)) throw new Error(`FUZZ_SEED must be an integer or "random", got ${JSON.stringify(raw)}`);
  return n;
}

export const FUZZ_SEED = seedFromEnv();
const RUNS_FACTOR = Math.max(0.01, Number(process.env.FUZZ_RUNS ?? "1") || 1);

/** fast-check parameters for a property that runs `baseRuns` times at FUZZ_RUNS=1. */
export function fuzzParams<T>(baseRuns: number): fc.Parameters<T> {
  return { seed: FUZZ_SEED, numRuns: Math.max(1, Math.round(baseRuns * RUNS_FACTOR)) };
}

/**
 * A property is many calls: its test may take minutes on a busy machine or with
 * a large FUZZ_RUNS. A hang still fails fast: every call is bounded (withinTime).
 */
const PROPERTY_TIMEOUT_MS = Math.max(10, RUNS_FACTOR) * 60_000;

/** Prints the seed once per file, so any failure in CI's log can be replayed; sets the file's test timeout. */
export function announceSeed(file: string) {
  vi.setConfig({ testTimeout: PROPERTY_TIMEOUT_MS, hookTimeout: 5 * 60_000 });
  console.log(`[fuzz] ${file}: FUZZ_SEED=${FUZZ_SEED} FUZZ_RUNS=${RUNS_FACTOR}`);
}

/** Per-call bound: a parser or route that takes longer than this has hung (not a timing assertion). */
export const HANG_MS = 10_000;

/**
 * Resolves like `work`, or rejects when it has not settled within `ms` (a hang).
 * Synchronous work cannot be interrupted, so it is also a hang when it comes
 * back later than `ms`.
 */
export async function withinTime<T>(work: Promise<T> | (() => Promise<T>), label: string, ms = HANG_MS): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hung = () => new Error(`hang: ${label} did not finish within ${ms / 1000} s`);
  const hang = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(hung()), ms);
  });
  const started = performance.now();
  try {
    const result = await Promise.race([typeof work === "function" ? work() : work, hang]);
    if (performance.now() - started > ms) throw hung();
    return result;
  } finally {
    clearTimeout(timer);
  }
}

/** Strings with the characters parsers trip on: NUL, controls, lone surrogates, bidi, quotes, long runs. */
export const nastyChar = fc.constantFrom(
  "\u0000",
  "\u0001",
  "\u001b",
  "\u007f",
  "\r",
  "\n",
  "\r\n",
  "\t",
  "\ufeff",
  "\u202e",
  "\u2028",
  "\ud800",
  "\udfff",
  "😀",
  "é",
  "\u0301",
  '"',
  "'",
  "\\",
  "<",
  ">",
  "&",
  ";",
  ",",
  ":",
  "%00",
  "${",
  "{{",
);

export const nastyString = (maxLength = 40) =>
  fc
    .array(fc.oneof({ weight: 3, arbitrary: fc.string({ unit: "grapheme", maxLength: 4 }) }, { weight: 2, arbitrary: nastyChar }), {
      maxLength,
    })
    .map((parts) => parts.join(""));

/** Any string: plain, full Unicode (with lone surrogates), or built from the nasty characters above. */
export const anyString = (maxLength = 40) =>
  fc.oneof(fc.string({ maxLength }), fc.string({ unit: "binary", maxLength }), nastyString(maxLength));

/** Text built from `tokens` (the grammar's own pieces) and junk, joined by `separator`s. */
export const tokenSoup = (tokens: string[], maxLength = 30, separators = [" ", "", "\n"]) =>
  fc
    .array(fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...tokens) }, { weight: 1, arbitrary: anyString(8) }), { maxLength })
    .chain((parts) =>
      fc
        .array(fc.constantFrom(...separators), { minLength: parts.length, maxLength: parts.length })
        .map((seps) => parts.map((p, i) => p + (seps[i] ?? "")).join("")),
    );
