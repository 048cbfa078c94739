// The person-matching engine behind contact dedupe (#5): pure, no database.
// findDuplicates = blocking (several cheap keys, oversized blocks reduced to a
// sorted neighbourhood) + a per-field comparator whose agreement levels carry
// log-odds weights (a logistic model fitted on Febrl dataset1, plus hand-set
// weights for emails, phones and organizations, which Febrl lacks). See docs/identity.md.

import { digitsOf, normalizeBirthDate, normalizeEmail, normalizePhone, soundex } from "./normalize";
import { jaroWinkler, simplifyText, tokenSimilarity, withinOneEdit } from "./similarity";

export { normalizeEmail, normalizePhone } from "./normalize";
export { handleSimilarity, jaroWinkler, nameSimilarity } from "./similarity";

export type PersonRecord = {
  id: string;
  first_name?: string | null;
  last_name?: string | null;
  name?: string | null;
  emails?: string[];
  phones?: string[];
  street?: string | null;
  address2?: string | null;
  city?: string | null;
  postal_code?: string | null;
  region?: string | null;
  country?: string | null;
  birth_date?: string | null;
  organization?: string | null;
  identifiers?: Record<string, string>;
};
export type DuplicatePair = { a: string; b: string; score: number; evidence: string[] };

/** Chosen on Febrl dataset1 only (see docs/identity.md, "Matching"). */
export const DEFAULT_THRESHOLD = 0.5;

// ---------------------------------------------------------------- prepared records

type Prep = {
  id: string;
  fn: string;
  ln: string;
  dob: string;
  pc: string;
  stNum: string;
  stName: string;
  city: string;
  addr2: string;
  region: string;
  org: string;
  /** interned ids of fn, ln, stName, city, addr2, org (0 = empty) for the similarity cache */
  fnI: number;
  lnI: number;
  stI: number;
  cityI: number;
  a2I: number;
  orgI: number;
  emails: string[];
  phones: string[];
  /** last 9 digits of each phone */
  phoneKeys: string[];
  idKeys: string[];
  idVals: string[];
};

const NONE: string[] = [];
const PARTICLES = new Set([
  "van",
  "von",
  "der",
  "den",
  "de",
  "da",
  "di",
  "del",
  "della",
  "la",
  "le",
  "du",
  "dos",
  "das",
  "st",
  "ter",
  "ten",
  "bin",
  "al",
  "el",
]);
const ORG_NOISE = /\b(inc|incorporated|ltd|limited|llc|llp|plc|gmbh|ag|sa|sas|srl|bv|nv|pty|co|corp|corporation|company|the)\b/g;

function str(v: unknown): string {
  return typeof v === "string" ? v : v == null ? "" : String(v);
}

function splitName(r: PersonRecord): [string, string] {
  let fn = simplifyText(str(r.first_name));
  let ln = simplifyText(str(r.last_name));
  if (!fn && !ln && r.name) {
    const raw = str(r.name);
    const comma = raw.indexOf(",");
    if (comma > 0) {
      ln = simplifyText(raw.slice(0, comma));
      fn = simplifyText(raw.slice(comma + 1)).split(" ")[0] ?? "";
    } else {
      const toks = simplifyText(raw).split(" ").filter(Boolean);
      if (toks.length === 1) fn = toks[0];
      else if (toks.length > 1) {
        // last token is the surname, with its particles ("jo van der berg")
        let cut = toks.length - 1;
        while (cut > 1 && PARTICLES.has(toks[cut - 1])) cut--;
        fn = toks.slice(0, cut).join(" ");
        ln = toks.slice(cut).join(" ");
      }
    }
  }
  return [fn, ln];
}

