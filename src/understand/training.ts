import type { Example } from "./datasets";
import {
  FeatureBuffer,
  featurize,
  type Lexicon,
  type LexiconTable,
  pooledBuckets,
  SENTIMENT_PATTERNS,
  SUGGEST_FEATURE_SET,
  SUGGEST_PATTERNS,
} from "./features";
import { WORD_LANGS } from "./language";
import {
  attachLexicons,
  INTENTS,
  type Intent,
  type Model,
  newModel,
  OUTPUTS,
  SIGNAL_OFFSET,
  SIGNALS,
  suggestionProbability,
} from "./model";
import { FLAG_NEGATED, hashString, scan, TOKEN_HASHTAG, TOKEN_WORD, TokenBuffer } from "./tokenizer";

// Training: a sentiment lexicon from rated texts, then AdaGrad logistic
// regression on hashed features (softmax for sentiment, one-vs-rest for
// intents, each head trained only on the examples whose source labels it),
// then thresholds and sentiment offsets chosen on the calibration split.
// Everything is seeded, so the same data gives the same model.

export type TrainOptions = {
  bits?: number;
  epochs?: number;
  seed?: number;
  /** Train the sentiment-only patterns (features.ts SENTIMENT_PATTERN; also $PARLEY_SENT_PATTERNS=1). */
  sentimentPatterns?: boolean;
  /** Feature set to train (FEATURE_SET in model.ts unless given; also $PARLEY_FEATURE_SET). */
  featureSet?: number;
  /** Lexicons from elsewhere (by name, see LEXICON_NAMES), e.g. the VADER lexicon. */
  lexicons?: Record<string, Lexicon>;
  /** Examples for the irony / toxic signal heads (loadSignalSets), trained after and apart from the rest. */
  signalExamples?: Example[];
  /** Extra brand replies (loadBrandReplies) for the brand-reply head, besides the care threads' agent turns. */
  replyExamples?: Example[];
  onProgress?: (stage: string, done: number, total: number) => void;
};

/** Deterministic PRNG (mulberry32): seeded, so training and the benches' synthetic data are the same every run. */
export function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j], items[i]];
  }
  return items;
}

/** Word → centred, shrunk mean rating of the rated texts it appears in (outside negation). */
export function buildLexicon(examples: Example[], minCount = 4, shrink = 4): Lexicon {
  const rated = examples.filter((e) => e.rating !== undefined);
  const mean = rated.reduce((s, e) => s + (e.rating ?? 0), 0) / Math.max(1, rated.length);
  const sums = new Map<number, { sum: number; count: number }>();
  const buf = new TokenBuffer();
  for (const e of rated) {
    scan(e.text, buf);
    const seen = new Set<number>();
    for (let i = 0; i < buf.count; i++) {
      const kind = buf.kinds[i];
      if ((kind !== TOKEN_WORD && kind !== TOKEN_HASHTAG) || buf.flags[i] & FLAG_NEGATED) continue;
      const h = buf.hashes[i];
      if (seen.has(h)) continue;
      seen.add(h);
      const entry = sums.get(h) ?? { sum: 0, count: 0 };
      entry.sum += (e.rating ?? 0) - mean;
      entry.count++;
      sums.set(h, entry);
    }
  }
  const lexicon: Lexicon = new Map();
  for (const [h, { sum, count }] of sums) {
    if (count < minCount) continue;
    const score = sum / (count + shrink);
    if (Math.abs(score) >= 0.4) lexicon.set(h, Math.max(-4, Math.min(4, score)));
  }
  return lexicon;
}

// Words after which the next word is a verb in its base form: "to", modals, "don't", "let's", "please".
const BEFORE_BASE_VERB = new Set(
  "to should could would can will must might may don't dont doesn't didn't won't can't cannot shouldn't wouldn't couldn't let's please pls 'll"
    .split(" ")
    .map(hashString),
);

/**
 * Base-form verbs learned from the training split for the suggestion-only
 * imperative patterns: words that follow "to", a modal, "don't", "let's" or
 * "please" in at least `minCount` texts and in at least `minShare` of the texts
 * they occur in (so "go", "stick" and "bother" pass and "school" does not).
 * Stopwords never count. Data-derived, so it is not one source's list.
 */
export function deriveBaseVerbs(examples: Example[], minCount = 8, minShare = 0.25): Uint32Array {
  const after = new Map<number, number>();
  const total = new Map<number, number>();
  const buf = new TokenBuffer();
  for (const e of examples) {
    scan(e.text, buf);
    const seenAfter = new Set<number>();
    const seen = new Set<number>();
    for (let i = 0; i < buf.count; i++) {
      if (buf.kinds[i] !== TOKEN_WORD) continue;
      const h = buf.hashes[i];
      if (WORD_LANGS.has(h)) continue;
      seen.add(h);
      if (i > 0 && buf.kinds[i - 1] === TOKEN_WORD && BEFORE_BASE_VERB.has(buf.hashes[i - 1])) seenAfter.add(h);
    }
    for (const h of seen) total.set(h, (total.get(h) ?? 0) + 1);
    for (const h of seenAfter) after.set(h, (after.get(h) ?? 0) + 1);
  }
  const verbs: number[] = [];
  for (const [h, count] of after) if (count >= minCount && count / (total.get(h) ?? count) >= minShare) verbs.push(h);
  return Uint32Array.from(verbs.sort((a, b) => a - b));
}

