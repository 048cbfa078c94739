// Listening: the channels that hear customers (their connectors live in
// ./connectors, polled by ./poller; webhooks arrive through ./webhook), listening
// queries, own accounts and the brand dictionary, file formats, and the hand-off
// of received messages to ingest/. What the pipeline stores is read and worked in
// inbox/. Other modules enter here.
export * from "./channels";
export {
  type Connector,
  ConnectorError,
  connectorFor,
  parseRetryAfter,
  type ReplyAttachmentFile,
  type ReplySent,
  type ReplyTarget,
} from "./connectors";
export {
  fromActivityStreams,
  fromCsvRow,
  fromTwcsRow,
  isActivityStreams,
  TWCS_COLUMNS,
  twitterDate,
} from "./formats";
export { ingestOptions, loadDictionary } from "./ingest-options";
export {
  backoffMs,
  type ChannelPollState,
  channelPollStatus,
  itemsLastHour,
  type PollDeps,
  Poller,
  type PollOutcome,
  type PollStatus,
  pollChannel,
  pollChannelNow,
  testChannelConnection,
} from "./poller";
export { compileQueries, matches, type PreparedItem, parseQuery, prepareItem, type QueryNode, QuerySyntaxError } from "./query";
export { channelWebhookSecret, HOOK_TOLERANCE_SECONDS, receiveWebhook, type WebhookDelivery } from "./webhook";