function prepare(r: PersonRecord, phoneCache: Map<string, string>): Prep {
  const [fn, ln] = splitName(r);
  const street = simplifyText(str(r.street));
  const m = /^(\d+[a-z]?)\s+(.*)$/.exec(street);
  const emails: string[] = [];
  for (const e of r.emails ?? []) {
    const n = normalizeEmail(str(e));
    if (n && !emails.includes(n)) emails.push(n);
  }
  const phones: string[] = [];
  const country = str(r.country).trim();
  for (const p of r.phones ?? []) {
    const raw = str(p).trim();
    if (!raw) continue;
    let n: string | undefined;
    if (/^\+\d{7,15}$/.test(raw))
      n = raw; // already E.164
    else {
      const ck = `${country}|${raw}`;
      n = phoneCache.get(ck);
      if (n === undefined) {
        n = normalizePhone(raw, country.length === 2 ? country : undefined) ?? digitsOf(raw);
        if (phoneCache.size < 100_000) phoneCache.set(ck, n);
      }
    }
    if (n.replace("+", "").length >= 6 && !phones.includes(n)) phones.push(n);
  }
  const idKeys: string[] = [];
  const idVals: string[] = [];
  if (r.identifiers) {
    for (const [k, v] of Object.entries(r.identifiers)) {
      const val = str(v)
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "");
      if (!val) continue;
      idKeys.push(k);
      idVals.push(val);
    }
  }
  const fnI = intern(fn);
  const lnI = intern(ln);
  const stI = intern(m ? m[2] : street);
  const cityI = intern(simplifyText(str(r.city)));
  const a2I = intern(simplifyText(str(r.address2)));
  const orgI = intern(simplifyText(str(r.organization)).replace(ORG_NOISE, " ").replace(/\s+/g, " ").trim());
  // strings are the interned instances: a million records share one "smith", one "sydney"
  return {
    id: str(r.id),
    fn: strs[fnI],
    ln: strs[lnI],
    dob: normalizeBirthDate(r.birth_date),
    pc: str(r.postal_code)
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, ""),
    stNum: m ? m[1] : "",
    stName: strs[stI],
    city: strs[cityI],
    addr2: strs[a2I],
    region: simplifyText(str(r.region)),
    org: strs[orgI],
    fnI,
    lnI,
    stI,
    cityI,
    a2I,
    orgI,
    emails: emails.length ? emails : NONE,
    phones: phones.length ? phones : NONE,
    phoneKeys: phones.length ? phones.map((ph) => (ph.length > 9 ? ph.slice(-9) : ph)) : NONE,
    idKeys: idKeys.length ? idKeys : NONE,
    idVals: idVals.length ? idVals : NONE,
  };
}

// Interned values and a direct-mapped cache of their similarities: names, streets
// and cities repeat a lot, so most comparisons are a lookup instead of Jaro-Winkler.
let interned = new Map<string, number>();
let strs: string[] = [""];
const CACHE_BITS = 20;
const cacheLo = new Int32Array(1 << CACHE_BITS).fill(-1);
const cacheHi = new Int32Array(1 << CACHE_BITS);
const cacheVal = new Float64Array(1 << CACHE_BITS);

function intern(s: string): number {
  if (!s) return 0;
  let id = interned.get(s);
  if (id === undefined) {
    id = strs.length;
    interned.set(s, id);
    strs.push(s);
  }
  return id;
}

function resetIntern(): void {
  interned = new Map();
  strs = [""];
  cacheLo.fill(-1);
}

/** kind 0: person-name similarity (nicknames, initials); 1: plain Jaro-Winkler. */
function cachedSim(kind: number, sa: string, sb: string, ia: number, ib: number): number {
  if (ia === ib) return 1;
  const lo = ia < ib ? ia : ib;
  const hi = (ia < ib ? ib : ia) * 2 + kind;
  const slot = (Math.imul(lo, 0x9e3779b1) ^ Math.imul(hi, 0x85ebca77)) >>> (32 - CACHE_BITS);
  if (cacheLo[slot] === lo && cacheHi[slot] === hi) return cacheVal[slot];
  const v = kind === 0 ? nameSim(sa, sb) : jaroWinkler(sa, sb);
  cacheLo[slot] = lo;
  cacheHi[slot] = hi;
  cacheVal[slot] = v;
  return v;
}

