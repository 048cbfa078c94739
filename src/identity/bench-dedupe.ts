// The generator and timing behind `parley bench identity`: `rows` synthetic contacts
// (seeded, so every run sees the same people) with realistic names, emails, phones,
// addresses and organizations, ~7% of them planted duplicates of another row with the
// typos, nicknames, reformatted phones and missing fields real CRM data has; then
// findDuplicates over all of them. Prints nothing; the CLI reports the figures.
import { mulberry32 } from "../understand";
import { type DuplicatePair, findDuplicates, type PersonRecord } from "./matching";

export type BenchDedupeFigures = {
  rows: number;
  generateMs: number;
  matchMs: number;
  /** CPU time of this process while matching (user + system): on a busy machine matchMs is mostly waiting */
  matchCpuMs: number;
  candidatePairs: number;
  pairsFound: number;
  plantedPairs: number;
  recall: number;
  precision: number;
  pairsPerSecond: number;
};

export type BenchDedupeOptions = {
  rows: number;
  seed?: number;
  duplicateRate?: number;
  threshold?: number;
  onProgress?: (phase: "generating" | "matching", done: number, total: number) => void;
};

const FIRST = (
  "james mary john patricia robert jennifer michael linda william elizabeth david barbara richard susan joseph jessica " +
  "thomas sarah charles karen christopher nancy daniel lisa matthew betty anthony margaret mark sandra donald ashley " +
  "steven kimberly paul emily andrew donna joshua michelle kenneth dorothy kevin carol brian amanda george melissa " +
  "timothy deborah ronald stephanie edward rebecca jason sharon jeffrey laura ryan cynthia jacob kathleen gary amy " +
  "nicholas angela eric shirley jonathan anna stephen brenda larry pamela justin emma scott nicole brandon helen " +
  "benjamin samantha samuel katherine gregory christine alexander debra frank rachel patrick carolyn raymond janet " +
  "jack catherine dennis maria jerry heather tyler diane aaron ruth jose julie adam olivia nathan joyce henry virginia " +
  "douglas victoria zachary kelly peter lauren kyle christina ethan joan walter evelyn noah judith jeremy megan " +
  "christian andrea keith cheryl roger hannah terry jacqueline gerald martha harold gloria sean teresa austin ann " +
  "carl sara arthur madison lawrence frances dylan kathryn jesse janice jordan jean bryan abigail billy alice joe " +
  "judy bruce sophia gabriel grace logan denise albert amber willie doris alan marilyn juan danielle wayne beverly " +
  "elijah isabella randy theresa roy diana vincent natalie ralph brittany eugene charlotte russell marie bobby kayla " +
  "mason alexis philip lori louis chloe harry mia leo lucas liam noah aisha fatima mohammed ahmed wei li ying hiroshi " +
  "yuki sven ingrid jose lucia sofia mateo camila diego valentina hugo chloe lea louis manon jonas lena finn mila"
).split(" ");
const LAST = (
  "smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez lopez gonzalez wilson anderson " +
  "thomas taylor moore jackson martin lee perez thompson white harris sanchez clark ramirez lewis robinson walker " +
  "young allen king wright scott torres nguyen hill flores green adams nelson baker hall rivera campbell mitchell " +
  "carter roberts gomez phillips evans turner diaz parker cruz edwards collins reyes stewart morris morales murphy " +
  "cook rogers gutierrez ortiz morgan cooper peterson bailey reed kelly howard ramos kim cox ward richardson watson " +
  "brooks chavez wood james bennett gray mendoza ruiz hughes price alvarez castillo sanders patel myers long ross " +
  "foster jimenez powell jenkins perry russell sullivan bell coleman butler henderson barnes gonzales fisher vasquez " +
  "simmons romero jordan patterson alexander hamilton graham reynolds griffin wallace moreno west cole hayes bryant " +
  "herrera gibson ellis tran medina aguilar stevens murray ford castro marshall owens harrison fernandez mcdonald " +
  "woods washington kennedy wells vargas henry chen freeman webb tucker guzman burns crawford olson simpson porter " +
  "hunter gordon mendez silva shaw snyder mason dixon munoz hunt hicks holmes palmer wagner black robertson boyd " +
  "rose stone salazar fox warren mills meyer rice schmidt garza daniels ferguson nichols stephens soto weaver ryan " +
  "gardner payne grant dunn kelley spencer hawkins arnold pierce vazquez hansen peters santos hart bradley knight " +
  "elliott cunningham duncan armstrong hudson carroll lane riley andrews alvarado ray delgado berry perkins hoffman " +
  "johnston matthews pena richards contreras willis carpenter lawrence sandoval guerrero george chapman rios estrada " +
  "ortega watkins greene nunez wheeler valdez harper burke larson santiago maldonado morrison franklin carlson austin " +
  "dominguez carr lawson jacobs obrien lynch singh vega bishop montgomery oliver jensen harvey williamson gilbert " +
  "dean sims espinoza howell li wong reid hanson le mccoy garrett burton fuller wang weber welch rojas lucas marquez " +
  "fields park yang little banks padilla day walsh bowman schultz luna fowler mejia davidson acosta brewer may holland " +
  "juarez newman pearson curtis cortez douglas schneider joseph barrett navarro figueroa keller avila wade molina " +
  "stanley hopkins campos barnett bates chambers caldwell beck lambert miranda byrd craig ayala lowe frazier powers " +
  "neal leonard gregory carrillo sutton fleming rhodes shelton schwartz norris jennings watts duran walters cohen " +
  "mcdaniel moran parks steele vaughn becker holt deleon barker terry hale leon hail benson haynes horton miles lyons " +
  "pham graves bush thornton wolfe warner cabrera mckinney mann zimmerman dawson lara fletcher page mccarthy love " +
  "muller schmitt dubois moreau lefebvre rossi russo ferrari esposito bianchi tanaka suzuki watanabe yamamoto kowalski"
).split(" ");
const NICK: Record<string, string> = {
  robert: "bob",
  william: "bill",
  richard: "dick",
  james: "jim",
  elizabeth: "liz",
  margaret: "peggy",
  thomas: "tom",
  michael: "mike",
  joseph: "joe",
  christopher: "chris",
  katherine: "kate",
  jennifer: "jenny",
  daniel: "dan",
  matthew: "matt",
  anthony: "tony",
  steven: "steve",
  edward: "ed",
  samuel: "sam",
  benjamin: "ben",
  alexander: "alex",
};
const STREETS = (
  "high street|station road|main street|park avenue|church street|victoria road|green lane|mill lane|king street|" +
  "queen street|george street|elm avenue|oak drive|maple court|cedar close|river road|hill crescent|bridge street|" +
  "market place|north terrace|south parade|west end|east lane|school lane|york road|albert street|pine grove|" +
  "lake view|sunset boulevard|ocean drive|forest way|meadow lane|chapel street|castle road|harbour street|" +
  "beach road|railway parade|garden terrace|windsor avenue|orchard close"
).split("|");
const CITIES = (
  "sydney melbourne brisbane perth adelaide hobart darwin canberra geelong newcastle wollongong cairns townsville " +
  "ballarat bendigo toowoomba launceston mackay rockhampton bunbury bundaberg wagga albury mildura shepparton " +
  "gladstone tamworth orange dubbo geraldton nowra bathurst warrnambool kalgoorlie devonport"
).split(" ");
const REGIONS = ["nsw", "vic", "qld", "wa", "sa", "tas", "nt", "act"];
const DOMAINS = ["gmail.com", "outlook.com", "yahoo.com", "icloud.com", "bigpond.com", "example.org", "mail.com"];
const ORGS = (
  "acme|globex|initech|umbrella|hooli|stark industries|wayne enterprises|wonka|tyrell|cyberdyne|soylent|" +
  "vandelay|dunder mifflin|pied piper|aperture|black mesa|oscorp|gringotts|monarch|massive dynamic"
).split("|");

