import { z } from "zod";

// Building blocks of the request and response schemas.

/** An id in a path, a body or a query. */
export const uuid = z.uuid({ message: "must be an id (UUID)" });
export const idParams = z.object({ id: uuid });

/** "true"/"false" in a query string. */
export const queryBool = z.enum(["true", "false"]).transform((v) => v === "true");
/** Cursor pagination in a query string. */
export const pageQuery = {
  cursor: z.string().max(2000).optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
};

/**
 * A point in time. The server hands a Date (or an ISO string) to the serializer, which
 * writes it as an ISO 8601 string; OpenAPI documents the string. Use `Wire<T>` for the
 * shape a client receives.
 */
export const timestamp = z
  .unknown()
  .refine((v) => v instanceof Date || typeof v === "string", { message: "must be a time" })
  .meta({ type: "string", format: "date-time" }) as unknown as z.ZodType<Date | string>;

/** Custom field values, settings and other open-ended JSON objects. */
export const jsonObject = z.record(z.string(), z.unknown());

/** A page of a cursor-paginated list. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ data: z.array(item), next_cursor: z.string().nullable(), total: z.number().nullable().optional() });
/** A whole (unpaginated) list. */
export const listOf = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item) });

export const okSchema = z.object({ ok: z.literal(true) });
/** 204 No Content: no body (`type: null` tells OpenAPI there is no content). */
export const noContent = z.unknown().meta({ type: "null", description: "No content" }) as unknown as z.ZodType<undefined>;

/** What a client receives: times are ISO strings once serialized. */
export type Wire<T> = T extends Date ? string : T extends (infer U)[] ? Wire<U>[] : T extends object ? { [K in keyof T]: Wire<T[K]> } : T;
/** The JSON a client receives from a response schema. */
export type Response<T extends z.ZodType> = Wire<z.output<T>>;

/** A downloaded file (CSV, vCard): streamed as is, never serialized. */
export const fileBody = z.unknown().meta({ type: "string", format: "binary" });