// ---------------------------------------------------------------- comparator

// Feature indices (agreement levels); a missing value on either side sets none.
const F = {
  nameBothExact: 0,
  fnExact: 1,
  fnHigh: 2,
  fnMid: 3,
  fnDiff: 4,
  lnExact: 5,
  lnHigh: 6,
  lnMid: 7,
  lnDiff: 8,
  swapped: 9,
  dobExact: 10,
  dobNear: 11,
  dobDiff: 12,
  idExact: 13,
  idNear: 14,
  idDiff: 15,
  pcExact: 16,
  pcNear: 17,
  pcDiff: 18,
  stExact: 19,
  stHigh: 20,
  stDiff: 21,
  numEq: 22,
  numDiff: 23,
  cityHigh: 24,
  cityDiff: 25,
  addr2High: 26,
  addr2Diff: 27,
  regionEq: 28,
  regionDiff: 29,
  emailEq: 30,
  emailDiff: 31,
  phoneEq: 32,
  phoneDiff: 33,
  orgHigh: 34,
  orgDiff: 35,
} as const;
export const FEATURE_NAMES = Object.keys(F);
export const FEATURE_COUNT = FEATURE_NAMES.length;

/**
 * Log-odds weight of each agreement level (Fellegi-Sunter style: log of how much more
 * often the level occurs among true duplicates than among other pairs). Set by hand and
 * checked on Febrl dataset1 only; emails, phones and organizations (absent from Febrl)
 * carry weights from their meaning: a shared mailbox or phone is near-proof, a different
 * one is weak evidence against (people have several).
 */
const W: Record<keyof typeof F, number> = {
  nameBothExact: 1.0,
  fnExact: 2.0,
  fnHigh: 1.2,
  fnMid: 0.2,
  fnDiff: -2.0,
  lnExact: 2.5,
  lnHigh: 1.5,
  lnMid: 0.3,
  lnDiff: -2.5,
  swapped: -0.3,
  dobExact: 3.0,
  dobNear: 1.5,
  dobDiff: -2.5,
  idExact: 5.0,
  idNear: 3.0,
  idDiff: -2.5,
  pcExact: 1.5,
  pcNear: 0.3,
  pcDiff: -1.5,
  stExact: 2.0,
  stHigh: 1.0,
  stDiff: -1.0,
  numEq: 0.7,
  numDiff: -0.7,
  cityHigh: 1.0,
  cityDiff: -0.7,
  addr2High: 1.0,
  addr2Diff: -0.5,
  regionEq: 0.2,
  regionDiff: -0.5,
  emailEq: 7.0,
  emailDiff: -0.8,
  phoneEq: 5.0,
  phoneDiff: -0.8,
  orgHigh: 1.5,
  orgDiff: -0.5,
};
export const WEIGHTS = Float64Array.from(FEATURE_NAMES, (k) => W[k as keyof typeof F]);
export const INTERCEPT = -6.0;

const nameSim = tokenSimilarity;

function dobClose(a: string, b: string): boolean {
  if (withinOneEdit(a, b)) return true;
  // day and month swapped
  return (
    a.length === 8 && b.length === 8 && a.startsWith(b.slice(0, 4)) && a.slice(4, 6) === b.slice(6, 8) && a.slice(6, 8) === b.slice(4, 6)
  );
}

const feats = new Float64Array(FEATURE_COUNT);
type Detail = { commonName: number; fnS: number; lnS: number; swapped: boolean; email: string; phone: string; idKey: string; st: number };
const detail: Detail = { commonName: 0, fnS: 0, lnS: 0, swapped: false, email: "", phone: "", idKey: "", st: 0 };

