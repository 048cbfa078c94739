import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { parse } from "csv-parse/sync";
import type { Lexicon } from "./features";
import { INTENTS, type Intent } from "./model";
import { hashString } from "./tokenizer";

// Readers for the training and evaluation data: the public sets in
// ../shared/data (never copied into the repo) and the hand-written dev set in
// data/dev/posts.jsonl. Each source's labels are mapped onto Parley's: what a
// source cannot tell us stays undefined, so a head is never trained on a guess.
// Splits are decided by a hash of the text, so they are the same on every run.

export type Split = "train" | "calib" | "test";
/** 0 negative, 1 neutral, 2 positive. */
export type SentimentClass = 0 | 1 | 2;

export type Example = {
  source: string;
  text: string;
  sentiment?: SentimentClass;
  /** Mean human rating on the −4..+4 scale, where the source has one. */
  rating?: number;
  /** Per intent (INTENTS order): 1, 0, or undefined when the source says nothing. */
  intents: Array<0 | 1 | undefined>;
  /** Per signal (SIGNALS order: irony, toxic), only for the TweetEval signal sets. */
  signals?: Array<0 | 1 | undefined>;
  language?: string;
  /** "brand" for a brand's own reply (care threads); unset for posts by customers and the public. */
  author?: "brand";
  weight: number;
  split: Split;
};

export const REPO_ROOT = resolve(import.meta.dirname, "../..");
export const sharedDataDir = () => resolve(process.env.PARLEY_SHARED_DATA ?? resolve(REPO_ROOT, "../shared/data"));
export const DEV_SET_PATH = resolve(REPO_ROOT, "data/dev/posts.jsonl");

function splitOf(key: string, trainPct: number, calibPct: number): Split {
  const bucket = hashString(key) % 100;
  return bucket < trainPct ? "train" : bucket < trainPct + calibPct ? "calib" : "test";
}

function intents(values: Partial<Record<Intent, 0 | 1 | undefined>>): Array<0 | 1 | undefined> {
  return INTENTS.map((i) => values[i]);
}

/** The conventional 3-way cut of a mean rating on the −4..+4 scale (the VADER paper's ±0.05). */
export function sentimentOfRating(mean: number): SentimentClass {
  return mean > 0.05 ? 2 : mean < -0.05 ? 0 : 1;
}

// Social posts are what Parley reads: tweets count most, long editorial and
// movie-review snippets least (the lexicon cues that work on posts are weaker there).
const VADER_WEIGHTS: Record<string, number> = { "vader-tweets": 3, "vader-amazon": 1, "vader-movies": 0.35, "vader-nyt": 0.35 };

/**
 * Hand labels for suggestion on the Amazon review snippets' calibration and held-out splits
 * (data/models/review-suggestion-labels.json: ids of the suggestions; every other snippet of
 * those splits is not one; the rules are in the file). The training split stays unlabelled, so
 * the held-out split measures suggestions in review sentences the model never saw.
 */
export const REVIEW_SUGGESTION_LABELS_PATH = resolve(REPO_ROOT, "data/models/review-suggestion-labels.json");
function reviewSuggestionLabels(): { calib: Set<string>; test: Set<string> } | undefined {
  if (!existsSync(REVIEW_SUGGESTION_LABELS_PATH)) return undefined;
  const file = JSON.parse(readFileSync(REVIEW_SUGGESTION_LABELS_PATH, "utf8")) as { calib: string[]; test: string[] };
  return { calib: new Set(file.calib), test: new Set(file.test) };
}

