import type { App, ServerContext } from "../types";

export function transferRoutes(_app: App, _ctx: ServerContext) {}
