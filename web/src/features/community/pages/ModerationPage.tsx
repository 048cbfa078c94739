import { Anchor, Badge, Button, Card, Group, Stack, Text } from "@mantine/core";
import { LoadError } from "../../../ui/LoadError";
import { PageHeader } from "../../../ui/PageHeader";
import { PortalSettingsCard } from "../components/PortalSettingsCard";
import { useCommunitySettings, useModerate, useModerationQueue } from "../queries";

// The community's moderation queue: posts members reported or the pipeline called spam. A
// moderator hides a post (gone from the portal), restores it, or dismisses the reports. Posts
// are shown as text: they are strangers' words.
export function ModerationPage() {
  const settings = useCommunitySettings();
  const queue = useModerationQueue();
  const moderate = useModerate();
  const items = queue.data?.data ?? [];
  return (
    <>
      <PageHeader
        title="Community moderation"
        description={
          settings.data ? (
            <>
              The public portal is at{" "}
              <Anchor href={settings.data.url} target="_blank" rel="noopener">
                {settings.data.url}
              </Anchor>
            </>
          ) : null
        }
      />
      {settings.data ? <PortalSettingsCard key={settings.data.url} settings={settings.data} /> : null}
      {queue.error ? <LoadError error={queue.error} /> : null}
      {queue.isSuccess && items.length === 0 ? <Text c="dimmed">Nothing is waiting for a moderator.</Text> : null}
      <Stack gap="sm" aria-label="Moderation queue">
        {items.map((item) => (
          <Card key={item.post_id} withBorder aria-label={`Post by ${item.author.name}`}>
            <Group gap="xs" mb="xs">
              <Text fw={600}>{item.author.name}</Text>
              <Badge variant="light">{item.author.trust_name}</Badge>
              <Badge variant="outline">{item.kind.replace(/_/g, " ")}</Badge>
              {item.spam ? <Badge color="orange">spam</Badge> : null}
              {item.hidden ? <Badge color="gray">hidden</Badge> : null}
            </Group>
            {item.title ? <Text fw={600}>{item.title}</Text> : null}
            <Text style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>{item.body}</Text>
            {item.reasons.length > 0 ? (
              <Text size="sm" c="dimmed" mt="xs">
                Reported: {item.reasons.join(" · ")}
              </Text>
            ) : null}
            <Group gap="xs" mt="sm">
              {item.hidden ? (
                <Button size="xs" variant="light" onClick={() => moderate.mutate({ post_id: item.post_id, action: "restore" })}>
                  Restore
                </Button>
              ) : (
                <Button size="xs" color="red" onClick={() => moderate.mutate({ post_id: item.post_id, action: "hide" })}>
                  Hide
                </Button>
              )}
              <Button size="xs" variant="default" onClick={() => moderate.mutate({ post_id: item.post_id, action: "dismiss" })}>
                Dismiss reports
              </Button>
              {item.conversation_id ? (
                <Anchor size="sm" href={`/inbox/${item.conversation_id}`}>
                  Open in inbox
                </Anchor>
              ) : null}
            </Group>
          </Card>
        ))}
      </Stack>
    </>
  );
}
