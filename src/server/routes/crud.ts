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

/** The domain call's answer is checked against the response schema, as routeGroup checks it. */
type Answer<R extends Schema> = Promise<z.output<R>>;

export type CrudRoutes<
  LQ extends Schema,
  LR extends Schema,
  CB extends Schema,
  CR extends Schema,
  GR extends Schema,
  PB extends Schema,
  PR extends Schema,
> = {
  /** The collection's path, e.g. "/organizations"; one record is `${path}/:id`. */
  path: string;
  tags: string[];
  /** Who may list and get (default crm:read). */
  read?: Permission;
  /** Who may create, patch and delete. */
  write: Permission;
  list?: { summary: string; querystring?: LQ; response: LR; run: (actor: Actor, query: z.output<LQ>) => Answer<LR> };
  create?: { summary: string; body: CB; response: CR; run: (actor: Actor, body: z.output<CB>) => Answer<CR> };
  get?: { summary: string; response: GR; run: (actor: Actor, id: Id) => Answer<GR> };
  patch?: { summary: string; body: PB; response: PR; run: (actor: Actor, id: Id, body: z.output<PB>) => Answer<PR> };
  remove?: { summary: string; run: (actor: Actor, id: Id) => Promise<unknown> };
};

export function crudRoutes<
  LQ extends Schema = Schema,
  LR extends Schema = Schema,
  CB extends Schema = Schema,
  CR extends Schema = Schema,
  GR extends Schema = Schema,
  PB extends Schema = Schema,
  PR extends Schema = Schema,
>(app: App, routes: CrudRoutes<LQ, LR, CB, CR, GR, PB, PR>): void {
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
