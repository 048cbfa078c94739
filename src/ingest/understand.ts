import { createHash } from "node:crypto";
import type { AnalysisColumns } from "../store/listening";
import { type Analysis, type AnalysisContext, Analyzer } from "../understand";
import type { Storable } from "./batch";

// Stage 3, understand: every message to be stored gets its analysis, with the
// model's version so a later model can re-analyze what it didn't see.

let analyzer: Analyzer | undefined;
let version: string | undefined;

function shared(): Analyzer {
  analyzer ??= new Analyzer();
  return analyzer;
}

export function modelVersion(): string {
  version ??= createHash("sha1").update(JSON.stringify(shared().model.info)).digest("hex").slice(0, 12);
  return version;
}

export type { AnalysisColumns };

export function analysisColumns(text: string, context: AnalysisContext, languageHint?: string | null): AnalysisColumns {
  const a: Analysis = shared().analyze(text, context);
  return {
    // The source's own language tag beats a guess from a short text.
    language: languageHint || (a.language === "und" ? null : a.language),
    sentiment: a.sentiment.label,
    sentiment_score: a.sentiment.score,
    intents: JSON.stringify(a.intents),
    signals: JSON.stringify(a.signals),
    labels: a.labels,
    priority: a.priority,
    reasons: a.reasons,
    topics: a.topics ?? [],
    products: a.products ?? [],
    analyzed_at: new Date(),
    model_version: modelVersion(),
  };
}

/**
 * The analysis of each message (in the same order): subject and text together, with the author's reach,
 * the workspace's products and the message's direction (the workspace's own posts are never spam).
 */
export function understand(messages: Storable[], products: string[], placements: ReadonlyArray<{ direction: string }>): AnalysisColumns[] {
  return messages.map(({ msg, text }, i) =>
    analysisColumns(
      `${msg.subject ? `${msg.subject}\n` : ""}${text}`,
      { followers: msg.author.followers ?? undefined, products, outbound: placements[i]?.direction === "outbound" },
      msg.language,
    ),
  );
}
