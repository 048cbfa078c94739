// Parley's listening query language, one for every channel:
//   words, "exact phrases", AND / OR / NOT with parentheses, #hashtag, @handle,
//   from:handle, lang:xx, -exclusion, word* (prefix).
// Adjacent terms mean AND; NOT binds tighter than AND, AND tighter than OR.
// A query is parsed once into an AST and matched against every incoming item.

export type QueryNode =
  | { type: "and"; children: QueryNode[] }
  | { type: "or"; children: QueryNode[] }
  | { type: "not"; child: QueryNode }
  | { type: "term"; value: string; prefix: boolean }
  | { type: "phrase"; value: string }
  | { type: "hashtag"; value: string }
  | { type: "mention"; value: string }
  | { type: "from"; value: string }
  | { type: "lang"; value: string };

export class QuerySyntaxError extends Error {
  constructor(
    readonly position: number,
    readonly reason: string,
  ) {
    super(`at position ${position + 1}: ${reason}`);
    this.name = "QuerySyntaxError";
  }
}

type Token = { kind: "lparen" | "rparen" | "and" | "or" | "not" | "minus"; pos: number } | { kind: "atom"; node: QueryNode; pos: number };

const FIELDS = new Set(["from", "lang"]);
/** Parentheses and NOT/- nested deeper than this are refused: no one writes them, and they would overflow the stack. */
const MAX_DEPTH = 100;
const WORD_RE = /[\p{L}\p{N}_'’.*-]/u;

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i] as string;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const start = i;
    if (ch === "(" || ch === ")") {
      tokens.push({ kind: ch === "(" ? "lparen" : "rparen", pos: i });
      i++;
      continue;
    }
    if (ch === '"' || ch === "“" || ch === "”") {
      const close = input.slice(i + 1).search(/["“”]/);
      if (close < 0) throw new QuerySyntaxError(i, "this quote is never closed");
      const value = input
        .slice(i + 1, i + 1 + close)
        .trim()
        .toLowerCase();
      if (!value) throw new QuerySyntaxError(i, "empty phrase");
      tokens.push({ kind: "atom", node: { type: "phrase", value }, pos: start });
      i += close + 2;
      continue;
    }
    if (ch === "-" && i + 1 < input.length && !/\s/.test(input[i + 1] as string)) {
      tokens.push({ kind: "minus", pos: i });
      i++;
      continue;
    }
    let j = i;
    while (j < input.length && !/[\s()"“”]/.test(input[j] as string)) j++;
    const word = input.slice(i, j);
    i = j;
    if (word === "AND" || word === "&&") tokens.push({ kind: "and", pos: start });
    else if (word === "OR" || word === "||") tokens.push({ kind: "or", pos: start });
    else if (word === "NOT") tokens.push({ kind: "not", pos: start });
    else tokens.push({ kind: "atom", node: atomFor(word, start), pos: start });
  }
  return tokens;
}

function atomFor(word: string, pos: number): QueryNode {
  if (word.startsWith("#")) {
    const value = word.slice(1).toLowerCase();
    if (!value) throw new QuerySyntaxError(pos, "# needs a hashtag after it");
    return { type: "hashtag", value };
  }
  if (word.startsWith("@")) {
    const value = word.slice(1).toLowerCase();
    if (!value) throw new QuerySyntaxError(pos, "@ needs a handle after it");
    return { type: "mention", value };
  }
  const colon = word.indexOf(":");
  if (colon > 0 && !word.includes("://")) {
    const field = word.slice(0, colon).toLowerCase();
    const value = word
      .slice(colon + 1)
      .replace(/^@/, "")
      .toLowerCase();
    if (!FIELDS.has(field)) throw new QuerySyntaxError(pos, `unknown field "${field}:" (use from: or lang:)`);
    if (!value) throw new QuerySyntaxError(pos + colon + 1, `${field}: needs a value`);
    return field === "from" ? { type: "from", value } : { type: "lang", value };
  }
  const lower = word.toLowerCase();
  const prefix = lower.endsWith("*");
  const value = prefix ? lower.slice(0, -1) : lower;
  if (!value || ![...value].some((c) => WORD_RE.test(c))) throw new QuerySyntaxError(pos, `"${word}" is not a word to look for`);
  return { type: "term", value: value.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "") || value, prefix };
}

class Parser {
  private i = 0;
  private depth = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly length: number,
  ) {}

  parse(): QueryNode {
    if (this.tokens.length === 0) throw new QuerySyntaxError(0, "the query is empty");
    const node = this.or();
    const extra = this.tokens[this.i];
    if (extra) {
      throw new QuerySyntaxError(extra.pos, extra.kind === "rparen" ? "this ) has no matching (" : "unexpected text");
    }
    return node;
  }

  private peek() {
    return this.tokens[this.i];
  }

  private or(): QueryNode {
    const children = [this.and()];
    while (this.peek()?.kind === "or") {
      const op = this.tokens[this.i++] as Token;
      if (!this.startsOperand()) throw new QuerySyntaxError(op.pos, "OR needs something on its right");
      children.push(this.and());
    }
    return children.length === 1 ? (children[0] as QueryNode) : { type: "or", children };
  }

  private startsOperand() {
    const t = this.peek();
    return Boolean(t && (t.kind === "atom" || t.kind === "lparen" || t.kind === "not" || t.kind === "minus"));
  }

  private and(): QueryNode {
    const children = [this.unary()];
    for (;;) {
      const t = this.peek();
      if (t?.kind === "and") {
        this.i++;
        if (!this.startsOperand()) throw new QuerySyntaxError(t.pos, "AND needs something on its right");
        children.push(this.unary());
      } else if (this.startsOperand()) {
        children.push(this.unary());
      } else break;
    }
    return children.length === 1 ? (children[0] as QueryNode) : { type: "and", children };
  }

  private unary(): QueryNode {
    const t = this.peek();
    if (!t) throw new QuerySyntaxError(this.length, "the query ends too early");
    if (t.kind === "not" || t.kind === "minus" || t.kind === "lparen") {
      if (++this.depth > MAX_DEPTH) throw new QuerySyntaxError(t.pos, `nested more than ${MAX_DEPTH} levels deep`);
      try {
        return this.nested(t);
      } finally {
        this.depth--;
      }
    }
    if (t.kind === "atom") {
      this.i++;
      return t.node;
    }
    throw new QuerySyntaxError(
      t.pos,
      t.kind === "rparen" ? "this ) has no matching (" : `${t.kind.toUpperCase()} needs something on its left`,
    );
  }

  /** NOT x, -x or ( … ): the forms that nest. */
  private nested(t: Token): QueryNode {
    this.i++;
    if (t.kind === "lparen") {
      if (this.peek()?.kind === "rparen") throw new QuerySyntaxError(t.pos, "empty parentheses");
      const inner = this.or();
      if (this.peek()?.kind !== "rparen") throw new QuerySyntaxError(t.pos, "this ( is never closed");
      this.i++;
      return inner;
    }
    if (!this.startsOperand()) throw new QuerySyntaxError(t.pos, `${t.kind === "not" ? "NOT" : "-"} needs something to exclude`);
    return { type: "not", child: this.unary() };
  }
}