export function loadVaderRatings(dir = sharedDataDir()): Example[] {
  const suggestions = reviewSuggestionLabels();
  const files: Array<[string, string]> = [
    ["vader-tweets", "tweets_GroundTruth.txt"],
    ["vader-amazon", "amazonReviewSnippets_GroundTruth.txt"],
    ["vader-movies", "movieReviewSnippets_GroundTruth.txt"],
    ["vader-nyt", "nytEditorialSnippets_GroundTruth.txt"],
  ];
  const out: Example[] = [];
  for (const [source, file] of files) {
    const path = resolve(dir, "vader-ratings", file);
    if (!existsSync(path)) continue;
    for (const line of readFileSync(path, "utf8").split(/\r?\n/)) {
      const [id, rating, ...rest] = line.split("\t");
      const text = rest.join("\t").trim();
      const mean = Number(rating);
      if (!text || !Number.isFinite(mean)) continue;
      // Product reviews say something about a product: strong ones are praise or complaints.
      const review = source === "vader-amazon";
      const split = splitOf(`${source}:${id}`, 70, 10);
      const suggestion =
        review && suggestions && split !== "train" ? (suggestions[split === "calib" ? "calib" : "test"].has(id) ? 1 : 0) : undefined;
      out.push({
        source,
        text,
        sentiment: sentimentOfRating(mean),
        rating: mean,
        intents: intents({
          spam: 0,
          // Personal tweets and snippets are not about leaving, buying or improving a product.
          ...(source === "vader-tweets" ? { churn_risk: 0, purchase_intent: 0, suggestion: 0 } : {}),
          ...(review ? { praise: mean >= 1.5 ? 1 : mean <= 0 ? 0 : undefined } : {}),
          ...(review ? { complaint: mean <= -1.5 ? 1 : mean >= 0.5 ? 0 : undefined } : {}),
          ...(suggestion !== undefined ? { suggestion } : {}),
        }),
        weight: VADER_WEIGHTS[source] ?? 1,
        split,
      });
    }
  }
  return out;
}

const QUESTION_START =
  /^(how|what|why|when|where|which|who|whom|whose|can|could|would|will|is|are|am|do|does|did|should|shall|may|have|has|any|anyone)\b/i;

export function looksLikeQuestion(text: string): boolean {
  return text.includes("?") || QUESTION_START.test(text.trim());
}

// Bitext intents → Parley labels. Problem reports are complaints; closing an
// account or asking what cancelling costs is churn risk; placing an order is a
// buying signal. Pre-sale questions (payment methods, delivery) are left open.
const BITEXT_COMPLAINT = new Set(["complaint", "payment_issue", "registration_problems", "get_refund"]);
const BITEXT_COMPLAINT_UNKNOWN = new Set(["track_refund", "cancel_order", "review", "recover_password"]);
const BITEXT_CHURN = new Set(["delete_account", "check_cancellation_fee"]);
const BITEXT_CHURN_UNKNOWN = new Set(["cancel_order", "switch_account"]);
const BITEXT_PURCHASE = new Set(["place_order"]);
const BITEXT_PURCHASE_UNKNOWN = new Set(["check_payment_methods", "delivery_options", "delivery_period", "change_order"]);
const BITEXT_INFORMATIONAL = new Set([
  "check_invoice",
  "get_invoice",
  "check_payment_methods",
  "delivery_options",
  "delivery_period",
  "newsletter_subscription",
  "create_account",
  "place_order",
  "track_order",
  "set_up_shipping_address",
  "change_shipping_address",
  "contact_customer_service",
  "contact_human_agent",
  "check_refund_policy",
  "edit_account",
  "switch_account",
  "change_order",
]);

export function loadBitext(dir = sharedDataDir()): Example[] {
  const path = resolve(dir, "bitext-customer-service/Bitext_Sample_Customer_Service_Training_Dataset.csv");
  if (!existsSync(path)) return [];
  const rows = parse(readFileSync(path, "utf8").replace(/^\uFEFF/, ""), { columns: true, skip_empty_lines: true }) as Array<{
    flags: string;
    utterance: string;
    intent: string;
  }>;
  return rows.map((row) => {
    const intent = row.intent.trim();
    const offensive = row.flags.includes("W");
    return {
      source: "bitext",
      text: row.utterance,
      // Informational requests are neutral; problem reports carry no rating.
      sentiment: offensive ? 0 : BITEXT_INFORMATIONAL.has(intent) ? 1 : undefined,
      intents: intents({
        complaint: BITEXT_COMPLAINT.has(intent) ? 1 : BITEXT_COMPLAINT_UNKNOWN.has(intent) ? undefined : 0,
        question: row.flags.includes("I") ? 1 : 0,
        suggestion: intent === "review" ? undefined : 0,
        praise: intent === "review" ? undefined : 0,
        purchase_intent: BITEXT_PURCHASE.has(intent) ? 1 : BITEXT_PURCHASE_UNKNOWN.has(intent) ? undefined : 0,
        churn_risk: BITEXT_CHURN.has(intent) ? 1 : BITEXT_CHURN_UNKNOWN.has(intent) ? undefined : 0,
        spam: 0,
      }),
      weight: 0.5,
      split: splitOf(`bitext:${row.utterance}`, 70, 10),
    } satisfies Example;
  });
}

