import { z } from "zod";
import { AppError } from "../../shared/errors";

/** Parses a channel's config with a connector's schema; errors name the field as `config.<field>`. */
export function parseConfig<T>(schema: z.ZodType<T>, raw: unknown): T {
  const parsed = schema.safeParse(raw ?? {});
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map((issue) => {
    const keys = issue.code === "unrecognized_keys" ? issue.keys : [];
    const path = ["config", ...issue.path.map(String)].join(".");
    if (keys.length) return { field: keys.map((k) => `${path}.${k}`).join(", "), message: `unknown field(s): ${keys.join(", ")}` };
    return { field: path, message: issue.message };
  });
  const first = details[0] ?? { field: "config", message: "is invalid" };
  throw new AppError("validation_error", `${first.field}: ${first.message}`, details);
}

export const httpUrl = (what: string) =>
  z
    .string({ message: `must be the ${what} (a URL)` })
    .trim()
    .url({ message: `must be the ${what} (an http or https URL)` })
    .refine((v) => /^https?:\/\//i.test(v), { message: `must be an http or https URL` });

/** How often to poll, in seconds; the connector's default when absent. */
export const pollInterval = z.number().int().min(10).max(86_400).optional();
