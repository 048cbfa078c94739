import type { z } from "zod";
import { AppError } from "../shared/errors";

/** A Zod failure as Parley's validation error, naming every bad field. */
export function zodError(error: z.ZodError): AppError {
  const details = error.issues.map((i) => {
    if (i.code === "unrecognized_keys") {
      const at = i.path.length ? `${i.path.join(".")}.` : "";
      return { field: i.keys.map((k) => `${at}${k}`).join(", "), message: `unknown field(s): ${i.keys.join(", ")}` };
    }
    return { field: i.path.join(".") || "body", message: i.message };
  });
  return new AppError("validation_error", details.map((d) => `${d.field}: ${d.message}`).join("; "), details);
}

export function parseWith<T>(schema: z.ZodType<T>, raw: unknown): T {
  const parsed = schema.safeParse(raw ?? {});
  if (!parsed.success) throw zodError(parsed.error);
  return parsed.data;
}
