import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { Analyzer } from "../understand";
import { loadCareThreads, loadDevSet } from "../understand/datasets";
import { loadPeers } from "../understand/peers";

// `parley bench understand`: texts/s of the full analysis beside the lexicon tools
// people use today (figures only, nothing asserted). Bench code may reach inside
// understand/ for its data sets and peers (see .dependency-cruiser.cjs).

function benchTexts(): string[] {
  const texts = [...loadDevSet(), ...loadCareThreads().filter((e) => e.author !== "brand")].map((e) => e.text);
  if (texts.length > 0) return texts;
  const fallback = resolve(import.meta.dirname, "../../data/dev/posts.jsonl");
  if (!existsSync(fallback)) throw new Error("no texts to measure with: data/dev/posts.jsonl is missing");
  return readFileSync(fallback, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { text: string }).text);
}

/**
 * Runs `fn` over the texts for at least `seconds` of CPU time (and `minCalls`
 * calls) and returns calls per CPU-second. CPU time, not wall time: "per core"
 * then holds even when other work shares the machine.
 */
function measure(texts: string[], seconds: number, minCalls: number, fn: (text: string) => unknown): number {
  let calls = 0;
  let sink = 0;
  const started = process.cpuUsage();
  const budget = seconds * 1e6;
  for (;;) {
    for (let i = 0; i < texts.length; i++) {
      if (fn(texts[i])) sink++;
    }
    calls += texts.length;
    const used = process.cpuUsage(started);
    const micros = used.user + used.system;
    if (micros >= budget && calls >= minCalls) {
      if (sink < 0) console.log(sink);
      return calls / (micros / 1e6);
    }
  }
}

export function benchUnderstand(opts: { seconds: number; json?: boolean }) {
  const texts = benchTexts();
  const analyzer = new Analyzer();
  const chars = texts.reduce((s, t) => s + t.length, 0);
  // Warm up so the JIT has compiled the hot paths before anything is timed.
  measure(texts, 0.5, texts.length, (t) => analyzer.analyze(t));
  const full = measure(texts, opts.seconds, texts.length, (t) => analyzer.analyze(t));
  const modelOnly = measure(texts, opts.seconds / 2, texts.length, (t) => analyzer.logits(t));
  let available: ReturnType<typeof loadPeers> = [];
  try {
    available = loadPeers();
  } catch {
    process.stderr.write("vader-sentiment and sentiment are development dependencies: install them to compare (npm install)\n");
  }
  const peers = available.map((peer) => {
    measure(texts, 0.3, 1, peer.label);
    return { name: peer.name, perSecond: measure(texts, opts.seconds / 2, texts.length, peer.label) };
  });
  const figures = {
    texts: texts.length,
    mean_chars: Math.round(chars / texts.length),
    parley_full_analysis_per_s: Math.round(full),
    parley_model_only_per_s: Math.round(modelOnly),
    peers: Object.fromEntries(peers.map((p) => [p.name, Math.round(p.perSecond)])),
    ratios: Object.fromEntries(peers.map((p) => [`parley / ${p.name}`, Number((full / p.perSecond).toFixed(1))])),
  };
  if (opts.json) {
    process.stdout.write(`${JSON.stringify(figures)}\n`);
    return;
  }
  const fmt = (n: number) => Math.round(n).toLocaleString("en-US").padStart(10);
  console.log(
    `Understanding, texts per CPU-second on one core: ${texts.length} posts (dev set + care threads), mean ${figures.mean_chars} chars`,
  );
  console.log(`  parley analyze (language, sentiment, intents, priority, reasons) ${fmt(full)} texts/s`);
  console.log(`  parley model only (tokenize + features + scores)                 ${fmt(modelOnly)} texts/s`);
  for (const p of peers) {
    console.log(`  ${p.name.padEnd(64)} ${fmt(p.perSecond)} texts/s   parley is ${(full / p.perSecond).toFixed(1)}x`);
  }
  console.log("Target: >= 100,000 texts/s for the full analysis (figures only; nothing is asserted).");
}