// Banking77: requests about something going wrong are complaints; closing the
// account is churn risk; purely informational questions are neutral.
const BANKING_PROBLEMS = new Set([
  "card_not_working",
  "contactless_not_working",
  "card_swallowed",
  "declined_card_payment",
  "declined_cash_withdrawal",
  "declined_transfer",
  "failed_transfer",
  "transaction_charged_twice",
  "wrong_amount_of_cash_received",
  "card_payment_wrong_exchange_rate",
  "wrong_exchange_rate_for_cash_withdrawal",
  "extra_charge_on_statement",
  "card_payment_not_recognised",
  "cash_withdrawal_not_recognised",
  "direct_debit_payment_not_recognised",
  "compromised_card",
  "lost_or_stolen_card",
  "lost_or_stolen_phone",
  "top_up_failed",
  "top_up_reverted",
  "Refund_not_showing_up",
  "request_refund",
  "virtual_card_not_working",
  "pin_blocked",
  "unable_to_verify_identity",
  "balance_not_updated_after_bank_transfer",
  "balance_not_updated_after_cheque_or_cash_deposit",
  "transfer_not_received_by_recipient",
  "card_arrival",
]);
const BANKING_UNCLEAR = new Set([
  "pending_card_payment",
  "pending_cash_withdrawal",
  "pending_top_up",
  "pending_transfer",
  "reverted_card_payment?",
  "cancel_transfer",
  "card_payment_fee_charged",
  "cash_withdrawal_charge",
  "transfer_fee_charged",
  "exchange_charge",
  "top_up_by_card_charge",
  "top_up_by_bank_transfer_charge",
  "beneficiary_not_allowed",
  "passcode_forgotten",
]);

const BANKING_ORDERS = new Set([
  "order_physical_card",
  "getting_spare_card",
  "get_physical_card",
  "getting_virtual_card",
  "get_disposable_virtual_card",
]);

export function loadBanking77(dir = sharedDataDir()): Example[] {
  const path = resolve(dir, "banking77/train.csv");
  if (!existsSync(path)) return [];
  const rows = parse(readFileSync(path, "utf8"), { columns: true, skip_empty_lines: true }) as Array<{ text: string; category: string }>;
  return rows.map((row) => {
    const problem = BANKING_PROBLEMS.has(row.category);
    const unclear = BANKING_UNCLEAR.has(row.category);
    return {
      source: "banking77",
      text: row.text,
      sentiment: !problem && !unclear && row.category !== "terminate_account" ? 1 : undefined,
      intents: intents({
        complaint: problem ? 1 : unclear ? undefined : 0,
        question: looksLikeQuestion(row.text) ? 1 : undefined,
        suggestion: 0,
        praise: 0,
        // Ordering a card is not a sale signal we can judge; cancelling a transfer is not leaving.
        purchase_intent: BANKING_ORDERS.has(row.category) ? undefined : 0,
        churn_risk: row.category === "terminate_account" ? 1 : row.category === "cancel_transfer" ? undefined : 0,
        spam: 0,
      }),
      weight: 0.4,
      split: splitOf(`banking77:${row.text}`, 70, 10),
    } satisfies Example;
  });
}

type CareThread = {
  dialogHeader: { company: string };
  dialogContent: Array<{ client?: string; agent?: string; message: string; tweet_ID?: string }>;
  agentURL?: { url_utterance?: string };
};

