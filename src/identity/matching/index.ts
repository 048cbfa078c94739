// The person-matching engine behind contact dedupe (#5): pure, no database.
// findDuplicates = blocking (several cheap keys, oversized blocks reduced to a
// sorted neighbourhood) + a per-field comparator whose agreement levels carry
// log-odds weights (a logistic model fitted on Febrl dataset1, plus hand-set
// weights for emails, phones and organizations, which Febrl lacks). See docs/identity.md.

import { sameGivenName } from "./nicknames";
import { digitsOf, normalizeBirthDate, normalizeEmail, normalizePhone, soundex } from "./normalize";
import { editDistance, jaroWinkler, simplifyText } from "./similarity";

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
  emails: string[];
  phones: string[];
  idKeys: string[];
  idVals: string[];
};

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
        fn = toks[0];
        ln = toks.slice(1).join(" ");
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
  return {
    id: str(r.id),
    fn,
    ln,
    dob: normalizeBirthDate(r.birth_date),
    pc: str(r.postal_code)
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, ""),
    stNum: m ? m[1] : "",
    stName: m ? m[2] : street,
    city: simplifyText(str(r.city)),
    addr2: simplifyText(str(r.address2)),
    region: simplifyText(str(r.region)),
    org: simplifyText(str(r.organization)).replace(ORG_NOISE, " ").replace(/\s+/g, " ").trim(),
    emails,
    phones,
    idKeys,
    idVals,
  };
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

/** Log-odds weights per feature, and the intercept. */
export const WEIGHTS = new Float64Array([
  1.0, 2.0, 1.2, 0.2, -2.0, 2.5, 1.5, 0.3, -2.5, -0.3, 3.0, 1.5, -2.5, 5.0, 3.0, -2.5, 1.5, 0.3, -1.5, 2.0, 1.0, -1.0, 0.7, -0.7, 1.0, -0.7,
  1.0, -0.5, 0.2, -0.5, 7.0, -0.5, 5.0, -0.5, 1.5, -0.5,
]);
export let INTERCEPT = -6.0;

/** For the fitting script: replace the model. */
export function setModel(w: ArrayLike<number>, intercept: number): void {
  WEIGHTS.set(w);
  INTERCEPT = intercept;
}

function simLevel(a: string, b: string): number {
  if (a === b) return 1;
  return jaroWinkler(a, b);
}

function nameSim(a: string, b: string): number {
  if (a === b) return 1;
  if (sameGivenName(a, b)) return 0.97;
  if (a.length === 1 || b.length === 1) return a[0] === b[0] ? 0.85 : 0;
  return jaroWinkler(a, b);
}

function dobClose(a: string, b: string): boolean {
  if (a.length !== b.length) return editDistance(a, b, 1) <= 1;
  // day and month swapped
  if (a.length === 8 && a.slice(0, 4) === b.slice(0, 4) && a.slice(4, 6) === b.slice(6, 8) && a.slice(6, 8) === b.slice(4, 6)) return true;
  return editDistance(a, b, 1) <= 1;
}

const feats = new Float64Array(FEATURE_COUNT);
type Detail = { fnS: number; lnS: number; swapped: boolean; email: string; phone: string; idKey: string; st: number };
const detail: Detail = { fnS: 0, lnS: 0, swapped: false, email: "", phone: "", idKey: "", st: 0 };