/** Features of many examples in compressed-row form (and the suggestion-only patterns, SUGGEST_PATTERNS a row, for feature set 3). */
export type FeatureMatrix = { rowStart: Uint32Array; idx: Int32Array; val: Float32Array; suggest?: Float32Array; sentiment: Float32Array };

export function featurizeAll(texts: string[], lexicons: LexiconTable, mask: number): FeatureMatrix {
  const tokens = new TokenBuffer();
  const features = new FeatureBuffer();
  const rowStart = new Uint32Array(texts.length + 1);
  const idx: number[] = [];
  const val: number[] = [];
  const suggest = lexicons.featureSet >= SUGGEST_FEATURE_SET ? new Float32Array(texts.length * SUGGEST_PATTERNS) : undefined;
  const sentiment = new Float32Array(texts.length * SENTIMENT_PATTERNS);
  texts.forEach((text, r) => {
    scan(text, tokens);
    featurize(tokens, lexicons, mask, features);
    for (let j = 0; j < features.count; j++) {
      idx.push(features.idx[j]);
      val.push(features.val[j]);
    }
    rowStart[r + 1] = idx.length;
    suggest?.set(features.suggest, r * SUGGEST_PATTERNS);
    sentiment.set(features.sentiment, r * SENTIMENT_PATTERNS);
  });
  return { rowStart, idx: Int32Array.from(idx), val: Float32Array.from(val), suggest, sentiment };
}

export function rowLogits(model: Model, m: FeatureMatrix, r: number, out: Float64Array): Float64Array {
  for (let k = 0; k < OUTPUTS; k++) out[k] = model.bias[k];
  for (let j = m.rowStart[r]; j < m.rowStart[r + 1]; j++) {
    const base = m.idx[j] * OUTPUTS;
    const v = m.val[j];
    for (let k = 0; k < OUTPUTS; k++) out[k] += v * model.weights[base + k];
  }
  const sentiment = model.sentimentPatterns;
  if (sentiment)
    for (let p = 0; p < SENTIMENT_PATTERNS; p++) {
      const v = m.sentiment[r * SENTIMENT_PATTERNS + p];
      if (v !== 0) for (let k = 0; k < 3; k++) out[k] += v * sentiment[3 * p + k];
    }
  const patterns = model.suggestionPatterns;
  if (patterns && m.suggest)
    for (let p = 0; p < SUGGEST_PATTERNS; p++) out[3 + SUGGESTION] += m.suggest[r * SUGGEST_PATTERNS + p] * patterns[p];
  return out;
}

/**
 * Domains for feature augmentation (Daumé's "frustratingly easy" adaptation):
 * every weight has a shared part and a per-domain part during training, and
 * the saved model is shared + social, because Parley reads social posts.
 * Movie reviews and editorials still teach the shared part without bending
 * the model away from how people write on social networks.
 */
const DOMAINS = ["social", "review", "editorial"] as const;
export function domainOf(source: string): number {
  if (source === "vader-amazon" || source === "vader-movies") return 1;
  if (source === "vader-nyt") return 2;
  // Tweets, the dev posts, care threads and customer-service messages are what Parley reads.
  return 0;
}

