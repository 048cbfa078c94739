// One conversation: the thread in order, who wrote it, and its handling
// (status, assignee, team). Everything in a message came from outside and is
// hostile: it is rendered as text only, and links are kept to http(s).
import { Anchor, Avatar, Badge, Box, Button, Group, Paper, Select, SimpleGrid, Stack, Text, Title, Tooltip } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconArrowLeft, IconCopy, IconExternalLink, IconRepeat, IconRosetteDiscountCheck } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import dayjs from "dayjs";
import { Link } from "react-router-dom";
import { api, errorMessage } from "../../../api";
import { usePermissions } from "../../../auth";
import { safeHttpUrl } from "../../../format";
import { keys, useTeams } from "../../../queries";
import { CONVERSATION_STATUSES, type Conversation, type ConversationStatus, type Message, type Profile } from "../../../types";
import { LoadError } from "../../../ui/LoadError";
import { NetworkIcon, networkLabel, StatusBadge } from "../../../ui/NetworkIcon";
import { MemberSelect } from "../../contacts/components/pickers";
import { RuleRuns } from "../../rules/components/RuleRuns";
import type { RuleRun } from "../../rules/types";
import { DeliveryStatus } from "./DeliveryStatus";
import { MessageAnalysis } from "./MessageAnalysis";
import { NotesPanel } from "./NotesPanel";
import { PresenceBar, usePresence } from "./presence";
import { ReplyComposer } from "./ReplyComposer";
import { MessageImages } from "./ReplyImages";
import { SnoozeMenu, useMarkRead } from "./triage";

type Patch = { status?: ConversationStatus; assignee_id?: string | null; team_id?: string | null };

