import { FeatureBuffer, featurize } from "./features";
import { detectLanguage } from "./language";
import { URGENCY_BY_HASH, URGENCY_WORD_BY_HASH } from "./lexicon";
import { INTENTS, type Intent, loadDefaultModel, type Model, OUTPUTS, type SentimentLabel } from "./model";
import { type PriorityContext, scorePriority } from "./priority";
import { scan, TOKEN_HASHTAG, TOKEN_WORD, TokenBuffer, tokenText } from "./tokenizer";

export type AnalysisContext = PriorityContext & {
  /** The workspace's product dictionary; matches are returned in `products`. */
  products?: readonly string[];
};

export type Analysis = {
  language: string;
  sentiment: { label: SentimentLabel; score: number };
  intents: Record<Intent, number>;
  labels: Intent[];
  priority: number;
  reasons: string[];
  topics?: string[];
  products?: string[];
};

const round2 = (x: number) => Math.round(x * 100) / 100;
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));
const INTENT_NAMES: Record<Intent, string> = {
  complaint: "complaint",
  question: "question",
  suggestion: "suggestion",
  praise: "praise",
  purchase_intent: "buying signal",
  churn_risk: "churn risk",
  spam: "spam",
};

/** Runs the whole analysis with reusable buffers: one instance per thread of work. */
export class Analyzer {
  private readonly tokens = new TokenBuffer();
  private readonly features = new FeatureBuffer();
  private readonly scores = new Float64Array(OUTPUTS);

  constructor(readonly model: Model = loadDefaultModel()) {}

  /** Raw model outputs for `text`: sentiment logits (3) then intent logits (7). */
  logits(text: string): Float64Array {
    const { model, tokens, features, scores } = this;
    scan(text, tokens);
    featurize(tokens, model.table, model.mask, features);
    const w = model.weights;
    for (let k = 0; k < OUTPUTS; k++) scores[k] = model.bias[k];
    const { idx, val, count } = features;
    for (let j = 0; j < count; j++) {
      const base = idx[j] * OUTPUTS;
      const v = val[j];
      scores[0] += v * w[base];
      scores[1] += v * w[base + 1];
      scores[2] += v * w[base + 2];
      scores[3] += v * w[base + 3];
      scores[4] += v * w[base + 4];
      scores[5] += v * w[base + 5];
      scores[6] += v * w[base + 6];
      scores[7] += v * w[base + 7];
      scores[8] += v * w[base + 8];
      scores[9] += v * w[base + 9];
    }
    return scores;
  }

  analyze(text: string, context: AnalysisContext = {}): Analysis {
    const { model, tokens } = this;
    const s = this.logits(text);
    const language = detectLanguage(text, tokens);

    // Sentiment: softmax over calibrated logits; score = P(positive) − P(negative).
    const o = model.sentimentOffsets;
    const a = s[0] + o[0];
    const b = s[1] + o[1];
    const c = s[2] + o[2];
    const m = Math.max(a, b, c);
    const ea = Math.exp(a - m);
    const eb = Math.exp(b - m);
    const ec = Math.exp(c - m);
    const z = ea + eb + ec;
    const label: SentimentLabel = a >= b && a >= c ? "negative" : c >= b ? "positive" : "neutral";
    const score = round2((ec - ea) / z);

    const intents = {} as Record<Intent, number>;
    const labels: Intent[] = [];
    for (let k = 0; k < INTENTS.length; k++) {
      const intent = INTENTS[k];
      const p = round2(sigmoid(s[3 + k]));
      intents[intent] = p;
      if (p >= model.thresholds[intent]) labels.push(intent);
    }

    const urgency: Array<{ word: string; weight: number }> = [];
    for (let i = 0; i < tokens.count; i++) {
      const weight = URGENCY_BY_HASH.get(tokens.hashes[i]);
      if (weight !== undefined && tokens.kinds[i] === TOKEN_WORD) {
        const word = URGENCY_WORD_BY_HASH.get(tokens.hashes[i]) ?? "";
        let seen = false;
        for (const u of urgency) if (u.word === word) seen = true;
        if (!seen) urgency.push({ word, weight });
      }
    }
    const sentiment = { label, score };
    const { priority, summary } = scorePriority({ intents, labels, sentiment, urgency }, context);

    const reasons = [`priority ${priority}: ${summary}`];
    for (const intent of labels) {
      const words = this.topWords(text, 3 + INTENTS.indexOf(intent));
      reasons.push(`${INTENT_NAMES[intent]} ${Math.round(intents[intent] * 100)}%${words ? `: ${words}` : ""}`);
    }
    if (label !== "neutral") {
      const at = label === "negative" ? this.features.strongestNeg : this.features.strongestPos;
      const words = at >= 0 ? `'${tokenText(text, tokens, at)}'` : this.topWords(text, label === "negative" ? 0 : 2);
      reasons.push(`${label}${words ? `: ${words}` : ""}`);
    }

    const result: Analysis = { language, sentiment, intents, labels, priority, reasons };
    if (tokens.hashtags > 0 || context.products?.length) {
      const topics: string[] = [];
      for (let i = 0; i < tokens.count && topics.length < 5; i++) {
        if (tokens.kinds[i] === TOKEN_HASHTAG) {
          const tag = tokenText(text, tokens, i);
          if (!topics.includes(tag)) topics.push(tag);
        }
      }
      result.topics = topics;
    }
    if (context.products?.length) result.products = matchProducts(text, context.products);
    return result;
  }

  /** The (at most two) words that pushed output `k` up the most, quoted. */
  private topWords(text: string, k: number): string {
    const { model, tokens, features } = this;
    let first = -1;
    let second = -1;
    let firstWeight = 0.3;
    let secondWeight = 0.3;
    for (let i = 0; i < tokens.count; i++) {
      const kind = tokens.kinds[i];
      if (kind !== TOKEN_WORD && kind !== TOKEN_HASHTAG) continue;
      const weight = model.weights[features.tokenBucket[i] * OUTPUTS + k];
      if (weight > firstWeight) {
        if (first >= 0 && tokens.hashes[first] !== tokens.hashes[i]) {
          second = first;
          secondWeight = firstWeight;
        }
        first = i;
        firstWeight = weight;
      } else if (weight > secondWeight && tokens.hashes[i] !== tokens.hashes[first]) {
        second = i;
        secondWeight = weight;
      }
    }
    if (first < 0) return "";
    const a = `'${tokenText(text, tokens, first)}'`;
    return second < 0 ? a : `${a}, '${tokenText(text, tokens, second)}'`;
  }
}

export function matchProducts(text: string, products: readonly string[]): string[] {
  const lower = text.toLowerCase();
  const out: string[] = [];
  for (const product of products) {
    const p = product.toLowerCase().trim();
    if (!p) continue;
    let at = lower.indexOf(p);
    while (at >= 0) {
      const before = at === 0 ? " " : lower[at - 1];
      const after = at + p.length >= lower.length ? " " : lower[at + p.length];
      if (!/[\p{L}\p{N}]/u.test(before) && !/[\p{L}\p{N}]/u.test(after)) {
        out.push(product);
        break;
      }
      at = lower.indexOf(p, at + 1);
    }
  }
  return out;
}

let shared: Analyzer | undefined;

/** Analyzes one post with the committed model. */
export function analyze(text: string, context?: AnalysisContext): Analysis {
  shared ??= new Analyzer();
  return shared.analyze(text, context);
}
