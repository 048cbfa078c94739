// The person-matching engine behind contact dedupe (#5): normalization, similarity,
// evidence wording, blocking robustness and quality on the Febrl sets.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { benchDedupe } from "../src/identity/bench-dedupe";
import {
  comparePair,
  DEFAULT_THRESHOLD,
  type FindStats,
  findDuplicates,
  handleSimilarity,
  nameSimilarity,
  normalizeEmail,
  normalizePhone,
  type PersonRecord,
} from "../src/identity/matching";
import { febrlToRecord, febrlTruePairs, loadFebrl } from "../src/identity/matching/febrl";

describe("normalizeEmail", () => {
  it("lowercases, trims and unwraps", () => {
    expect(normalizeEmail("  Jo.Brown@Example.COM ")).toBe("jo.brown@example.com");
    expect(normalizeEmail("mailto:jo@x.io")).toBe("jo@x.io");
    expect(normalizeEmail("Jo Brown <Jo@X.io>")).toBe("jo@x.io");
  });
  it("folds Gmail dots and +tags, and only Gmail's", () => {
    expect(normalizeEmail("J.O.Brown+news@googlemail.com")).toBe("jobrown@gmail.com");
    expect(normalizeEmail("jo.brown+news@example.com")).toBe("jo.brown+news@example.com");
  });
  it("refuses what is not an address", () => {
    expect(normalizeEmail("not an email")).toBeNull();
    expect(normalizeEmail("jo@")).toBeNull();
    expect(normalizeEmail("")).toBeNull();
  });
});

describe("normalizePhone", () => {
  it("gives E.164 from international and national formats", () => {
    expect(normalizePhone("+1 (415) 555-2671")).toBe("+14155552671");
    expect(normalizePhone("00 44 20 7946 0958")).toBe("+442079460958");
    expect(normalizePhone("020 7946 0958", "GB")).toBe("+442079460958");
    expect(normalizePhone("0412 345 678", "AU")).toBe("+61412345678");
    expect(normalizePhone("415.555.2671", "us")).toBe("+14155552671");
  });
  it("returns null for invalid numbers or a national number without a country", () => {
    expect(normalizePhone("12")).toBeNull();
    expect(normalizePhone("0412345678")).toBeNull();
    expect(normalizePhone("call me")).toBeNull();
    expect(normalizePhone("+44 20 12", "GB")).toBeNull();
  });
});

describe("nameSimilarity", () => {
  it("knows nicknames", () => {
    expect(nameSimilarity("Bob Smith", "Robert Smith")).toBeGreaterThanOrEqual(0.9);
    expect(nameSimilarity("Bill", "William")).toBeGreaterThanOrEqual(0.9);
    expect(nameSimilarity("Chris Lee", "Christopher Lee")).toBeGreaterThanOrEqual(0.9);
  });
  it("transliterates accents and other scripts", () => {
    expect(nameSimilarity("José Müller", "jose muller")).toBe(1);
    expect(nameSimilarity("Алексей Иванов", "Aleksey Ivanov")).toBe(1);
    expect(nameSimilarity("Алексей Иванов", "Aleksei Ivanov")).toBeGreaterThanOrEqual(0.9);
  });
  it("takes a short form for the long one", () => {
    expect(nameSimilarity("Jo Brown", "Joanne Brown")).toBeGreaterThanOrEqual(0.9);
    expect(nameSimilarity("J. Brown", "Joanne Brown")).toBeGreaterThanOrEqual(0.85);
  });
  it("ignores case, token order, titles and spacing, and tolerates typos", () => {
    expect(nameSimilarity("BROWN, Jo", "jo brown")).toBe(1);
    expect(nameSimilarity("Dr. Jo Brown", "Jo Brown")).toBe(1);
    expect(nameSimilarity("Jonathan Smtih", "Jonathan Smith")).toBeGreaterThanOrEqual(0.9);
    expect(nameSimilarity("jobrown", "Jo Brown")).toBeGreaterThanOrEqual(0.9);
  });
  it("keeps different people apart", () => {
    expect(nameSimilarity("Jo Brown", "Mary Jones")).toBeLessThan(0.7);
    expect(nameSimilarity("", "Mary Jones")).toBe(0);
  });
});

describe("handleSimilarity", () => {
  it("matches handles to handles and to names", () => {
    expect(handleSimilarity("@jo_brown", "jobrown")).toBeGreaterThanOrEqual(0.95);
    expect(handleSimilarity("@jo_brown", "Jo Brown")).toBeGreaterThanOrEqual(0.9);
    expect(handleSimilarity("@jbrown", "Jo Brown")).toBeGreaterThanOrEqual(0.85);
    expect(handleSimilarity("jo.brown", "jo.brown@example.com")).toBe(1);
    expect(handleSimilarity("@JoBrown1987", "jobrown")).toBeGreaterThanOrEqual(0.95);
  });
  it("keeps unrelated handles apart", () => {
    expect(handleSimilarity("@zz_top", "Jo Brown")).toBeLessThan(0.7);
    expect(handleSimilarity("@", "Jo Brown")).toBe(0);
  });
});

