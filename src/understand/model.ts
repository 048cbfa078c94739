import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { deflateSync, inflateSync } from "node:zlib";
import { type Lexicon, LexiconTable } from "./features";

// The trained model: one hashed weight matrix shared by the 3-class sentiment
// softmax and the seven one-vs-rest intent heads (weights of a bucket are
// adjacent, so scoring a feature touches one cache line), the sentiment lexicons, per-intent thresholds and sentiment class offsets chosen on held-out data.
// On disk the weights are square-root-quantized to 8 bits and deflated, which
// keeps the committed file small.

export const INTENTS = ["complaint", "question", "suggestion", "praise", "purchase_intent", "churn_risk", "spam"] as const;
export type Intent = (typeof INTENTS)[number];
export const SENTIMENTS = ["negative", "neutral", "positive"] as const;
export type SentimentLabel = (typeof SENTIMENTS)[number];

/** Extra signals beside the intents (TweetEval irony; offensive or hateful): used by priority, never labels. */
export const SIGNALS = ["irony", "toxic"] as const;
export type Signal = (typeof SIGNALS)[number];
export const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/**
 * P(suggestion) = P(suggestion-like) × (1 − P(buying signal)). A request to buy ("We want 40
 * seats, can you send a quote?") shares a suggestion's grammar (we want, can you) but is not an
 * idea for the product; the labelled posts never carry both. Thresholds are chosen on this product.
 */
export function suggestionProbability(suggestionLogit: number, purchaseLogit: number): number {
  return sigmoid(suggestionLogit) * (1 - sigmoid(purchaseLogit));
}

/** Output rows: sentiment classes first, then intents, then signals. */
export const OUTPUTS = 3 + INTENTS.length + SIGNALS.length;
export const SIGNAL_OFFSET = 3 + INTENTS.length;
export const MODEL_FORMAT = "parley-understanding/2";
/**
 * Which features the model was trained on: 1 = n-grams, cues and lexicon
 * sums; 2 adds the advice and request patterns; 3 adds the suggestion-only
 * patterns (features.ts SUGGEST), read by the suggestion head alone: tried,
 * not adopted (docs/understanding.md, "Feature set 3"); train it with
 * PARLEY_FEATURE_SET=3.
 * A model is always scored with the features it was trained on.
 */
export const FEATURE_SET = 2;

export type Model = {
  bits: number;
  mask: number;
  /** The feature set it was trained on (FEATURE_SET when trained now; 1 for files without one). */
  featureSet: number;
  /** weights[bucket * OUTPUTS + output] */
  weights: Float32Array;
  /**
   * The same weights as stored on disk, 8 bits each, with a per-output table
   * back to floats (levels[output * 256 + q + 128]). A quarter of the memory,
   * so scoring a post misses the CPU cache far less; set for loaded models.
   */
  quantized?: { weights: Int8Array; levels: Float32Array };
  bias: Float32Array;
  thresholds: Record<Intent, number>;
  /** A signal is on at or above its threshold (chosen on held-out data like the intents'). */
  signalThresholds: Record<Signal, number>;
  /** Added to the sentiment logits before the softmax (calibrated for macro-recall). */
  sentimentOffsets: [number, number, number];
  /**
   * The brand-reply head: a logistic model over the same hashed features (one
   * weight per bucket) of "this reads like a brand's care reply to a customer"
   * ("Sorry about the delay, DM us your order number"). Spam is never the
   * brand's own voice, so P(spam) is reported as P(spam-like) × (1 − P(reply)).
   * Absent in model files trained before it.
   */
  reply?: BrandReplyHead;
  /**
   * Weights of the suggestion-only patterns (features.ts SUGGEST; feature set 3), added to
   * the suggestion logit only. Absent in model files trained before them.
   */
  suggestionPatterns?: Float32Array;
  /** Weights of the sentiment-only patterns (features.ts SENTIMENT_PATTERN), 3 per pattern (negative, neutral, positive). */
  sentimentPatterns?: Float32Array;
  /** Base-form verbs learned from the training split for those patterns (token hashes). */
  verbs?: Uint32Array;
  /** Sentiment lexicons by name, in feature order: "learned" (from the ratings), "vader" (the VADER lexicon). */
  lexicons: Record<string, Lexicon>;
  /** The lexicons merged for one lookup per token; rebuild with `attachLexicons` after changing them. */
  table: LexiconTable;
  info: Record<string, unknown>;
};

export type BrandReplyHead = { weights: Float32Array; bias: number };

