import { AppError } from "../shared/errors";

// What became of each message of a batch, and the answer a sender gets.

export type IngestStatus = "stored" | "duplicate" | "collapsed" | "filtered" | "rejected";

export type FieldError = { field: string; message: string };

export type IngestOutcome = {
  status: IngestStatus;
  external_id?: string;
  message_id?: string;
  conversation_id?: string;
  reason?: string;
  /** Why a message was rejected, field by field. */
  errors?: FieldError[];
};

export function summarize(outcomes: IngestOutcome[]) {
  const count = (s: IngestStatus) => outcomes.filter((o) => o.status === s).length;
  return {
    received: outcomes.length,
    stored: count("stored"),
    duplicates: count("duplicate"),
    collapsed: count("collapsed"),
    filtered: count("filtered"),
    rejected: outcomes.flatMap((o, index) =>
      o.status === "rejected" ? [{ index, external_id: o.external_id ?? null, reason: o.reason ?? "", errors: o.errors ?? [] }] : [],
    ),
  };
}

/**
 * The answer to a sender (batch API, webhook): the summary with every outcome, or,
 * when every message was rejected, an `unprocessable` error (422) naming each
 * message's fields, so that a sender never takes a delivery that stored nothing
 * for a success.
 */
export function acknowledge(outcomes: IngestOutcome[]) {
  if (outcomes.length > 0 && outcomes.every((o) => o.status === "rejected")) {
    const details = outcomes.flatMap((o, index) =>
      (o.errors?.length ? o.errors : [{ field: "message", message: o.reason ?? "is invalid" }]).map((e) => ({
        field: `messages.${index}${e.field === "message" ? "" : `.${e.field}`}`,
        message: e.message,
      })),
    );
    const n = outcomes.length;
    throw new AppError("unprocessable", `${n === 1 ? "The message was" : `All ${n} messages were`} rejected; nothing was stored`, details);
  }
  return { ...summarize(outcomes), results: outcomes };
}
