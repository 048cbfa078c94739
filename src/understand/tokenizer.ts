// A hand-written, allocation-light tokenizer for short social posts. One pass
// over the UTF-16 code units produces 32-bit token hashes (FNV-1a over the
// normalized, lowercased token), so the hot path never builds strings; the
// string form is only materialized for tests and for human-readable reasons.

export const TOKEN_WORD = 1;
export const TOKEN_NUMBER = 2;
export const TOKEN_URL = 3;
export const TOKEN_HANDLE = 4;
export const TOKEN_HASHTAG = 5;
export const TOKEN_EMOJI = 6;
export const TOKEN_EMOTICON = 7;
export const TOKEN_PUNCT = 8;
export const TOKEN_CJK = 9;

export type TokenKind = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9;

const FNV_OFFSET = 0x811c9dc5;
// Hashes keep 30 bits so V8 stores them as small integers: Map lookups and
// typed-array writes then never box a number.
const SMI_MASK = 0x3fffffff;
const FNV_PRIME = 0x01000193;

/** FNV-1a over UTF-16 code units; the same function the scanner applies incrementally. */
export function hashString(s: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h & SMI_MASK;
}

/** Mixes two hashes (bigrams, salted feature families) without building a string. */
export function combineHash(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ b;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) & SMI_MASK;
}

export const HASH_URL = hashString("<url>");
export const HASH_HANDLE = hashString("<user>");
export const HASH_NUMBER = hashString("<num>");
export const HASH_MONEY = hashString("<money>");
export const HASH_EXCLAIM = hashString("!");
export const HASH_QUESTION = hashString("?");

// Lowercase and letter tables for the Basic Multilingual Plane below the CJK
// blocks, computed once so the scanner does a lookup instead of a regex.
const TABLE_SIZE = 0x3000;
const LOWER = new Uint16Array(TABLE_SIZE);
const IS_LETTER = new Uint8Array(TABLE_SIZE);
{
  const letter = /[\p{L}\p{M}]/u;
  for (let c = 0; c < TABLE_SIZE; c++) {
    const ch = String.fromCharCode(c);
    const lower = ch.toLowerCase();
    LOWER[c] = lower.length === 1 ? lower.charCodeAt(0) : c;
    if (c >= 0xd800) continue;
    IS_LETTER[c] = letter.test(ch) ? 1 : 0;
  }
  for (let c = 48; c <= 57; c++) IS_LETTER[c] = 2; // digits
  IS_LETTER[95] = 3; // underscore: word-internal only in handles/tags
}

const EMOTICONS = [
  ":)",
  ":-)",
  ":))",
  ":]",
  ":d",
  ":-d",
  ":p",
  ":-p",
  ";)",
  ";-)",
  ";p",
  ";d",
  ":(",
  ":-(",
  ":((",
  ":'(",
  ":’(",
  ":/",
  ":-/",
  ":\\",
  ":|",
  ":o",
  ":-o",
  "=)",
  "=(",
  "=d",
  "<3",
  "</3",
  ":*",
  "^^",
  "^_^",
  "-_-",
  ":s",
  ":@",
  ">:(",
  ":-*",
  ":'-(",
].sort((a, b) => b.length - a.length);
const EMOTICON_STARTS = new Set(EMOTICONS.map((e) => e.charCodeAt(0)));

/** Reusable scan result: parallel arrays, valid up to `count`. */
export class TokenBuffer {
  count = 0;
  hashes: Uint32Array;
  kinds: Uint8Array;
  /** bit 1: negated scope, bit 2: elongated, bit 4: all caps, bit 8: first word of a clause. */
  flags: Uint8Array;
  starts: Uint32Array;
  ends: Uint32Array;
  /** Hash of a long word's first five letters ("disappointing" → "disap"), else 0: a cheap stem. */
  prefixes: Uint32Array;
  /** Counts over the whole text. */
  exclamations = 0;
  questions = 0;
  elongated = 0;
  allCaps = 0;
  urls = 0;
  handles = 0;
  hashtags = 0;
  /** Latin letters outside ASCII (é, ñ, ß…): language id only looks at accents when there are some. */
  accented = 0;
  /** Code units seen per script: latin, cjk-han, kana, hangul, cyrillic, arabic, greek, hebrew, devanagari, thai. */
  scripts = new Uint16Array(10);

