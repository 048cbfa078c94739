// The person view's influence: rank among everyone in the interaction graph, influence against
// the average, stance, why in words, and the most influential others of their community.
import { Anchor, Group, List, Loader, Stack, Text } from "@mantine/core";
import { Link } from "react-router-dom";
import { LoadError } from "../../../ui/LoadError";
import { Panel } from "../../../ui/Panel";
import { useContactInfluence } from "../queries";
import { PersonName } from "./PersonName";
import { StanceBadge } from "./StanceBadge";

export function InfluencePanel({ contactId }: { contactId: string }) {
  const influence = useContactInfluence(contactId);
  return (
    <Panel title="Influence" aria-label="Influence" data-testid="influence-panel">
      {influence.isPending ? (
        <Loader size="sm" aria-label="Loading influence" />
      ) : influence.isError ? (
        <LoadError error={influence.error} onRetry={() => influence.refetch()} title="Could not load influence" />
      ) : !influence.data.run ? (
        <Text size="sm" c="dimmed">
          Not computed yet: influence is computed hourly from replies, mentions and quotes.
        </Text>
      ) : !influence.data.person ? (
        <Text size="sm" c="dimmed">
          No replies, mentions or quotes with this person in the last {influence.data.run.window_days} days.
        </Text>
      ) : (
        <Stack gap="xs">
          <Group gap="sm">
            <Text size="sm" fw={600} data-testid="influence-rank">
              Rank {influence.data.person.rank} of {influence.data.run.people}
            </Text>
            <Text size="sm" c="dimmed">
              {influence.data.person.index.toFixed(1)}× the average influence
            </Text>
            <StanceBadge stance={influence.data.person.stance} />
          </Group>
          <List size="sm" spacing={2}>
            {influence.data.person.why.map((w) => (
              <List.Item key={w}>{w}</List.Item>
            ))}
          </List>
          <Text size="sm" fw={600} mt="xs">
            Community #{influence.data.person.community} · {influence.data.person.community_size} people
          </Text>
          {influence.data.community_members.length > 0 ? (
            <Stack gap={4} data-testid="community-members">
              {influence.data.community_members.map((m) => (
                <Group key={m.contact_id ?? m.profile_id ?? m.name} gap="xs" wrap="nowrap">
                  <Text size="xs" c="dimmed" w={28}>
                    #{m.rank}
                  </Text>
                  <PersonName name={m.name} contactId={m.contact_id} network={m.network} />
                  {m.stance !== "neutral" && <StanceBadge stance={m.stance} />}
                </Group>
              ))}
            </Stack>
          ) : (
            <Text size="sm" c="dimmed">
              No one else in this community.
            </Text>
          )}
          <Anchor component={Link} to="/influence" size="xs">
            Everyone by influence
          </Anchor>
        </Stack>
      )}
    </Panel>
  );
}
