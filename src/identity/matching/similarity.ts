// String similarity used by the matching engine: Jaro-Winkler (allocation-free
// on the hot path), a bounded Damerau distance for short codes, names with
// nicknames/transliteration/token order, and social handles against names.
import anyAscii from "any-ascii";
import { canonicalFirstName, sameGivenName } from "./nicknames";

let flagsA = new Uint8Array(64);
let flagsB = new Uint8Array(64);

/** Jaro-Winkler similarity 0..1 (prefix scale 0.1, up to 4 characters). */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return a.length === 0 ? 0 : 1;
  const la = a.length;
  const lb = b.length;
  if (la === 0 || lb === 0) return 0;
  if (la > flagsA.length) flagsA = new Uint8Array(la * 2);
  if (lb > flagsB.length) flagsB = new Uint8Array(lb * 2);
  flagsA.fill(0, 0, la);
  flagsB.fill(0, 0, lb);
  const range = Math.max(0, (Math.max(la, lb) >> 1) - 1);
  let m = 0;
  for (let i = 0; i < la; i++) {
    const lo = Math.max(i - range, 0);
    const hi = Math.min(i + range + 1, lb);
    const c = a.charCodeAt(i);
    for (let j = lo; j < hi; j++) {
      if (flagsB[j] === 0 && b.charCodeAt(j) === c) {
        flagsA[i] = 1;
        flagsB[j] = 1;
        m++;
        break;
      }
    }
  }
  if (m === 0) return 0;
  let t = 0;
  let k = 0;
  for (let i = 0; i < la; i++) {
    if (flagsA[i] === 0) continue;
    while (flagsB[k] === 0) k++;
    if (a.charCodeAt(i) !== b.charCodeAt(k)) t++;
    k++;
  }
  const jaro = (m / la + m / lb + (m - t / 2) / m) / 3;
  let p = 0;
  const maxP = Math.min(4, la, lb);
  while (p < maxP && a.charCodeAt(p) === b.charCodeAt(p)) p++;
  return jaro + p * 0.1 * (1 - jaro);
}

/** Whether a and b are at most one edit apart (substitution, insertion, deletion or adjacent swap); allocation-free. */
export function withinOneEdit(a: string, b: string): boolean {
  const la = a.length;
  const lb = b.length;
  if (la === lb) {
    let first = -1;
    let diffs = 0;
    for (let i = 0; i < la; i++) {
      if (a.charCodeAt(i) !== b.charCodeAt(i)) {
        if (++diffs === 1) first = i;
        else if (diffs > 2) return false;
      }
    }
    if (diffs <= 1) return true;
    // two differences: an adjacent swap?
    return (
      first + 1 < la &&
      a.charCodeAt(first) === b.charCodeAt(first + 1) &&
      a.charCodeAt(first + 1) === b.charCodeAt(first) &&
      a.slice(first + 2) === b.slice(first + 2)
    );
  }
  if (la - lb === 1 || lb - la === 1) {
    const [s, l] = la < lb ? [a, b] : [b, a];
    let i = 0;
    while (i < s.length && s.charCodeAt(i) === l.charCodeAt(i)) i++;
    for (let k = i; k < s.length; k++) if (s.charCodeAt(k) !== l.charCodeAt(k + 1)) return false;
    return true;
  }
  return false;
}

/** Optimal-string-alignment distance (edits incl. adjacent swaps), capped: returns max+1 when larger. */
export function editDistance(a: string, b: string, max = 2): number {
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > max) return max + 1;
  if (a === b) return 0;
  let prev2 = new Array<number>(lb + 1).fill(0);
  let prev = Array.from({ length: lb + 1 }, (_, j) => j);
  let cur = new Array<number>(lb + 1).fill(0);
  for (let i = 1; i <= la; i++) {
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j <= lb; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) {
        v = Math.min(v, prev2[j - 2] + 1);
      }
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return prev[lb] > max ? max + 1 : prev[lb];
}