/** Fits fresh weights for `model` (whose lexicons are set) on `train`. */
function fitWeights(model: Model, train: Example[], options: TrainOptions, stage: string) {
  model.weights.fill(0);
  model.bias.fill(0);
  const epochs = options.epochs ?? 8;
  const random = mulberry32(options.seed ?? 4);
  const progress = options.onProgress ?? (() => {});

  const m = featurizeAll(
    train.map((e) => e.text),
    model.table,
    model.mask,
  );

  // Class weights: balance sentiment classes (dampened) and each intent's positives.
  const sentimentCounts = [0, 0, 0];
  for (const e of train) if (e.sentiment !== undefined) sentimentCounts[e.sentiment] += e.weight;
  const sentimentTotal = sentimentCounts.reduce((a, b) => a + b, 0);
  const classWeight = sentimentCounts.map((c) => Math.min(4, Math.sqrt(sentimentTotal / (3 * Math.max(c, 1)))));
  const positiveWeight = INTENTS.map((_, k) => {
    let pos = 0;
    let neg = 0;
    for (const e of train) {
      if (e.intents[k] === 1) pos += e.weight;
      else if (e.intents[k] === 0) neg += e.weight;
    }
    return Math.min(4, Math.max(1, Math.sqrt(neg / Math.max(pos, 1))));
  });

  const g2 = new Float32Array(model.weights.length).fill(1e-6);
  const domainWeights = DOMAINS.map(() => new Float32Array(model.weights.length));
  const domainG2 = DOMAINS.map(() => new Float32Array(model.weights.length).fill(1e-6));
  const bias2 = new Float64Array(OUTPUTS).fill(1e-6);
  const rate = 0.15;
  // Intents learn from a few hundred dev posts next to thousands of templated
  // requests: without a strong penalty they memorize each post's words.
  // Complaints, questions, praise and suggestions (8,500 forum sentences) have
  // thousands of public examples and need less of it than buying signals,
  // churn and spam.
  const l2ByOutput = [2e-5, 2e-5, 2e-5, 1e-3, 1e-3, 2e-4, 1e-3, 5e-3, 5e-3, 5e-3, 0, 0];
  const logits = new Float64Array(OUTPUTS);
  const grad = new Float64Array(OUTPUTS);
  const order = train.map((_, i) => i);
  // The suggestion-only patterns (feature set 3): a dense weight vector of the suggestion output
  // alone, so every other output's logits and gradients are exactly as without them.
  const patternsOn = process.env.PARLEY_SUGG_NGRAM_PATTERNS !== "0";
  const suggest = patternsOn ? m.suggest : undefined;
  const patterns = new Float32Array(SUGGEST_PATTERNS);
  const patternG2 = new Float32Array(SUGGEST_PATTERNS).fill(1e-6);
  model.suggestionPatterns = suggest ? patterns : undefined;
  const so = 3 + SUGGESTION;
  // The sentiment-only patterns: weights of the three sentiment outputs alone (issue 11's wish / hope /
  // contrast errors), so every intent and signal output is exactly as without them.
  const sentimentOn = options.sentimentPatterns ?? process.env.PARLEY_SENT_PATTERNS === "1";
  const sentimentWeights = new Float32Array(3 * SENTIMENT_PATTERNS);
  const sentimentG2 = new Float32Array(3 * SENTIMENT_PATTERNS).fill(1e-6);
  model.sentimentPatterns = sentimentOn ? sentimentWeights : undefined;
  // $PARLEY_SENT_PATTERN_ONLY="0,1,2" trains only those patterns (for comparing them on the calibration splits).
  const only = process.env.PARLEY_SENT_PATTERN_ONLY?.split(",").map(Number);
  const sentimentUsed = Array.from({ length: SENTIMENT_PATTERNS }, (_, p) => !only || only.includes(p));

  for (let epoch = 0; epoch < epochs; epoch++) {
    shuffle(order, random);
    for (let step = 0; step < order.length; step++) {
      const r = order[step];
      const e = train[r];
      const d = domainOf(e.source);
      const dw = domainWeights[d];
      const dg2 = domainG2[d];
      rowLogits(model, m, r, logits);
      for (let j = m.rowStart[r]; j < m.rowStart[r + 1]; j++) {
        const base = m.idx[j] * OUTPUTS;
        for (let k = 0; k < OUTPUTS; k++) logits[k] += m.val[j] * dw[base + k];
      }
      if (suggest) for (let p = 0; p < SUGGEST_PATTERNS; p++) logits[so] += suggest[r * SUGGEST_PATTERNS + p] * patterns[p];
      if (sentimentOn)
        for (let p = 0; p < SENTIMENT_PATTERNS; p++) {
          const v = m.sentiment[r * SENTIMENT_PATTERNS + p];
          if (v !== 0) for (let k = 0; k < 3; k++) logits[k] += v * sentimentWeights[3 * p + k];
        }
      grad.fill(0);
      let any = false;
      if (e.sentiment !== undefined) {
        const mx = Math.max(logits[0], logits[1], logits[2]);
        const ex = [Math.exp(logits[0] - mx), Math.exp(logits[1] - mx), Math.exp(logits[2] - mx)];
        const z = ex[0] + ex[1] + ex[2];
        const w = e.weight * classWeight[e.sentiment];
        for (let k = 0; k < 3; k++) grad[k] = w * (ex[k] / z - (k === e.sentiment ? 1 : 0));
        any = true;
      }
      for (let k = 0; k < INTENTS.length; k++) {
        const y = e.intents[k];
        if (y === undefined) continue;
        const p = 1 / (1 + Math.exp(-logits[3 + k]));
        grad[3 + k] = e.weight * (y === 1 ? positiveWeight[k] : 1) * (p - y);
        any = true;
      }
      if (!any) continue;
      for (let k = 0; k < OUTPUTS; k++) {
        if (grad[k] === 0) continue;
        bias2[k] += grad[k] * grad[k];
        model.bias[k] -= (rate * grad[k]) / Math.sqrt(bias2[k]);
      }
      for (let j = m.rowStart[r]; j < m.rowStart[r + 1]; j++) {
        const base = m.idx[j] * OUTPUTS;
        const v = m.val[j];
        for (let k = 0; k < OUTPUTS; k++) {
          const gk = grad[k];
          if (gk === 0) continue;
          const i = base + k;
          const l2 = l2ByOutput[k];
          const g = gk * v + l2 * model.weights[i];
          g2[i] += g * g;
          model.weights[i] -= (rate * g) / Math.sqrt(g2[i]);
          const gd = gk * v + l2 * dw[i];
          dg2[i] += gd * gd;
          dw[i] -= (rate * gd) / Math.sqrt(dg2[i]);
        }
      }
      if (sentimentOn && e.sentiment !== undefined)
        for (let p = 0; p < SENTIMENT_PATTERNS; p++) {
          const v = m.sentiment[r * SENTIMENT_PATTERNS + p];
          if (v === 0 || !sentimentUsed[p]) continue;
          for (let k = 0; k < 3; k++) {
            const i = 3 * p + k;
            const g = grad[k] * v + l2ByOutput[k] * sentimentWeights[i];
            sentimentG2[i] += g * g;
            sentimentWeights[i] -= (rate * g) / Math.sqrt(sentimentG2[i]);
          }
        }
      if (suggest && grad[so] !== 0)
        for (let p = 0; p < SUGGEST_PATTERNS; p++) {
          const v = suggest[r * SUGGEST_PATTERNS + p];
          if (v === 0) continue;
          const g = grad[so] * v + l2ByOutput[so] * patterns[p];
          patternG2[p] += g * g;
          patterns[p] -= (rate * g) / Math.sqrt(patternG2[p]);
        }
      if (step % 4000 === 0) progress(stage, epoch * order.length + step, epochs * order.length);
    }
  }
  progress(stage, epochs * order.length, epochs * order.length);

  const social = domainWeights[0];
  for (let i = 0; i < model.weights.length; i++) model.weights[i] += social[i];
}