// per interned value: how many records carry it as first / last name (findDuplicates only)
let fnCount: Int32Array | null = null;
let lnCount: Int32Array | null = null;
let nRecords = 1;
/** Sets level k and returns its weight (the caller adds it to a local sum: a
 * module-level double would be re-boxed on every write). */
function on(x: Float64Array, k: number): number {
  x[k] = 1;
  return WEIGHTS[k];
}
const posW = (...ks: number[]) => Math.max(0, ...ks.map((k) => WEIGHTS[k]));

/**
 * Fills `x` for a pair and returns the log-odds. With a finite `zCut`, a pair that can
 * no longer reach it after the names are compared returns -Infinity early (x partial).
 */
function featurize(a: Prep, b: Prep, x: Float64Array, zCut = Number.NEGATIVE_INFINITY): number {
  x.fill(0);
  let z = INTERCEPT;
  detail.email = "";
  detail.phone = "";
  detail.idKey = "";
  detail.swapped = false;
  detail.st = -1;
  // emails, phones and identifiers first: cheap and decisive
  if (a.emails.length && b.emails.length) {
    for (const e of a.emails)
      if (b.emails.includes(e)) {
        detail.email = e;
        break;
      }
    z += on(x, detail.email ? F.emailEq : F.emailDiff);
  }
  if (a.phoneKeys.length && b.phoneKeys.length) {
    for (let i = 0; i < a.phoneKeys.length; i++)
      if (b.phoneKeys.includes(a.phoneKeys[i])) {
        detail.phone = a.phones[i];
        break;
      }
    z += on(x, detail.phone ? F.phoneEq : F.phoneDiff);
  }
  if (a.idKeys.length && b.idKeys.length) {
    let level = 0; // 0 none shared, 1 diff, 2 near, 3 exact
    for (let i = 0; i < a.idKeys.length; i++) {
      const k = b.idKeys.indexOf(a.idKeys[i]);
      if (k < 0) continue;
      const va = a.idVals[i];
      const vb = b.idVals[k];
      const l = va === vb ? 3 : va.length >= 5 && withinOneEdit(va, vb) ? 2 : 1;
      if (l > level) {
        level = l;
        detail.idKey = a.idKeys[i];
      }
    }
    if (level === 3) z += on(x, F.idExact);
    else if (level === 2) z += on(x, F.idNear);
    else if (level === 1) z += on(x, F.idDiff);
  }
  // names, possibly swapped
  let fnS = -1;
  let lnS = -1;
  if ((a.fn || a.ln) && (b.fn || b.ln)) {
    const d1 = a.fn && b.fn ? cachedSim(0, a.fn, b.fn, a.fnI, b.fnI) : -1;
    const d2 = a.ln && b.ln ? cachedSim(0, a.ln, b.ln, a.lnI, b.lnI) : -1;
    fnS = d1;
    lnS = d2;
    if (a.fn && a.ln && b.fn && b.ln && (d1 < 0.9 || d2 < 0.9)) {
      const s1 = cachedSim(0, a.fn, b.ln, a.fnI, b.lnI);
      const s2 = cachedSim(0, a.ln, b.fn, a.lnI, b.fnI);
      if (s1 + s2 > d1 + d2 + 0.1) {
        fnS = s1;
        lnS = s2;
        detail.swapped = true;
        z += on(x, F.swapped);
      }
    } else if (!(a.fn && b.fn) && !(a.ln && b.ln)) {
      // one side has only a first name, the other only a last name: cross-compare
      const s = a.fn ? cachedSim(0, a.fn, b.ln, a.fnI, b.lnI) : cachedSim(0, a.ln, b.fn, a.lnI, b.fnI);
      if (s >= 0.9) {
        fnS = s;
        detail.swapped = true;
        z += on(x, F.swapped);
      }
    }
    if (fnS >= 0) z += on(x, fnS >= 0.97 ? F.fnExact : fnS >= 0.9 ? F.fnHigh : fnS >= 0.8 ? F.fnMid : F.fnDiff);
    if (lnS >= 0) z += on(x, lnS >= 0.97 ? F.lnExact : lnS >= 0.9 ? F.lnHigh : lnS >= 0.8 ? F.lnMid : F.lnDiff);
    if (fnS >= 0.97 && lnS >= 0.97) z += on(x, F.nameBothExact);
  }
  detail.fnS = fnS;
  detail.lnS = lnS;
  detail.commonName = 0;
  if (fnCount !== null && lnCount !== null && fnS >= 0.97 && lnS >= 0.97 && !detail.swapped) {
    // frequency-aware agreement (Fellegi-Sunter u-probability of this very name): in a
    // large set, how many other people are expected to carry the same full name
    const expected = (fnCount[a.fnI] * lnCount[a.lnI]) / nRecords;
    if (expected > 0.05) {
      z -= Math.log1p(expected);
      detail.commonName = expected;
    }
  }
  if (zCut > Number.NEGATIVE_INFINITY) {
    let rest = 0;
    if (a.dob && b.dob) rest += maxDob;
    if (a.pc && b.pc) rest += maxPc;
    if (a.stName && b.stName) rest += maxSt;
    if (a.stNum && b.stNum) rest += maxNum;
    if (a.city && b.city) rest += maxCity;
    if (a.addr2 && b.addr2) rest += maxA2;
    if (a.region && b.region) rest += maxRegion;
    if (a.org && b.org) rest += maxOrg;
    if (z + rest < zCut) return Number.NEGATIVE_INFINITY;
  }
  if (a.dob && b.dob) z += on(x, a.dob === b.dob ? F.dobExact : dobClose(a.dob, b.dob) ? F.dobNear : F.dobDiff);
  if (a.pc && b.pc) z += on(x, a.pc === b.pc ? F.pcExact : withinOneEdit(a.pc, b.pc) ? F.pcNear : F.pcDiff);
  // the two address lines, also crossed (a street written on the second line)
  let crossed = false;
  if (a.stName && b.stName) {
    let s = cachedSim(1, a.stName, b.stName, a.stI, b.stI);
    if (
      s < 0.88 &&
      a.addr2 &&
      b.addr2 &&
      cachedSim(1, a.stName, b.addr2, a.stI, b.a2I) >= 0.88 &&
      cachedSim(1, a.addr2, b.stName, a.a2I, b.stI) >= 0.88
    ) {
      crossed = true;
      s = 0.9;
    }
    detail.st = s;
    z += on(x, s >= 0.97 ? F.stExact : s >= 0.88 ? F.stHigh : F.stDiff);
  }
  if (a.stNum && b.stNum) z += on(x, a.stNum === b.stNum ? F.numEq : F.numDiff);
  if (a.city && b.city) z += on(x, cachedSim(1, a.city, b.city, a.cityI, b.cityI) >= 0.9 ? F.cityHigh : F.cityDiff);
  if (a.addr2 && b.addr2) z += on(x, crossed || cachedSim(1, a.addr2, b.addr2, a.a2I, b.a2I) >= 0.9 ? F.addr2High : F.addr2Diff);
  if (a.region && b.region) z += on(x, a.region === b.region ? F.regionEq : F.regionDiff);
  if (a.org && b.org) z += on(x, cachedSim(1, a.org, b.org, a.orgI, b.orgI) >= 0.92 ? F.orgHigh : F.orgDiff);
  return z;
}

