import { z } from "zod";
import * as c from "../../contracts";
import { Analyzer, analysisContextSchema, classifyOne, MAX_TEXT_LENGTH } from "../../understand";
import type { App, ServerContext } from "../types";
import { routeGroup } from "./route-group";

// POST /api/v1/analyze: the same analysis as `parley classify`, for a batch of texts.

export const MAX_ANALYZE_BATCH = 1000;

export const analyzeBodySchema = z
  .object({
    items: z
      .array(
        z
          .object({
            id: z.string().min(1).max(500),
            text: z.string().max(MAX_TEXT_LENGTH),
            context: analysisContextSchema.optional(),
          })
          .strict(),
      )
      .min(1)
      .max(MAX_ANALYZE_BATCH, { message: `at most ${MAX_ANALYZE_BATCH} items per request` }),
  })
  .strict();

export function understandRoutes(app: App, _context: ServerContext) {
  // Loaded on first use, so starting the server (and every test app) stays quick.
  let analyzer: Analyzer | undefined;
  routeGroup(app, ["understanding"]).post("/analyze", {
    access: "crm:read",
    summary: "Analyze texts: language, sentiment, intents, labels, priority and reasons",
    description:
      `Up to ${MAX_ANALYZE_BATCH} items per request; results come back in the same order. ` +
      "Optional context per item (followers, lifecycle_stage, open_deals, open_deal_value, waiting_minutes, products) feeds the priority.",
    body: analyzeBodySchema,
    response: c.analyzeResponseSchema,
    run: (_actor, { body }) => {
      analyzer ??= new Analyzer();
      const ready = analyzer;
      return { results: body.items.map((item) => classifyOne(ready, item)) };
    },
  });
}
