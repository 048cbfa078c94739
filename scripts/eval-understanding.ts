// Evaluates the committed model on the held-out validation split of each
// source (never trained on, never used to pick thresholds), beside the
// vader-sentiment and AFINN (sentiment) packages on the same texts.
//   npm run eval                 prints the tables
//   npm run eval -- --cross-domain  also trains a model without each of tweets / forum
//                                suggestions / dev posts / review and editorial snippets / care
//                                threads and scores it on what it left out (several minutes each)
//   npm run eval -- --write      also records the figures in data/models/understanding-eval.json,
//                                the floor test/understand-regression.test.ts holds retrained models to
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { Analyzer } from "../src/understand/analyze";
import { loadAll, loadSignalSets, loadVaderLexicon, REPO_ROOT } from "../src/understand/datasets";
import { evaluate, headlineFigures } from "../src/understand/evaluate";
import { INTENTS, loadDefaultModel } from "../src/understand/model";
import { loadPeers } from "../src/understand/peers";
import { trainModel } from "../src/understand/training";

const analyzer = new Analyzer(loadDefaultModel());
const peers = loadPeers();
const all = loadAll();
const result = evaluate(analyzer, [...all, ...loadSignalSets()], peers);
const pct = (x: number) => (Number.isFinite(x) ? (100 * x).toFixed(1).padStart(5) : "   - ");