/** Hand labels of the care threads' first customer turns, by tweet id (how they were made: in the file). */
export const CARE_LABELS_PATH = resolve(REPO_ROOT, "data/models/care-thread-labels.json");
type CareLabels = { complaint: Record<string, 0 | 1>; churn_risk: Record<string, 0 | 1> };

/**
 * Real customer ↔ brand-care Twitter threads. The first customer turn of each
 * thread carries the hand labels of data/models/care-thread-labels.json
 * (complaint: reports a problem or asks the care account to act; churn risk:
 * says they will leave). The brands' own replies ("sorry about the delay, DM
 * us your order number") are posts Parley must not call complaints, churn or
 * spam. Split by brand, so the held-out part is brands never trained on.
 */
export function loadCareThreads(dir = sharedDataDir()): Example[] {
  const path = resolve(dir, "twitter-care-threads/dev.json");
  if (!existsSync(path)) return [];
  const threads = JSON.parse(readFileSync(path, "utf8")) as CareThread[];
  const labels: CareLabels = existsSync(CARE_LABELS_PATH)
    ? (JSON.parse(readFileSync(CARE_LABELS_PATH, "utf8")) as CareLabels)
    : { complaint: {}, churn_risk: {} };
  const out: Example[] = [];
  for (const thread of threads) {
    const split = splitOf(`brand:${thread.dialogHeader.company}`, 60, 15);
    const first = thread.dialogContent.find((turn) => turn.client !== undefined);
    if (!first) continue;
    const id = first.tweet_ID ?? "";
    const complaint = labels.complaint[id];
    out.push({
      source: "care-threads",
      text: first.message,
      // Requests for help: not spam; a problem report is rarely also an idea for the product.
      intents: intents({ spam: 0, complaint, churn_risk: labels.churn_risk[id], suggestion: complaint === 1 ? 0 : undefined }),
      weight: 1,
      split,
    });
    const replies = [
      ...thread.dialogContent.filter((turn) => turn.agent !== undefined).map((turn) => turn.message),
      thread.agentURL?.url_utterance ?? "",
    ];
    for (const text of new Set(replies)) {
      if (!text.trim()) continue;
      out.push({
        source: "care-threads",
        author: "brand",
        text,
        intents: intents({ spam: 0, complaint: 0, churn_risk: 0, purchase_intent: 0 }),
        weight: 0.5,
        split,
      });
    }
  }
  return out;
}

const normalizedTweet = (text: string) =>
  text
    .trim()
    .replace(/^"+|"+$/g, "")
    .trim()
    .toLowerCase();

/**
 * SemEval 2013–2016 sentiment tweets (as in TweetEval): the 2013–2016 training
 * tweets train and calibrate (85/15 by hash), TweetEval's validation split is
 * held out whole. 654 validation tweets also occur in the training file: they
 * are dropped from training so the held-out figure stays honest.
 */
export function loadTweetEvalSentiment(dir = sharedDataDir()): Example[] {
  const base = resolve(dir, "tweeteval/sentiment");
  const trainPath = resolve(base, "semeval2013-2016-train.tsv");
  if (!existsSync(trainPath)) return [];
  const classes: Record<string, SentimentClass> = { negative: 0, neutral: 1, positive: 2 };
  const out: Example[] = [];
  const held = new Set<string>();
  const valText = resolve(base, "val_text.txt");
  if (existsSync(valText)) {
    const texts = readFileSync(valText, "utf8").split("\n");
    const labels = readFileSync(resolve(base, "val_labels.txt"), "utf8").split("\n");
    texts.forEach((raw, i) => {
      const text = raw.trim();
      const label = Number(labels[i]);
      if (!text || (label !== 0 && label !== 1 && label !== 2)) return;
      held.add(normalizedTweet(text));
      out.push({ source: "tweeteval", text, sentiment: label as SentimentClass, intents: intents({}), weight: 1, split: "test" });
    });
  }
  for (const line of readFileSync(trainPath, "utf8").split("\n")) {
    const [id, label, ...rest] = line.split("\t");
    const text = rest
      .join(" ")
      .trim()
      .replace(/^"(.*)"$/s, "$1")
      .trim();
    const sentiment = classes[label?.trim() ?? ""];
    if (!text || sentiment === undefined || held.has(normalizedTweet(text))) continue;
    out.push({
      source: "tweeteval",
      text,
      sentiment,
      // Neutral tweets are mostly news, announcements and chatter: not spam (a giveaway is rarely neutral).
      intents: sentiment === 1 ? intents({ spam: 0 }) : intents({}),
      weight: 1,
      split: splitOf(`tweeteval:${id}`, 85, 15),
    });
  }
  return out;
}