export function ConversationView({ id, backHref }: { id: string; backHref: string }) {
  const client = useQueryClient();
  const { canWrite } = usePermissions();
  const teams = useTeams();
  const conversation = useQuery({
    queryKey: keys.conversation(id),
    queryFn: ({ signal }) => api<Conversation>(`/conversations/${id}`, { signal }),
    // A reply on its way: look again until the network has it (or refused it).
    refetchInterval: (query) => (query.state.data?.messages.some((m) => m.delivery?.status === "sending") ? 1500 : false),
  });
  const presence = usePresence(id);
  useMarkRead(id, conversation.data?.last_message_at);
  const update = useMutation({
    mutationFn: (patch: Patch) => api<Conversation>(`/conversations/${id}`, { method: "PATCH", body: patch }),
    onSuccess: (updated) => {
      client.setQueryData(keys.conversation(id), updated);
      client.invalidateQueries({ queryKey: keys.conversations });
    },
    onError: (error) => notifications.show({ color: "red", title: "Could not update the conversation", message: errorMessage(error) }),
  });

  if (conversation.isError) {
    return <LoadError error={conversation.error} onRetry={() => conversation.refetch()} title="Could not load this conversation" />;
  }
  if (conversation.isPending) {
    return (
      <Paper withBorder radius="md" p="lg">
        <Text size="sm" c="dimmed">
          Loading conversation…
        </Text>
      </Paper>
    );
  }
  const c = conversation.data;
  const profiles = new Map(c.profiles.map((p) => [p.id, p]));
  const first = c.messages.find((m) => m.direction === "inbound") ?? c.messages[0];
  const mainProfile = first?.profile_id ? profiles.get(first.profile_id) : undefined;
  const otherProfiles = c.profiles.filter((p) => p.id !== mainProfile?.id);
  const title =
    c.subject || (first ? `${first.author.name || first.author.handle || "Someone"} on ${networkLabel(c.network)}` : "Conversation");

  return (
    <Stack gap="md" component="section" aria-label="Conversation">
      <PresenceBar others={presence.others} />
      <Paper withBorder radius="md" p="md">
        <Stack gap="sm">
          <Group justify="space-between" wrap="nowrap" align="flex-start">
            <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
              <Button component={Link} to={backHref} variant="subtle" size="compact-sm" hiddenFrom="md" aria-label="Back to the inbox">
                <IconArrowLeft size={16} />
              </Button>
              <NetworkIcon network={c.network} size={20} />
              <Title order={2} size="h4" style={{ overflowWrap: "anywhere" }}>
                <bdi>{title}</bdi>
              </Title>
            </Group>
            <Group gap="xs" wrap="nowrap">
              {canWrite && <SnoozeMenu conversationId={id} snoozedUntil={c.snoozed_until ?? null} />}
              <StatusBadge status={c.status} />
            </Group>
          </Group>
          <Text size="xs" c="dimmed">
            {c.message_count} {c.message_count === 1 ? "message" : "messages"}
            {c.first_message_at ? ` · started ${dayjs(c.first_message_at).format("MMM D, YYYY HH:mm")}` : ""}
          </Text>
          <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="xs">
            <Select
              label="Status"
              size="xs"
              data={CONVERSATION_STATUSES.map((s) => ({ value: s, label: s[0].toUpperCase() + s.slice(1) }))}
              value={c.status}
              allowDeselect={false}
              disabled={!canWrite || update.isPending}
              onChange={(v) => v && v !== c.status && update.mutate({ status: v as ConversationStatus })}
            />
            <MemberSelect
              label="Assignee"
              placeholder="Nobody"
              size="xs"
              value={c.assignee_id}
              disabled={!canWrite || update.isPending}
              onChange={(v) => update.mutate({ assignee_id: v })}
            />
            <Select
              label="Team"
              placeholder="No team"
              size="xs"
              clearable
              data={(teams.data ?? []).map((t) => ({ value: t.id, label: t.name }))}
              value={c.team_id}
              disabled={!canWrite || update.isPending}
              onChange={(v) => update.mutate({ team_id: v })}
              nothingFoundMessage="No teams yet"
            />
          </SimpleGrid>
        </Stack>
      </Paper>

      {mainProfile && <AuthorCard profile={mainProfile} />}

      <Stack gap="sm" component="ol" aria-label="Messages" p={0} m={0} style={{ listStyle: "none" }}>
        {c.messages.map((m) => (
          <MessageItem key={m.id} message={m} profile={m.profile_id ? profiles.get(m.profile_id) : undefined} canWrite={canWrite} />
        ))}
      </Stack>

      <NotesPanel conversationId={id} canWrite={canWrite} />

      {canWrite && <ReplyComposer conversationId={id} />}

      <RuleRuns runs={(c as { rule_runs?: RuleRun[] }).rule_runs} />

      {otherProfiles.length > 0 && (
        <Stack gap="xs">
          <Text size="sm" fw={600}>
            Also in this conversation
          </Text>
          {otherProfiles.slice(0, 5).map((p) => (
            <AuthorCard key={p.id} profile={p} compact />
          ))}
        </Stack>
      )}
    </Stack>
  );
}

