// An idea's status, and who hears of a change: community members by email, and — where the
// workspace turned it on — the people who asked in a public post, by a reply there. Before a change
// that would post replies, the replies are previewed, person by person, and confirmed.
import { Anchor, Group, List, Paper, Select, Switch, Text } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router-dom";
import type { IdeaStatusReplies, IdeaStatusRepliesPreview } from "../../../../../src/contracts/replies";
import { api } from "../../../api";
import { usePermissions } from "../../../auth";
import { ConfirmDialog } from "../../../ui/ConfirmDialog";
import { NetworkIcon } from "../../../ui/NetworkIcon";
import { ideaStatusLabel } from "./labels";

const SETTINGS_KEY = ["ideas", "status-replies"] as const;

export function IdeaStatusControl<S extends string>({
  ideaId,
  status,
  statuses,
  disabled,
  onChange,
  notifications,
}: {
  ideaId: string;
  status: S;
  statuses: readonly S[];
  disabled: boolean;
  onChange: (status: S) => void;
  notifications: number;
}) {
  const client = useQueryClient();
  const { isOwner } = usePermissions();
  const settings = useQuery({ queryKey: SETTINGS_KEY, queryFn: () => api<IdeaStatusReplies>("/ideas/status-replies") });
  const toggle = useMutation({
    mutationFn: (enabled: boolean) => api<IdeaStatusReplies>("/ideas/status-replies", { method: "PATCH", body: { enabled } }),
    onSuccess: (data) => client.setQueryData(SETTINGS_KEY, data),
  });
  const [pending, setPending] = useState<{ status: S; preview: IdeaStatusRepliesPreview } | null>(null);
  const preview = useMutation({
    mutationFn: (next: S) => api<IdeaStatusRepliesPreview>(`/ideas/${ideaId}/status-replies`, { query: { status: next } }),
  });
  const enabled = settings.data?.enabled === true;

  async function choose(next: S) {
    if (next === status) return;
    if (!enabled) return onChange(next);
    const p = await preview.mutateAsync(next);
    if (p.recipients.some((r) => r.can_reply)) setPending({ status: next, preview: p });
    else onChange(next);
  }
  const replying = pending?.preview.recipients.filter((r) => r.can_reply) ?? [];
  const skipped = pending?.preview.recipients.filter((r) => !r.can_reply) ?? [];

  return (
    <Paper withBorder radius="md" p="md">
      <Select
        label="Status"
        description={
          enabled
            ? "Community members who follow or voted get an email; people who asked in a public post get a reply there"
            : "Community members who follow or voted get an email"
        }
        data={statuses.map((s) => ({ value: s, label: ideaStatusLabel[s as keyof typeof ideaStatusLabel] ?? s }))}
        value={status}
        onChange={(v) => v && choose(v as S)}
        allowDeselect={false}
        disabled={disabled || preview.isPending}
      />
      {isOwner ? (
        <Switch
          mt="sm"
          size="xs"
          label="Reply to the public posts that asked for ideas when their status changes"
          checked={enabled}
          disabled={!settings.isSuccess || toggle.isPending}
          onChange={(e) => toggle.mutate(e.currentTarget.checked)}
        />
      ) : (
        !enabled && (
          <Text size="xs" c="dimmed" mt="xs">
            Replies to the posts that asked are off (the owner can turn them on).
          </Text>
        )
      )}
      {notifications > 0 && (
        <Text size="xs" c="dimmed" mt="xs">
          {notifications} notifications recorded for voters
        </Text>
      )}
      <ConfirmDialog
        opened={pending !== null}
        title={`Change to ${pending ? (ideaStatusLabel[pending.status as keyof typeof ideaStatusLabel] ?? pending.status) : ""} and reply`}
        confirmLabel={`Change and post ${replying.length} ${replying.length === 1 ? "reply" : "replies"}`}
        onClose={() => setPending(null)}
        onConfirm={() => {
          if (pending) onChange(pending.status);
          setPending(null);
        }}
      >
        <Text size="sm" mb="xs">
          These people asked for this idea in a public post; each gets this public reply there:
        </Text>
        <List size="sm" spacing={6} aria-label="Replies to post">
          {replying.map((r) => (
            <List.Item key={r.message_id} icon={<NetworkIcon network={r.network} size={14} />}>
              <Group gap={4} wrap="nowrap" align="baseline">
                <Anchor component={Link} to={`/inbox/${r.conversation_id}`} size="sm">
                  <bdi>{r.author ?? "Someone"}</bdi>
                </Anchor>
              </Group>
              <Text size="xs" c="dimmed">
                {r.text}
              </Text>
            </List.Item>
          ))}
        </List>
        {skipped.length > 0 && (
          <Text size="xs" c="dimmed" mt="sm">
            Not answered: {skipped.map((r) => `${r.author ?? "someone"} (${r.reason})`).join("; ")}
          </Text>
        )}
      </ConfirmDialog>
    </Paper>
  );
}