/**
 * SemEval-2019 Task 9 A: forum sentences labelled suggestion or not. The
 * training file trains and calibrates (85/15 by hash); the trial split is
 * held out whole.
 */
export function loadSuggestions(dir = sharedDataDir()): Example[] {
  const out: Example[] = [];
  for (const [file, held] of [
    ["train.csv", false],
    ["trial.csv", true],
  ] as const) {
    const path = resolve(dir, "suggestions", file);
    if (!existsSync(path)) continue;
    const rows = parse(readFileSync(path, "utf8"), { relax_quotes: true, skip_empty_lines: true }) as string[][];
    for (const row of rows) {
      const [id, sentence, label] = row;
      if (label !== "0" && label !== "1") continue; // the header
      const text = sentence.replace(/^"+|"+$/g, "").trim();
      if (!text) continue;
      out.push({
        source: "suggestions",
        text,
        intents: intents({ suggestion: label === "1" ? 1 : 0, spam: 0 }),
        weight: 1,
        split: held ? "test" : splitOf(`suggestions:${id}`, 85, 15),
      });
    }
  }
  return out;
}

/**
 * TweetEval irony (SemEval-2018 T3), offensive (OffensEval 2019) and hate
 * (HatEval 2019) tweets for the `irony` and `toxic` signals (toxic = offensive
 * or hateful). Their training files train (85%) and calibrate (15%); their
 * validation splits are held out. Bitext and banking77 messages add literal,
 * non-ironic customer requests. Kept apart from loadAll() because they teach
 * only the signal heads.
 */
export function loadSignalSets(dir = sharedDataDir()): Example[] {
  const out: Example[] = [];
  const tasks: Array<[string, number]> = [
    ["irony", 0],
    ["offensive", 1],
    ["hate", 1],
  ];
  for (const [task, signal] of tasks) {
    for (const [file, held] of [
      ["train", false],
      ["val", true],
    ] as const) {
      const textPath = resolve(dir, "tweeteval", task, `${file}_text.txt`);
      if (!existsSync(textPath)) continue;
      const texts = readFileSync(textPath, "utf8").split("\n");
      const labels = readFileSync(resolve(dir, "tweeteval", task, `${file}_labels.txt`), "utf8").split("\n");
      texts.forEach((raw, i) => {
        const text = raw.trim();
        const label = labels[i]?.trim();
        if (!text || (label !== "0" && label !== "1")) return;
        const signals: Array<0 | 1 | undefined> = [undefined, undefined];
        signals[signal] = label === "1" ? 1 : 0;
        out.push({
          source: `tweeteval-${task}`,
          text,
          intents: intents({}),
          signals,
          weight: 1,
          split: held ? "test" : splitOf(`tweeteval-${task}:${i}`, 85, 15),
        });
      });
    }
  }
  // Customer-service messages are literal requests: never ironic; toxic only where Bitext
  // flags offensive language (its W flag, the only bitext rows loadBitext marks negative).
  for (const e of [...loadBitext(dir), ...loadBanking77(dir)]) {
    out.push({ ...e, intents: intents({}), signals: [0, e.sentiment === 0 ? 1 : 0], weight: 0.5 });
  }
  return out;
}

export type DevPost = {
  id: string;
  text: string;
  network?: string;
  industry?: string;
  language?: string;
  sentiment: "negative" | "neutral" | "positive";
  labels: Intent[];
};