console.log("\nSentiment, 3 classes, held-out validation splits: macro-recall (accuracy); VADER ratings cut at ±0.05\n");
const tools = ["parley", ...peers.map((p) => p.name)];
console.log(`${"validation source".padEnd(46)} ${"n".padStart(5)}  ${tools.map((t) => t.padEnd(18)).join(" ")}`);
const means: Record<string, number[]> = {};
for (const row of result.sentiment) {
  const cells = tools.map((t) => {
    const s = row.tools[t];
    means[t] ??= [];
    means[t].push(s.macroRecall);
    return `${pct(s.macroRecall)} (${pct(s.accuracy)})`.padEnd(18);
  });
  const best = Math.max(...tools.slice(1).map((t) => row.tools[t].macroRecall));
  const margin = row.tools.parley.macroRecall - best;
  console.log(
    `${row.title.padEnd(46)} ${String(row.tools.parley.n).padStart(5)}  ${cells.join(" ")} ${margin >= 0 ? "+" : ""}${(100 * margin).toFixed(1)} vs best peer`,
  );
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
console.log(`${"mean".padEnd(46)} ${"".padStart(5)}  ${tools.map((t) => pct(mean(means[t])).padEnd(18)).join(" ")}`);
const tweets = result.sentiment.find((r) => r.source === "tweeteval");
if (tweets) console.log(`Recall by class on tweets (neg/neu/pos): ${tweets.tools.parley.recall.map(pct).join(" ")}`);

console.log("\nIntents, held-out validation splits (no lexicon tool predicts intents)\n");
console.log(
  `${"label".padEnd(16)} ${"validation source".padEnd(40)} ${"n+".padStart(5)} ${"n".padStart(6)}  precision recall  F1     threshold`,
);
for (const { intent, title, score } of result.intents) {
  console.log(
    `${intent.padEnd(16)} ${title.padEnd(40)} ${String(score.positives).padStart(5)} ${String(score.n).padStart(6)}  ${pct(score.precision)}     ${pct(score.recall)}  ${pct(score.f1)}  ${analyzer.model.thresholds[intent]}`,
  );
}

console.log("\nSignals, held-out TweetEval validation splits (toxic = offensive or hateful)\n");
for (const { signal, title, score } of result.signals) {
  console.log(
    `${signal.padEnd(16)} ${title.padEnd(40)} ${String(score.positives).padStart(5)} ${String(score.n).padStart(6)}  ${pct(score.precision)}     ${pct(score.recall)}  ${pct(score.f1)}  ${analyzer.model.signalThresholds[signal]}`,
  );
}

if (result.brandReply) {
  const r = result.brandReply;
  console.log(
    `${"brand reply".padEnd(16)} ${"care threads, held-out brands (P >= 0.5)".padEnd(40)} ${String(r.positives).padStart(5)} ${String(r.n).padStart(6)}  ${pct(r.precision)}     ${pct(r.recall)}  ${pct(r.f1)}`,
  );
}
// Requests to buy (Bitext place_order, held out) should be buying signals, not ideas for the product.
const orders = all.filter((e) => e.source === "bitext" && e.split === "test" && e.intents[INTENTS.indexOf("purchase_intent")] === 1);
if (orders.length) {
  const a = orders.map((e) => analyzer.analyze(e.text).labels);
  console.log(
    `\nRequests to buy (${orders.length} held-out Bitext place_order messages): buying signal ${pct(a.filter((l) => l.includes("purchase_intent")).length / a.length)}%, suggestion ${pct(a.filter((l) => l.includes("suggestion")).length / a.length)}%`,
  );
}

const devLang = all.filter((e) => e.split === "test" && e.source === "dev" && e.language);
if (devLang.length) {
  const right = devLang.filter((e) => analyzer.analyze(e.text).language === e.language).length;
  const nonEn = devLang.filter((e) => e.language !== "en");
  const rightNonEn = nonEn.filter((e) => analyzer.analyze(e.text).language === e.language).length;
  console.log(`\nLanguage — dev set (held out): ${right}/${devLang.length} right; non-English ${rightNonEn}/${nonEn.length}`);
}
const care = all.filter((e) => e.source === "care-threads" && e.author !== "brand");
if (care.length) {
  const a = care.map((e) => analyzer.analyze(e.text));
  const share = (f: (x: (typeof a)[number]) => boolean) => pct(a.filter(f).length / a.length);
  console.log(
    `Care threads (${care.length} real inbound tweets to brands): language en ${share((x) => x.language === "en")}%, und ${share((x) => x.language === "und")}%, flagged spam ${share((x) => x.labels.includes("spam"))}%, complaint ${share((x) => x.labels.includes("complaint"))}%, question ${share((x) => x.labels.includes("question"))}%`,
  );
}
const heldTweets = all.filter((e) => e.source === "tweeteval" && e.split === "test");
if (heldTweets.length) {
  const spam = heldTweets.filter((e) => analyzer.analyze(e.text).labels.includes("spam")).length;
  console.log(
    `TweetEval validation tweets (${heldTweets.length}; news, opinions, chatter): flagged spam ${pct(spam / heldTweets.length)}%`,
  );
}
const replies = all.filter((e) => e.source === "care-threads" && e.author === "brand");
if (replies.length) {
  const a = replies.map((e) => analyzer.analyze(e.text));
  const share = (label: string) => pct(a.filter((x) => x.labels.includes(label as never)).length / a.length);
  console.log(
    `Brand replies in the care threads (${replies.length}, e.g. "sorry about the delay, DM us"): flagged spam ${share("spam")}%, complaint ${share("complaint")}%, churn risk ${share("churn_risk")}%`,
  );
}

if (process.argv.includes("--cross-domain")) {
  // Cross-domain: the same training without any example of one source, scored on that source's held-out split.
  console.log("\nCross-domain: trained without the source (train and calibration parts), scored on its held-out split\n");
  const inDomain = headlineFigures(result);
  // Each group is left out whole (train and calibration parts) and scored on its held-out split.
  const groups: Array<{ sources: string[]; keys: string[] }> = [
    { sources: ["tweeteval"], keys: ["sentiment macro-recall: tweeteval"] },
    { sources: ["suggestions"], keys: ["suggestion F1: suggestions"] },
    { sources: ["dev"], keys: ["sentiment macro-recall: dev", "complaint F1: dev", "suggestion F1: dev"] },
    {
      sources: ["vader-amazon", "vader-movies", "vader-nyt"],
      keys: [
        "sentiment macro-recall: vader-amazon",
        "sentiment macro-recall: vader-movies",
        "sentiment macro-recall: vader-nyt",
        "suggestion F1: vader-amazon",
      ],
    },
    { sources: ["care-threads"], keys: ["complaint F1: care-threads"] },
  ];
  const vader = loadVaderLexicon();
  for (const group of groups) {
    const started = Date.now();
    const model = trainModel(
      all.filter((e) => !group.sources.includes(e.source) || e.split === "test"),
      { lexicons: { vader } },
    );
    const figures = headlineFigures(evaluate(new Analyzer(model), all));
    const without = group.sources.length > 1 ? "reviews+editorials" : group.sources[0];
    for (const key of group.keys) {
      console.log(
        `${key.padEnd(40)} without ${without.padEnd(18)} ${pct(figures[key])}   (trained with it: ${pct(inDomain[key])})   ${((Date.now() - started) / 1000).toFixed(0)} s`,
      );
    }
  }
}

if (process.argv.includes("--write")) {
  const path = resolve(REPO_ROOT, "data/models/understanding-eval.json");
  const figures = { model_sha1: analyzer.model.info.weights_sha1, figures: headlineFigures(result) };
  writeFileSync(path, `${JSON.stringify(figures, null, 1)}\n`);
  console.log(`\nWrote ${path}`);
}
