import { addLanguageEvidence, LANGS, WORD_LANGS } from "./language";
import {
  HASH_BUT,
  INTENSIFIER_BY_HASH,
  INTENT_CUE_PAIRS,
  INTENT_CUE_WORDS,
  PRIOR_SENTIMENT_BY_HASH,
  ROLE,
  ROLE_BY_HASH,
  SUGGEST_ROLE,
  SUGGEST_ROLE_BY_HASH,
  URGENCY_BY_HASH,
} from "./lexicon";
import {
  combineHash,
  FLAG_ALLCAPS,
  FLAG_CLAUSE_START,
  FLAG_ELONGATED,
  FLAG_NEGATED,
  hashString,
  isNegator,
  TOKEN_EMOJI,
  TOKEN_EMOTICON,
  TOKEN_HASHTAG,
  TOKEN_PUNCT,
  TOKEN_WORD,
  type TokenBuffer,
} from "./tokenizer";

// Hashed features for the linear models: unigrams (a separate family inside a
// negation scope), bigrams, the first word, a few counts about the post's shape
// and real-valued lexicon sums. Hashing keeps the model a fixed-size array and
// lets the scanner's token hashes be used directly.

const SALT_UNI = 0x1b873593;
const SALT_NEG = 0x2c1b3c6d;
const SALT_BI = 0x297a2d39;
const SALT_FIRST = 0x6b43a9b5;
const SALT_TAG = 0x5c4bcea9;
const SALT_PREFIX = 0x3d4e5f61;
const SALT_PREFIX_NEG = 0x7a6b5c4d;
// Contrast: what follows outweighs what came before ("good except for the stupid twist").
const CONTRAST = new Set(["but", "however", "although", "except", "nevertheless"].map(hashString));

const meta = (name: string) => hashString(`meta:${name}`);
const META = {
  bias: meta("bias"),
  exclaim: meta("exclaim"),
  exclaimMany: meta("exclaim-many"),
  question: meta("question"),
  elongated: meta("elongated"),
  allCaps: meta("all-caps"),
  url: meta("url"),
  urls: meta("urls-2+"),
  handles: meta("handles-3+"),
  hashtags: meta("hashtags-3+"),
  short: meta("len<5"),
  medium: meta("len<15"),
  long: meta("len<30"),
  veryLong: meta("len30+"),
  netPos: meta("net-pos"),
  netNeg: meta("net-neg"),
  noLex: meta("no-lex"),
};

export class FeatureBuffer {
  count = 0;
  idx: Int32Array;
  val: Float32Array;
  /** Lexicon evidence, kept for sentiment reasons. */
  lexPos = 0;
  lexNeg = 0;
  strongestPos = -1;
  strongestNeg = -1;

  constructor(capacity = 1024) {
    this.idx = new Int32Array(capacity);
    this.val = new Float32Array(capacity);
  }

  /** Stopword evidence per language (see language.ts) and the number of words, gathered on the way. */
  languageCounts = new Float64Array(LANGS.length);
  words = 0;
  /** Tokens that are urgency words, and how many. */
  urgent = new Int32Array(16);
  urgentCount = 0;
  /** Bucket of each token's unigram feature, for explaining a score by its words. */
  tokenBucket = new Int32Array(256);
  /** Lexicon row of each token (−1 when absent), for the suggestion-only patterns. */
  tokenRow = new Int32Array(256);
  /**
   * The suggestion-only patterns (feature set 3, SUGGEST_PATTERNS): dense values
   * outside the hashed buckets, read by the suggestion head alone.
   */
  suggest = new Float64Array(SUGGEST_PATTERNS);
  /** The sentiment-only patterns (SENTIMENT_PATTERNS), read by the sentiment outputs alone when a model has weights for them. */
  sentiment = new Float64Array(SENTIMENT_PATTERNS);

