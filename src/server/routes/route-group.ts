import type { FastifySchema } from "fastify";
import type { z } from "zod";
import type { Actor } from "../../accounts";
import * as c from "../../contracts";
import { type Access, actorOf } from "../auth";
import type { App } from "../types";

// A route beyond a record's list/create/get/patch/delete (those are crudRoutes): an action on
// one record (`/rules/:id::restore`), a sub-collection (`/contacts/:id/profiles`), a settings
// pair. Each says its path, permission, summary, schemas and the domain call; the permission
// check, the {id} parameter, the status, the OpenAPI tags and the actor are written here once.

type Schema = z.ZodType;
type Method = "get" | "post" | "put" | "patch" | "delete";

/** What the domain call receives: the path's {id} when it has one, the parsed query and body. */
export type RouteInput<Path extends string, Q extends Schema, B extends Schema> = (Path extends `${string}:id${string}`
  ? { id: string }
  : Record<never, never>) & { query: z.output<Q>; body: z.output<B> };

/** The domain call's answer is checked against the response schema, as Fastify checks a handler's. */
type Answer<R extends Schema> = z.output<R> | Promise<z.output<R>>;

export type RouteRecipe<Path extends string, Q extends Schema, B extends Schema, R extends Schema> = {
  /** Any signed-in actor or a permission; public routes have no actor and are written out. */
  access: Exclude<Access, "public">;
  summary: string;
  description?: string;
  querystring?: Q;
  body?: B;
  run: (actor: Actor, input: RouteInput<Path, Q, B>) => Answer<R>;
} & ({ status?: 200 | 201; response: R } | { status: 204 });

export type RouteGroup = {
  [M in Method]: <Path extends string, Q extends Schema = Schema, B extends Schema = Schema, R extends Schema = Schema>(
    path: Path,
    recipe: RouteRecipe<Path, Q, B, R>,
  ) => void;
};

/** Routes that share OpenAPI tags; a path with `:id` takes the contracts' id parameter. */
export function routeGroup(app: App, tags: string[]): RouteGroup {
  const add =
    (method: Method) =>
    <Path extends string, Q extends Schema, B extends Schema, R extends Schema>(path: Path, recipe: RouteRecipe<Path, Q, B, R>) => {
      const { access, summary, description, querystring, body, run } = recipe;
      const status = recipe.status ?? 200;
      const response = "response" in recipe ? recipe.response : c.noContent;
      // A plain FastifySchema: the answer was already checked against the response schema by `run`'s type.
      const schema: FastifySchema = {
        tags,
        summary,
        ...(description ? { description } : {}),
        ...(path.includes(":id") ? { params: c.idParams } : {}),
        ...(querystring ? { querystring } : {}),
        ...(body ? { body } : {}),
        response: { [status]: response },
      };
      app.route({
        method: method.toUpperCase() as Uppercase<Method>,
        url: path,
        config: { access },
        schema,
        handler: async (request, reply) => {
          const input = { ...(request.params as object), query: request.query, body: request.body } as RouteInput<Path, Q, B>;
          const result = await run(actorOf(request), input);
          if (status === 204) return reply.status(204).send();
          return status === 201 ? reply.status(201).send(result) : result;
        },
      });
    };
  return { get: add("get"), post: add("post"), put: add("put"), patch: add("patch"), delete: add("delete") };
}