type ModelFile = {
  format: string;
  bits: number;
  feature_set?: number;
  outputs: string[];
  quantization: "sqrt-int8";
  scales: number[];
  weights: string;
  bias: number[];
  thresholds: Record<Intent, number>;
  signal_thresholds: Record<Signal, number>;
  sentiment_offsets: [number, number, number];
  reply_head?: { scale: number; weights: string; bias: number };
  suggestion_patterns?: number[];
  sentiment_patterns?: number[];
  suggestion_verbs?: string;
  lexicons: Record<string, { hashes: string; scores: string; scale: number }>;
  info: Record<string, unknown>;
};

export function newModel(bits: number, allocate = true): Model {
  const buckets = 1 << bits;
  return {
    bits,
    mask: buckets - 1,
    featureSet: FEATURE_SET,
    weights: new Float32Array(allocate ? buckets * OUTPUTS : 0),
    bias: new Float32Array(OUTPUTS),
    thresholds: Object.fromEntries(INTENTS.map((i) => [i, 0.5])) as Record<Intent, number>,
    signalThresholds: Object.fromEntries(SIGNALS.map((i) => [i, 0.5])) as Record<Signal, number>,
    sentimentOffsets: [0, 0, 0],
    lexicons: {},
    table: new LexiconTable([], FEATURE_SET),
    info: {},
  };
}

export const LEXICON_NAMES = ["learned", "vader"] as const;

export function attachLexicons(model: Model, lexicons: Record<string, Lexicon>) {
  model.lexicons = lexicons;
  model.table = new LexiconTable(
    LEXICON_NAMES.map((name) => lexicons[name] ?? new Map()),
    model.featureSet,
    model.verbs ?? [],
  );
}

function encodeLexicon(lexicon: Lexicon) {
  const entries = [...lexicon].sort((a, b) => a[0] - b[0]);
  const hashes = Uint32Array.from(entries, ([h]) => h);
  const scores = Int8Array.from(entries, ([, s]) => Math.max(-127, Math.min(127, Math.round(s * 30))));
  return {
    hashes: deflateSync(Buffer.from(hashes.buffer)).toString("base64"),
    scores: Buffer.from(scores.buffer).toString("base64"),
    scale: 30,
  };
}

function decodeLexicon(encoded: { hashes: string; scores: string; scale: number }): Lexicon {
  const hashes = new Uint32Array(new Uint8Array(inflateSync(Buffer.from(encoded.hashes, "base64"))).buffer);
  const scores = new Int8Array(new Uint8Array(Buffer.from(encoded.scores, "base64")).buffer);
  const lexicon: Lexicon = new Map();
  for (let i = 0; i < hashes.length; i++) lexicon.set(hashes[i], scores[i] / encoded.scale);
  return lexicon;
}

export function serializeModel(model: Model): string {
  const scales: number[] = [];
  for (let k = 0; k < OUTPUTS; k++) {
    let max = 0;
    for (let i = k; i < model.weights.length; i += OUTPUTS) max = Math.max(max, Math.abs(model.weights[i]));
    scales.push(max || 1);
  }
  const q = new Int8Array(model.weights.length);
  for (let i = 0; i < q.length; i++) {
    const w = model.weights[i];
    q[i] = Math.sign(w) * Math.round(127 * Math.sqrt(Math.abs(w) / scales[i % OUTPUTS]));
  }
  const reply = model.reply ? quantizeVector(model.reply.weights) : undefined;
  const file: ModelFile = {
    format: MODEL_FORMAT,
    bits: model.bits,
    feature_set: model.featureSet,
    outputs: [...SENTIMENTS, ...INTENTS, ...SIGNALS],
    quantization: "sqrt-int8",
    scales: scales.map((s) => Number(s.toPrecision(6))),
    weights: deflateSync(Buffer.from(q.buffer), { level: 9 }).toString("base64"),
    bias: Array.from(model.bias, (b) => Number(b.toFixed(5))),
    thresholds: model.thresholds,
    signal_thresholds: model.signalThresholds,
    sentiment_offsets: model.sentimentOffsets.map((o) => Number(o.toFixed(3))) as [number, number, number],
    ...(model.reply && reply
      ? {
          reply_head: {
            scale: Number(reply.scale.toPrecision(6)),
            weights: deflateSync(Buffer.from(reply.q.buffer), { level: 9 }).toString("base64"),
            bias: Number(model.reply.bias.toFixed(5)),
          },
        }
      : {}),
    ...(model.suggestionPatterns ? { suggestion_patterns: Array.from(model.suggestionPatterns, (w) => Number(w.toFixed(5))) } : {}),
    ...(model.sentimentPatterns ? { sentiment_patterns: Array.from(model.sentimentPatterns, (w) => Number(w.toFixed(5))) } : {}),
    ...(model.verbs
      ? { suggestion_verbs: deflateSync(Buffer.from(Uint32Array.from([...model.verbs].sort((a, b) => a - b)).buffer)).toString("base64") }
      : {}),
    lexicons: Object.fromEntries(Object.entries(model.lexicons).map(([name, lex]) => [name, encodeLexicon(lex)])),
    info: model.info,
  };
  // A fingerprint of what the model computes, so stored analyses can name the model that made them.
  const { weights_sha1: _old, ...info } = model.info;
  const fingerprint = createHash("sha1")
    .update(Buffer.from(q.buffer))
    .update(JSON.stringify([file.bias, file.thresholds, file.signal_thresholds, file.sentiment_offsets, file.lexicons]));
  if (file.reply_head) fingerprint.update(JSON.stringify(file.reply_head));
  if (file.sentiment_patterns) fingerprint.update(JSON.stringify(file.sentiment_patterns));
  if (file.suggestion_patterns) fingerprint.update(JSON.stringify([file.suggestion_patterns, file.suggestion_verbs]));
  file.info = { ...info, weights_sha1: fingerprint.digest("hex") };
  return `${JSON.stringify(file, null, 1)}\n`;
}