type Rng = () => number;
const pick = <T>(r: Rng, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const cap = (s: string) => s.replace(/\b[a-z]/g, (c) => c.toUpperCase());

function typo(r: Rng, s: string): string {
  if (s.length < 3) return s;
  const i = 1 + Math.floor(r() * (s.length - 2));
  const k = r();
  const letter = String.fromCharCode(97 + Math.floor(r() * 26));
  if (k < 0.3) return s.slice(0, i) + letter + s.slice(i + 1); // substitution
  if (k < 0.55) return s.slice(0, i) + s.slice(i + 1); // deletion
  if (k < 0.8) return s.slice(0, i) + letter + s.slice(i); // insertion
  return s.slice(0, i - 1) + s[i] + s[i - 1] + s.slice(i + 1); // transposition
}

function nationalAu(e164: string): string {
  // +61412345678 → 0412 345 678
  const d = `0${e164.slice(3)}`;
  return `${d.slice(0, 4)} ${d.slice(4, 7)} ${d.slice(7)}`;
}

/** Deterministic synthetic contacts; `entity[i]` is the person row i stands for. */
export function generateContacts(rows: number, seed = 42, duplicateRate = 0.07): { records: PersonRecord[]; entity: Int32Array } {
  const r = mulberry32(seed);
  const records: PersonRecord[] = new Array(rows);
  const entity = new Int32Array(rows);
  const originals = Math.max(1, Math.round(rows * (1 - duplicateRate)));
  for (let i = 0; i < originals && i < rows; i++) {
    const fn = pick(r, FIRST);
    const ln = pick(r, LAST);
    const cityIdx = Math.floor(r() * CITIES.length);
    const email = `${r() < 0.5 ? `${fn}.${ln}` : `${fn[0]}${ln}`}${Math.floor(r() * 1000000)}@${pick(r, DOMAINS)}`;
    const phone = `+614${String(Math.floor(r() * 1e8)).padStart(8, "0")}`;
    const dob =
      r() < 0.4
        ? `19${40 + Math.floor(r() * 60)}-${String(1 + Math.floor(r() * 12)).padStart(2, "0")}-${String(1 + Math.floor(r() * 28)).padStart(2, "0")}`
        : null;
    records[i] = {
      id: `c${String(i).padStart(7, "0")}`,
      first_name: cap(fn),
      last_name: cap(ln),
      emails: r() < 0.9 ? [email] : [],
      phones: r() < 0.7 ? [phone] : [],
      street: r() < 0.8 ? `${1 + Math.floor(r() * 300)} ${cap(pick(r, STREETS))}` : null,
      city: cap(CITIES[cityIdx]),
      postal_code: String(2000 + cityIdx * 97 + Math.floor(r() * 20)),
      region: REGIONS[cityIdx % REGIONS.length].toUpperCase(),
      country: "AU",
      birth_date: dob,
      organization: r() < 0.4 ? cap(pick(r, ORGS)) : null,
    };
    entity[i] = i;
  }
  for (let i = originals; i < rows; i++) {
    const src = Math.floor(r() * originals);
    const o = records[src];
    const d: PersonRecord = { ...o, id: `c${String(i).padStart(7, "0")}` };
    let fn = (o.first_name ?? "").toLowerCase();
    let ln = (o.last_name ?? "").toLowerCase();
    const changes = 1 + Math.floor(r() * 3);
    for (let c = 0; c < changes; c++) {
      const k = r();
      if (k < 0.2) fn = typo(r, fn);
      else if (k < 0.35) ln = typo(r, ln);
      else if (k < 0.45) fn = NICK[fn] ?? fn[0];
      else if (k < 0.55) d.emails = (o.emails ?? []).map((e) => e.toUpperCase());
      else if (k < 0.62)
        d.emails = [`${fn}${Math.floor(r() * 100)}@${pick(r, DOMAINS)}`]; // another address
      else if (k < 0.72) d.phones = (o.phones ?? []).map(nationalAu);
      else if (k < 0.78) d.phones = [];
      else if (k < 0.86) d.street = o.street ? typo(r, o.street.toLowerCase()) : null;
      else if (k < 0.92) d.city = null;
      else [fn, ln] = [ln, fn];
    }
    d.first_name = cap(fn);
    d.last_name = cap(ln);
    records[i] = d;
    entity[i] = entity[src];
  }
  return { records, entity };
}

/** Generates `rows` contacts, finds their duplicates and measures both. */
export function benchDedupe(opts: BenchDedupeOptions): BenchDedupeFigures {
  const rows = Math.max(2, Math.floor(opts.rows));
  const t0 = performance.now();
  opts.onProgress?.("generating", 0, rows);
  const { records, entity } = generateContacts(rows, opts.seed ?? 42, opts.duplicateRate ?? 0.07);
  opts.onProgress?.("generating", rows, rows);
  const generateMs = performance.now() - t0;
  const stats = { candidatePairs: 0 };
  const t1 = performance.now();
  const cpu0 = process.cpuUsage();
  const found: DuplicatePair[] = findDuplicates(
    records,
    { threshold: opts.threshold, onProgress: (done, total) => opts.onProgress?.("matching", done, total) },
    stats,
  );
  const matchMs = performance.now() - t1;
  const cpu = process.cpuUsage(cpu0);
  // truth: every pair of rows standing for the same person
  const groupSize = new Map<number, number>();
  for (let i = 0; i < rows; i++) groupSize.set(entity[i], (groupSize.get(entity[i]) ?? 0) + 1);
  let plantedPairs = 0;
  for (const s of groupSize.values()) plantedPairs += (s * (s - 1)) / 2;
  let tp = 0;
  for (const p of found) {
    const a = Number(p.a.slice(1));
    const b = Number(p.b.slice(1));
    if (entity[a] === entity[b]) tp++;
  }
  return {
    rows,
    generateMs: Math.round(generateMs),
    matchMs: Math.round(matchMs),
    matchCpuMs: Math.round((cpu.user + cpu.system) / 1000),
    candidatePairs: stats.candidatePairs,
    pairsFound: found.length,
    plantedPairs,
    recall: plantedPairs ? tp / plantedPairs : 1,
    precision: found.length ? tp / found.length : 1,
    pairsPerSecond: matchMs > 0 ? Math.round(stats.candidatePairs / (matchMs / 1000)) : 0,
  };
}