// best possible contribution of each field compared after the names (for early exit)
let maxDob = 0;
let maxPc = 0;
let maxSt = 0;
let maxNum = 0;
let maxCity = 0;
let maxA2 = 0;
let maxRegion = 0;
let maxOrg = 0;
function computeBounds(): void {
  maxDob = posW(F.dobExact, F.dobNear, F.dobDiff);
  maxPc = posW(F.pcExact, F.pcNear, F.pcDiff);
  maxSt = posW(F.stExact, F.stHigh, F.stDiff);
  maxNum = posW(F.numEq, F.numDiff);
  maxCity = posW(F.cityHigh, F.cityDiff);
  maxA2 = posW(F.addr2High, F.addr2Diff);
  maxRegion = posW(F.regionEq, F.regionDiff);
  maxOrg = posW(F.orgHigh, F.orgDiff);
}
computeBounds();

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));
const r2 = (v: number) => Math.round(v * 100) / 100;

function evidenceOf(a: Prep, b: Prep, x: Float64Array): string[] {
  const ev: string[] = [];
  if (x[F.emailEq]) ev.push(`same email ${detail.email}`);
  if (x[F.phoneEq]) ev.push(`same phone ${detail.phone}`);
  if (x[F.idExact]) ev.push(`${detail.idKey} equal`);
  if (x[F.idNear]) ev.push(`${detail.idKey} differs by one character`);
  if (x[F.idDiff]) ev.push(`${detail.idKey} differs`);
  const fnS = detail.fnS;
  const lnS = detail.lnS;
  if (fnS >= 0 || lnS >= 0) {
    const both = fnS >= 0 && lnS >= 0;
    const s = both ? (fnS + lnS) / 2 : Math.max(fnS, lnS);
    if (both && fnS === 1 && lnS === 1)
      ev.push(detail.swapped ? "same name (first and last swapped)" : detail.commonName >= 0.5 ? "same name (a common one)" : "same name");
    else if (s >= 0.8) ev.push(`names similar (${r2(s).toFixed(2)})${detail.swapped ? ", first and last swapped" : ""}`);
    else ev.push(`names differ (${r2(s).toFixed(2)})`);
  }
  if (x[F.dobExact]) ev.push("same date of birth");
  if (x[F.dobNear]) ev.push(`date of birth nearly equal (${a.dob} / ${b.dob})`);
  if (x[F.dobDiff]) ev.push("different date of birth");
  if (x[F.pcExact]) ev.push(`same postcode ${a.pc}`);
  if (x[F.pcNear]) ev.push(`postcode nearly equal (${a.pc} / ${b.pc})`);
  if (x[F.pcDiff]) ev.push("different postcode");
  if (x[F.stExact] && x[F.numEq]) ev.push("same street address");
  else if (x[F.stExact] || x[F.stHigh]) ev.push(`street similar (${r2(detail.st).toFixed(2)})`);
  if (x[F.cityHigh]) ev.push(`same city ${a.city}`);
  if (x[F.orgHigh]) ev.push(`same organization ${a.org}`);
  return ev;
}