describe("comparePair", () => {
  it("names the evidence in words", () => {
    const a: PersonRecord = {
      id: "1",
      first_name: "Jo",
      last_name: "Brown",
      emails: ["Jo@X.com"],
      phones: ["+61 412 345 678"],
    };
    const b: PersonRecord = { id: "2", name: "Brown, Jo", emails: ["jo@x.com"], phones: ["0412 345 678"], country: "AU" };
    const r = comparePair(a, b);
    expect(r.score).toBeGreaterThan(0.99);
    expect(r.evidence).toContain("same email jo@x.com");
    expect(r.evidence).toContain("same phone +61412345678");
    expect(r.evidence).toContain("same name");
  });
  it("scores a Febrl-style duplicate high and explains it", () => {
    const org = febrlToRecord({
      rec_id: "rec-1-org",
      given_name: "lachlan",
      surname: "berry",
      street_number: "69",
      address_1: "giblin street",
      address_2: "killarney",
      suburb: "bittern",
      postcode: "4814",
      state: "qld",
      date_of_birth: "19990219",
      soc_sec_id: "7364009",
    });
    const dup = { ...org, id: "rec-1-dup-0", first_name: "lachlna", birth_date: "1999-02-19" };
    const r = comparePair(org, dup);
    expect(r.score).toBeGreaterThan(0.95);
    expect(r.evidence).toEqual(
      expect.arrayContaining([
        "soc_sec_id equal",
        "same date of birth",
        "same postcode 4814",
        "same street address",
        expect.stringMatching(/^names similar \(0\.\d\d\)$/),
      ]),
    );
  });
  it("splits a display name with surname particles", () => {
    const r = comparePair(
      { id: "1", name: "Jo van der Berg", emails: ["jo@vdb.nl"] },
      { id: "2", first_name: "Jo", last_name: "Van der Berg", emails: ["JO@vdb.nl"] },
    );
    expect(r.evidence).toEqual(["same email jo@vdb.nl", "same name"]);
  });
  it("keeps two people with a common name apart", () => {
    const r = comparePair(
      { id: "1", first_name: "John", last_name: "Smith", birth_date: "1970-01-02", postal_code: "2000", emails: ["js@a.com"] },
      { id: "2", first_name: "John", last_name: "Smith", birth_date: "1985-07-30", postal_code: "3121", emails: ["john@b.org"] },
    );
    expect(r.score).toBeLessThan(0.1);
    expect(r.evidence).toContain("different date of birth");
  });
  it("tolerates garbage in any field", () => {
    const r = comparePair(
      { id: "1", birth_date: "soon", phones: ["n/a", ""], emails: ["@@"], identifiers: { x: "" } },
      { id: "2", name: null, street: "   ", postal_code: null },
    );
    expect(r.score).toBeGreaterThanOrEqual(0);
    expect(r.score).toBeLessThan(0.5);
  });
});

function people(n: number, seed: number, make: (i: number, rnd: () => number) => PersonRecord): PersonRecord[] {
  let s = seed;
  const rnd = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s / 4294967296;
  };
  return Array.from({ length: n }, (_, i) => make(i, rnd));
}
const FIRST = ["anna", "ben", "carla", "dev", "emma", "farid", "grace", "hugo", "ines", "jack", "kim", "liam", "mia", "noah"];
const SURN = ["kowalski", "nguyen", "okafor", "petrov", "quinn", "rossi", "schmidt", "tanaka", "usman", "varga", "weber"];

