// Ingest: the pipeline that turns posts from every source (connectors, webhooks,
// files, the batch API) into stored, analyzed, threaded messages, one transaction
// per batch, exactly once per (network, external_id). One module per stage:
// normalize → dedupe → understand → resolve → thread → persist → notify
// (pipeline.ts runs them in that order). The Ingestor queues and batches
// submissions, with backpressure. Sources live in listen/ and call this module;
// it never calls them.

export type { IngestOptions, ListenedItem } from "./batch";
export { contentHash } from "./dedupe";
export { Ingestor } from "./ingestor";
export {
  htmlToText,
  messageJsonSchema,
  type NormalizedMessage,
  type NormalizedMessageInput,
  normalizedMessageSchema,
  sanitizePostHtml,
} from "./message";
export { type MessageEvent, Notifier } from "./notify";
export { acknowledge, type FieldError, type IngestOutcome, type IngestStatus, summarize } from "./outcomes";
export { ingestBatch } from "./pipeline";
export { type RedactionSettings, redactText } from "./redact";
export { identityHashes } from "./suppress";
export { type AnalysisColumns, analysisColumns, modelVersion } from "./understand";
