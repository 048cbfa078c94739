import { LOCAL_WORKSPACE_HEADER, LOCAL_WORKSPACE_ID_HEADER } from "../server/auth";
import { AppError, type ErrorCode, type ErrorDetail } from "../shared/errors";
import { resolveStoreOptions } from "../store/db";
import { runningServer, type ServerInfo } from "../store/lock";

// While `parley start` runs on the embedded store it holds the data dir's lock,
// so CLI commands that write go through its HTTP API instead, with the per-run
// local token it wrote to server.json (owner of the chosen workspace, loopback only).

export type LocalServer = ServerInfo & { workspace?: string };

/** The server running on this data dir, if one is (never with DATABASE_URL: PostgreSQL takes many processes). */
export function serverOnDataDir(workspace?: string): LocalServer | null {
  const options = resolveStoreOptions();
  if (options.databaseUrl || !options.dataDir || options.dataDir.startsWith("memory://")) return null;
  const info = runningServer(options.dataDir);
  return info ? { ...info, ...(workspace ? { workspace } : {}) } : null;
}

type CallOptions = {
  query?: Record<string, string | boolean | undefined>;
  json?: unknown;
  body?: string;
  contentType?: string;
};

export type ServerAnswer<T> = { data: T; workspaceId: string; response: Response };

export async function callServer<T>(
  server: LocalServer,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<ServerAnswer<T>> {
  const url = new URL(`/api/v1${path}`, server.url);
  for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
  const headers: Record<string, string> = { authorization: `Bearer ${server.token}` };
  if (server.workspace) headers[LOCAL_WORKSPACE_HEADER] = encodeURIComponent(server.workspace);
  let body: string | undefined;
  if (options.json !== undefined) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(options.json);
  } else if (options.body !== undefined) {
    headers["content-type"] = options.contentType ?? "text/plain";
    body = options.body;
  }
  let response: Response;
  try {
    response = await fetch(url, { method, headers, body });
  } catch (err) {
    throw new Error(
      `Parley is running (pid ${server.pid}, port ${server.port}) but does not answer at ${server.url}: ${(err as Error).message}`,
    );
  }
  const workspaceId = response.headers.get(LOCAL_WORKSPACE_ID_HEADER) ?? "";
  if (!response.ok) {
    const text = await response.text();
    let error: { code?: ErrorCode; message?: string; details?: ErrorDetail[] } | undefined;
    try {
      error = (JSON.parse(text) as { error?: typeof error }).error;
    } catch {
      // not Parley's error shape
    }
    throw new AppError(error?.code ?? "internal", error?.message ?? `the server answered ${response.status}`, error?.details);
  }
  if (response.status === 204) return { data: undefined as T, workspaceId, response };
  const type = response.headers.get("content-type") ?? "";
  const data = (type.includes("json") && !type.includes("ndjson") ? await response.json() : response) as T;
  return { data, workspaceId, response };
}
