import type { Analyzer } from "./analyze";
import type { Example } from "./datasets";
import { INTENTS, type Intent, SIGNALS, type Signal } from "./model";
import type { PeerSentiment } from "./peers";

// Held-out figures per validation source, shared by `npm run eval` and the
// test that keeps a retrained model from doing worse than the committed one
// (data/models/understanding-eval.json). Every source here is held out from
// training: its "test" split is never trained on nor used to pick thresholds.

/** Sentiment validation sources, in the order the table prints them. */
export const SENTIMENT_SOURCES: Array<[string, string]> = [
  ["tweeteval", "tweets (TweetEval validation, SemEval 2017)"],
  ["dev", "dev set posts (held out)"],
  ["vader-tweets", "VADER tweets"],
  ["vader-amazon", "VADER Amazon review snippets"],
  ["vader-movies", "VADER movie review snippets"],
  ["vader-nyt", "VADER NYT editorial snippets"],
];

/** Intent validation sources: [intent, source, title]. */
export const INTENT_SOURCES: Array<[Intent, string, string]> = [
  ["suggestion", "suggestions", "forum sentences (SemEval-2019 T9 trial)"],
  ["suggestion", "dev", "dev set posts"],
  ["suggestion", "vader-amazon", "Amazon review sentences (hand-labelled)"],
  ["complaint", "dev", "dev set posts"],
  ["complaint", "bitext", "bitext customer service"],
  ["complaint", "banking77", "banking77"],
  ["complaint", "vader-amazon", "Amazon snippets (strong ratings)"],
  ["complaint", "care-threads", "care threads, held-out brands"],
  ["question", "dev", "dev set posts"],
  ["praise", "dev", "dev set posts"],
  ["purchase_intent", "dev", "dev set posts"],
  ["churn_risk", "dev", "dev set posts"],
  ["churn_risk", "bitext", "bitext customer service"],
  ["churn_risk", "care-threads", "care threads, held-out brands"],
  ["spam", "dev", "dev set posts"],
];

/** Signal validation sources (TweetEval validation splits): [signal, source, title]. */
export const SIGNAL_SOURCES: Array<[Signal, string, string]> = [
  ["irony", "tweeteval-irony", "ironic tweets (SemEval-2018 T3)"],
  ["toxic", "tweeteval-offensive", "offensive tweets (OffensEval 2019)"],
  ["toxic", "tweeteval-hate", "hateful tweets (HatEval 2019)"],
];

export type SentimentScore = { n: number; macroRecall: number; accuracy: number; recall: number[] };
export type IntentScore = { n: number; positives: number; precision: number; recall: number; f1: number };

export function sentimentScore(items: Example[], label: (text: string) => number): SentimentScore {
  const hit = [0, 0, 0];
  const total = [0, 0, 0];
  for (const e of items) {
    if (e.sentiment === undefined) continue;
    total[e.sentiment]++;
    if (label(e.text) === e.sentiment) hit[e.sentiment]++;
  }
  const present = [0, 1, 2].filter((k) => total[k] > 0);
  const n = total.reduce((a, b) => a + b, 0);
  return {
    n,
    macroRecall: present.reduce((s, k) => s + hit[k] / total[k], 0) / Math.max(1, present.length),
    accuracy: hit.reduce((a, b) => a + b, 0) / Math.max(1, n),
    recall: [0, 1, 2].map((k) => (total[k] ? hit[k] / total[k] : Number.NaN)),
  };
}

export function intentScore(items: Example[], intent: Intent, predicted: (text: string) => boolean): IntentScore {
  const k = INTENTS.indexOf(intent);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let n = 0;
  for (const e of items) {
    const y = e.intents[k];
    if (y === undefined) continue;
    n++;
    const p = predicted(e.text);
    if (p && y === 1) tp++;
    else if (p) fp++;
    else if (y === 1) fn++;
  }
  return {
    n,
    positives: tp + fn,
    precision: tp + fp ? tp / (tp + fp) : 0,
    recall: tp + fn ? tp / (tp + fn) : 0,
    f1: tp ? (2 * tp) / (2 * tp + fp + fn) : 0,
  };
}

