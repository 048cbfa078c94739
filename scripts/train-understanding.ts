// Trains Parley's understanding model from ../shared/data (or $PARLEY_SHARED_DATA)
// and the training part of data/dev/posts.jsonl, and writes
// data/models/understanding.json. Seeded: the same data gives the same model.
// Complaint and churn risk on real posts to brands come from
// data/models/care-thread-labels.json: the first customer turn of each of the
// 525 twitter-care-threads conversations, read once and labelled by hand
// (complaint = reports a problem with the brand's product or service or asks
// the care account to act on their case; churn risk = says they will leave,
// stop paying or are done with the brand; the full rules are in the file), and
// the brands' replies in those threads as neither. Bitext's delete_account /
// check_cancellation_fee requests add churn risk (datasets.ts).
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import cliProgress from "cli-progress";
import { loadAll, loadBrandReplies, loadSignalSets, loadVaderLexicon, REPO_ROOT, sharedDataDir } from "../src/understand/datasets";
import { serializeModel } from "../src/understand/model";
import { trainModel } from "../src/understand/training";

const out = resolve(REPO_ROOT, process.env.PARLEY_MODEL_OUT ?? "data/models/understanding.json");
console.log(`Reading training data from ${sharedDataDir()} and data/dev/posts.jsonl`);
const examples = loadAll();
const signalExamples = loadSignalSets();
const bySource = new Map<string, { train: number; calib: number; test: number }>();
for (const e of examples) {
  const row = bySource.get(e.source) ?? { train: 0, calib: 0, test: 0 };
  row[e.split]++;
  bySource.set(e.source, row);
}
for (const e of signalExamples) {
  const row = bySource.get(e.source) ?? { train: 0, calib: 0, test: 0 };
  row[e.split]++;
  bySource.set(e.source, row);
}
console.table(Object.fromEntries(bySource));
if (!examples.some((e) => e.source.startsWith("vader"))) {
  console.error("No sentiment ratings found: set PARLEY_SHARED_DATA to the shared data folder.");
  process.exit(1);
}

const vader = loadVaderLexicon();
console.log(`VADER lexicon: ${vader.size} entries`);

const bar = new cliProgress.SingleBar(
  { format: "{stage} [{bar}] {percentage}% {value}/{total}", hideCursor: true },
  cliProgress.Presets.shades_classic,
);
let current = "";
const started = Date.now();
const model = trainModel(examples, {
  seed: Number(process.env.PARLEY_TRAIN_SEED ?? 4),
  bits: Number(process.env.PARLEY_MODEL_BITS ?? 18),
  lexicons: { vader },
  signalExamples,
  replyExamples: loadBrandReplies(),
  onProgress: (stage, done, total) => {
    if (stage !== current) {
      if (current) bar.stop();
      current = stage;
      bar.start(total, done, { stage: stage.padEnd(12) });
    } else bar.update(done);
  },
});
bar.stop();
const json = serializeModel(model);
writeFileSync(out, json);
console.log(`Wrote ${out} (${(json.length / 1024).toFixed(0)} KiB) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
console.log("Thresholds:", model.thresholds, "signals:", model.signalThresholds, "sentiment offsets:", model.sentimentOffsets);