/** Fills `feats` for a pair and returns the log-odds. */
function featurize(a: Prep, b: Prep, x: Float64Array): number {
  x.fill(0);
  detail.email = "";
  detail.phone = "";
  detail.idKey = "";
  detail.swapped = false;
  detail.fnS = -1;
  detail.lnS = -1;
  detail.st = -1;
  // names, possibly swapped
  let fnS = -1;
  let lnS = -1;
  if ((a.fn || a.ln) && (b.fn || b.ln)) {
    const d1 = a.fn && b.fn ? nameSim(a.fn, b.fn) : -1;
    const d2 = a.ln && b.ln ? nameSim(a.ln, b.ln) : -1;
    fnS = d1;
    lnS = d2;
    if (a.fn && a.ln && b.fn && b.ln && (d1 < 0.9 || d2 < 0.9)) {
      const s1 = nameSim(a.fn, b.ln);
      const s2 = nameSim(a.ln, b.fn);
      if (s1 + s2 > d1 + d2 + 0.1) {
        fnS = s1;
        lnS = s2;
        detail.swapped = true;
        x[F.swapped] = 1;
      }
    } else if (!(a.fn && b.fn) && !(a.ln && b.ln)) {
      // one side has only a first name, the other only a last name: cross-compare
      const s = a.fn ? nameSim(a.fn, b.ln) : nameSim(a.ln, b.fn);
      if (s >= 0.9) {
        fnS = s;
        detail.swapped = true;
        x[F.swapped] = 1;
      }
    }
    if (fnS >= 0) x[fnS >= 0.97 ? F.fnExact : fnS >= 0.9 ? F.fnHigh : fnS >= 0.8 ? F.fnMid : F.fnDiff] = 1;
    if (lnS >= 0) x[lnS >= 0.97 ? F.lnExact : lnS >= 0.9 ? F.lnHigh : lnS >= 0.8 ? F.lnMid : F.lnDiff] = 1;
    if (fnS >= 0.97 && lnS >= 0.97) x[F.nameBothExact] = 1;
  }
  detail.fnS = fnS;
  detail.lnS = lnS;
  // date of birth
  if (a.dob && b.dob) x[a.dob === b.dob ? F.dobExact : dobClose(a.dob, b.dob) ? F.dobNear : F.dobDiff] = 1;
  // identifiers with the same key
  if (a.idKeys.length && b.idKeys.length) {
    let level = 0; // 0 none shared, 1 diff, 2 near, 3 exact
    for (let i = 0; i < a.idKeys.length; i++) {
      const k = b.idKeys.indexOf(a.idKeys[i]);
      if (k < 0) continue;
      const va = a.idVals[i];
      const vb = b.idVals[k];
      const l = va === vb ? 3 : va.length >= 5 && editDistance(va, vb, 1) <= 1 ? 2 : 1;
      if (l > level) {
        level = l;
        detail.idKey = a.idKeys[i];
      }
    }
    if (level === 3) x[F.idExact] = 1;
    else if (level === 2) x[F.idNear] = 1;
    else if (level === 1) x[F.idDiff] = 1;
  }
  // postcode
  if (a.pc && b.pc) x[a.pc === b.pc ? F.pcExact : editDistance(a.pc, b.pc, 1) <= 1 ? F.pcNear : F.pcDiff] = 1;
  // street
  if (a.stName && b.stName) {
    const s = simLevel(a.stName, b.stName);
    detail.st = s;
    x[s >= 0.97 ? F.stExact : s >= 0.88 ? F.stHigh : F.stDiff] = 1;
  }
  if (a.stNum && b.stNum) x[a.stNum === b.stNum ? F.numEq : F.numDiff] = 1;
  if (a.city && b.city) x[simLevel(a.city, b.city) >= 0.9 ? F.cityHigh : F.cityDiff] = 1;
  if (a.addr2 && b.addr2) x[simLevel(a.addr2, b.addr2) >= 0.9 ? F.addr2High : F.addr2Diff] = 1;
  if (a.region && b.region) x[a.region === b.region ? F.regionEq : F.regionDiff] = 1;
  // emails, phones, organization
  if (a.emails.length && b.emails.length) {
    for (const e of a.emails)
      if (b.emails.includes(e)) {
        detail.email = e;
        break;
      }
    x[detail.email ? F.emailEq : F.emailDiff] = 1;
  }
  if (a.phones.length && b.phones.length) {
    for (const p of a.phones)
      if (b.phones.includes(p) || (p.length >= 9 && b.phones.some((q) => q.length >= 9 && q.slice(-9) === p.slice(-9)))) {
        detail.phone = p;
        break;
      }
    x[detail.phone ? F.phoneEq : F.phoneDiff] = 1;
  }
  if (a.org && b.org) x[simLevel(a.org, b.org) >= 0.92 ? F.orgHigh : F.orgDiff] = 1;
  let z = INTERCEPT;
  for (let i = 0; i < FEATURE_COUNT; i++) if (x[i] !== 0) z += WEIGHTS[i] * x[i];
  return z;
}

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
    if (both && fnS === 1 && lnS === 1) ev.push(detail.swapped ? "same name (first and last swapped)" : "same name");
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
  const cache = new Map<string, string>();
  const pa = prepare(a, cache);
  const pb = prepare(b, cache);
  const z = featurize(pa, pb, feats);
  return { score: Math.round(sigmoid(z) * 1000) / 1000, evidence: evidenceOf(pa, pb, feats) };
}

/** For the fitting script: the feature vector of a pair. */
export function pairFeatures(a: PersonRecord, b: PersonRecord): Float64Array {
  const cache = new Map<string, string>();
  featurize(prepare(a, cache), prepare(b, cache), feats);
  return feats.slice();
}

// ---------------------------------------------------------------- blocking

const BLOCK_CAP = 60; // larger blocks are compared as a sorted neighbourhood
const WINDOW = 12;

function blockKeys(p: Prep, out: string[]): void {
  out.length = 0;
  for (const e of p.emails) out.push(`e${e}`);
  for (const ph of p.phones) out.push(`p${ph.length > 9 ? ph.slice(-9) : ph}`);
  for (let i = 0; i < p.idKeys.length; i++) out.push(`i${p.idKeys[i]}=${p.idVals[i]}`);
  const f0 = p.fn ? p.fn[0] : "";
  const l0 = p.ln ? p.ln[0] : "";
  const fsx = p.fn ? soundex(p.fn) : "";
  const lsx = p.ln ? soundex(p.ln) : "";
  if (lsx && f0) out.push(`n${lsx}${f0}`);
  if (fsx && l0) out.push(`n${fsx}${l0}`);
  if (lsx && !f0) out.push(`o${lsx}`);
  if (fsx && !l0) out.push(`o${fsx}`);
  if (p.dob.length >= 6) {
    if (f0) out.push(`d${p.dob}${f0}`);
    if (l0) out.push(`d${p.dob}${l0}`);
    if (p.pc) out.push(`z${p.pc}${p.dob.slice(0, 4)}`);
  }
  if (p.pc) {
    if (p.fn) out.push(`f${p.fn}|${p.pc}`);
    if (p.ln) out.push(`l${p.ln}|${p.pc}`);
    if (p.stName) out.push(`s${p.stNum}${p.stName}|${p.pc}`);
  }
  if (p.org && lsx) out.push(`g${p.org}|${lsx}`);
}

