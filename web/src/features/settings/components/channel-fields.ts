// What each network needs to be listened to: the config fields and credentials
// its connector reads (src/listen/connectors/*), as form fields.
import type { Network } from "../../../types";

export type ChannelField = {
  key: string;
  label: string;
  /** Credentials are stored encrypted and never shown again. */
  secret?: boolean;
  type?: "text" | "number" | "boolean";
  required?: boolean;
  placeholder?: string;
  description?: string;
  defaultValue?: string | number | boolean;
};

const feed: ChannelField[] = [
  { key: "feed_url", label: "Feed URL", required: true, placeholder: "https://example.com/feed.xml", description: "RSS 2.0 or Atom 1.0" },
];

/** Review sites and outside communities: polled when they publish a feed, else they take pushed messages. */
const optionalFeed: ChannelField[] = [
  {
    key: "feed_url",
    label: "Feed URL",
    placeholder: "https://reviews.example.com/acme.rss",
    description: "RSS or Atom; leave empty to send posts to Parley through the API instead",
  },
];

export const CHANNEL_FIELDS: Record<Network, ChannelField[]> = {
  rss: feed,
  review: optionalFeed,
  community: optionalFeed,
  mastodon: [
    { key: "instance_url", label: "Instance URL", required: true, placeholder: "https://mastodon.social" },
    { key: "hashtag", label: "Hashtag", placeholder: "acme", description: "Without the #" },
    { key: "keyword", label: "Keyword", placeholder: "acme support", description: "Needs an access token" },
    { key: "account", label: "Account", placeholder: "@acme@mastodon.social", description: "Posts by this account" },
    { key: "mentions", label: "Mentions of the token's account", type: "boolean" },
    { key: "access_token", label: "Access token", secret: true, description: "Optional; required for keyword search and mentions" },
  ],
  bluesky: [
    { key: "query", label: "Search query", required: true, placeholder: "acme OR #acme" },
    { key: "lang", label: "Language", placeholder: "en", description: "Optional language filter" },
  ],
  x: [
    { key: "query", label: "Search query", required: true, placeholder: "acme -is:retweet", description: "X API v2 recent-search syntax" },
    { key: "bearer_token", label: "Bearer token", secret: true, required: true },
  ],
  reddit: [
    { key: "subreddit", label: "Subreddit", placeholder: "acme", description: "Give a subreddit, a search, or both" },
    { key: "search", label: "Search", placeholder: "acme support" },
    { key: "access_token", label: "OAuth access token", secret: true, description: "Optional; uses oauth.reddit.com" },
  ],
  email: [
    { key: "host", label: "IMAP host", required: true, placeholder: "imap.example.com" },
    { key: "port", label: "Port", type: "number", defaultValue: 993 },
    { key: "secure", label: "TLS from the start (port 993)", type: "boolean", defaultValue: true },
    { key: "user", label: "Login", required: true, placeholder: "support@example.com" },
    { key: "mailbox", label: "Mailbox", placeholder: "INBOX" },
    { key: "password", label: "Password", secret: true, required: true },
  ],
  webhook: [],
  file: [],
};

export const NETWORK_HINTS: Partial<Record<Network, string>> = {
  webhook: "Other systems push signed messages to this channel's URL. The signing secret is shown once, when the channel is created.",
  file: "Messages are imported with `parley ingest FILE --channel NAME`; nothing is polled.",
};

export type FieldValues = Record<string, string | boolean>;

export function initialValues(network: Network, config: Record<string, unknown> = {}): FieldValues {
  const values: FieldValues = {};
  for (const field of CHANNEL_FIELDS[network]) {
    if (field.secret) {
      values[field.key] = "";
      continue;
    }
    const current = config[field.key] ?? field.defaultValue;
    values[field.key] = field.type === "boolean" ? current === true : current === undefined || current === null ? "" : String(current);
  }
  return values;
}

/** Splits form values into the API's `config` and `credentials`, leaving out empty fields. */
export function splitValues(
  network: Network,
  values: FieldValues,
  base: Record<string, unknown> = {},
): { config: Record<string, unknown>; credentials: Record<string, string> } {
  const config: Record<string, unknown> = { ...base };
  const credentials: Record<string, string> = {};
  for (const field of CHANNEL_FIELDS[network]) {
    const value = values[field.key];
    if (field.secret) {
      if (typeof value === "string" && value.trim()) credentials[field.key] = value.trim();
      continue;
    }
    if (field.type === "boolean") {
      config[field.key] = value === true;
      continue;
    }
    const text = typeof value === "string" ? value.trim() : "";
    if (!text) delete config[field.key];
    else config[field.key] = field.type === "number" ? Number(text) : text;
  }
  return { config, credentials };
}