  constructor(capacity = 256) {
    this.hashes = new Uint32Array(capacity);
    this.kinds = new Uint8Array(capacity);
    this.flags = new Uint8Array(capacity);
    this.starts = new Uint32Array(capacity);
    this.ends = new Uint32Array(capacity);
    this.prefixes = new Uint32Array(capacity);
  }

  reset() {
    this.count = 0;
    this.exclamations = 0;
    this.questions = 0;
    this.elongated = 0;
    this.allCaps = 0;
    this.urls = 0;
    this.handles = 0;
    this.hashtags = 0;
    this.accented = 0;
    this.scripts.fill(0);
  }

  push(hash: number, kind: number, flags: number, start: number, end: number, prefix = 0) {
    if (this.count === this.hashes.length) this.grow();
    const i = this.count++;
    this.prefixes[i] = prefix;
    this.hashes[i] = hash;
    this.kinds[i] = kind;
    this.flags[i] = flags;
    this.starts[i] = start;
    this.ends[i] = end;
  }

  private grow() {
    const n = this.hashes.length * 2;
    const h = new Uint32Array(n);
    h.set(this.hashes);
    this.hashes = h;
    const k = new Uint8Array(n);
    k.set(this.kinds);
    this.kinds = k;
    const f = new Uint8Array(n);
    f.set(this.flags);
    this.flags = f;
    const s = new Uint32Array(n);
    s.set(this.starts);
    this.starts = s;
    const e = new Uint32Array(n);
    e.set(this.ends);
    this.ends = e;
    const p = new Uint32Array(n);
    p.set(this.prefixes);
    this.prefixes = p;
  }
}

export const FLAG_NEGATED = 1;
export const FLAG_ELONGATED = 2;
export const FLAG_ALLCAPS = 4;
/** First word of the text or of a clause (after . , ; : ! ? a dash, a quote or a line break): where imperatives stand. */
export const FLAG_CLAUSE_START = 8;

const NEGATORS = new Set(
  [
    "not",
    "no",
    "never",
    "cannot",
    "cant",
    "can't",
    "dont",
    "don't",
    "doesnt",
    "doesn't",
    "didnt",
    "didn't",
    "isnt",
    "isn't",
    "wasnt",
    "wasn't",
    "arent",
    "aren't",
    "werent",
    "weren't",
    "wont",
    "won't",
    "couldnt",
    "couldn't",
    "shouldnt",
    "shouldn't",
    "wouldnt",
    "wouldn't",
    "havent",
    "haven't",
    "hasnt",
    "hasn't",
    "hadnt",
    "hadn't",
    "aint",
    "ain't",
    "nothing",
    "nobody",
    "none",
    "neither",
    "nor",
    "without",
    "hardly",
    "barely",
    "nowhere",
  ].map(hashString),
);
const SCOPE_BREAKERS = new Set(["but", "however", "although", "though", "yet"].map(hashString));
/** Letters of a word's prefix feature; words at least two letters longer get one. */
const PREFIX_LENGTH = 5;
/** Words a negation scope covers at most; punctuation and "but" end it sooner. */
const NEGATION_WINDOW = 3;

export function isNegator(hash: number): boolean {
  return NEGATORS.has(hash);
}

function isEmojiCodePoint(cp: number): boolean {
  return (
    (cp >= 0x1f300 && cp <= 0x1faff && !(cp >= 0x1f3fb && cp <= 0x1f3ff)) ||
    (cp >= 0x2600 && cp <= 0x27bf) ||
    (cp >= 0x1f000 && cp <= 0x1f2ff) ||
    cp === 0x2b50 ||
    cp === 0x2b55 ||
    cp === 0x203c ||
    cp === 0x2049
  );
}

