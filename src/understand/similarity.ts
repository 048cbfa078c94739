// What a post is about, as words that can be compared: the content terms of a text
// (lower-cased, accents, URLs, @handles, numbers and stop words dropped, lightly
// stemmed) and the adjacent pairs of them, weighted by sublinear term frequency.
// Emerging issues (src/insight) compare these against issue centroids with IDF
// weights; ideas compare request summaries with them. Also here: the short, human
// title of a request ("please add dark mode!!" → "Add dark mode").

const STOP_WORDS = new Set(
  (
    "a about above after again against all also am an and any are aren as at be because been before being below between both but by " +
    "can cannot could couldn did didn do does doesn doing don down during each even ever every few for from further get gets getting got " +
    "had hadn has hasn have haven having he her here hers herself him himself his how however i if in into is isn it its itself just " +
    "let like ll me more most much must my myself no nor not now of off on once only or other our ours ourselves out over own please pls " +
    "plz re really same she should so some still such than thank thanks thx that the their theirs them themselves then there these they " +
    "this those through to too under until up us very ve was wasn we were weren what when where which while who whom why will with " +
    "won would wouldn you your yours yourself yourselves hi hello hey hiya dear guys team folks ok okay yes yeah one anyone someone " +
    "something anything thing things way im ive id youre dont cant wont didnt doesnt isnt ain lol omg wish want wanted need needs needed " +
    "add adding added make made support great nice love awesome cool possible option help able know since already via etc " +
    "every time times try tried trying keep keeps kept fix today always never anymore lot bit pretty seem seems tell told say said " +
    "ask asked go going goes went come came take took see look looking use using used way ways guy"
  ).split(" "),
);

const STEM_KEEP = new Set(["news", "always", "series", "status", "bus", "gas", "analysis", "access", "address", "process", "business"]);

