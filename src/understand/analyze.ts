import { FeatureBuffer, featurize } from "./features";
import { detectLanguage, WORD_LANGS } from "./language";
import { URGENCY_BY_HASH, URGENCY_WORD_BY_HASH } from "./lexicon";
import {
  INTENTS,
  type Intent,
  loadDefaultModel,
  type Model,
  OUTPUTS,
  type SentimentLabel,
  type Signal,
  sigmoid,
  suggestionProbability,
} from "./model";
import { type PriorityContext, scorePriority } from "./priority";
import { scan, TOKEN_HASHTAG, TOKEN_WORD, TokenBuffer, tokenText } from "./tokenizer";

export type AnalysisContext = PriorityContext & {
  /** The workspace's product dictionary; matches are returned in `products`. */
  products?: readonly string[];
  /** Written by one of the workspace's own accounts (an outbound message): never spam. */
  outbound?: boolean;
};

export type Analysis = {
  language: string;
  sentiment: { label: SentimentLabel; score: number };
  intents: Record<Intent, number>;
  labels: Intent[];
  priority: number;
  reasons: string[];
  /** Probability that the post is ironic / offensive or hateful; they add to priority, they never change the labels. */
  signals: Record<Signal, number>;
  topics?: string[];
  products?: string[];
};

const SUGGESTION_OUTPUT = 3 + INTENTS.indexOf("suggestion");
const round2 = (x: number) => Math.round(x * 100) / 100;
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

  /** Raw model outputs for `text`: sentiment logits (3), intent logits (7), then signal logits (irony, toxic). */
  logits(text: string): Float64Array {
    const { model, tokens, features, scores } = this;
    scan(text, tokens);
    featurize(tokens, model.table, model.mask, features);
    for (let k = 0; k < OUTPUTS; k++) scores[k] = model.bias[k];
    const { idx, val, count } = features;
    if (model.quantized) {
      const q = model.quantized.weights;
      const lv = model.quantized.levels;
      for (let j = 0; j < count; j++) {
        const base = idx[j] * OUTPUTS;
        const v = val[j];
        scores[0] += v * lv[q[base] + 128];
        scores[1] += v * lv[256 + q[base + 1] + 128];
        scores[2] += v * lv[512 + q[base + 2] + 128];
        scores[3] += v * lv[768 + q[base + 3] + 128];
        scores[4] += v * lv[1024 + q[base + 4] + 128];
        scores[5] += v * lv[1280 + q[base + 5] + 128];
        scores[6] += v * lv[1536 + q[base + 6] + 128];
        scores[7] += v * lv[1792 + q[base + 7] + 128];
        scores[8] += v * lv[2048 + q[base + 8] + 128];
        scores[9] += v * lv[2304 + q[base + 9] + 128];
        scores[10] += v * lv[2560 + q[base + 10] + 128];
        scores[11] += v * lv[2816 + q[base + 11] + 128];
      }
      return this.addSuggestionPatterns(scores);
    }
    const w = model.weights;
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
      scores[10] += v * w[base + 10];
      scores[11] += v * w[base + 11];
    }
    return this.addSuggestionPatterns(scores);
  }

  /** The suggestion-only patterns (feature set 3) add to the suggestion logit and nothing else; the sentiment-only ones to the sentiment logits. */
  private addSuggestionPatterns(scores: Float64Array): Float64Array {
    const sentiment = this.model.sentimentPatterns;
    if (sentiment) {
      const values = this.features.sentiment;
      for (let p = 0; p < values.length; p++) {
        const v = values[p];
        if (v === 0) continue;
        scores[0] += v * sentiment[3 * p];
        scores[1] += v * sentiment[3 * p + 1];
        scores[2] += v * sentiment[3 * p + 2];
      }
    }
    const weights = this.model.suggestionPatterns;
    if (weights) {
      const values = this.features.suggest;
      let z = 0;
      for (let k = 0; k < weights.length; k++) z += weights[k] * values[k];
      scores[SUGGESTION_OUTPUT] += z;
    }
    return scores;
  }

  analyze(text: string, context: AnalysisContext = {}): Analysis {
    const { model, tokens } = this;
    const s = this.logits(text);
    const features = this.features;
    const language = detectLanguage(text, tokens, { counts: features.languageCounts, words: features.words });

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

    const intents: Record<Intent, number> = {
      complaint: round2(sigmoid(s[3])),
      question: round2(sigmoid(s[4])),
      suggestion: round2(suggestionProbability(s[5], s[7])),
      praise: round2(sigmoid(s[6])),
      purchase_intent: round2(sigmoid(s[7])),
      churn_risk: round2(sigmoid(s[8])),
      spam: round2(this.spamProbability(s[9])),
    };
    const labels: Intent[] = [];
    for (const intent of INTENTS) if (intents[intent] >= model.thresholds[intent]) labels.push(intent);
    // The workspace's own posts are never spam, whatever they look like.
    if (context.outbound && labels.includes("spam")) labels.splice(labels.indexOf("spam"), 1);
    const signals: Record<Signal, number> = { irony: round2(sigmoid(s[10])), toxic: round2(sigmoid(s[11])) };
    // Irony is reported but not used: the SemEval irony tweets teach "positive words = ironic", so
    // sincere praise scores high too (docs/understanding.md). Toxic adds to priority.
    const toxic = signals.toxic >= model.signalThresholds.toxic;

    const urgency: Array<{ word: string; weight: number }> = [];
    for (let u = 0; u < features.urgentCount; u++) {
      const h = tokens.hashes[features.urgent[u]];
      const word = URGENCY_WORD_BY_HASH.get(h) ?? "";
      let seen = false;
      for (const x of urgency) if (x.word === word) seen = true;
      if (!seen) urgency.push({ word, weight: URGENCY_BY_HASH.get(h) ?? 0 });
    }
    const sentiment = { label, score };
    const { priority, summary } = scorePriority({ intents, labels, sentiment, urgency, toxic }, context);

    const reasons = [`priority ${priority}: ${summary}`];
    for (const intent of labels) {
      const words = this.topWords(text, 3 + INTENTS.indexOf(intent));
      reasons.push(`${INTENT_NAMES[intent]} ${Math.round(intents[intent] * 100)}%${words ? `: ${words}` : ""}`);
    }
    if (label !== "neutral") {
      const at = label === "negative" ? features.strongestNeg : features.strongestPos;
      const words = at >= 0 ? `'${tokenText(text, tokens, at)}'` : this.topWords(text, label === "negative" ? 0 : 2);
      reasons.push(`${label}${words ? `: ${words}` : ""}`);
    }

    if (toxic) reasons.push(`offensive ${Math.round(signals.toxic * 100)}%`);

    const result: Analysis = { language, sentiment, intents, labels, priority, reasons, signals };
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

  /**
   * P(spam) = P(spam-like) × (1 − P(brand reply)): a brand's own care reply ("DM us your
   * order number") is not spam however much it shares spam's words. The reply head is
   * scored only when the spam head alone would pass the threshold, the only case where it
   * can change the label (the features are still in the buffer from scoring); below it,
   * P(spam-like) is reported as it is.
   */
  private spamProbability(logit: number): number {
    const p = sigmoid(logit);
    const reply = this.model.reply;
    if (!reply || p < this.model.thresholds.spam) return p;
    const { idx, val, count } = this.features;
    const w = reply.weights;
    let z = reply.bias;
    for (let j = 0; j < count; j++) z += val[j] * w[idx[j]];
    return p * (1 - sigmoid(z));
  }

  /** Probability that `text` is a brand's reply to a customer (0 without a reply head). */
  brandReply(text: string): number {
    const reply = this.model.reply;
    if (!reply) return 0;
    this.logits(text);
    const { idx, val, count } = this.features;
    let z = reply.bias;
    for (let j = 0; j < count; j++) z += val[j] * reply.weights[idx[j]];
    return sigmoid(z);
  }

  /** The (at most two) words that pushed output `k` up the most, quoted. */
  private topWords(text: string, k: number): string {
    const { model, tokens, features } = this;
    const quantized = model.quantized;
    let first = -1;
    let second = -1;
    let firstWeight = 0.3;
    let secondWeight = 0.3;
    for (let i = 0; i < tokens.count; i++) {
      const kind = tokens.kinds[i];
      // Function words ("i", "the", "my") explain nothing to an agent.
      if ((kind !== TOKEN_WORD && kind !== TOKEN_HASHTAG) || WORD_LANGS.has(tokens.hashes[i])) continue;
      const at = features.tokenBucket[i] * OUTPUTS + k;
      // The 8-bit copy is still in the CPU cache from scoring; the float array is not.
      const weight = quantized ? quantized.levels[k * 256 + quantized.weights[at] + 128] : model.weights[at];
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