export function loadDevSet(path = DEV_SET_PATH): Example[] {
  if (!existsSync(path)) return [];
  const out: Example[] = [];
  for (const line of readFileSync(path, "utf8").split("\n")) {
    if (!line.trim()) continue;
    const post = JSON.parse(line) as DevPost;
    out.push({
      source: "dev",
      text: post.text,
      sentiment: post.sentiment === "negative" ? 0 : post.sentiment === "neutral" ? 1 : 2,
      intents: INTENTS.map((i) => (post.labels.includes(i) ? 1 : 0)),
      language: post.language ?? "en",
      weight: 5,
      split: splitOf(`dev:${post.id}`, 50, 15),
    });
  }
  return out;
}

/**
 * Agents' corrections, as exported by `GET /api/v1/corrections/export`, saved
 * as data/corrections/*.jsonl (or the files in PARLEY_CORRECTIONS, comma
 * separated). People's decisions on real posts: trained on, weighted like the
 * dev set, never used for evaluation.
 */
export function loadCorrections(): Example[] {
  const dir = resolve(REPO_ROOT, "data/corrections");
  const files = process.env.PARLEY_CORRECTIONS
    ? process.env.PARLEY_CORRECTIONS.split(",").map((f) => resolve(f.trim()))
    : existsSync(dir)
      ? readdirSync(dir)
          .filter((f) => f.endsWith(".jsonl"))
          .map((f) => resolve(dir, f))
      : [];
  const out: Example[] = [];
  for (const file of files) {
    for (const line of readFileSync(file, "utf8").split("\n")) {
      if (!line.trim()) continue;
      const c = JSON.parse(line) as { text?: string; sentiment?: string | null; labels?: string[]; language?: string | null };
      if (!c.text) continue;
      const corrected = new Set((c as { corrected_fields?: string[] }).corrected_fields ?? ["sentiment", "labels"]);
      out.push({
        source: "corrections",
        text: c.text,
        sentiment: corrected.has("sentiment")
          ? c.sentiment === "negative"
            ? 0
            : c.sentiment === "neutral"
              ? 1
              : c.sentiment === "positive"
                ? 2
                : undefined
          : undefined,
        intents: corrected.has("labels") ? INTENTS.map((i) => (c.labels?.includes(i) ? 1 : 0)) : INTENTS.map(() => undefined),
        language: c.language ?? undefined,
        weight: 5,
        split: "train",
      });
    }
  }
  return out;
}

/**
 * Brand replies written for Parley (data/dev/brand-replies.txt, one a line): apologies, "DM us
 * your order number", "follow and DM us", in the care voice the public care threads rarely use
 * (their agents mostly link articles). They teach only the brand-reply head, never evaluate it
 * (its figures are on the care threads' held-out brands).
 */
export const BRAND_REPLIES_PATH = resolve(REPO_ROOT, "data/dev/brand-replies.txt");
export function loadBrandReplies(path = BRAND_REPLIES_PATH): Example[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8")
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .map((text) => ({ source: "brand-replies", author: "brand" as const, text, intents: intents({}), weight: 1, split: "train" as const }));
}

export function loadAll(): Example[] {
  return [
    ...loadVaderRatings(),
    ...loadTweetEvalSentiment(),
    ...loadSuggestions(),
    ...loadBitext(),
    ...loadBanking77(),
    ...loadCareThreads(),
    ...loadDevSet(),
    ...loadCorrections(),
  ];
}

/**
 * The VADER lexicon (MIT, Hutto & Gilbert 2014) as shipped in the
 * vader-sentiment package (a development dependency): one lexicon feature
 * family of the model.
 */
export function loadVaderLexicon(): Lexicon {
  const path = createRequire(import.meta.url).resolve("vader-sentiment/vader_lexicon.txt");
  const lexicon: Lexicon = new Map();
  for (const line of readFileSync(path, "utf8").split("\n")) {
    const [token, mean] = line.split("\t");
    if (token && Number.isFinite(Number(mean))) lexicon.set(hashString(token.toLowerCase()), Number(mean));
  }
  return lexicon;
}