/** Score (0..1) and evidence in words for two records. */
export function comparePair(a: PersonRecord, b: PersonRecord): { score: number; evidence: string[] } {
  if (interned.size > 1_000_000) resetIntern();
  const cache = new Map<string, string>();
  const pa = prepare(a, cache);
  const pb = prepare(b, cache);
  const z = featurize(pa, pb, feats);
  return { score: Math.round(sigmoid(z) * 1000) / 1000, evidence: evidenceOf(pa, pb, feats) };
}

// ---------------------------------------------------------------- blocking

const BLOCK_CAP = 6; // larger blocks are compared as a sorted neighbourhood
const WINDOW = 2;

// Blocking keys are hashed (FNV-1a, 28 bits) without building strings; entries
// hash·2^25 + record are sorted as doubles, so a block is a run of equal hashes.
// A hash collision only merges two blocks (a few extra comparisons), never drops one.
const IDX_BITS = 2 ** 25;
let entries = new Float64Array(1024);
let nEntries = 0;
const H = new Int32Array(1); // the running hash (a module-level number would be boxed)
let curRec = 0;

function hStart(kind: number): void {
  H[0] = Math.imul(0x811c9dc5 ^ kind, 16777619);
}
function hStr(s: string): void {
  let h = H[0];
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  H[0] = Math.imul(h ^ 0x1f, 16777619);
}
function hEnd(): void {
  let h = H[0];
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  h = Math.imul(h, 0x297a2d39);
  h ^= h >>> 15;
  if (nEntries === entries.length) {
    const bigger = new Float64Array(entries.length * 2);
    bigger.set(entries);
    entries = bigger;
  }
  entries[nEntries++] = (h >>> 4) * IDX_BITS + curRec;
}
const key1 = (kind: number, a: string) => {
  hStart(kind);
  hStr(a);
  hEnd();
};
const key2 = (kind: number, a: string, b: string) => {
  hStart(kind);
  hStr(a);
  hStr(b);
  hEnd();
};

