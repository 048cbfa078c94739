import type { z } from "zod";
import type { Actor, Permission } from "../../accounts";
import type { App } from "../types";
import { routeGroup } from "./route-group";

// The five routes most record types share — list, create, get, patch, delete — from one
// descriptor: each says its summary, schemas and the domain call; the permission check,
// the {id} parameter, the 201/204 statuses and the OpenAPI tags are written once, in
// routeGroup. Routes are registered in that order; a record's other routes follow the call.

type Schema = z.ZodType;
type Id = string;

export type CrudRoutes<LQ extends Schema, CB extends Schema, PB extends Schema> = {
  /** The collection's path, e.g. "/organizations"; one record is `${path}/:id`. */
  path: string;
  tags: string[];
  /** Who may list and get (default crm:read). */
  read?: Permission;
  /** Who may create, patch and delete. */
  write: Permission;
  list?: { summary: string; querystring?: LQ; response: Schema; run: (actor: Actor, query: z.output<LQ>) => Promise<unknown> };
  create?: { summary: string; body: CB; response: Schema; run: (actor: Actor, body: z.output<CB>) => Promise<unknown> };
  get?: { summary: string; response: Schema; run: (actor: Actor, id: Id) => Promise<unknown> };
  patch?: { summary: string; body: PB; response: Schema; run: (actor: Actor, id: Id, body: z.output<PB>) => Promise<unknown> };
  remove?: { summary: string; run: (actor: Actor, id: Id) => Promise<unknown> };
};

export function crudRoutes<LQ extends Schema = Schema, CB extends Schema = Schema, PB extends Schema = Schema>(
  app: App,
  routes: CrudRoutes<LQ, CB, PB>,
): void {
  const { path, tags, read = "crm:read", write, list, create, get, patch, remove } = routes;
  const route = routeGroup(app, tags);
  const one = `${path}/:id` as const;
  if (list) {
    const { summary, querystring, response, run } = list;
    route.get(path, { access: read, summary, querystring, response, run: (actor, { query }) => run(actor, query) });
  }
  if (create) {
    const { summary, body, response, run } = create;
    route.post(path, { access: write, summary, body, response, status: 201, run: (actor, input) => run(actor, input.body) });
  }
  if (get) route.get(one, { access: read, summary: get.summary, response: get.response, run: (actor, { id }) => get.run(actor, id) });
  if (patch) {
    const { summary, body, response, run } = patch;
    route.patch(one, { access: write, summary, body, response, run: (actor, input) => run(actor, input.id, input.body) });
  }
  if (remove) route.delete(one, { access: write, summary: remove.summary, status: 204, run: (actor, { id }) => remove.run(actor, id) });
}
