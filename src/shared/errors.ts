// Domain code throws error codes, never HTTP statuses; the server maps codes
// to statuses in one table (server/errors.ts).
export type ErrorCode =
  | "validation_error"
  | "bad_request"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "unprocessable"
  | "payload_too_large"
  | "unsupported_media_type"
  | "rate_limited"
  | "internal";

export type ErrorDetail = { field?: string; row?: number; column?: string; message: string };

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
  ) {
    super(message);
    this.name = "AppError";
  }
  /** Seconds after which a retry may succeed ("rate_limited"); sent as Retry-After. */
  retryAfterSeconds?: number;
}

export const notFound = (what: string) => new AppError("not_found", `${what} not found`);
export const invalid = (field: string, message: string) => new AppError("validation_error", `${field}: ${message}`, [{ field, message }]);
