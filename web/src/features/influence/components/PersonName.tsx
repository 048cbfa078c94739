import { Anchor, Group, Text } from "@mantine/core";
import { Link } from "react-router-dom";
import { NetworkIcon } from "../../../ui/NetworkIcon";

/** A person in the influence lists: a contact links to their person view; a profile shows its network. Names are text. */
export function PersonName({ name, contactId, network }: { name: string; contactId: string | null; network: string | null }) {
  if (contactId)
    return (
      <Anchor component={Link} to={`/contacts/${contactId}`} size="sm" fw={500}>
        {name}
      </Anchor>
    );
  return (
    <Group gap={4} wrap="nowrap">
      {network && <NetworkIcon network={network} size={14} />}
      <Text size="sm" fw={500}>
        {name}
      </Text>
    </Group>
  );
}