/**
 * Trains on the "train" split of every source, picks intent thresholds and
 * sentiment offsets on the "calib" split (predictions of a model that did not
 * see it), then refits on train + calib for the saved model. The "test" split
 * of each source is held out for `npm run eval` and never touched here.
 */
export function trainModel(examples: Example[], options: TrainOptions = {}): Model {
  const model = newModel(options.bits ?? 18);
  const progress = options.onProgress ?? (() => {});
  const train = examples.filter((e) => e.split === "train");
  const calib = examples.filter((e) => e.split === "calib");

  progress("lexicon", 0, 1);
  if (options.featureSet ?? process.env.PARLEY_FEATURE_SET) model.featureSet = Number(options.featureSet ?? process.env.PARLEY_FEATURE_SET);
  if (model.featureSet >= SUGGEST_FEATURE_SET && process.env.PARLEY_SUGG_DERIVED !== "0") model.verbs = deriveBaseVerbs(train);
  attachLexicons(model, { learned: buildLexicon(train), ...(options.lexicons ?? {}) });
  progress("lexicon", 1, 1);

  fitWeights(model, train, options, "calibration model");
  const m = featurizeAll(
    calib.map((e) => e.text),
    model.table,
    model.mask,
  );
  const calibLogits = calib.map((_, r) => Float64Array.from(rowLogits(model, m, r, new Float64Array(OUTPUTS))));
  // The suggestion head, second opinion: the pooled features alone (see fitPooledHead),
  // trained on the training split and scored on the calibration split like the rest.
  const pooledCalib = fitPooledHead(model, train, SUGGESTION, options);
  const pooledCalibLogits = calib.map((_, r) => pooledLogit(pooledCalib, m, r));
  // The suggestion-only patterns' share of the pooled logit, so the stack can weigh them apart.
  const patternCalibLogits = calib.map((_, r) => patternLogit(pooledCalib, m, r));
  fitWeights(model, [...train, ...calib], options, "final model");
  const stack = chooseSuggestionStack(calib, calibLogits, pooledCalibLogits, patternCalibLogits);
  const pooledFinal = fitPooledHead(model, [...train, ...calib], SUGGESTION, options);
  foldPooledHead(model, pooledFinal, stack);
  for (const [r, l] of calibLogits.entries())
    l[3 + SUGGESTION] =
      stack.ngram * l[3 + SUGGESTION] + stack.pooled * (pooledCalibLogits[r] + (stack.patterns - 1) * patternCalibLogits[r]);
  calibrate(model, calib, calibLogits);
  // Feature set 2 models record the pair only, as before the patterns existed.
  model.info.suggestion_stack = model.featureSet >= SUGGEST_FEATURE_SET ? stack : { ngram: stack.ngram, pooled: stack.pooled };
  if (options.signalExamples?.length) {
    const posts = [...train, ...calib].filter((e) => (e.source === "dev" || e.source === "care-threads") && e.author !== "brand");
    fitSignals(model, options.signalExamples, options, posts);
  }
  fitReplyHead(model, [...train, ...calib], options);
  const suggestionStack = model.info.suggestion_stack;
  model.info = {
    suggestion_stack: suggestionStack,
    trained_at: new Date().toISOString().slice(0, 10),
    seed: options.seed ?? 4,
    epochs: options.epochs ?? 8,
    train_examples: train.length + calib.length,
    calibration_examples: calib.length,
    lexicon_words: Object.fromEntries(Object.entries(model.lexicons).map(([name, lex]) => [name, lex.size])),
  };
  return model;
}