  add(hash: number, value: number, mask: number): number {
    if (this.count === this.idx.length) {
      const idx = new Int32Array(this.idx.length * 2);
      idx.set(this.idx);
      this.idx = idx;
      const val = new Float32Array(this.val.length * 2);
      val.set(this.val);
      this.val = val;
    }
    const bucket = bucketOf(hash, mask);
    this.idx[this.count] = bucket;
    this.val[this.count++] = value;
    return bucket;
  }
}

export function bucketOf(hash: number, mask: number): number {
  let h = hash;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) & mask;
}

/** A sentiment lexicon: token hash → score on the −4..+4 scale. */
export type Lexicon = Map<number, number>;

/**
 * Everything known about a word, behind one map lookup per token: its scores
 * in each sentiment lexicon (column 0 is the hand-written prior, then the
 * model's lexicons in order; NaN when absent), its intent cues, the languages
 * whose stopword lists hold it, its urgency weight and its intensity boost.
 */
export class LexiconTable {
  readonly columns: number;
  readonly index = new Map<number, number>();
  values: Float32Array;
  cues: Uint8Array;
  languages: Uint8Array;
  urgency: Uint8Array;
  /** Multiplier for the next word's sentiment ("very", "slightly"); 0 = not a modifier. */
  boost: Float32Array;
  hasSentiment: Uint8Array;
  /** Grammatical roles for the advice and request patterns (ROLE bits). */
  roles: Int32Array;
  /** Roles for the suggestion-only patterns (SUGGEST_ROLE bits; feature set 3). */
  suggestRoles: Int32Array;

  /** `featureSet`: see FEATURE_SET in model.ts; the table carries it so featurize knows which features to make. */
  /** `verbs`: more base-form verbs for the suggestion-only patterns (learned from the training split). */
  constructor(
    lexicons: Lexicon[],
    readonly featureSet = 2,
    verbs: Iterable<number> = [],
  ) {
    const all = [PRIOR_SENTIMENT_BY_HASH, ...lexicons];
    this.columns = all.length;
    const suggestRoles = new Map(SUGGEST_ROLE_BY_HASH);
    for (const h of verbs) suggestRoles.set(h, (suggestRoles.get(h) ?? 0) | SUGGEST_ROLE.verb);
    // The suggestion-only words come last: rows of the words every head reads keep their numbers,
    // and a word that is only here has no sentiment, cue, language or role, as before.
    const keyed: Array<Map<number, number>> = [...all, INTENT_CUE_WORDS, WORD_LANGS, URGENCY_BY_HASH, INTENSIFIER_BY_HASH, ROLE_BY_HASH];
    if (featureSet >= SUGGEST_FEATURE_SET) keyed.push(suggestRoles);
    for (const map of keyed) for (const h of map.keys()) if (!this.index.has(h)) this.index.set(h, this.index.size);
    const rows = this.index.size;
    this.values = new Float32Array(rows * this.columns).fill(Number.NaN);
    this.hasSentiment = new Uint8Array(rows);
    all.forEach((lex, c) => {
      for (const [h, v] of lex) {
        const row = this.index.get(h) ?? 0;
        this.values[row * this.columns + c] = v;
        this.hasSentiment[row] = 1;
      }
    });
    const fill = <T extends Uint8Array | Float32Array | Int32Array>(array: T, map: Map<number, number>) => {
      for (const [h, v] of map) array[this.index.get(h) ?? 0] = v;
      return array;
    };
    this.cues = fill(new Uint8Array(rows), INTENT_CUE_WORDS);
    this.languages = fill(new Uint8Array(rows), WORD_LANGS);
    this.urgency = fill(new Uint8Array(rows), URGENCY_BY_HASH);
    this.boost = fill(new Float32Array(rows), INTENSIFIER_BY_HASH);
    this.roles = fill(new Int32Array(rows), ROLE_BY_HASH);
    this.suggestRoles = featureSet >= SUGGEST_FEATURE_SET ? fill(new Int32Array(rows), suggestRoles) : new Int32Array(rows);
  }
}

