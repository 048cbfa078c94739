import { createRequire } from "node:module";

// The lexicon tools people use today, loaded for side-by-side evaluation and
// benchmarks only (they are development dependencies): vader-sentiment
// (compound score, the usual ±0.05 cut) and sentiment (AFINN-165 word scores).

export type PeerSentiment = { name: string; label: (text: string) => 0 | 1 | 2 };

type VaderModule = { SentimentIntensityAnalyzer: { polarity_scores: (text: string) => { compound: number } } };
type AfinnModule = new () => { analyze: (text: string) => { score: number } };

export function loadPeers(): PeerSentiment[] {
  const require = createRequire(import.meta.url);
  const vader = require("vader-sentiment") as VaderModule;
  const Afinn = require("sentiment") as AfinnModule;
  const afinn = new Afinn();
  return [
    {
      name: "vader-sentiment",
      label: (text) => {
        const c = vader.SentimentIntensityAnalyzer.polarity_scores(text).compound;
        return c >= 0.05 ? 2 : c <= -0.05 ? 0 : 1;
      },
    },
    {
      name: "sentiment (AFINN)",
      label: (text) => {
        const s = afinn.analyze(text).score;
        return s > 0 ? 2 : s < 0 ? 0 : 1;
      },
    },
  ];
}