/**
 * The signal heads (irony, toxic): one-vs-rest logistic regression on the
 * same features, trained on the TweetEval signal sets' training split only
 * and written into the signal outputs alone, so the sentiment and intent
 * weights are exactly those of a model trained without them. Thresholds: best
 * F1 on the calibration split among the cuts that flag few brand posts.
 */
// Irony and abuse are rare in posts to a brand; the tweet sets are half ironic /
// a third offensive. The cut may flag at most this share of the dev and
// care-thread posts (not their held-out parts).
const MAX_SIGNAL_RATE: Record<string, number> = { irony: 0.1, toxic: 0.05 };

function fitSignals(model: Model, examples: Example[], options: TrainOptions, posts: Example[]) {
  const progress = options.onProgress ?? (() => {});
  const train = examples.filter((e) => e.split === "train" && e.signals);
  const calib = examples.filter((e) => e.split === "calib" && e.signals);
  const random = mulberry32((options.seed ?? 4) + 1);
  const m = featurizeAll(
    train.map((e) => e.text),
    model.table,
    model.mask,
  );
  const positiveWeight = SIGNALS.map((_, k) => {
    let pos = 0;
    let neg = 0;
    for (const e of train) {
      if (e.signals?.[k] === 1) pos++;
      else if (e.signals?.[k] === 0) neg++;
    }
    return Math.min(4, Math.max(1, Math.sqrt(neg / Math.max(pos, 1))));
  });
  const g2 = new Float32Array(model.weights.length).fill(1e-6);
  const bias2 = new Float64Array(SIGNALS.length).fill(1e-6);
  const rate = 0.15;
  const l2 = 1e-4;
  const epochs = 6;
  const order = train.map((_, i) => i);
  for (let k = 0; k < SIGNALS.length; k++) {
    model.bias[SIGNAL_OFFSET + k] = 0;
    for (let b = SIGNAL_OFFSET + k; b < model.weights.length; b += OUTPUTS) model.weights[b] = 0;
  }
  for (let epoch = 0; epoch < epochs; epoch++) {
    shuffle(order, random);
    for (let step = 0; step < order.length; step++) {
      const r = order[step];
      const labels = train[r].signals ?? [];
      for (let k = 0; k < SIGNALS.length; k++) {
        const y = labels[k];
        if (y === undefined) continue;
        const o = SIGNAL_OFFSET + k;
        let z = model.bias[o];
        for (let j = m.rowStart[r]; j < m.rowStart[r + 1]; j++) z += m.val[j] * model.weights[m.idx[j] * OUTPUTS + o];
        const grad = (y === 1 ? positiveWeight[k] : 1) * (1 / (1 + Math.exp(-z)) - y);
        bias2[k] += grad * grad;
        model.bias[o] -= (rate * grad) / Math.sqrt(bias2[k]);
        for (let j = m.rowStart[r]; j < m.rowStart[r + 1]; j++) {
          const i = m.idx[j] * OUTPUTS + o;
          const g = grad * m.val[j] + l2 * model.weights[i];
          g2[i] += g * g;
          model.weights[i] -= (rate * g) / Math.sqrt(g2[i]);
        }
      }
      if (step % 4000 === 0) progress("signals", epoch * order.length + step, epochs * order.length);
    }
  }
  progress("signals", epochs * order.length, epochs * order.length);
  const c = featurizeAll(
    calib.map((e) => e.text),
    model.table,
    model.mask,
  );
  const p = featurizeAll(
    posts.map((e) => e.text),
    model.table,
    model.mask,
  );
  SIGNALS.forEach((signal, k) => {
    const logits = calib.map((_, r) => rowLogits(model, c, r, new Float64Array(OUTPUTS))[SIGNAL_OFFSET + k]);
    const postLogits = posts.map((_, r) => rowLogits(model, p, r, new Float64Array(OUTPUTS))[SIGNAL_OFFSET + k]);
    let best = { f1: -1, t: 0.95 };
    for (let t = 0.2; t <= 0.9501; t += 0.025) {
      const flagged = postLogits.filter((z) => 1 / (1 + Math.exp(-z)) >= t).length;
      if (flagged > MAX_SIGNAL_RATE[signal] * posts.length) continue;
      let tp = 0;
      let fp = 0;
      let fn = 0;
      calib.forEach((e, r) => {
        const y = e.signals?.[k];
        if (y === undefined) return;
        const p = 1 / (1 + Math.exp(-logits[r])) >= t;
        if (p && y === 1) tp++;
        else if (p) fp++;
        else if (y === 1) fn++;
      });
      const f1 = tp ? (2 * tp) / (2 * tp + fp + fn) : 0;
      if (f1 > best.f1 + 1e-9) best = { f1, t };
    }
    model.signalThresholds[signal] = Number(best.t.toFixed(3));
  });
}

/**
 * The brand-reply head (model.reply): does the text read like a brand's care
 * account answering a customer? Positives are the care threads' agent turns,
 * negatives everything customers and the public wrote (the care threads'
 * customer turns, tweets, forum sentences, customer-service requests, the dev
 * posts with their spam). Trained apart on its own weight vector, so the other
 * heads are untouched; the care threads' held-out brands stay out. Both sides of
 * the care threads are also seen without their leading @mentions, so the
 * mention is not what tells them apart.
 */
