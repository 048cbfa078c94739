import { z } from "zod";

// Understanding: what POST /analyze answers, one result per item in the request's order.

export const analysisResultSchema = z.looseObject({
  id: z.unknown().optional(),
  language: z.string().nullable().optional(),
  sentiment: z.unknown().optional(),
  intents: z.unknown().optional(),
  labels: z.array(z.string()).optional(),
  priority: z.number().nullable().optional(),
  reasons: z.array(z.string()).optional(),
  signals: z.unknown().optional(),
});
export const analyzeResponseSchema = z.looseObject({ results: z.array(analysisResultSchema) });