/** Lowercase ASCII letters/digits and single spaces; accents and other scripts transliterated. */
const SIMPLE = /^[a-z0-9]+(?: [a-z0-9]+)*$/;
export function simplifyText(s: string): string {
  if (!s) return "";
  const lower = s.toLowerCase();
  if (SIMPLE.test(lower)) return lower; // the common case: one pass, no rewriting
  let t = s;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ASCII fast path
  if (/[^\x00-\x7f]/.test(t)) t = anyAscii(t);
  return t
    .toLowerCase()
    .replace(/['’`]/g, "")
    .replace(/[^a-z0-9]+/g, " ")
    .trim();
}

const NAME_NOISE = new Set(["mr", "mrs", "ms", "miss", "dr", "prof", "sir", "jr", "sr", "ii", "iii", "iv", "phd", "md"]);

/** Name tokens: simplified, titles/suffixes dropped. */
export function nameTokens(s: string): string[] {
  const out: string[] = [];
  for (const t of simplifyText(s).split(" ")) if (t && !NAME_NOISE.has(t)) out.push(t);
  return out;
}

/**
 * Similarity of two single name tokens: 1 equal, 0.97 nickname/variant (bob ~ robert),
 * 0.9 a short form starting the long one (jo ~ joanne), 0.85 an initial, else Jaro-Winkler.
 */
export function tokenSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  if (!a || !b) return 0;
  if (a.length === 1 || b.length === 1) return a[0] === b[0] ? 0.85 : 0;
  if (sameGivenName(a, b)) return 0.97;
  const jw = jaroWinkler(a, b);
  if (jw < 0.9 && (a.length < b.length ? b.startsWith(a) : a.startsWith(b))) return 0.9;
  return jw;
}

function alignTokens(short: string[], long: string[]): number {
  // greedy best assignment; names have few tokens
  const used = new Uint8Array(long.length);
  let sum = 0;
  for (const s of short) {
    let best = 0;
    let bi = -1;
    for (let j = 0; j < long.length; j++) {
      if (used[j]) continue;
      const v = tokenSimilarity(s, long[j]);
      if (v > best) {
        best = v;
        bi = j;
      }
    }
    if (bi >= 0) used[bi] = 1;
    sum += best;
  }
  // unmatched extra tokens (middle names) cost a little
  const extra = long.length - short.length;
  return (sum / short.length) * (1 - 0.04 * Math.min(extra, 3));
}

/**
 * Similarity of two person names 0..1: robust to case, accents/transliteration,
 * nicknames (bob ~ robert), token order ("Brown, Jo"), middle names, initials and typos.
 */
export function nameSimilarity(a: string, b: string): number {
  const ta = nameTokens(a);
  const tb = nameTokens(b);
  if (ta.length === 0 || tb.length === 0) return 0;
  const tokenScore = ta.length <= tb.length ? alignTokens(ta, tb) : alignTokens(tb, ta);
  // spacing differences: "jobrown" vs "jo brown", "van der berg" vs "vanderberg"
  const ja = ta.join("");
  const jb = tb.join("");
  const joined = ja === jb ? 1 : ta.length !== tb.length ? jaroWinkler(ja, jb) * 0.97 : 0;
  return Math.min(1, Math.max(tokenScore, joined));
}

function handleCore(h: string): string {
  let s = h.trim();
  s = s.replace(/^https?:\/\/[^/]+\//i, "").replace(/^@+/, "");
  const at = s.indexOf("@");
  if (at > 0) s = s.slice(0, at); // email local part
  return simplifyText(s).replace(/ /g, "");
}

function handleVariants(s: string): string[] {
  const toks = nameTokens(s.replace(/^@+/, "").replace(/[._-]+/g, " "));
  if (toks.length === 0) return [];
  const out = new Set<string>();
  out.add(toks.join(""));
  if (toks.length >= 2) {
    const f = toks[0];
    const l = toks[toks.length - 1];
    out.add(f + l);
    out.add(l + f);
    out.add(f[0] + l);
    out.add(f + l[0]);
    out.add(l + f[0]);
    const cf = canonicalFirstName(f);
    if (cf !== f) out.add(cf + l);
  }
  return [...out];
}

/**
 * How alike a handle is to another handle or a display name, 0..1:
 * "@jo_brown" ~ "jobrown" ~ "Jo Brown" ~ "jbrown"; trailing digits and punctuation ignored.
 */
export function handleSimilarity(a: string, b: string): number {
  const ca = handleCore(a);
  const cb = handleCore(b);
  if (!ca || !cb) return 0;
  if (ca === cb) return 1;
  const strip = (s: string) => s.replace(/\d+$/, "") || s;
  const sa = strip(ca);
  const sb = strip(cb);
  if (sa === sb) return 0.97;
  let best = jaroWinkler(sa, sb);
  for (const va of handleVariants(a)) {
    for (const vb of handleVariants(b)) {
      if (va === vb) best = Math.max(best, va.length >= 4 ? 0.95 : 0.85);
      else best = Math.max(best, jaroWinkler(va, vb) * 0.97);
    }
    if (containsName(sb, va)) best = Math.max(best, 0.9);
  }
  for (const vb of handleVariants(b)) if (containsName(sa, vb)) best = Math.max(best, 0.9);
  return Math.min(1, best);
}

function containsName(hay: string, needle: string): boolean {
  return needle.length >= 5 && hay.length <= needle.length + 4 && hay.includes(needle);
}