function scriptOf(c: number): number {
  if (c < 0x250) return 0;
  if (c >= 0x370 && c < 0x400) return 6;
  if (c >= 0x400 && c < 0x530) return 4;
  if (c >= 0x590 && c < 0x600) return 7;
  if (c >= 0x600 && c < 0x700) return 5;
  if (c >= 0x900 && c < 0x980) return 8;
  if (c >= 0xe00 && c < 0xe80) return 9;
  if (c >= 0x1e00 && c < 0x1f00) return 0;
  if (c >= 0x3040 && c < 0x3100) return 2;
  if (c >= 0xac00 && c < 0xd7b0) return 3;
  if (c >= 0x4e00 && c < 0xa000) return 1;
  return -1;
}

function isUrlStart(text: string, i: number): boolean {
  const c = text.charCodeAt(i) | 0x20;
  if (c === 104 /* h */) return text.startsWith("http://", i) || text.startsWith("https://", i) || text.startsWith("HTTP", i);
  if (c === 119 /* w */) return text.startsWith("www.", i);
  return false;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9 || c === 0xa0 || c === 0x200b;
}

/**
 * Scans `text` into `buf`. Words are lowercased, runs of 3+ identical letters
 * shrink to 2 ("sooooo" → "soo", flagged), URLs/@handles/numbers become class
 * tokens, #tags keep their word, emoji and emoticons are tokens, and the words
 * after a negator ("not", "don't", …) are flagged until punctuation, "but", or
 * three words.
 */
