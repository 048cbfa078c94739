// Connectors: how Parley listens to each network that it polls. Each one
// speaks the network's documented API, turns posts into normalized messages,
// and keeps a cursor the poller stores after the messages are committed.
// Add a network by implementing `Connector` (./types.ts) and listing it here.
import type { Network } from "../../store/schema";
import { blueskyConnector } from "./bluesky";
import { emailConnector } from "./email";
import { mastodonConnector } from "./mastodon";
import { redditConnector } from "./reddit";
import { rssConnector } from "./rss";
import type { Connector } from "./types";
import { xConnector } from "./x";

export { clock, parseRetryAfter, readRateLimit } from "./http";
export { type Connector, type ConnectorContext, ConnectorError, type CursorState, type PollResult, type TestResult } from "./types";

const CONNECTORS: Partial<Record<Network, Connector>> = {
  rss: rssConnector as unknown as Connector,
  mastodon: mastodonConnector as unknown as Connector,
  bluesky: blueskyConnector as unknown as Connector,
  x: xConnector as unknown as Connector,
  reddit: redditConnector as unknown as Connector,
  email: emailConnector as unknown as Connector,
};

export function connectorFor(network: string): Connector | undefined {
  return CONNECTORS[network as Network];
}

/** Networks Parley polls (the others push: webhooks, files, the API). */
export const POLLED_NETWORKS = Object.keys(CONNECTORS) as Network[];
