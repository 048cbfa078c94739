// Connectors: how Parley listens to each network that it polls. Each one
// speaks the network's documented API, turns posts into normalized messages,
// and keeps a cursor the poller stores after the messages are committed.
// Add a network by implementing `Connector` (./types.ts) and listing it here.
//
// Channel settings per network (config → stored as is; credentials → encrypted):
//   rss       config { feed_url, network?: "rss" | "review" | "community" }
//   review, community   config { feed_url } read as a feed (entries posted on the channel's network);
//             without feed_url (e.g. the community portal's own channel) they receive pushed messages
//   mastodon  config { instance_url, hashtag?, account?, keyword?, mentions?, stream? }
//             credentials { access_token? } (needed for keyword, mentions)
//   bluesky   config { query, service_url? (default https://public.api.bsky.app), lang?,
//                    stream? (Jetstream firehose), jetstream_url? }
//             credentials { access_token? }
//   x         config { query, max_results? (10–100), api_url?, stream? (filtered stream) }
//             credentials { bearer_token }
//   reddit    config { subreddit?, search?, comments? (default true), api_url? }
//             credentials { access_token? } (OAuth bearer → oauth.reddit.com)
// Every config also takes poll_interval_seconds. Outbound URLs go through
// safeFetch: private addresses are refused unless PARLEY_ALLOW_PRIVATE_URLS allows them.
import type { Network } from "../../store/schema";
import { blueskyConnector } from "./bluesky";
import { emailConnector } from "./email";
import { mastodonConnector } from "./mastodon";
import { redditConnector } from "./reddit";
import { feedConnectorAs, rssConnector } from "./rss";
import type { Connector } from "./types";
import { xConnector } from "./x";

export { clock, parseRetryAfter, readRateLimit } from "./http";
export {
  type Connector,
  type ConnectorContext,
  ConnectorError,
  type CursorState,
  type PollResult,
  type ReplyAttachmentFile,
  type ReplySent,
  type ReplyTarget,
  type TestResult,
} from "./types";

const CONNECTORS: Partial<Record<Network, Connector>> = {
  rss: rssConnector as unknown as Connector,
  mastodon: mastodonConnector as unknown as Connector,
  bluesky: blueskyConnector as unknown as Connector,
  x: xConnector as unknown as Connector,
  reddit: redditConnector as unknown as Connector,
  email: emailConnector as unknown as Connector,
};

const FEED_NETWORKS: Partial<Record<Network, Connector>> = {
  review: feedConnectorAs("review") as unknown as Connector,
  community: feedConnectorAs("community") as unknown as Connector,
};

/**
 * The connector that reads a channel. Review-site and community channels are polled when their
 * config names a feed_url (pass the channel's config); otherwise they receive pushed messages.
 */
export function connectorFor(network: string, config?: unknown): Connector | undefined {
  const direct = CONNECTORS[network as Network];
  if (direct) return direct;
  const feed = FEED_NETWORKS[network as Network];
  const c = config && typeof config === "object" ? (config as Record<string, unknown>) : {};
  return feed && c.portal !== true && c.feed_url !== undefined ? feed : undefined;
}

/** Networks Parley polls (the others push: webhooks, files, the API); feed networks only with a feed_url. */
export const POLLED_NETWORKS = [...Object.keys(CONNECTORS), ...Object.keys(FEED_NETWORKS)] as Network[];