export function fitReplyHead(model: Model, examples: Example[], options: TrainOptions & { replyL2?: number; replyCap?: number } = {}) {
  const progress = options.onProgress ?? (() => {});
  // Negatives weigh what their source weighs everywhere else (the hand-labelled dev posts, with
  // their phishing and support impersonators, most); every reply weighs 1.
  const items: Array<{ text: string; y: 0 | 1; weight: number }> = [];
  for (const e of examples) {
    if (e.source === "corrections") continue;
    const y = e.source === "care-threads" && e.author === "brand" ? 1 : 0;
    const weight = y === 1 ? 1 : e.weight;
    items.push({ text: e.text, y, weight });
    if (e.source === "care-threads") {
      const bare = e.text.replace(/^(\s*@\w+)+\s*/, "");
      if (bare && bare !== e.text) items.push({ text: bare, y, weight });
    }
  }
  // Written replies come without a mention; each is also seen opening with one, as on a network.
  for (const e of options.replyExamples ?? [])
    items.push({ text: e.text, y: 1, weight: 1 }, { text: `@customer ${e.text}`, y: 1, weight: 1 });
  const m = featurizeAll(
    items.map((e) => e.text),
    model.table,
    model.mask,
  );
  const positives = items.filter((e) => e.y === 1).length;
  const positiveWeight = Math.min(options.replyCap ?? 4, Math.max(1, Math.sqrt((items.length - positives) / Math.max(positives, 1))));
  const weights = new Float32Array(1 << model.bits);
  const g2 = new Float32Array(weights.length).fill(1e-6);
  let bias = 0;
  let bias2 = 1e-6;
  const rate = 0.15;
  const l2 = options.replyL2 ?? 1e-4;
  const epochs = 6;
  const random = mulberry32((options.seed ?? 4) + 2);
  const order = items.map((_, i) => i);
  for (let epoch = 0; epoch < epochs; epoch++) {
    shuffle(order, random);
    for (let step = 0; step < order.length; step++) {
      const r = order[step];
      const y = items[r].y;
      let z = bias;
      for (let j = m.rowStart[r]; j < m.rowStart[r + 1]; j++) z += m.val[j] * weights[m.idx[j]];
      const grad = items[r].weight * (y === 1 ? positiveWeight : 1) * (1 / (1 + Math.exp(-z)) - y);
      bias2 += grad * grad;
      bias -= (rate * grad) / Math.sqrt(bias2);
      for (let j = m.rowStart[r]; j < m.rowStart[r + 1]; j++) {
        const i = m.idx[j];
        const g = grad * m.val[j] + l2 * weights[i];
        g2[i] += g * g;
        weights[i] -= (rate * g) / Math.sqrt(g2[i]);
      }
      if (step % 4000 === 0) progress("brand replies", epoch * order.length + step, epochs * order.length);
    }
  }
  progress("brand replies", epochs * order.length, epochs * order.length);
  model.reply = { weights, bias };
}

const SUGGESTION = INTENTS.indexOf("suggestion");
const PURCHASE = INTENTS.indexOf("purchase_intent");

/**
 * A one-vs-rest head over the pooled features only: weights by bucket (0 outside the pooled
 * buckets), bias, and the weights of the suggestion-only patterns (feature set 3).
 */
type PooledHead = { weights: Float32Array; bias: number; patterns: Float32Array };

/**
 * Logistic regression for intent k on the pooled features alone (advice and
 * request patterns, intent cues, lexicon sums, the post's shape; no words).
 * Words say which forum or shop a sentence comes from; the pooled features say
 * how it is phrased, which is what carries to sources never trained on
 * (suggestion F1 on review sentences: issue 11).
 */
