import type { FastifyRequest } from "fastify";
import { AppError } from "../shared/errors";
import { fieldName, findUnstorable, type JsonPath, UNSTORABLE_MESSAGES } from "../shared/json-guard";

// One guard at the edge of the API, before any schema or database sees the input:
// params, query strings and bodies holding a NUL character or a lone surrogate
// (PostgreSQL cannot store either) or nesting deeper than 64 levels get a 400
// naming the field. Routes that ingest content from outside list its body fields
// in `config.contentFields`; strings there are cleaned by the pipeline instead
// (NUL dropped, the message kept), and only their depth is checked here.

/**
 * Bodies that carry messages (the batch API, webhooks) may be larger than other JSON
 * bodies (1 MB): 1,000 messages with their source payloads (`raw`) easily pass 1 MB.
 */
export const INGEST_BODY_LIMIT = 5 * 1024 * 1024;

declare module "fastify" {
  interface FastifyContextConfig {
    /** Top-level body fields holding ingested content (cleaned by the pipeline, not refused here). */
    contentFields?: string[];
  }
}

const CONTEXTS = [
  ["params", (r: FastifyRequest) => r.params],
  ["querystring", (r: FastifyRequest) => r.query],
  ["body", (r: FastifyRequest) => r.body],
] as const;

export async function guardRequestInput(request: FastifyRequest) {
  const contentFields = request.routeOptions.config.contentFields ?? [];
  for (const [context, read] of CONTEXTS) {
    const isContent =
      context === "body" && contentFields.length > 0 ? (path: JsonPath) => contentFields.includes(String(path[0])) : undefined;
    const found = findUnstorable(read(request), { isContent });
    if (!found) continue;
    const field = fieldName(found, context);
    const message = UNSTORABLE_MESSAGES[found.problem];
    throw new AppError("validation_error", `${field}: ${message}`, [{ field, message }]);
  }
}