function sortKey(p: Prep): string {
  const [x, y] = p.fn < p.ln ? [p.fn, p.ln] : [p.ln, p.fn];
  return `${x} ${y} ${p.dob} ${p.pc} ${p.stName}`;
}

export type FindOptions = { threshold?: number; onProgress?: (done: number, total: number) => void };
export type FindStats = { candidatePairs: number };

/**
 * Every pair of records at or above the threshold, most likely first, with a < b
 * (string order) and the evidence in words.
 */
export function findDuplicates(records: PersonRecord[], options: FindOptions = {}, stats?: FindStats): DuplicatePair[] {
  const threshold = options.threshold ?? DEFAULT_THRESHOLD;
  const zCut =
    threshold <= 0 ? Number.NEGATIVE_INFINITY : threshold >= 1 ? Number.POSITIVE_INFINITY : Math.log(threshold / (1 - threshold));
  const n = records.length;
  const onProgress = options.onProgress;
  const total = 2 * n;
  const phoneCache = new Map<string, string>();
  const preps: Prep[] = new Array(n);
  const blocks = new Map<string, number[]>();
  const keys: string[] = [];
  for (let i = 0; i < n; i++) {
    const p = prepare(records[i], phoneCache);
    preps[i] = p;
    blockKeys(p, keys);
    for (const k of keys) {
      const b = blocks.get(k);
      if (b === undefined) blocks.set(k, [i]);
      else if (b[b.length - 1] !== i) b.push(i);
    }
    if (onProgress && (i + 1) % 20000 === 0) onProgress(i + 1, total);
  }
  // keep blocks of 2+; CSR index record → (block, position)
  const members: Int32Array[] = [];
  const windowed: boolean[] = [];
  const count = new Int32Array(n + 1);
  for (const list of blocks.values()) {
    if (list.length < 2) continue;
    let arr = Int32Array.from(list);
    const big = arr.length > BLOCK_CAP;
    if (big) {
      const sk = Array.from(arr, (i) => sortKey(preps[i]));
      const order = Array.from(arr.keys()).sort((x, y) => (sk[x] < sk[y] ? -1 : sk[x] > sk[y] ? 1 : 0));
      arr = Int32Array.from(order, (o) => list[o]);
    }
    members.push(arr);
    windowed.push(big);
    for (const i of arr) count[i + 1]++;
  }
  blocks.clear();
  for (let i = 0; i < n; i++) count[i + 1] += count[i];
  const fill = count.slice(0, n);
  const recBlock = new Int32Array(count[n]);
  const recPos = new Int32Array(count[n]);
  for (let b = 0; b < members.length; b++) {
    const arr = members[b];
    for (let q = 0; q < arr.length; q++) {
      const i = arr[q];
      recBlock[fill[i]] = b;
      recPos[fill[i]] = q;
      fill[i]++;
    }
  }
  const mark = new Int32Array(n).fill(-1);
  const out: DuplicatePair[] = [];
  let candidates = 0;
  const x = feats;
  for (let i = 0; i < n; i++) {
    const pi = preps[i];
    for (let e = count[i]; e < count[i + 1]; e++) {
      const arr = members[recBlock[e]];
      let lo = 0;
      let hi = arr.length;
      if (windowed[recBlock[e]]) {
        lo = Math.max(0, recPos[e] - WINDOW);
        hi = Math.min(arr.length, recPos[e] + WINDOW + 1);
      }
      for (let q = lo; q < hi; q++) {
        const j = arr[q];
        if (j <= i || mark[j] === i) continue;
        mark[j] = i;
        candidates++;
        const pj = preps[j];
        const z = featurize(pi, pj, x);
        if (z >= zCut) {
          const [ra, rb] = pi.id < pj.id ? [pi, pj] : [pj, pi];
          out.push({ a: ra.id, b: rb.id, score: Math.round(sigmoid(z) * 1000) / 1000, evidence: evidenceOf(ra, rb, x) });
        }
      }
    }
    if (onProgress && (i + 1) % 20000 === 0) onProgress(n + i + 1, total);
  }
  onProgress?.(total, total);
  if (stats) stats.candidatePairs = candidates;
  out.sort((p, q) => q.score - p.score || (p.a < q.a ? -1 : p.a > q.a ? 1 : p.b < q.b ? -1 : 1));
  return out;
}