function MessageItem({ message: m, profile, canWrite }: { message: Message; profile: Profile | undefined; canWrite: boolean }) {
  const outbound = m.direction === "outbound";
  const href = safeHttpUrl(m.url);
  const name = m.author.name || profile?.display_name || (m.author.handle ? `@${m.author.handle}` : "Unknown author");
  return (
    <Box component="li" style={{ display: "flex", justifyContent: outbound ? "flex-end" : "flex-start" }} data-testid="message">
      <Paper
        withBorder
        radius="md"
        p="sm"
        w="min(100%, 560px)"
        bg={outbound ? "var(--mantine-color-indigo-0)" : "white"}
        aria-label={`${outbound ? "Sent" : "Received"} message from ${name}`}
      >
        <Group justify="space-between" gap="xs" wrap="nowrap" mb={4}>
          <Group gap={6} wrap="nowrap" style={{ minWidth: 0 }}>
            <NetworkIcon network={m.network} size={14} />
            <Text size="sm" fw={600} truncate="end">
              <bdi>{name}</bdi>
            </Text>
            {m.author.handle && m.author.name && (
              <Text size="xs" c="dimmed" truncate="end">
                @<bdi>{m.author.handle}</bdi>
              </Text>
            )}
            {outbound && (
              <Badge size="xs" variant="light" color="indigo">
                Outbound
              </Badge>
            )}
          </Group>
          <Tooltip label={dayjs(m.posted_at).format("MMM D, YYYY HH:mm:ss")} withArrow>
            <Text size="xs" c="dimmed" style={{ flex: "none" }}>
              <time dateTime={m.posted_at}>{dayjs(m.posted_at).format("MMM D, HH:mm")}</time>
            </Text>
          </Tooltip>
        </Group>
        {m.subject && (
          <Text size="sm" fw={500} mb={2} style={{ overflowWrap: "anywhere" }}>
            <bdi>{m.subject}</bdi>
          </Text>
        )}
        <Text size="sm" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }} data-testid="message-text">
          <bdi>{m.text || "(no text)"}</bdi>
        </Text>
        {m.attachments && m.attachments.length > 0 && <MessageImages attachments={m.attachments} />}
        {m.direction === "inbound" && <MessageAnalysis message={m} canWrite={canWrite} />}
        {m.delivery && <DeliveryStatus message={m} delivery={m.delivery} canWrite={canWrite} />}
        <Group gap="sm" mt={6}>
          {href && (
            <Anchor href={href} target="_blank" rel="noopener noreferrer nofollow" size="xs">
              <Group gap={4} wrap="nowrap">
                View on {networkLabel(m.network)}
                <IconExternalLink size={12} />
              </Group>
            </Anchor>
          )}
          {m.repost_count > 0 && (
            <Group gap={4} c="dimmed">
              <IconRepeat size={12} />
              <Text size="xs">
                {m.repost_count} {m.repost_count === 1 ? "repost" : "reposts"}
              </Text>
            </Group>
          )}
          {m.duplicate_count > 0 && (
            <Group gap={4} c="dimmed">
              <IconCopy size={12} />
              <Text size="xs">
                {m.duplicate_count} near-identical {m.duplicate_count === 1 ? "copy" : "copies"}
              </Text>
            </Group>
          )}
        </Group>
      </Paper>
    </Box>
  );
}

function AuthorCard({ profile: p, compact = false }: { profile: Profile; compact?: boolean }) {
  const href = safeHttpUrl(p.profile_url);
  const name = p.display_name || (p.handle ? `@${p.handle}` : "Unknown");
  return (
    <Paper withBorder radius="md" p="sm" aria-label={`Author ${name}`} component="section">
      <Group gap="sm" wrap="nowrap" align="flex-start">
        <Avatar radius="xl" color="indigo" size={compact ? "sm" : "md"}>
          {name.replace(/^@/, "").slice(0, 1).toUpperCase()}
        </Avatar>
        <Stack gap={2} style={{ minWidth: 0, flex: 1 }}>
          <Group gap={6} wrap="nowrap">
            <Text size="sm" fw={600} truncate="end" data-testid="author-name">
              <bdi>{name}</bdi>
            </Text>
            {p.verified && (
              <Tooltip label="Verified on the network" withArrow>
                <IconRosetteDiscountCheck size={16} color="var(--mantine-color-blue-6)" aria-label="Verified" />
              </Tooltip>
            )}
            <NetworkIcon network={p.network} size={14} />
          </Group>
          <Group gap="xs">
            {p.handle && (
              <Text size="xs" c="dimmed">
                @<bdi>{p.handle}</bdi>
              </Text>
            )}
            {typeof p.followers === "number" && (
              <Text size="xs" c="dimmed">
                {p.followers.toLocaleString()} {p.followers === 1 ? "follower" : "followers"}
              </Text>
            )}
            {href && (
              <Anchor href={href} target="_blank" rel="noopener noreferrer nofollow" size="xs">
                Profile
              </Anchor>
            )}
            {p.contact_id && (
              <Anchor component={Link} to={`/contacts/${p.contact_id}`} size="xs">
                Contact record
              </Anchor>
            )}
          </Group>
          {!compact && p.bio && (
            <Text size="xs" c="dimmed" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }} lineClamp={4}>
              {p.bio}
            </Text>
          )}
        </Stack>
      </Group>
    </Paper>
  );
}