export function scan(text: string, buf: TokenBuffer): TokenBuffer {
  buf.reset();
  const n = text.length;
  let i = 0;
  let negLeft = 0;
  let clause = FLAG_CLAUSE_START;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      if (c === 10) clause = FLAG_CLAUSE_START;
      i++;
      continue;
    }
    // URLs
    if ((c === 104 || c === 72 || c === 119 || c === 87) && isUrlStart(text, i)) {
      const start = i;
      while (i < n && !isSpace(text.charCodeAt(i))) i++;
      buf.push(HASH_URL, TOKEN_URL, 0, start, i);
      buf.urls++;
      continue;
    }
    const cls = c < TABLE_SIZE ? IS_LETTER[c] : 0;
    // @handles and #tags
    if ((c === 64 || c === 35) && i + 1 < n) {
      const d = text.charCodeAt(i + 1);
      if (d < TABLE_SIZE && IS_LETTER[d]) {
        const start = i;
        i++;
        let h = FNV_OFFSET;
        while (i < n) {
          const e = text.charCodeAt(i);
          if (e >= TABLE_SIZE || !IS_LETTER[e]) break;
          h = Math.imul(h ^ LOWER[e], FNV_PRIME);
          i++;
        }
        if (c === 64) {
          buf.push(HASH_HANDLE, TOKEN_HANDLE, 0, start, i);
          buf.handles++;
        } else {
          // The tag's word carries meaning ("#fail"); the '#' form marks it as a tag.
          buf.push(h & SMI_MASK, TOKEN_HASHTAG, 0, start + 1, i);
          buf.hashtags++;
          clause = 0;
        }
        negLeft = 0;
        continue;
      }
    }
    if (cls === 1 || cls === 2) {
      const start = i;
      let h = FNV_OFFSET;
      let prev = -1;
      let run = 0;
      let flags = 0;
      let upper = 0;
      let letters = 0;
      let hashed = 0;
      let prefix = 0;
      let digitsOnly = true;
      while (i < n) {
        let e = text.charCodeAt(i);
        if (e === 0x2019) e = 39; // typographic apostrophe
        if (e === 39) {
          // apostrophe inside a word ("don't"), not a quote
          const next = i + 1 < n ? text.charCodeAt(i + 1) : 0;
          if (next < TABLE_SIZE && IS_LETTER[next] === 1 && letters > 0) {
            h = Math.imul(h ^ 39, FNV_PRIME);
            prev = 39;
            run = 1;
            i++;
            continue;
          }
          break;
        }
        if (e >= TABLE_SIZE) break;
        const k = IS_LETTER[e];
        if (k !== 1 && k !== 2) break;
        if (k === 1) {
          digitsOnly = false;
          letters++;
          if (e < 128) {
            buf.scripts[0]++;
            if (e <= 90) upper++;
          } else {
            const script = scriptOf(e);
            if (script >= 0) buf.scripts[script]++;
            if (script === 0) buf.accented++;
          }
        }
        const lower = LOWER[e];
        if (lower === prev) {
          run++;
          if (run >= 3 && k === 1) {
            flags |= FLAG_ELONGATED;
            i++;
            continue;
          }
        } else {
          run = 1;
          prev = lower;
        }
        h = Math.imul(h ^ lower, FNV_PRIME);
        if (++hashed === PREFIX_LENGTH) prefix = h;
        i++;
      }
      if (i === start) {
        i++;
        continue;
      }
      if (digitsOnly) {
        buf.push(HASH_NUMBER, TOKEN_NUMBER, 0, start, i);
        clause = 0;
        continue;
      }
      if (letters >= 3 && upper === letters) {
        flags |= FLAG_ALLCAPS;
        buf.allCaps++;
      }
      if (flags & FLAG_ELONGATED) buf.elongated++;
      const hash = h & SMI_MASK;
      if (negLeft > 0 && !SCOPE_BREAKERS.has(hash)) {
        flags |= FLAG_NEGATED;
        negLeft--;
      } else negLeft = 0;
      buf.push(hash, TOKEN_WORD, flags | clause, start, i, hashed >= PREFIX_LENGTH + 2 ? prefix & SMI_MASK : 0);
      clause = 0;
      if (NEGATORS.has(hash)) negLeft = NEGATION_WINDOW;
      continue;
    }
    // CJK, kana, hangul and other scripts without spaces: one token per character.
    if (c >= 0x3000 && c < 0xd800) {
      const script = scriptOf(c);
      if (script >= 0) buf.scripts[script]++;
      if (script >= 1 && script <= 3) {
        buf.push(Math.imul(FNV_OFFSET ^ c, FNV_PRIME) & SMI_MASK, TOKEN_CJK, 0, i, i + 1);
      }
      i++;
      continue;
    }
    // Emoji (astral plane via surrogate pairs, plus BMP symbols like ❤ and ☹)
    if ((c >= 0xd800 && c <= 0xdbff) || (c >= 0x2600 && c <= 0x27bf) || c === 0x2b50 || c === 0x203c) {
      const cp = text.codePointAt(i) ?? c;
      const width = cp > 0xffff ? 2 : 1;
      if (isEmojiCodePoint(cp)) {
        // Same hash as hashString(emoji) so lexicons can be keyed by the emoji itself.
        let h = Math.imul(FNV_OFFSET ^ c, FNV_PRIME);
        if (width === 2) h = Math.imul(h ^ text.charCodeAt(i + 1), FNV_PRIME);
        buf.push(h & SMI_MASK, TOKEN_EMOJI, 0, i, i + width);
      }
      i += width;
      continue;
    }
    // Emoticons
    if (EMOTICON_STARTS.has(c | (c >= 65 && c <= 90 ? 0x20 : 0))) {
      let matched = "";
      for (const e of EMOTICONS) {
        if (i + e.length > n) continue;
        let ok = true;
        for (let j = 0; j < e.length; j++) {
          let t = text.charCodeAt(i + j);
          if (t >= 65 && t <= 90) t |= 0x20;
          if (t !== e.charCodeAt(j)) {
            ok = false;
            break;
          }
        }
        if (!ok) continue;
        const after = i + e.length < n ? text.charCodeAt(i + e.length) : 32;
        if (after < TABLE_SIZE && IS_LETTER[after] === 1) continue;
        matched = e;
        break;
      }
      if (matched) {
        buf.push(hashString(matched), TOKEN_EMOTICON, 0, i, i + matched.length);
        i += matched.length;
        continue;
      }
    }
    if (c === 33 || c === 63) {
      const start = i;
      while (i < n && text.charCodeAt(i) === c) i++;
      if (c === 33) buf.exclamations += i - start;
      else buf.questions += i - start;
      buf.push(c === 33 ? HASH_EXCLAIM : HASH_QUESTION, TOKEN_PUNCT, 0, start, i);
      negLeft = 0;
      clause = FLAG_CLAUSE_START;
      continue;
    }
    if (c === 36 || c === 0x20ac || c === 0xa3) {
      buf.push(HASH_MONEY, TOKEN_PUNCT, 0, i, i + 1);
      i++;
      continue;
    }
    // Any other punctuation ends a negation scope.
    if (c === 46 || c === 44 || c === 59 || c === 58 || c === 40 || c === 41 || c === 34 || c === 0x2026) negLeft = 0;
    // A hyphen counts only as a dash between spaces ("pre-order" is one phrase).
    if (c === 46 || c === 44 || c === 59 || c === 58 || c === 40 || c === 34 || c === 0x2026 || c === 0x2013 || c === 0x2014)
      clause = FLAG_CLAUSE_START;
    else if (c === 45 && (i + 1 >= n || isSpace(text.charCodeAt(i + 1)))) clause = FLAG_CLAUSE_START;
    i++;
  }
  return buf;
}