describe("findDuplicates", () => {
  it("finds a duplicate whose surname has a typo in its first letter", () => {
    const recs = people(3000, 7, (i, r) => ({
      id: `p${i}`,
      first_name: FIRST[Math.floor(r() * FIRST.length)],
      last_name: SURN[Math.floor(r() * SURN.length)],
      birth_date: `19${50 + Math.floor(r() * 50)}-0${1 + Math.floor(r() * 9)}-1${Math.floor(r() * 9)}`,
      postal_code: String(2000 + Math.floor(r() * 800)),
      street: `${1 + Math.floor(r() * 99)} ${SURN[Math.floor(r() * SURN.length)]} road`,
    }));
    const target = recs[1234];
    recs.push({ ...target, id: "typo", last_name: `g${String(target.last_name).slice(1)}` });
    const found = findDuplicates(recs);
    const pair = found.find((p) => (p.a === "p1234" && p.b === "typo") || (p.a === "typo" && p.b === "p1234"));
    expect(pair).toBeDefined();
    expect(pair?.score).toBeGreaterThanOrEqual(DEFAULT_THRESHOLD);
    for (const p of found) expect(p.a < p.b).toBe(true);
  });

  it("does not explode on 10,000 people called Smith, and pairs none of them", () => {
    const recs = people(10_000, 11, (i, r) => ({
      id: `s${String(i).padStart(5, "0")}`,
      first_name: FIRST[Math.floor(r() * FIRST.length)],
      last_name: "Smith",
      emails: [`smith${i}@example.com`],
      phones: [`+1415555${String(i).padStart(4, "0")}`],
      birth_date: `19${40 + Math.floor(r() * 60)}-${String(1 + Math.floor(r() * 12)).padStart(2, "0")}-${String(1 + Math.floor(r() * 28)).padStart(2, "0")}`,
      postal_code: String(10000 + Math.floor(r() * 90000)),
    }));
    const stats: FindStats = { candidatePairs: 0 };
    const found = findDuplicates(recs, {}, stats);
    expect(found).toEqual([]);
    // all pairs would be ~50 million; blocking keeps it to a few per record
    expect(stats.candidatePairs).toBeLessThan(20 * recs.length);
    expect(stats.candidatePairs).toBeGreaterThan(0);
  });

  it("reports progress and respects the threshold", () => {
    const a = { id: "a", first_name: "Jo", last_name: "Brown", emails: ["jo@x.com"] };
    const b = { id: "b", first_name: "Joanna", last_name: "Brown", emails: ["jo@x.com"] };
    const c = { id: "c", first_name: "Max", last_name: "Brown", postal_code: "1000" };
    const calls: number[] = [];
    const found = findDuplicates([c, b, a], { onProgress: (d, t) => calls.push(d / t) });
    expect(found.map((p) => [p.a, p.b])).toEqual([["a", "b"]]);
    expect(calls.at(-1)).toBe(1);
    expect(findDuplicates([a, b], { threshold: 0.999999 })).toEqual([]);
  });
});

const FEBRL = resolve(import.meta.dirname, "../../shared/data/febrl");
const haveFebrl = existsSync(resolve(FEBRL, "dataset1.csv"));
if (!haveFebrl) console.warn(`Febrl data not found in ${FEBRL}: the Febrl quality checks are skipped`);

describe.skipIf(!haveFebrl)("Febrl quality at DEFAULT_THRESHOLD", () => {
  for (const file of ["dataset1.csv", "dataset2.csv"]) {
    it(`${file}: precision ≥ 0.98 and F1 ≥ 0.95`, () => {
      const recs = loadFebrl(resolve(FEBRL, file));
      const truth = febrlTruePairs(recs);
      const found = findDuplicates(recs);
      const tp = found.filter((p) => truth.has(`${p.a}\t${p.b}`)).length;
      const precision = tp / found.length;
      const recall = tp / truth.size;
      const f1 = (2 * precision * recall) / (precision + recall);
      expect(precision).toBeGreaterThanOrEqual(0.98);
      expect(f1).toBeGreaterThanOrEqual(0.95);
    });
  }
  it("maps Febrl columns like the importer", () => {
    const r = febrlToRecord({
      rec_id: "rec-223-org",
      given_name: "",
      surname: "waller",
      street_number: "6",
      address_1: "tullaroop street",
      address_2: "willaroo",
      suburb: "st james",
      postcode: "4011",
      state: "wa",
      date_of_birth: "19081209",
      soc_sec_id: "6988048",
    });
    expect(r).toEqual({
      id: "rec-223-org",
      first_name: null,
      last_name: "waller",
      street: "6 tullaroop street",
      address2: "willaroo",
      city: "st james",
      postal_code: "4011",
      region: "wa",
      birth_date: "19081209",
      identifiers: { soc_sec_id: "6988048" },
    });
  });
});

describe("benchDedupe", () => {
  it("generates the same contacts every run and finds the planted duplicates", () => {
    const a = benchDedupe({ rows: 4000 });
    const b = benchDedupe({ rows: 4000 });
    expect(a.rows).toBe(4000);
    expect(a.plantedPairs).toBeGreaterThan(150);
    expect(b.pairsFound).toBe(a.pairsFound);
    expect(b.candidatePairs).toBe(a.candidatePairs);
    expect(a.recall).toBeGreaterThan(0.9);
    expect(a.precision).toBeGreaterThan(0.95);
    expect(a.candidatePairs).toBeGreaterThan(0);
  });
});