function fitPooledHead(model: Model, examples: Example[], k: number, options: TrainOptions): PooledHead {
  const items = examples.filter((e) => e.intents[k] !== undefined);
  const m = featurizeAll(
    items.map((e) => e.text),
    model.table,
    model.mask,
  );
  const pooled = new Uint8Array(1 << model.bits);
  for (const b of pooledBuckets(model.mask)) pooled[b] = 1;
  let pos = 0;
  let neg = 0;
  for (const e of items)
    if (e.intents[k] === 1) pos += e.weight;
    else neg += e.weight;
  const positiveWeight = Math.min(4, Math.max(1, Math.sqrt(neg / Math.max(pos, 1))));
  const weights = new Float32Array(1 << model.bits);
  const g2 = new Float32Array(weights.length).fill(1e-6);
  const patterns = new Float32Array(SUGGEST_PATTERNS);
  const patternG2 = new Float32Array(SUGGEST_PATTERNS).fill(1e-6);
  // The suggestion-only patterns belong to the suggestion head (they never reach the shared matrix).
  const suggest = k === SUGGESTION ? m.suggest : undefined;
  let bias = 0;
  let bias2 = 1e-6;
  const rate = 0.1;
  const l2 = 1e-4;
  const random = mulberry32((options.seed ?? 4) + 3);
  const order = items.map((_, i) => i);
  for (let epoch = 0; epoch < 6; epoch++) {
    shuffle(order, random);
    for (const r of order) {
      const y = items[r].intents[k] ?? 0;
      let z = bias;
      for (let j = m.rowStart[r]; j < m.rowStart[r + 1]; j++) if (pooled[m.idx[j]]) z += m.val[j] * weights[m.idx[j]];
      if (suggest) for (let p = 0; p < SUGGEST_PATTERNS; p++) z += suggest[r * SUGGEST_PATTERNS + p] * patterns[p];
      const grad = items[r].weight * (y === 1 ? positiveWeight : 1) * (1 / (1 + Math.exp(-z)) - y);
      bias2 += grad * grad;
      bias -= (rate * grad) / Math.sqrt(bias2);
      for (let j = m.rowStart[r]; j < m.rowStart[r + 1]; j++) {
        const i = m.idx[j];
        if (!pooled[i]) continue;
        const g = grad * m.val[j] + l2 * weights[i];
        g2[i] += g * g;
        weights[i] -= (rate * g) / Math.sqrt(g2[i]);
      }
      if (suggest)
        for (let p = 0; p < SUGGEST_PATTERNS; p++) {
          const v = suggest[r * SUGGEST_PATTERNS + p];
          if (v === 0) continue;
          const g = grad * v + l2 * patterns[p];
          patternG2[p] += g * g;
          patterns[p] -= (rate * g) / Math.sqrt(patternG2[p]);
        }
    }
  }
  return { weights, bias, patterns };
}

function patternLogit(head: PooledHead, m: FeatureMatrix, r: number): number {
  let z = 0;
  if (m.suggest) for (let p = 0; p < SUGGEST_PATTERNS; p++) z += m.suggest[r * SUGGEST_PATTERNS + p] * head.patterns[p];
  return z;
}

function pooledLogit(head: PooledHead, m: FeatureMatrix, r: number): number {
  let z = head.bias;
  for (let j = m.rowStart[r]; j < m.rowStart[r + 1]; j++) z += m.val[j] * head.weights[m.idx[j]];
  if (m.suggest) for (let p = 0; p < SUGGEST_PATTERNS; p++) z += m.suggest[r * SUGGEST_PATTERNS + p] * head.patterns[p];
  return z;
}

/**
 * How much of the suggestion score comes from the word model and how much from
 * the pooled head: the pair with the best mean F1 over the calibration split of
 * each source with suggestions (forum sentences, dev posts, review sentences),
 * both models trained without that split. Both are linear, so the mix folds
 * into the one weight vector the model already has (foldPooledHead).
 */
function chooseSuggestionStack(calib: Example[], logits: Float64Array[], pooled: number[], patterns: number[]) {
  const forced = process.env.PARLEY_SUGG_STACK?.split(",").map(Number);
  const candidates: Array<[number, number, number]> = forced ? [[forced[0], forced[1], forced[2] ?? 1]] : [];
  // The third number scales the suggestion-only patterns inside the pooled head (1 = as trained).
  const gains = patterns.some((z) => z !== 0) ? [1, 1.5, 2, 3] : [1];
  if (!forced)
    for (const ngram of [1, 0.75, 0.5, 0.25]) for (const p of [0, 0.5, 1, 1.5, 2]) for (const g of gains) candidates.push([ngram, p, g]);
  let best = { ngram: 1, pooled: 0, patterns: 1, f1: -1 };
  for (const [ngram, p, g] of candidates) {
    const mixed = logits.map((l, r) => {
      const copy = Float64Array.from(l);
      copy[3 + SUGGESTION] = ngram * l[3 + SUGGESTION] + p * (pooled[r] + (g - 1) * patterns[r]);
      return copy;
    });
    const { f1, each, sources } = bestThreshold(calib, mixed, SUGGESTION);
    if (process.env.PARLEY_CALIB_REPORT)
      console.log(`stack ${ngram}/${p}/${g}: mean F1 ${f1.toFixed(4)} (${sources.map((s, i) => `${s} ${each[i].toFixed(3)}`).join(", ")})`);
    if (f1 > best.f1 + 1e-9) best = { ngram, pooled: p, patterns: g, f1 };
  }
  return { ngram: best.ngram, pooled: best.pooled, patterns: best.patterns };
}

function foldPooledHead(model: Model, head: PooledHead, stack: { ngram: number; pooled: number; patterns: number }) {
  const o = 3 + SUGGESTION;
  for (let b = 0; b < head.weights.length; b++) {
    const i = b * OUTPUTS + o;
    model.weights[i] = stack.ngram * model.weights[i] + stack.pooled * head.weights[b];
  }
  model.bias[o] = stack.ngram * model.bias[o] + stack.pooled * head.bias;
  if (model.featureSet >= SUGGEST_FEATURE_SET) {
    const words = model.suggestionPatterns;
    model.suggestionPatterns = head.patterns.map((w, p) => stack.ngram * (words?.[p] ?? 0) + stack.pooled * stack.patterns * w);
  }
}