/** A light, readable stemmer: plurals and -ing/-ed/-e endings, so "charged", "charges" and "charging" meet. */
export function stem(word: string): string {
  let w = word;
  if (w.length <= 3 || STEM_KEEP.has(w)) return w;
  if (w.endsWith("ies") && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (/(ss|us|is)$/.test(w)) {
    // keep: "access", "status", "analysis"
  } else if (/(sh|ch|x|z)es$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith("s")) w = w.slice(0, -1);
  if (w.length > 5 && w.endsWith("ing")) w = w.slice(0, -3);
  else if (w.length > 4 && w.endsWith("ed") && !w.endsWith("eed")) w = w.slice(0, -2);
  if (w.length > 3 && /([^aeiou])\1$/.test(w) && !/(ll|ss|zz)$/.test(w)) w = w.slice(0, -1);
  if (w.length > 3 && w.endsWith("e")) w = w.slice(0, -1);
  return w;
}

const URL_RE = /\b(?:https?:\/\/|www\.)\S+/gi;
const EMAIL_RE = /\b[\w.+-]+@[\w-]+\.[\w.-]+\b/g;
const HANDLE_RE = /(^|[^\w])@[\w.]+/g;

function plainWords(text: string): string[] {
  return text
    .replace(URL_RE, " ")
    .replace(EMAIL_RE, " ")
    .replace(HANDLE_RE, "$1 ")
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/['’]/g, "")
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

export type ContentTerm = { term: string; word: string };

/** The content words of a text in order, each with its stem (stop words, numbers and 1-letter words dropped). */
export function contentTerms(text: string): ContentTerm[] {
  const out: ContentTerm[] = [];
  for (const word of plainWords(text)) {
    if (word.length < 2 || /^\d+$/.test(word) || STOP_WORDS.has(word)) continue;
    out.push({ term: stem(word), word });
  }
  return out;
}

/** A text's features: stems and adjacent stem pairs ("dark mode") with sublinear counts; `words` maps a stem to a word seen. */
export type TermVector = { weights: Map<string, number>; words: Map<string, string>; terms: number };

export function termVector(text: string): TermVector {
  const terms = contentTerms(text);
  const counts = new Map<string, number>();
  const words = new Map<string, string>();
  for (let i = 0; i < terms.length; i++) {
    const t = terms[i] as ContentTerm;
    counts.set(t.term, (counts.get(t.term) ?? 0) + 1);
    if (!words.has(t.term)) words.set(t.term, t.word);
    const next = terms[i + 1];
    if (next && next.term !== t.term) {
      const pair = `${t.term} ${next.term}`;
      counts.set(pair, (counts.get(pair) ?? 0) + 1);
      if (!words.has(pair)) words.set(pair, `${t.word} ${next.word}`);
    }
  }
  const weights = new Map<string, number>();
  for (const [term, n] of counts) weights.set(term, 1 + Math.log(n));
  return { weights, words, terms: new Set(terms.map((t) => t.term)).size };
}

/** Cosine of two weight maps (0 when either is empty). */
export function cosine(a: Map<string, number>, b: Map<string, number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [t, w] of a) {
    na += w * w;
    const v = b.get(t);
    if (v !== undefined) dot += w * v;
  }
  for (const w of b.values()) nb += w * w;
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/** Similarity of two short texts (0…1) over their content terms and pairs, no corpus statistics needed. */
export function textSimilarity(a: string, b: string): number {
  return cosine(termVector(a).weights, termVector(b).weights);
}

// ---------- Request titles

const GREETING = /^(?:hi|hello|hey|hiya|dear|yo|greetings|good (?:morning|afternoon|evening))\b(?:[^,.!?\n]{0,30}?[,.!?:-]+|\s*(?=\S))\s*/i;
const REQUEST_LEADS = [
  /^(?:feature request|suggestion|idea|request|fr)\s*[:-]\s*/i,
  /^(?:please|pls|plz|kindly)\b[,!]?\s*/i,
  /^(?:i|we)\s+(?:really\s+)?(?:wish|hope)\s+(?:that\s+)?(?:you|u|y'all|you guys|you all)\s+(?:would|could|will|'d|d)\s+/i,
  /^(?:i|we)\s+(?:really\s+)?wish\s+(?:there\s+(?:was|were|is)\s+)?(?:that\s+)?/i,
  /^(?:it|that)\s+(?:would|'d)\s+be\s+(?:really\s+|so\s+)?(?:great|nice|awesome|cool|amazing|good|helpful|lovely)\s+(?:if\s+(?:you|u)\s+(?:could|would|can)\s+|if\s+|to\s+(?:have\s+)?)/i,
  /^(?:i|we)(?:'d|\s+would)\s+(?:really\s+)?(?:love|like)\s+(?:to\s+(?:see|have|get)\s+|it\s+if\s+(?:you|u)\s+(?:could|would)\s+|(?:you|u)\s+to\s+)?/i,
  /^(?:can|could|would|will)\s+(?:you|u|we)\s+(?:guys\s+|all\s+)?(?:please\s+|pls\s+)?(?:get\s+|have\s+)?/i,
  /^(?:any\s+chance\s+(?:of|you\s+(?:could|will|can))|is\s+there\s+(?:any\s+)?(?:way|chance)\s+(?:to|you\s+(?:could|can))|why\s+not|how\s+about)\s+/i,
  /^(?:i|we)\s+(?:really\s+)?(?:need|want)\s+(?:you\s+to\s+)?/i,
  /^(?:you\s+(?:should|need\s+to|guys\s+should)|bring\s+back)\s+/i,
  /^(?:please|pls|plz)\s+/i,
];
const TRAILING = /(?:[\s,.;:!?-]*(?:please|pls|plz|thanks|thank you|thx|ty|asap)\b)+[\s,.;:!?]*$/i;

/**
 * A short title for a request, written for people: greetings, @handles, URLs and the
 * "please / I wish you would / could you" around the request are dropped, the first
 * sentence with content is kept, and it is cut at a word boundary within `max` characters.
 */
export function summarizeRequest(text: string, max = 60): string {
  const cleaned = text
    .replace(URL_RE, " ")
    .replace(EMAIL_RE, " ")
    .replace(HANDLE_RE, "$1 ")
    .replace(/#(\w)/g, "$1")
    .replace(/\p{Extended_Pictographic}|\uFE0F|\u200D/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
  const sentences = cleaned.split(/(?<=[.!?])\s+|\n+/).map((s) => s.trim());
  let best = "";
  for (const sentence of sentences) {
    let s = sentence;
    for (let round = 0; round < 6; round++) {
      const before = s;
      s = s.replace(GREETING, "").trim();
      for (const lead of REQUEST_LEADS) s = s.replace(lead, "").trim();
      s = s.replace(TRAILING, "").trim();
      if (s === before) break;
    }
    s = s.replace(/^[\s,.;:!?-]+|[\s,;:!?.-]+$/g, "");
    if (contentTerms(s).length > 0) {
      best = s;
      break;
    }
    if (!best && s) best = s;
  }
  if (!best) return cleaned.slice(0, max).trim();
  let title = best.charAt(0).toUpperCase() + best.slice(1);
  if (title.length > max) {
    const cut = title.slice(0, max + 1);
    const space = cut.lastIndexOf(" ");
    title = `${(space > max / 2 ? cut.slice(0, space) : title.slice(0, max)).replace(/[\s,;:.-]+$/, "")}…`;
  }
  return title;
}
