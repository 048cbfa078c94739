// Ingest: the pipeline that turns posts from every source (connectors, webhooks,
// files, the batch API) into stored, analyzed, threaded messages, one transaction
// per batch, exactly once per (network, external_id). The Ingestor queues and
// batches submissions (with backpressure); the Notifier fans stored messages out
// after commit. Sources live in listen/ and call this module; it never calls them.

export {
  htmlToText,
  messageJsonSchema,
  type NormalizedMessage,
  type NormalizedMessageInput,
  normalizedMessageSchema,
  sanitizePostHtml,
} from "./message";
export {
  acknowledge,
  contentHash,
  type FieldError,
  type IngestOptions,
  type IngestOutcome,
  Ingestor,
  type IngestStatus,
  ingestBatch,
  type ListenedItem,
  type MessageEvent,
  Notifier,
  summarize,
} from "./pipeline";
export { type AnalysisColumns, analysisColumns, modelVersion } from "./understand";