/**
 * The cut with the best mean F1 over the sources whose calibration split has
 * positives for intent k (so no one source's phrasing sets the cut), and the F1
 * of each source at that cut.
 */
function bestThreshold(calib: Example[], logits: Float64Array[], k: number) {
  const sources = [...new Set(calib.map((e) => e.source))];
  const groups = sources
    .map((source) => calib.map((e, r) => ({ e, r })).filter(({ e }) => e.source === source && e.intents[k] !== undefined))
    .filter((g) => g.some(({ e }) => e.intents[k] === 1));
  let best = { f1: -1, t: 0.5, each: [] as number[], sources: groups.map((g) => g[0].e.source) };
  for (let t = 0.1; t <= 0.9001; t += 0.025) {
    let sum = 0;
    const each: number[] = [];
    for (const group of groups) {
      let tp = 0;
      let fp = 0;
      let fn = 0;
      for (const { e, r } of group) {
        const y = e.intents[k];
        const p =
          k === SUGGESTION ? suggestionProbability(logits[r][3 + k], logits[r][3 + PURCHASE]) : 1 / (1 + Math.exp(-logits[r][3 + k]));
        if (p >= t && y === 1) tp++;
        else if (p >= t) fp++;
        else if (y === 1) fn++;
      }
      each.push(tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn));
      sum += each[each.length - 1];
    }
    const f1 = groups.length ? sum / groups.length : 0;
    if (f1 > best.f1 + 1e-9) best = { ...best, f1, t, each };
  }
  return best;
}

function calibrate(model: Model, calib: Example[], logits: Float64Array[]) {
  INTENTS.forEach((intent: Intent, k) => {
    const best = bestThreshold(calib, logits, k);
    model.thresholds[intent] = Number(best.t.toFixed(3));
    if (process.env.PARLEY_CALIB_REPORT && intent === "suggestion")
      console.log(
        `calibration ${intent}: mean F1 ${best.f1.toFixed(4)} at ${best.t.toFixed(3)}: ${best.sources.map((s, i) => `${s} ${best.each[i].toFixed(3)}`).join(", ")}`,
      );
  });

  // Sentiment offsets: best weighted sum of macro-recall and accuracy over
  // the calibration split of each source. Real tweets (half of them neutral)
  // count most, so neutral is predicted about as often as it occurs; the rated
  // snippets, with almost no neutral items, count least.
  const groupWeight: Record<string, number> = {
    tweeteval: 3,
    dev: 1,
    "vader-tweets": 1,
    "vader-amazon": 0.5,
    "vader-movies": 0.5,
    "vader-nyt": 0.5,
  };
  const sentimentGroups = Object.keys(groupWeight)
    .map((source) => calib.filter((e) => e.source === source))
    .filter((g) => g.length);
  const rowOf = new Map(calib.map((e, r) => [e, r]));
  let best = { score: -1, neutral: 0, positive: 0 };
  for (let neutral = -2; neutral <= 2.0001; neutral += 0.1) {
    for (let positive = -1; positive <= 1.0001; positive += 0.1) {
      let score = 0;
      for (const group of sentimentGroups) {
        const hit = [0, 0, 0];
        const total = [0, 0, 0];
        for (const e of group) {
          if (e.sentiment === undefined) continue;
          const l = logits[rowOf.get(e) ?? 0];
          const a = l[0];
          const b = l[1] + neutral;
          const c = l[2] + positive;
          const predicted = a >= b && a >= c ? 0 : c >= b ? 2 : 1;
          total[e.sentiment]++;
          if (predicted === e.sentiment) hit[e.sentiment]++;
        }
        const present = total.map((t, i) => (t ? hit[i] / t : -1)).filter((x) => x >= 0);
        const accuracy =
          hit.reduce((s, x) => s + x, 0) /
          Math.max(
            1,
            total.reduce((s, x) => s + x, 0),
          );
        score += groupWeight[group[0].source] * (present.reduce((s, x) => s + x, 0) / present.length + accuracy);
      }
      if (score > best.score + 1e-9) best = { score, neutral, positive };
    }
  }
  model.sentimentOffsets = [0, Number(best.neutral.toFixed(2)), Number(best.positive.toFixed(2))];
  if (process.env.PARLEY_CALIB_REPORT)
    for (const group of sentimentGroups) {
      const hit = [0, 0, 0];
      const total = [0, 0, 0];
      for (const e of group) {
        if (e.sentiment === undefined) continue;
        const l = logits[rowOf.get(e) ?? 0];
        const a = l[0];
        const b = l[1] + best.neutral;
        const c = l[2] + best.positive;
        const predicted = a >= b && a >= c ? 0 : c >= b ? 2 : 1;
        total[e.sentiment]++;
        if (predicted === e.sentiment) hit[e.sentiment]++;
      }
      const present = total.map((t, i) => (t ? hit[i] / t : -1)).filter((x) => x >= 0);
      console.log(
        `calibration sentiment ${group[0].source}: macro-recall ${(present.reduce((x, y) => x + y, 0) / present.length).toFixed(4)}`,
      );
    }
}
