import { z } from "zod";
import type { Analysis, AnalysisContext, Analyzer } from "./analyze";

// The public contract of `parley classify` and POST /api/v1/analyze: one
// result per input, in input order, with exactly these keys; a bad input gets
// `{id, error}` instead and the rest go on.

export const MAX_TEXT_LENGTH = 100_000;

export const analysisContextSchema = z
  .object({
    followers: z.number().int().min(0).optional().describe("Followers of the author's profile"),
    lifecycle_stage: z.string().max(40).optional().describe("The contact's lifecycle stage"),
    open_deals: z.number().int().min(0).optional(),
    open_deal_value: z.number().min(0).optional(),
    waiting_minutes: z.number().min(0).optional().describe("How long the post has waited for an answer"),
    products: z.array(z.string().min(1).max(200)).max(500).optional().describe("Product names to look for"),
    direction: z.enum(["inbound", "outbound"]).optional().describe("outbound: written by one of your own accounts, which is never spam"),
  })
  .strict();

export const classifyInputSchema = z.object({
  id: z.string({ message: "id must be a string" }).max(500, { message: "id is longer than 500 characters" }),
  text: z
    .string({ message: "text must be a string" })
    .max(MAX_TEXT_LENGTH, { message: `text is longer than ${MAX_TEXT_LENGTH} characters` }),
  context: analysisContextSchema.optional(),
});
export type ClassifyInput = z.infer<typeof classifyInputSchema>;

/** The analysis of one input under its id (signals were added after the original contract). */
export type ClassifyResult = { id: string } & Analysis;
export type ClassifyError = { id: unknown; error: string };

export function contextOf(input: ClassifyInput["context"]): AnalysisContext {
  if (!input) return {};
  return {
    followers: input.followers,
    lifecycleStage: input.lifecycle_stage,
    openDeals: input.open_deals,
    openDealValue: input.open_deal_value,
    waitingMinutes: input.waiting_minutes,
    products: input.products,
    outbound: input.direction === "outbound",
  };
}

export function classifyOne(analyzer: Analyzer, input: ClassifyInput): ClassifyResult {
  const a = analyzer.analyze(input.text, contextOf(input.context));
  const result: ClassifyResult = {
    id: input.id,
    language: a.language,
    sentiment: a.sentiment,
    intents: a.intents,
    labels: a.labels,
    priority: a.priority,
    reasons: a.reasons,
    signals: a.signals,
  };
  if (input.context?.products) result.products = a.products ?? [];
  return result;
}

/** One line of `parley classify` input → its output object (result or error). */
export function classifyLine(analyzer: Analyzer, line: string): ClassifyResult | ClassifyError {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { id: null, error: "not valid JSON" };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { id: null, error: "expected a JSON object" };
  const parsed = classifyInputSchema.safeParse(value);
  const id = (value as { id?: unknown }).id ?? null;
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue.path.join(".");
    const missing = issue.path.length === 1 && !Object.hasOwn(value, String(issue.path[0]));
    const message = missing ? `${field} is missing` : issue.message;
    return { id, error: message.startsWith(field) || !field ? message : `${field}: ${message}` };
  }
  return classifyOne(analyzer, parsed.data);
}