/** Feature set that adds the suggestion-only patterns (FEATURE_SET in model.ts). */
export const SUGGEST_FEATURE_SET = 3;
/**
 * The suggestion-only patterns (feature set 3): advice phrased in ways the
 * shared advice patterns miss. They are not hashed into the shared weight
 * matrix; the suggestion head reads them through its own small weight vector
 * (model.suggestionPatterns), so every other head is exactly as without them.
 */
export const SUGGEST = {
  imperativeFirst: 0, // a base-form verb opens the text ("Stick to the main menu")
  imperative: 1, // … or a later clause ("The rooms are fine, go with the suite")
  negatedImperative: 2, // "Don't bother with…", "Do not buy", "Never order…"
  ifYouImperative: 3, // "If you go, try the rooftop bar"
  youModal: 4, // "you should try", "you might want to", "you'll need to"
  caution: 5, // "make sure", "be sure / careful / aware", "beware", "watch out"
  imperativeYour: 6, // an imperative with "your": "save your money", "keep your receipt"
  instead: 7, // an imperative with "instead", "rather", "elsewhere"
} as const;
export const SUGGEST_PATTERNS = 8;

/**
 * Sentiment-only patterns (issue 11's errors): a wish or hope with a negation
 * after it ("I wish they weren't…", "I hope they never…"), a bare wish ("I wish
 * it had…"), the lexicon evidence after a contrast word ("good except for the
 * stupid twist") and before a "though" ("… is wack though"). Dense values with
 * their own weights on the three sentiment outputs (model.sentimentPatterns),
 * so no intent or signal head moves with them.
 */
export const SENTIMENT_PATTERN = {
  wishNegated: 0,
  hopeNegated: 1,
  wish: 2,
  afterContrastPos: 3,
  afterContrastNeg: 4,
  beforeThoughPos: 5,
  beforeThoughNeg: 6,
} as const;
export const SENTIMENT_PATTERNS = 7;
const HASH_WISH = new Set(["wish", "wished", "wishing"].map(hashString));
const HASH_HOPE = new Set(["hope", "hoping", "hopefully", "hoped"].map(hashString));
const HASH_THOUGH = new Set(["though", "tho", "tho."].map(hashString));

const NEGATION_SCALAR = -0.74;
const MAX_LEXICONS = 8;
const CUE_SALTS = Array.from({ length: 7 }, (_, c) => meta(`cues-${c}`));
const CUES = new Float64Array(7);
const LEX_GAIN = Number(process.env.PARLEY_LEX_GAIN ?? 3);
/** Feature set that adds the advice and request patterns (FEATURE_SET in model.ts). */
const ADVICE_FEATURE_SET = 2;
const SUMS = new Float64Array(2 * MAX_LEXICONS);
const LEXICON_SALTS = Array.from({ length: MAX_LEXICONS }, (_, c) => meta(`lexicon-${c}`));

// Advice and request patterns (see ROLE in lexicon.ts), one pooled feature each.
const ADVICE = {
  imperativeFirst: 0, // "Ask for a room on an upper floor."
  imperative: 1, // "…, so please add an export button"
  should: 2, // "should", "must", "ought"
  youModal: 3, // "you should", "you might want to", "you need to"
  subjectModal: 4, // "it should", "there should be", "this could", "it'd"
  adviceVerb: 5, // "suggest", "recommend", "advise"
  adviceFirst: 6, // "I would suggest", "I'd recommend", "highly recommend"
  wouldBeGood: 7, // "would be nice", "it'd be great", "could be better"
  wouldLike: 8, // "I'd love", "would like", "would appreciate"
  wish: 9, // "wish", "hopefully"
  whyNot: 10, // "why not"
  howAbout: 11, // "how about", "what about"
  makeSure: 12, // "make sure", "be sure"
  ifYou: 13, // "if you", "when you"
  please: 14, // "please", "pls", "kindly"
  request: 15, // "Can you…", "Could you please…" at a clause start
  adviceNoun: 16, // "suggestion", "tip", "option", "ability"
} as const;
const ADVICE_COUNT = 17;
const ADVICE_SALTS = Array.from({ length: ADVICE_COUNT }, (_, k) => meta(`advice-${k}`));
const ADVICE_COUNTS = new Float64Array(ADVICE_COUNT);
const ADVICE_GAIN = Number(process.env.PARLEY_ADVICE_GAIN ?? 2);

