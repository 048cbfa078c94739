import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { hasZodFastifySchemaValidationErrors } from "fastify-type-provider-zod";
import { z } from "zod";
import { AppError, type ErrorCode, type ErrorDetail } from "../shared/errors";

// The one place where domain error codes become HTTP statuses.
export const STATUS: Record<ErrorCode, number> = {
  validation_error: 400,
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  internal: 500,
};

/** Every error answer (OpenAPI response schema). */
export const errorResponseSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z
      .array(z.object({ field: z.string().optional(), row: z.number().optional(), column: z.string().optional(), message: z.string() }))
      .optional(),
  }),
});

export function sendError(reply: FastifyReply, code: ErrorCode, message: string, details?: ErrorDetail[]) {
  return reply
    .status(STATUS[code])
    .type("application/json")
    .send({ error: { code, message, ...(details?.length ? { details } : {}) } });
}

type ValidationIssue = { instancePath?: string; message?: string; params?: Record<string, unknown> };

function validationDetails(context: string | undefined, issues: ValidationIssue[]): ErrorDetail[] {
  return issues.map((issue) => {
    const path = (issue.instancePath ?? "").replace(/^\//, "").replaceAll("/", ".");
    const keys = issue.params?.keys as string[] | undefined;
    if (keys?.length) {
      const field = keys.map((k) => (path ? `${path}.${k}` : k)).join(", ");
      return { field, message: `unknown field(s) in ${context ?? "request"}: ${keys.join(", ")}` };
    }
    return { field: path || context || "body", message: issue.message ?? "is invalid" };
  });
}

export function handleError(err: FastifyError | Error, request: FastifyRequest, reply: FastifyReply) {
  if (err instanceof AppError) {
    if (err.retryAfterSeconds !== undefined) reply.header("retry-after", String(err.retryAfterSeconds));
    return sendError(reply, err.code, err.message, err.details);
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const context = (err as { validationContext?: string }).validationContext;
    const details = validationDetails(context, err.validation as ValidationIssue[]);
    return sendError(reply, "validation_error", details.map((d) => `${d.field}: ${d.message}`).join("; "), details);
  }
  const fe = err as FastifyError;
  switch (fe.code) {
    case "FST_ERR_CTP_INVALID_JSON_BODY":
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return sendError(reply, "bad_request", `Malformed JSON body: ${fe.message}`, [{ field: "body", message: "is not valid JSON" }]);
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return sendError(reply, "payload_too_large", "The request body is too large");
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return sendError(reply, "unsupported_media_type", `Unsupported Content-Type: ${request.headers["content-type"] ?? "none"}`);
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return sendError(reply, "bad_request", "Content-Length does not match the body");
    default:
      break;
  }
  if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
    return sendError(reply, fe.statusCode === 404 ? "not_found" : "bad_request", fe.message);
  }
  request.log.error({ err }, "unhandled error");
  return sendError(reply, "internal", "Something went wrong on our side; it has been logged");
}
