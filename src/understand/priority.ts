import type { Intent, SentimentLabel } from "./model";

// Priority 0–100: how soon a person should look at this post. Each factor adds
// points and, when it matters, a short phrase an agent understands; the phrases
// of the largest factors become the first reason ("negative + 'refund' + 48k
// followers").

export type PriorityContext = {
  /** Followers of the author's profile on the network. */
  followers?: number;
  /** The contact's lifecycle stage (subscriber, lead, prospect, opportunity, customer, advocate, churned). */
  lifecycleStage?: string;
  /** Number of open deals of the contact, and their total value. */
  openDeals?: number;
  openDealValue?: number;
  /** How long the post has waited for an answer, in minutes. */
  waitingMinutes?: number;
};

export type PriorityInput = {
  intents: Record<Intent, number>;
  labels: readonly Intent[];
  sentiment: { label: SentimentLabel; score: number };
  /** Urgency words found in the text, with their weights. */
  urgency: Array<{ word: string; weight: number }>;
  /** The toxic signal (offensive or hateful) passed its threshold. */
  toxic?: boolean;
};

type Factor = { points: number; phrase: string };
const INTENT_LIST: Intent[] = ["complaint", "question", "suggestion", "praise", "purchase_intent", "churn_risk", "spam"];

const INTENT_POINTS: Record<Intent, number> = {
  complaint: 26,
  churn_risk: 30,
  purchase_intent: 24,
  question: 14,
  suggestion: 8,
  praise: 4,
  spam: 0,
};
const INTENT_PHRASE: Record<Intent, string> = {
  complaint: "complaint",
  churn_risk: "churn risk",
  purchase_intent: "buying signal",
  question: "question",
  suggestion: "idea",
  praise: "praise",
  spam: "spam",
};
const LIFECYCLE_POINTS: Record<string, number> = {
  opportunity: 10,
  customer: 8,
  advocate: 6,
  prospect: 5,
  lead: 4,
  churned: 4,
  subscriber: 1,
};

export function formatCount(n: number): string {
  if (n >= 1_000_000) return `${Number((n / 1_000_000).toFixed(n >= 10_000_000 ? 0 : 1))}M`;
  if (n >= 1000) return `${Number((n / 1000).toFixed(n >= 10_000 ? 0 : 1))}k`;
  return String(Math.round(n));
}

function formatWait(minutes: number): string {
  if (minutes >= 2880) return `waiting ${Math.round(minutes / 1440)} days`;
  if (minutes >= 120) return `waiting ${Math.round(minutes / 60)}h`;
  return `waiting ${Math.round(minutes)} min`;
}

export function scorePriority(input: PriorityInput, context: PriorityContext = {}): { priority: number; summary: string } {
  const factors: Factor[] = [];
  let spam = false;
  for (const intent of input.labels) {
    if (intent === "spam") spam = true;
    const points = INTENT_POINTS[intent] * input.intents[intent];
    if (points > 0) factors.push({ points, phrase: INTENT_PHRASE[intent] });
  }
  // Probabilities below the threshold still count a little: a 40% churn risk matters.
  let unlabelled = 0;
  for (const intent of INTENT_LIST) {
    const p = input.intents[intent];
    if (p > 0.2 && !input.labels.includes(intent)) unlabelled += INTENT_POINTS[intent] * p * 0.4;
  }
  if (unlabelled > 0) factors.push({ points: unlabelled, phrase: "" });
  if (input.sentiment.label === "negative") factors.push({ points: 4 + 10 * Math.abs(input.sentiment.score), phrase: "negative" });
  // Abuse needs a person's eyes (moderation, safety) but never outranks or hides a complaint.
  if (input.toxic) factors.push({ points: 5, phrase: "offensive" });
  if (input.urgency.length > 0) {
    const sorted = [...input.urgency].sort((a, b) => b.weight - a.weight);
    const points = Math.min(26, sorted[0].weight + sorted.slice(1).reduce((s, u) => s + u.weight / 2, 0));
    factors.push({
      points,
      phrase: sorted
        .slice(0, 2)
        .map((u) => `'${u.word}'`)
        .join(" + "),
    });
  }
  if (context.followers !== undefined && context.followers >= 1000) {
    const points = Math.min(20, 3 + 5 * Math.log10(context.followers / 1000));
    factors.push({ points, phrase: `${formatCount(context.followers)} followers` });
  }
  const stage = context.lifecycleStage?.toLowerCase();
  if (stage && Object.hasOwn(LIFECYCLE_POINTS, stage)) factors.push({ points: LIFECYCLE_POINTS[stage], phrase: stage });
  if (context.openDeals && context.openDeals > 0) {
    const value = context.openDealValue ?? 0;
    const points = 8 + (value > 1000 ? Math.min(8, 2 * Math.log10(value / 1000) + 2) : 0);
    factors.push({
      points,
      phrase: value > 0 ? `open deal ${formatCount(value)}` : `${context.openDeals} open deal${context.openDeals > 1 ? "s" : ""}`,
    });
  }
  if (context.waitingMinutes !== undefined && context.waitingMinutes >= 30) {
    const w = context.waitingMinutes;
    const points = w >= 1440 ? 14 : w >= 240 ? 9 : w >= 60 ? 5 : 3;
    factors.push({ points, phrase: formatWait(w) });
  }
  let total = 5;
  for (const f of factors) total += f.points;
  if (spam) total = Math.min(total, 5);
  const priority = Math.max(0, Math.min(100, Math.round(total)));
  let summary = "nothing urgent";
  if (spam) summary = "likely spam";
  else {
    const named = factors.filter((f) => f.phrase !== "");
    if (named.length > 0) {
      named.sort((a, b) => b.points - a.points);
      summary = named[0].phrase;
      for (let i = 1; i < named.length && i < 4; i++) summary += ` + ${named[i].phrase}`;
    }
  }
  return { priority, summary };
}