/**
 * Buckets of the pooled features: advice and request patterns, intent cues,
 * lexicon sums and the post's shape, i.e. everything but the word, prefix and
 * bigram features. They describe how something is said, not the words of one
 * source, so training may penalise the n-grams harder than these.
 */
export function pooledBuckets(mask: number): Set<number> {
  const hashes = [...ADVICE_SALTS, ...CUE_SALTS, ...Object.values(META), ...LEXICON_SALTS.flatMap((s) => [s, s + 1, s + 2])];
  return new Set(hashes.map((h) => bucketOf(h, mask)));
}

/**
 * Fills `out` with the features of the scanned post.
 */
export function featurize(buf: TokenBuffer, lexicons: LexiconTable, mask: number, out: FeatureBuffer): FeatureBuffer {
  out.count = 0;
  out.lexPos = 0;
  out.lexNeg = 0;
  out.strongestPos = -1;
  out.strongestNeg = -1;
  const n = buf.count;
  if (out.tokenBucket.length < n) {
    out.tokenBucket = new Int32Array(buf.hashes.length);
    out.tokenRow = new Int32Array(buf.hashes.length);
  }
  const hashes = buf.hashes;
  const kinds = buf.kinds;
  const flags = buf.flags;
  const columns = lexicons.columns;
  const sums = SUMS;
  sums.fill(0);
  let bestPos = 0;
  let bestNeg = 0;
  // VADER's "but" rule: what follows "but" outweighs what came before.
  let butAt = -1;
  for (let i = 0; i < n; i++) {
    if ((hashes[i] === HASH_BUT || CONTRAST.has(hashes[i])) && kinds[i] === TOKEN_WORD) {
      butAt = i;
      break;
    }
  }
  let thoughAt = -1;
  for (let i = n - 1; i > 0; i--) {
    if (kinds[i] === TOKEN_WORD && HASH_THOUGH.has(hashes[i])) {
      thoughAt = i;
      break;
    }
  }
  let wishAt = -1;
  let hopeAt = -1;
  let wishNegated = 0;
  let hopeNegated = 0;
  let afterContrast = 0;
  let beforeThough = 0;
  let prev = 0;
  let prevRow = -1;
  let words = 0;
  const cues = CUES;
  cues.fill(0);
  const languageCounts = out.languageCounts;
  languageCounts.fill(0);
  out.urgentCount = 0;
  const advice = ADVICE_COUNTS;
  advice.fill(0);
  const advise = lexicons.featureSet >= ADVICE_FEATURE_SET;
  // Roles of the two previous tokens; a clause start not yet resolved (2 = the text's first clause).
  let prevRoles = 0;
  let prev2Roles = 0;
  let pending = 0;
  let askAt = -2;
  for (let i = 0; i < n; i++) {
    const h = hashes[i];
    const kind = kinds[i];
    const f = flags[i];
    if (kind === TOKEN_WORD) {
      words++;
      if (HASH_WISH.has(h)) wishAt = i;
      else if (HASH_HOPE.has(h)) hopeAt = i;
      else if (f & FLAG_NEGATED || isNegator(h)) {
        if (wishAt >= 0) wishNegated = 1;
        if (hopeAt >= 0) hopeNegated = 1;
      }
    }
    out.tokenBucket[i] = out.add(combineHash(f & FLAG_NEGATED ? SALT_NEG : SALT_UNI, h), 1, mask);
    const prefix = buf.prefixes[i];
    if (prefix !== 0) out.add(combineHash(f & FLAG_NEGATED ? SALT_PREFIX_NEG : SALT_PREFIX, prefix), 1, mask);
    if (kind === TOKEN_HASHTAG) out.add(combineHash(SALT_TAG, h), 1, mask);
    let cue = 0;
    if (i > 0) {
      const pair = combineHash(prev, h);
      out.add(combineHash(SALT_BI, pair), 1, mask);
      cue = INTENT_CUE_PAIRS.get(pair) ?? 0;
    } else out.add(combineHash(SALT_FIRST, h), 1, mask);
    const found = lexicons.index.get(h);
    const row = found === undefined ? -1 : found;
    out.tokenRow[i] = row;
    if (row >= 0) cue |= lexicons.cues[row];
    if (cue !== 0) for (let c = 0; c < CUE_SALTS.length; c++) if (cue & (1 << c)) cues[c]++;
    const roles = row >= 0 ? lexicons.roles[row] : 0;
    if (kind === TOKEN_WORD && advise) {
      if (f & FLAG_CLAUSE_START) pending = words === 1 ? 2 : 1;
      if (pending !== 0) {
        if (roles & ROLE.imperative) {
          advice[pending === 2 ? ADVICE.imperativeFirst : ADVICE.imperative]++;
          pending = 0;
        } else if (!(roles & ROLE.lead)) {
          if (roles & ROLE.ask) askAt = i;
          pending = 0;
        }
      }
      if (roles !== 0 || prevRoles !== 0) {
        if (roles & ROLE.should) advice[ADVICE.should]++;
        if (roles & ROLE.modal) {
          if (prevRoles & ROLE.you) advice[ADVICE.youModal]++;
          if (prevRoles & ROLE.subject) advice[ADVICE.subjectModal]++;
        }
        if (roles & ROLE.subject && roles & ROLE.would) advice[ADVICE.subjectModal]++;
        if (roles & ROLE.adviceVerb) advice[prevRoles & ROLE.firstPerson ? ADVICE.adviceFirst : ADVICE.adviceVerb]++;
        if (roles & ROLE.good && prevRoles & ROLE.be && prev2Roles & ROLE.would) advice[ADVICE.wouldBeGood]++;
        if (roles & ROLE.want && prevRoles & ROLE.would) advice[ADVICE.wouldLike]++;
        if (roles & ROLE.wish) advice[ADVICE.wish]++;
        if (roles & ROLE.not && prevRoles & ROLE.why) advice[ADVICE.whyNot]++;
        if (roles & ROLE.about && prevRoles & ROLE.howWhat) advice[ADVICE.howAbout]++;
        if (roles & ROLE.sure && prevRoles & ROLE.ensure) advice[ADVICE.makeSure]++;
        if (roles & ROLE.you) {
          if (prevRoles & ROLE.condition) advice[ADVICE.ifYou]++;
          if (askAt === i - 1) advice[ADVICE.request]++;
        }
        if (roles & ROLE.please) advice[ADVICE.please]++;
        if (roles & ROLE.adviceNoun) advice[ADVICE.adviceNoun]++;
      }
    }
    prev2Roles = prevRoles;
    prevRoles = roles;
    const previousRow = prevRow;
    prev = h;
    prevRow = row;
    if (kind === TOKEN_PUNCT || row < 0) continue;
    if (kind === TOKEN_WORD || kind === TOKEN_HASHTAG) addLanguageEvidence(lexicons.languages[row], languageCounts);
    if (lexicons.urgency[row] > 0 && kind === TOKEN_WORD && out.urgentCount < out.urgent.length) out.urgent[out.urgentCount++] = i;
    if (!lexicons.hasSentiment[row]) continue;

    let scale = 1;
    if (f & FLAG_NEGATED) scale *= NEGATION_SCALAR;
    if (f & FLAG_ALLCAPS) scale *= 1.3;
    if (f & FLAG_ELONGATED) scale *= 1.2;
    if (previousRow >= 0 && kinds[i - 1] === TOKEN_WORD) {
      const boost = lexicons.boost[previousRow];
      if (boost !== 0) scale *= boost;
    }
    if (butAt >= 0) scale *= i < butAt ? 0.5 : i > butAt ? 1.5 : 1;
    if (kind === TOKEN_EMOJI || kind === TOKEN_EMOTICON) scale *= 1.1;
    let total = 0;
    for (let c = 0; c < columns; c++) {
      const v = lexicons.values[row * columns + c];
      if (Number.isNaN(v)) continue; // not in this lexicon
      const scaled = v * scale;
      if (scaled > 0) sums[2 * c] += scaled;
      else sums[2 * c + 1] -= scaled;
      total += scaled;
    }
    if (butAt >= 0 && i > butAt) afterContrast += total;
    if (i < thoughAt) beforeThough += total;
    if (total > bestPos) {
      bestPos = total;
      out.strongestPos = i;
    } else if (-total > bestNeg) {
      bestNeg = -total;
      out.strongestNeg = i;
    }
  }
  out.words = words;
  const sp = out.sentiment;
  sp[SENTIMENT_PATTERN.wishNegated] = wishNegated;
  sp[SENTIMENT_PATTERN.hopeNegated] = hopeNegated;
  sp[SENTIMENT_PATTERN.wish] = wishAt >= 0 && !wishNegated ? 1 : 0;
  sp[SENTIMENT_PATTERN.afterContrastPos] = Math.min(Math.max(afterContrast, 0), 4) / 2;
  sp[SENTIMENT_PATTERN.afterContrastNeg] = Math.min(Math.max(-afterContrast, 0), 4) / 2;
  sp[SENTIMENT_PATTERN.beforeThoughPos] = Math.min(Math.max(beforeThough, 0), 4) / 2;
  sp[SENTIMENT_PATTERN.beforeThoughNeg] = Math.min(Math.max(-beforeThough, 0), 4) / 2;
  if (lexicons.featureSet >= SUGGEST_FEATURE_SET) suggestionPatterns(buf, lexicons, out);
  for (let c = 0; c < CUE_SALTS.length; c++) if (cues[c] > 0) out.add(CUE_SALTS[c], Math.min(cues[c], 3), mask);
  for (let k = 0; k < ADVICE_COUNT; k++) if (advice[k] > 0) out.add(ADVICE_SALTS[k], ADVICE_GAIN * Math.min(advice[k], 2), mask);
  out.add(META.bias, 1, mask);
  if (buf.exclamations > 0) out.add(buf.exclamations > 1 ? META.exclaimMany : META.exclaim, 1, mask);
  if (buf.questions > 0) out.add(META.question, 1, mask);
  if (buf.elongated > 0) out.add(META.elongated, 1, mask);
  if (buf.allCaps > 0) out.add(META.allCaps, 1, mask);
  if (buf.urls > 0) out.add(buf.urls > 1 ? META.urls : META.url, 1, mask);
  if (buf.handles > 2) out.add(META.handles, 1, mask);
  if (buf.hashtags > 2) out.add(META.hashtags, 1, mask);
  out.add(words < 5 ? META.short : words < 15 ? META.medium : words < 30 ? META.long : META.veryLong, 1, mask);
  const norm = 1 / Math.sqrt(words + 1);
  let net = 0;
  for (let c = 0; c < columns; c++) {
    const pos = sums[2 * c];
    const neg = sums[2 * c + 1];
    net += pos - neg;
    const salt = LEXICON_SALTS[c];
    // Lexicon evidence gets larger values than the 0/1 n-grams: under AdaGrad
    // that makes it learn faster, so the n-grams fit what the lexicons miss.
    out.add(salt, LEX_GAIN * Math.min(pos * norm, 4), mask);
    out.add(salt + 1, LEX_GAIN * Math.min(neg * norm, 4), mask);
    // VADER's normalization of a sum into (−1, 1).
    const sum = pos - neg;
    out.add(salt + 2, LEX_GAIN * (sum / Math.sqrt(sum * sum + 15)), mask);
  }
  out.lexPos = sums[0];
  out.lexNeg = sums[1];
  if (net > 1) out.add(META.netPos, 1, mask);
  else if (net < -1) out.add(META.netNeg, 1, mask);
  else out.add(META.noLex, 1, mask);
  return out;
}

