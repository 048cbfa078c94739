import { fieldName, storableJson, storableString, UNSTORABLE_MESSAGES } from "../shared/json-guard";
import type { IngestOptions, Normalized } from "./batch";
import { htmlToText, type NormalizedMessage, normalizedMessageSchema } from "./message";
import type { FieldError, IngestOutcome } from "./outcomes";

// Stage 1, normalize: each item is checked against the normalized message schema
// (rejected with its fields otherwise), given its plain text, and kept only when
// the channel's listening queries accept it.

export function normalize(items: unknown[], accepts: IngestOptions["accepts"], outcomes: IngestOutcome[]): Normalized[] {
  const wanted = accepts ?? (() => true);
  const normalized: Normalized[] = [];
  items.forEach((raw, index) => {
    const v = validate(raw);
    if (!v.ok) {
      const externalId = (raw as { external_id?: unknown })?.external_id;
      outcomes[index] = {
        status: "rejected",
        reason: reasonOf(v.errors),
        errors: v.errors,
        external_id: typeof externalId === "string" ? storableString(externalId) : undefined,
      };
      return;
    }
    const msg = v.msg;
    const text = msg.text || (msg.html ? htmlToText(msg.html) : "");
    if (!wanted({ text: `${msg.subject ?? ""} ${text}`, authorHandle: msg.author.handle, language: msg.language })) {
      outcomes[index] = { status: "filtered", external_id: msg.external_id, reason: "matches none of the channel's listening queries" };
      return;
    }
    normalized.push({ index, msg, text });
  });
  return normalized;
}

/**
 * Content from outside is kept, made storable (NUL characters dropped, lone
 * surrogates replaced: PostgreSQL refuses both), then checked against the
 * normalized message schema; every problem is reported with its field.
 */
function validate(raw: unknown): { ok: true; msg: NormalizedMessage } | { ok: false; errors: FieldError[] } {
  const clean = storableJson(raw);
  if (!clean.ok) {
    const field = fieldName({ path: clean.path, problem: "depth" }, "message");
    return { ok: false, errors: [{ field, message: UNSTORABLE_MESSAGES.depth }] };
  }
  const parsed = normalizedMessageSchema.safeParse(clean.value);
  if (parsed.success) return { ok: true, msg: parsed.data };
  const errors = parsed.error.issues.flatMap((issue): FieldError[] => {
    const where = issue.path.map(String);
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((k) => ({ field: [...where, k].join("."), message: "is not a field of the normalized message" }));
    }
    return [{ field: where.join(".") || "message", message: issue.message }];
  });
  return { ok: false, errors };
}

const reasonOf = (errors: FieldError[]) => errors.map((e) => `${e.field}: ${e.message}`).join("; ");
