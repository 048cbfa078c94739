// How each network is shown: an icon and a name, the same everywhere.
import { Badge, type MantineColor, Tooltip } from "@mantine/core";
import {
  type Icon,
  IconBrandBluesky,
  IconBrandMastodon,
  IconBrandReddit,
  IconBrandX,
  IconFileText,
  IconMail,
  IconRss,
  IconStar,
  IconUsersGroup,
  IconWebhook,
} from "@tabler/icons-react";
import type { ConversationStatus, Network } from "../types";

const NETWORK_LOOK: Record<Network, { label: string; icon: Icon }> = {
  rss: { label: "RSS / Atom", icon: IconRss },
  mastodon: { label: "Mastodon", icon: IconBrandMastodon },
  bluesky: { label: "Bluesky", icon: IconBrandBluesky },
  x: { label: "X", icon: IconBrandX },
  reddit: { label: "Reddit", icon: IconBrandReddit },
  email: { label: "Email", icon: IconMail },
  webhook: { label: "Webhook", icon: IconWebhook },
  community: { label: "Community", icon: IconUsersGroup },
  review: { label: "Reviews", icon: IconStar },
  file: { label: "File import", icon: IconFileText },
};

export function networkLabel(network: Network | string): string {
  return NETWORK_LOOK[network as Network]?.label ?? network;
}

export function NetworkIcon({ network, size = 18 }: { network: Network | string; size?: number }) {
  const look = NETWORK_LOOK[network as Network] ?? { label: network, icon: IconFileText };
  return (
    <Tooltip label={look.label} withArrow>
      <look.icon size={size} stroke={1.6} role="img" aria-label={look.label} style={{ flex: "none" }} />
    </Tooltip>
  );
}

const STATUS_COLOR: Record<ConversationStatus, MantineColor> = {
  new: "blue",
  open: "teal",
  pending: "yellow",
  closed: "gray",
};

export function StatusBadge({ status }: { status: ConversationStatus }) {
  return (
    <Badge size="sm" variant="light" color={STATUS_COLOR[status] ?? "gray"} radius="sm" data-testid="status-badge">
      {status}
    </Badge>
  );
}