const S = SUGGEST_ROLE;

/** The next word token after i (−1 if none before a "!" / "?" or the end). */
function nextWord(buf: TokenBuffer, i: number): number {
  for (let j = i + 1; j < buf.count; j++) {
    if (buf.kinds[j] === TOKEN_WORD) return j;
    if (buf.kinds[j] === TOKEN_PUNCT) return -1;
  }
  return -1;
}

/** Fills `out.suggest` (SUGGEST) from the scanned post; the lexicon rows are in `out.tokenRow`. */
function suggestionPatterns(buf: TokenBuffer, lexicons: LexiconTable, out: FeatureBuffer) {
  const counts = out.suggest;
  counts.fill(0);
  const n = buf.count;
  const rows = out.tokenRow;
  const sr = lexicons.suggestRoles;
  const roles = lexicons.roles;
  const roleOf = (j: number) => (j >= 0 && rows[j] >= 0 ? sr[rows[j]] : 0);
  // 2 = looking for an imperative at the start of the text's first clause, 1 = of a later clause.
  let pending = 0;
  let words = 0;
  let imperatives = 0;
  let conditionYou = false;
  let conditionAt = -2;
  let your = 0;
  let instead = 0;
  for (let i = 0; i < n; i++) {
    if (buf.kinds[i] !== TOKEN_WORD) continue;
    words++;
    const row = rows[i];
    const s = row >= 0 ? sr[row] : 0;
    if (buf.flags[i] & FLAG_CLAUSE_START) pending = words === 1 ? 2 : 1;
    if (pending !== 0) {
      if (s & S.negator || (s & S.do && roleOf(nextWord(buf, i)) & S.not)) {
        let j = nextWord(buf, i);
        if (s & S.do) j = nextWord(buf, j);
        if (roleOf(j) & S.adverb) j = nextWord(buf, j);
        if (roleOf(j) & S.verb) {
          counts[SUGGEST.negatedImperative]++;
          imperatives++;
        }
        pending = 0;
      } else if (s & S.verb && !(roleOf(nextWord(buf, i)) & S.aux)) {
        counts[pending === 2 ? SUGGEST.imperativeFirst : SUGGEST.imperative]++;
        if (conditionYou) counts[SUGGEST.ifYouImperative]++;
        imperatives++;
        pending = 0;
      } else if (row < 0 || !(roles[row] & ROLE.lead)) pending = 0;
    }
    if (s === 0) continue;
    if (s & S.condition) conditionAt = i;
    if (s & S.you) {
      if (conditionAt >= 0 && conditionAt >= i - 2) conditionYou = true;
      // "you should try", "you might want to", "you'll need to", "you may even like"
      let j = s & S.modal ? i : nextWord(buf, i);
      if (roleOf(j) & S.modal) {
        j = nextWord(buf, j);
        if (roleOf(j) & S.adverb) j = nextWord(buf, j);
        if (roleOf(j) & (S.verb | S.want)) counts[SUGGEST.youModal]++;
      }
    }
    if (s & S.your) your++;
    if (s & S.instead) instead++;
    if (s & S.beware || (s & S.cautionHead && buf.flags[i] & FLAG_CLAUSE_START && roleOf(nextWord(buf, i)) & S.cautionTail))
      counts[SUGGEST.caution]++;
  }
  if (imperatives > 0) {
    if (your > 0) counts[SUGGEST.imperativeYour] = 1;
    if (instead > 0) counts[SUGGEST.instead] = 1;
  }
  for (let k = 0; k < SUGGEST_PATTERNS; k++) counts[k] = ADVICE_GAIN * Math.min(counts[k], 2);
}
