import type { z } from "zod";
import type { Actor, Permission } from "../../accounts";
import * as c from "../../contracts";
import { actorOf } from "../auth";
import type { App } from "../types";

// The five routes most record types share — list, create, get, patch, delete — from one
// descriptor: each says its summary, schemas and the domain call; the permission check,
// the {id} parameter, the 201/204 statuses and the OpenAPI tags are written here once.
// Routes are registered in that order; a record's other routes follow the call.

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
  /** The {id} parameter's schema (default the contracts' idParams). */
  params?: z.ZodObject<{ id: z.ZodType<Id> }>;
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
  const { path, tags, read = "crm:read", write, params = c.idParams, list, create, get, patch, remove } = routes;
  const one = `${path}/:id`;
  if (list) {
    const querystring = list.querystring ? { querystring: list.querystring } : {};
    app.get(
      path,
      { config: { access: read }, schema: { tags, summary: list.summary, ...querystring, response: { 200: list.response } } },
      async (request) => list.run(actorOf(request), request.query as z.output<LQ>),
    );
  }
  if (create) {
    app.post(
      path,
      { config: { access: write }, schema: { tags, summary: create.summary, body: create.body, response: { 201: create.response } } },
      async (request, reply) => reply.status(201).send(await create.run(actorOf(request), request.body as z.output<CB>)),
    );
  }
  if (get) {
    app.get(
      one,
      { config: { access: read }, schema: { tags, summary: get.summary, params, response: { 200: get.response } } },
      async (request) => get.run(actorOf(request), (request.params as { id: Id }).id),
    );
  }
  if (patch) {
    app.patch(
      one,
      { config: { access: write }, schema: { tags, summary: patch.summary, params, body: patch.body, response: { 200: patch.response } } },
      async (request) => patch.run(actorOf(request), (request.params as { id: Id }).id, request.body as z.output<PB>),
    );
  }
  if (remove) {
    app.delete(
      one,
      { config: { access: write }, schema: { tags, summary: remove.summary, params, response: { 204: c.noContent } } },
      async (request, reply) => {
        await remove.run(actorOf(request), (request.params as { id: Id }).id);
        return reply.status(204).send();
      },
    );
  }
}