function blockKeys(p: Prep): void {
  for (const e of p.emails) key1(101, e);
  for (const ph of p.phoneKeys) key1(112, ph);
  for (let i = 0; i < p.idKeys.length; i++) key2(105, p.idKeys[i], p.idVals[i]);
  const f0 = p.fn ? p.fn[0] : "";
  const l0 = p.ln ? p.ln[0] : "";
  const fsx = p.fn ? soundex(p.fn) : "";
  const lsx = p.ln ? soundex(p.ln) : "";
  // phonetic codes of both names, in either order (swapped first/last names)
  if (lsx && fsx) key2(110, lsx < fsx ? lsx : fsx, lsx < fsx ? fsx : lsx);
  else if (lsx || fsx) key1(111, lsx || fsx);
  if (p.dob.length >= 6) {
    if (f0) key2(100, p.dob, f0);
    if (l0 && l0 !== f0) key2(100, p.dob, l0);
    if (p.pc) key2(122, p.pc, p.dob.slice(0, 4));
  }
  if (p.pc) {
    if (p.fn) key2(102, p.fn, p.pc);
    if (p.ln) key2(108, p.ln, p.pc);
    if (p.stName) key2(115, p.stNum + p.stName, p.pc);
  }
}

function sortKey(p: Prep): string {
  return p.fn < p.ln ? `${p.fn} ${p.ln} ${p.dob} ${p.pc} ${p.stName}` : `${p.ln} ${p.fn} ${p.dob} ${p.pc} ${p.stName}`;
}

export type FindOptions = { threshold?: number; onProgress?: (done: number, total: number) => void };
export type FindStats = { candidatePairs: number; prepareMs?: number; blockMs?: number; compareMs?: number };

/**
 * Every pair of records at or above the threshold, most likely first, with a < b
 * (string order) and the evidence in words.
 */