export function parseQuery(input: string): QueryNode {
  return new Parser(tokenize(input), input.length).parse();
}

/** What a query is matched against, prepared once per item. */
export type Matchable = {
  text: string;
  authorHandle?: string | null;
  language?: string | null;
};

export type PreparedItem = {
  padded: string;
  words: Set<string>;
  hashtags: Set<string>;
  mentions: Set<string>;
  author: string;
  language: string;
};

export function prepareItem(item: Matchable): PreparedItem {
  const lower = item.text.toLowerCase();
  const hashtags = new Set([...lower.matchAll(/#([\p{L}\p{N}_]+)/gu)].map((m) => m[1] as string));
  const mentions = new Set([...lower.matchAll(/@([\p{L}\p{N}_.]+[\p{L}\p{N}_])/gu)].map((m) => m[1] as string));
  const words = new Set(lower.split(/[^\p{L}\p{N}_'’]+/u).filter(Boolean));
  for (const w of [...words]) if (w.includes("'") || w.includes("’")) words.add(w.replace(/['’]s$/, ""));
  return {
    padded: ` ${lower.replace(/[^\p{L}\p{N}_#@]+/gu, " ").trim()} `,
    words,
    hashtags,
    mentions,
    author: (item.authorHandle ?? "").toLowerCase().replace(/^@/, ""),
    language: (item.language ?? "").toLowerCase(),
  };
}

/** A workspace's brand/product dictionary: a term naming an entry also matches its aliases. */
export type Dictionary = Map<string, string[]>;

function phraseIn(item: PreparedItem, phrase: string): boolean {
  const normalized = phrase.replace(/[^\p{L}\p{N}_#@]+/gu, " ").trim();
  return normalized.length > 0 && item.padded.includes(` ${normalized} `);
}

export function matches(node: QueryNode, item: PreparedItem, dictionary?: Dictionary): boolean {
  switch (node.type) {
    case "and":
      return node.children.every((c) => matches(c, item, dictionary));
    case "or":
      return node.children.some((c) => matches(c, item, dictionary));
    case "not":
      return !matches(node.child, item, dictionary);
    case "term": {
      if (node.prefix) {
        for (const w of item.words) if (w.startsWith(node.value)) return true;
        return false;
      }
      if (item.words.has(node.value) || (node.value.includes(" ") && phraseIn(item, node.value))) return true;
      if (/[^\p{L}\p{N}_]/u.test(node.value) && phraseIn(item, node.value)) return true;
      const aliases = dictionary?.get(node.value);
      return Boolean(
        aliases?.some((a) => (a.startsWith("@") ? item.mentions.has(a.slice(1)) || item.author === a.slice(1) : phraseIn(item, a))),
      );
    }
    case "phrase":
      return phraseIn(item, node.value);
    case "hashtag":
      return item.hashtags.has(node.value);
    case "mention":
      return item.mentions.has(node.value);
    case "from":
      return item.author === node.value;
    case "lang":
      return item.language === node.value || item.language.startsWith(`${node.value}-`);
  }
}

/** True when any of the queries matches (no queries: everything matches). */
export function compileQueries(queries: string[], dictionary?: Dictionary) {
  const asts = queries.map((q) => parseQuery(q));
  return (item: Matchable) => {
    if (asts.length === 0) return true;
    const prepared = prepareItem(item);
    return asts.some((ast) => matches(ast, prepared, dictionary));
  };
}
