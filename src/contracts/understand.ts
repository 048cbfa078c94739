import { z } from "zod";
import { INTENTS, SENTIMENTS } from "./enums";

// Understanding: what POST /analyze answers, one result per item in the request's order (the
// same fields as `parley classify --json`).

const probability = z.number().min(0).max(1);

export const analysisResultSchema = z.looseObject({
  /** The item's id as sent. */
  id: z.string(),
  language: z.string(),
  sentiment: z.looseObject({ label: z.enum(SENTIMENTS), score: z.number() }),
  /** Probability of each intent. */
  intents: z.record(z.enum(INTENTS), probability),
  /** The intents that passed their thresholds. */
  labels: z.array(z.enum(INTENTS)),
  priority: z.number(),
  reasons: z.array(z.string()),
  /** Probability of each extra signal (irony, toxic): they add to priority, never change the labels. */
  signals: z.record(z.string(), probability),
  /** Products named in the text, when the item's context listed products. */
  products: z.array(z.string()).optional(),
});
export const analyzeResponseSchema = z.looseObject({ results: z.array(analysisResultSchema) });