export type Token = {
  text: string;
  kind: TokenKind;
  negated: boolean;
  elongated: boolean;
  allCaps: boolean;
  /** First word of the text or of a clause. */
  clauseStart: boolean;
};

const KIND_PLACEHOLDER: Record<number, string> = { [TOKEN_URL]: "<url>", [TOKEN_HANDLE]: "<user>", [TOKEN_NUMBER]: "<num>" };

/** The normalized text of token `i` (what its hash was computed over). */
export function tokenText(text: string, buf: TokenBuffer, i: number): string {
  const kind = buf.kinds[i];
  const placeholder = KIND_PLACEHOLDER[kind];
  if (placeholder) return placeholder;
  const raw = text.slice(buf.starts[i], buf.ends[i]);
  if (kind === TOKEN_PUNCT) return raw[0] === "!" ? "!" : raw[0] === "?" ? "?" : "<money>";
  if (kind === TOKEN_EMOTICON || kind === TOKEN_EMOJI || kind === TOKEN_CJK) return raw.toLowerCase();
  if (!(buf.flags[i] & FLAG_ELONGATED)) {
    const lower = raw.toLowerCase();
    return lower.includes("\u2019") ? lower.replaceAll("\u2019", "'") : lower;
  }
  let out = "";
  let prev = "";
  let run = 0;
  for (const ch of raw.replace(/\u2019/g, "'").toLowerCase()) {
    if (ch === prev) {
      run++;
      if (run >= 3 && ch !== "'" && !/\d/.test(ch)) continue;
    } else {
      run = 1;
      prev = ch;
    }
    out += ch;
  }
  return out;
}

/** Convenience form of `scan` for tests and tools: tokens as strings with their flags. */
export function tokenize(text: string): Token[] {
  const buf = scan(text, new TokenBuffer());
  const out: Token[] = [];
  for (let i = 0; i < buf.count; i++) {
    const f = buf.flags[i];
    out.push({
      text: (buf.kinds[i] === TOKEN_HASHTAG ? "#" : "") + tokenText(text, buf, i),
      kind: buf.kinds[i] as TokenKind,
      negated: (f & FLAG_NEGATED) !== 0,
      elongated: (f & FLAG_ELONGATED) !== 0,
      allCaps: (f & FLAG_ALLCAPS) !== 0,
      clauseStart: (f & FLAG_CLAUSE_START) !== 0,
    });
  }
  return out;
}