/** Square-root quantization of one weight vector to 8 bits (as the matrix is stored). */
function quantizeVector(weights: Float32Array): { q: Int8Array; scale: number } {
  let scale = 0;
  for (const w of weights) scale = Math.max(scale, Math.abs(w));
  scale ||= 1;
  const q = new Int8Array(weights.length);
  for (let i = 0; i < q.length; i++) q[i] = Math.sign(weights[i]) * Math.round(127 * Math.sqrt(Math.abs(weights[i]) / scale));
  return { q, scale };
}

export function parseModel(json: string): Model {
  const file = JSON.parse(json) as ModelFile;
  if (file.format !== MODEL_FORMAT) throw new Error(`unknown model format ${String(file.format)}`);
  const model = newModel(file.bits, false);
  model.featureSet = file.feature_set ?? 1;
  const q = new Int8Array(new Uint8Array(inflateSync(Buffer.from(file.weights, "base64"))).buffer);
  if (q.length !== (1 << file.bits) * OUTPUTS) throw new Error("model weights have the wrong size");
  const levels = new Float32Array(OUTPUTS * 256);
  for (let k = 0; k < OUTPUTS; k++) {
    for (let level = -128; level < 128; level++) {
      const v = level / 127;
      levels[k * 256 + level + 128] = Math.sign(v) * v * v * file.scales[k];
    }
  }
  // Scoring reads the 8-bit weights; the float copy (12 MB) is built only if something asks for it
  // (re-serializing, training code), which keeps a cold `parley classify` quick.
  let floats: Float32Array | undefined;
  Object.defineProperty(model, "weights", {
    enumerable: true,
    configurable: true,
    get: () => {
      if (!floats) {
        floats = new Float32Array(q.length);
        for (let i = 0; i < q.length; i++) floats[i] = levels[(i % OUTPUTS) * 256 + q[i] + 128];
      }
      return floats;
    },
    set: (w: Float32Array) => {
      floats = w;
    },
  });
  model.quantized = { weights: q, levels };
  model.bias.set(file.bias);
  model.thresholds = file.thresholds;
  model.signalThresholds = file.signal_thresholds;
  model.sentimentOffsets = file.sentiment_offsets;
  if (file.reply_head) {
    const { scale, weights, bias } = file.reply_head;
    const rq = new Int8Array(new Uint8Array(inflateSync(Buffer.from(weights, "base64"))).buffer);
    if (rq.length !== 1 << file.bits) throw new Error("model reply head has the wrong size");
    const w = new Float32Array(rq.length);
    for (let i = 0; i < rq.length; i++) {
      const v = rq[i] / 127;
      w[i] = Math.sign(v) * v * v * scale;
    }
    model.reply = { weights: w, bias };
  }
  if (file.sentiment_patterns) model.sentimentPatterns = Float32Array.from(file.sentiment_patterns);
  if (file.suggestion_patterns) model.suggestionPatterns = Float32Array.from(file.suggestion_patterns);
  if (file.suggestion_verbs)
    model.verbs = new Uint32Array(new Uint8Array(inflateSync(Buffer.from(file.suggestion_verbs, "base64"))).buffer);
  attachLexicons(model, Object.fromEntries(Object.entries(file.lexicons).map(([name, encoded]) => [name, decodeLexicon(encoded)])));
  model.info = file.info;
  return model;
}

export const DEFAULT_MODEL_PATH = resolve(import.meta.dirname, "../../data/models/understanding.json");

let cached: Model | undefined;

/** The committed model (data/models/understanding.json), loaded once. */
export function loadDefaultModel(): Model {
  cached ??= parseModel(readFileSync(process.env.PARLEY_UNDERSTANDING_MODEL ?? DEFAULT_MODEL_PATH, "utf8"));
  return cached;
}