const SENT = ["negative", "neutral", "positive"] as const;

export type Evaluation = {
  sentiment: Array<{ source: string; title: string; tools: Record<string, SentimentScore> }>;
  intents: Array<{ intent: Intent; source: string; title: string; score: IntentScore }>;
  signals: Array<{ signal: Signal; source: string; title: string; score: IntentScore }>;
  /** The brand-reply head on the care threads' held-out brands (replies vs customers' turns), at 0.5. */
  brandReply?: IntentScore;
};

function signalScore(items: Example[], k: number, predicted: (text: string) => boolean): IntentScore {
  const relabelled = items
    .filter((e) => e.signals?.[k] !== undefined)
    .map((e) => ({ ...e, intents: INTENTS.map((_, i) => (i === 0 ? e.signals?.[k] : undefined)) }));
  return intentScore(relabelled, INTENTS[0], predicted);
}

/** Scores `analyzer` (and the peers, for sentiment) on the held-out split of each validation source. */
export function evaluate(analyzer: Analyzer, examples: Example[], peers: PeerSentiment[] = []): Evaluation {
  const held = examples.filter((e) => e.split === "test");
  const bySource = (source: string) => held.filter((e) => e.source === source);
  const cache = new Map<string, ReturnType<Analyzer["analyze"]>>();
  const analysis = (text: string) => {
    let a = cache.get(text);
    if (!a) {
      a = analyzer.analyze(text);
      cache.set(text, a);
    }
    return a;
  };
  const parley = (text: string) => SENT.indexOf(analysis(text).sentiment.label);
  const sentiment: Evaluation["sentiment"] = [];
  for (const [source, title] of SENTIMENT_SOURCES) {
    const items = bySource(source).filter((e) => e.sentiment !== undefined);
    if (!items.length) continue;
    const tools: Record<string, SentimentScore> = { parley: sentimentScore(items, parley) };
    for (const peer of peers) tools[peer.name] = sentimentScore(items, peer.label);
    sentiment.push({ source, title, tools });
  }
  const intents: Evaluation["intents"] = [];
  for (const [intent, source, title] of INTENT_SOURCES) {
    const items = bySource(source);
    const score = intentScore(items, intent, (text) => analysis(text).labels.includes(intent));
    if (score.n && score.positives) intents.push({ intent, source, title, score });
  }
  const signals: Evaluation["signals"] = [];
  for (const [signal, source, title] of SIGNAL_SOURCES) {
    const k = SIGNALS.indexOf(signal);
    const score = signalScore(bySource(source), k, (text) => analysis(text).signals[signal] >= analyzer.model.signalThresholds[signal]);
    if (score.n && score.positives) signals.push({ signal, source, title, score });
  }
  // Brand replies (held-out care brands): the agents' turns against their customers' first turns.
  let brandReply: IntentScore | undefined;
  if (analyzer.model.reply) {
    const care = bySource("care-threads");
    const items = care.map((e) => ({ ...e, intents: INTENTS.map((_, i) => (i === 0 ? (e.author === "brand" ? 1 : 0) : undefined)) }));
    const score = intentScore(items as Example[], INTENTS[0], (text) => analyzer.brandReply(text) >= 0.5);
    if (score.n && score.positives) brandReply = score;
  }
  return { sentiment, intents, signals, brandReply };
}

/** The figures a retrained model must not fall below: key → value in [0, 1]. */
export function headlineFigures(evaluation: Evaluation): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of evaluation.sentiment) out[`sentiment macro-recall: ${s.source}`] = round4(s.tools.parley.macroRecall);
  for (const i of evaluation.intents) out[`${i.intent} F1: ${i.source}`] = round4(i.score.f1);
  for (const i of evaluation.signals) out[`${i.signal} F1: ${i.source}`] = round4(i.score.f1);
  if (evaluation.brandReply) out["brand reply F1: care-threads"] = round4(evaluation.brandReply.f1);
  return out;
}

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;
