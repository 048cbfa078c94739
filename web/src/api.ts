// The one way the app talks to the Parley API: same-origin JSON with the
// session cookie, errors turned into ApiError so forms can show them.

export type ApiErrorDetail = { field?: string; message: string; row?: number; column?: string };

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ApiErrorDetail[] = [],
  ) {
    super(message);
    this.name = "ApiError";
  }
}

type Query = Record<string, string | number | boolean | null | undefined>;

export type RequestOptions = {
  method?: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  query?: Query;
  /** Sent as JSON unless `contentType` says otherwise (then sent as-is). */
  body?: unknown;
  contentType?: string;
  signal?: AbortSignal;
};

let onUnauthorized: () => void = () => {};

/** The app decides what a 401 means (back to the sign-in form). */
export function setUnauthorizedHandler(handler: () => void) {
  onUnauthorized = handler;
}

export function apiUrl(path: string, query?: Query): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === "") continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  return `/api/v1${path}${qs ? `?${qs}` : ""}`;
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const { method = "GET", query, body, contentType, signal } = options;
  const headers: Record<string, string> = { Accept: "application/json" };
  let payload: BodyInit | undefined;
  if (body !== undefined) {
    if (contentType) {
      headers["Content-Type"] = contentType;
      payload = body as BodyInit;
    } else {
      headers["Content-Type"] = "application/json";
      payload = JSON.stringify(body);
    }
  }
  let response: Response;
  try {
    response = await fetch(apiUrl(path, query), {
      method,
      headers,
      body: payload,
      credentials: "same-origin",
      signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === "AbortError") throw err;
    throw new ApiError(0, "network_error", "Cannot reach the Parley server. Check your connection and try again.");
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let json: unknown = null;
  if (text) {
    try {
      json = JSON.parse(text);
    } catch {
      json = null;
    }
  }
  if (!response.ok) {
    const error = readError(json);
    const apiError = new ApiError(
      response.status,
      error?.code ?? `http_${response.status}`,
      error?.message ?? `The server answered ${response.status} ${response.statusText}`.trim(),
      error?.details ?? [],
    );
    if (response.status === 401 && !path.startsWith("/auth/")) onUnauthorized();
    throw apiError;
  }
  return json as T;
}

function readError(json: unknown): { code?: string; message?: string; details?: ApiErrorDetail[] } | null {
  if (!json || typeof json !== "object" || !("error" in json)) return null;
  const error = (json as { error: unknown }).error;
  if (!error || typeof error !== "object") return null;
  const e = error as Record<string, unknown>;
  return {
    code: typeof e.code === "string" ? e.code : undefined,
    message: typeof e.message === "string" ? e.message : undefined,
    details: Array.isArray(e.details) ? (e.details as ApiErrorDetail[]) : undefined,
  };
}

/** A message fit for a person, whatever was thrown. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return "Something went wrong";
}

/** Per-field messages from a validation error, keyed by `details[].field`. */
export function fieldErrors(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!(error instanceof ApiError)) return out;
  for (const d of error.details) {
    if (d.field && !out[d.field]) out[d.field] = d.message;
  }
  return out;
}
