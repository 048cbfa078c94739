// Evaluates the committed model on the held-out parts of the dev set and of
// ../shared/data, beside the vader-sentiment and AFINN (sentiment) packages.
import { Analyzer } from "../src/understand/analyze";
import { type Example, loadAll } from "../src/understand/datasets";
import { INTENTS, loadDefaultModel } from "../src/understand/model";
import { loadPeers } from "../src/understand/peers";

const SENT = ["negative", "neutral", "positive"] as const;
const analyzer = new Analyzer(loadDefaultModel());
const peers = loadPeers();
const held = loadAll().filter((e) => e.split === "test");
const groups: Array<[string, Example[]]> = [
  ["dev set (held out)", held.filter((e) => e.source === "dev")],
  ["vader tweets", held.filter((e) => e.source === "vader-tweets")],
  ["vader amazon reviews", held.filter((e) => e.source === "vader-amazon")],
  ["vader movie reviews", held.filter((e) => e.source === "vader-movies")],
  ["vader nyt editorials", held.filter((e) => e.source === "vader-nyt")],
  [
    "bitext + banking77 (neutral only)",
    held.filter((e) => (e.source === "bitext" || e.source === "banking77") && e.sentiment !== undefined),
  ],
];

const pct = (x: number) => (Number.isFinite(x) ? (100 * x).toFixed(1).padStart(5) : "   - ");
function sentimentScores(items: Example[], label: (text: string) => number) {
  const hit = [0, 0, 0];
  const total = [0, 0, 0];
  for (const e of items) {
    if (e.sentiment === undefined) continue;
    total[e.sentiment]++;
    if (label(e.text) === e.sentiment) hit[e.sentiment]++;
  }
  const present = [0, 1, 2].filter((k) => total[k] > 0);
  const macroRecall = present.reduce((s, k) => s + hit[k] / total[k], 0) / present.length;
  const accuracy = hit.reduce((a, b) => a + b, 0) / total.reduce((a, b) => a + b, 0);
  return { macroRecall, accuracy, n: total.reduce((a, b) => a + b, 0), recall: [0, 1, 2].map((k) => hit[k] / total[k]) };
}
const parley = (text: string) => SENT.indexOf(analyzer.analyze(text).sentiment.label);

console.log("\nSentiment (3 classes; vader ratings cut at ±0.05 on the −4..+4 scale)\n");
console.log(`${"data".padEnd(36)} ${"n".padStart(5)}  ${"tool".padEnd(18)} macro-R  acc    R-neg  R-neu  R-pos`);
const wins: string[] = [];
const summary: Record<string, { macro: number[]; acc: number[] }> = {};
for (const [name, items] of groups) {
  if (!items.length) continue;
  const rows = [{ name: "parley", label: parley }, ...peers];
  let first = true;
  const results = rows.map((tool) => ({ tool: tool.name, ...sentimentScores(items, tool.label) }));
  for (const r of results) {
    summary[r.tool] ??= { macro: [], acc: [] };
    if (!name.startsWith("bitext")) {
      summary[r.tool].macro.push(r.macroRecall);
      summary[r.tool].acc.push(r.accuracy);
    }
    console.log(
      `${(first ? name : "").padEnd(36)} ${(first ? String(r.n) : "").padStart(5)}  ${r.tool.padEnd(18)} ${pct(r.macroRecall)}  ${pct(r.accuracy)}  ${r.recall.map(pct).join("  ")}`,
    );
    first = false;
  }
  const [p, ...others] = results;
  if (others.every((o) => p.macroRecall > o.macroRecall && p.accuracy > o.accuracy)) wins.push(name);
}
console.log("\nMean over the sets above (except bitext + banking77):");
for (const [tool, s] of Object.entries(summary)) {
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  console.log(`  ${tool.padEnd(18)} macro-recall ${pct(mean(s.macro))}  accuracy ${pct(mean(s.acc))}`);
}
console.log(`Parley beats both peers on macro-recall and accuracy for: ${wins.join("; ") || "none"}`);

function intentTable(title: string, items: Example[]) {
  console.log(`\nIntents — ${title}\n`);
  console.log(`${"label".padEnd(16)} ${"n+".padStart(5)} ${"n".padStart(6)}  precision recall  F1     threshold`);
  const analyses = items.map((e) => analyzer.analyze(e.text));
  INTENTS.forEach((intent, k) => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    let n = 0;
    items.forEach((e, i) => {
      const y = e.intents[k];
      if (y === undefined) return;
      n++;
      const predicted = analyses[i].labels.includes(intent);
      if (predicted && y === 1) tp++;
      else if (predicted) fp++;
      else if (y === 1) fn++;
    });
    if (n === 0) return;
    const precision = tp / (tp + fp);
    const recall = tp / (tp + fn);
    const f1 = (2 * tp) / (2 * tp + fp + fn);
    console.log(
      `${intent.padEnd(16)} ${String(tp + fn).padStart(5)} ${String(n).padStart(6)}  ${pct(precision)}     ${pct(recall)}  ${pct(f1)}  ${analyzer.model.thresholds[intent]}`,
    );
  });
}
intentTable(
  "dev set (held out)",
  held.filter((e) => e.source === "dev"),
);
intentTable(
  "bitext (held out; mapped labels)",
  held.filter((e) => e.source === "bitext"),
);
intentTable(
  "banking77 (held out; mapped labels)",
  held.filter((e) => e.source === "banking77"),
);
intentTable(
  "vader amazon reviews (held out; praise/complaint from strong ratings)",
  held.filter((e) => e.source === "vader-amazon"),
);

const devLang = held.filter((e) => e.source === "dev" && e.language);
if (devLang.length) {
  const right = devLang.filter((e) => analyzer.analyze(e.text).language === e.language).length;
  const nonEn = devLang.filter((e) => e.language !== "en");
  const rightNonEn = nonEn.filter((e) => analyzer.analyze(e.text).language === e.language).length;
  console.log(`\nLanguage — dev set (held out): ${right}/${devLang.length} right; non-English ${rightNonEn}/${nonEn.length}`);
}
const care = loadAll().filter((e) => e.source === "care-threads");
if (care.length) {
  const a = care.map((e) => analyzer.analyze(e.text));
  const share = (f: (x: (typeof a)[number]) => boolean) => pct(a.filter(f).length / a.length);
  console.log(
    `Care threads (${care.length} real inbound tweets to brands): language en ${share((x) => x.language === "en")}%, und ${share((x) => x.language === "und")}%, flagged spam ${share((x) => x.labels.includes("spam"))}%, complaint ${share((x) => x.labels.includes("complaint"))}%, question ${share((x) => x.labels.includes("question"))}%`,
  );
}