export function findDuplicates(records: PersonRecord[], options: FindOptions = {}, stats?: FindStats): DuplicatePair[] {
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  const zCut =
    threshold <= 0 ? Number.NEGATIVE_INFINITY : threshold >= 1 ? Number.POSITIVE_INFINITY : Math.log(threshold / (1 - threshold));
  const n = records.length;
  if (n >= IDX_BITS) throw new RangeError(`findDuplicates handles up to ${IDX_BITS - 1} records`);
  const onProgress = options.onProgress;
  const total = 2 * n;
  const t0 = performance.now();
  resetIntern();
  const phoneCache = new Map<string, string>();
  const preps: Prep[] = new Array(n);
  entries = new Float64Array(Math.max(1024, n * 8));
  nEntries = 0;
  for (let i = 0; i < n; i++) {
    const p = prepare(records[i], phoneCache);
    preps[i] = p;
    curRec = i;
    blockKeys(p);
    if (onProgress && (i + 1) % 20000 === 0) onProgress(i + 1, total);
  }
  const t1 = performance.now();
  const sorted = entries.subarray(0, nEntries).sort();
  entries = new Float64Array(1024);
  // blocks of 2+ records as runs in one flat array; CSR index record → (block, position)
  const flat = new Int32Array(nEntries);
  const blockStart: number[] = [];
  const windowed: boolean[] = [];
  let nFlat = 0;
  const count = new Int32Array(n + 1);
  for (let s = 0; s < nEntries; ) {
    const h = Math.floor(sorted[s] / IDX_BITS);
    let e = s;
    const from = nFlat;
    let prev = -1;
    while (e < nEntries && Math.floor(sorted[e] / IDX_BITS) === h) {
      const rec = sorted[e] - h * IDX_BITS;
      if (rec !== prev) flat[nFlat++] = rec;
      prev = rec;
      e++;
    }
    s = e;
    const size = nFlat - from;
    if (size < 2) {
      nFlat = from;
      continue;
    }
    const big = size > BLOCK_CAP;
    if (big) {
      const ids = Array.from(flat.subarray(from, nFlat));
      const sk = new Map(ids.map((i) => [i, sortKey(preps[i])]));
      ids.sort((x, y) => {
        const a = sk.get(x) as string;
        const b = sk.get(y) as string;
        return a < b ? -1 : a > b ? 1 : x - y;
      });
      flat.set(ids, from);
    }
    blockStart.push(from);
    windowed.push(big);
    for (let q = from; q < nFlat; q++) count[flat[q] + 1]++;
  }
  blockStart.push(nFlat);
  for (let i = 0; i < n; i++) count[i + 1] += count[i];
  const fill = count.slice(0, n);
  const recBlock = new Int32Array(count[n]);
  const recPos = new Int32Array(count[n]);
  for (let b = 0; b + 1 < blockStart.length; b++) {
    for (let q = blockStart[b]; q < blockStart[b + 1]; q++) {
      const i = flat[q];
      recBlock[fill[i]] = b;
      recPos[fill[i]] = q;
      fill[i]++;
    }
  }
  fnCount = new Int32Array(interned.size + 1);
  lnCount = new Int32Array(interned.size + 1);
  nRecords = Math.max(1, n);
  for (const p of preps) {
    fnCount[p.fnI]++;
    lnCount[p.lnI]++;
  }
  const t2 = performance.now();
  const mark = new Int32Array(n).fill(-1);
  const out: DuplicatePair[] = [];
  let candidates = 0;
  const x = feats;
  for (let i = 0; i < n; i++) {
    const pi = preps[i];
    for (let e = count[i]; e < count[i + 1]; e++) {
      const b = recBlock[e];
      let lo = blockStart[b];
      let hi = blockStart[b + 1];
      if (windowed[b]) {
        lo = Math.max(lo, recPos[e] - WINDOW);
        hi = Math.min(hi, recPos[e] + WINDOW + 1);
      }
      for (let q = lo; q < hi; q++) {
        const j = flat[q];
        if (j <= i || mark[j] === i) continue;
        mark[j] = i;
        candidates++;
        const pj = preps[j];
        const z = featurize(pi, pj, x, zCut);
        if (z >= zCut) {
          const [ra, rb] = pi.id < pj.id ? [pi, pj] : [pj, pi];
          out.push({ a: ra.id, b: rb.id, score: Math.round(sigmoid(z) * 1000) / 1000, evidence: evidenceOf(ra, rb, x) });
        }
      }
    }
    if (onProgress && (i + 1) % 20000 === 0) onProgress(n + i + 1, total);
  }
  fnCount = null;
  lnCount = null;
  resetIntern(); // free the interned values of this run (a long-running server keeps none)
  onProgress?.(total, total);
  if (stats) {
    stats.candidatePairs = candidates;
    stats.prepareMs = Math.round(t1 - t0);
    stats.blockMs = Math.round(t2 - t1);
    stats.compareMs = Math.round(performance.now() - t2);
  }
  out.sort((p, q) => q.score - p.score || (p.a < q.a ? -1 : p.a > q.a ? 1 : p.b < q.b ? -1 : 1));
  return out;
}
