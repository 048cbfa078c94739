import { Alert, Anchor, Button, Card, Group, Select, Stack, Text } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useNavigate, useParams } from "react-router-dom";
import { api, errorMessage } from "../../../api";
import { usePermissions } from "../../../auth";
import { formatDateTime } from "../../../format";
import type { Page } from "../../../types";
import { ConfirmDialog } from "../../../ui/ConfirmDialog";
import { LoadError } from "../../../ui/LoadError";
import { NetworkIcon } from "../../../ui/NetworkIcon";
import { PageHeader } from "../../../ui/PageHeader";
import { Panel } from "../../../ui/Panel";
import { IdeaStatusBadge } from "../components/badges";
import { IdeaStatusControl } from "../components/IdeaStatusReplies";
import { DescriptionPanel, MessageText } from "../components/ItemText";
import { ideaStatusLabel } from "../components/labels";
import { WorkItemColumns } from "../components/WorkItemColumns";
import { useWorkItem, useWorkItemUpdate } from "../queries";
import { IDEA_STATUSES, type Idea, type IdeaDetail } from "../types";

export function IdeaPage() {
  const { id = "" } = useParams();
  const { canWrite } = usePermissions();
  const idea = useWorkItem<IdeaDetail>("ideas", id);
  const update = useWorkItemUpdate<IdeaDetail>("ideas", id, "idea", { queryKey: ["ideas"] });

  if (idea.isError) return <LoadError error={idea.error} onRetry={() => idea.refetch()} title="Could not load the idea" />;
  if (!idea.data) return <Text c="dimmed">Loading idea…</Text>;
  const i = idea.data;

  return (
    <>
      <PageHeader
        title={i.title}
        description={
          <Group gap="xs">
            <IdeaStatusBadge status={i.status} />
            <Text size="sm" data-testid="vote-count">
              {i.vote_count} {i.vote_count === 1 ? "vote" : "votes"}
            </Text>
          </Group>
        }
      />
      {i.merged_into_id && (
        <Alert color="gray" mb="md" title="Merged">
          This idea was merged into{" "}
          <Anchor component={Link} to={`/ideas/${i.merged_into_id}`}>
            another idea
          </Anchor>
          ; its votes and messages moved there.
        </Alert>
      )}
      <WorkItemColumns
        main={
          <>
            <DescriptionPanel text={i.description} />
            <Panel title={<>Messages asking for it ({i.messages.length})</>} titleSize="h5">
              <Stack gap="xs">
                {i.messages.map((m) => (
                  <Card key={m.id} withBorder radius="md" p="sm">
                    <Group justify="space-between" mb={4}>
                      <Group gap={6}>
                        <NetworkIcon network={m.network} size={16} />
                        <Text size="sm" fw={500}>
                          <bdi>{m.author ?? "Unknown"}</bdi>
                        </Text>
                      </Group>
                      <Anchor component={Link} to={`/inbox/${m.conversation_id}`} size="xs">
                        {formatDateTime(m.posted_at)}
                      </Anchor>
                    </Group>
                    <MessageText text={m.text} />
                  </Card>
                ))}
                {i.messages.length === 0 && (
                  <Text size="sm" c="dimmed">
                    No linked messages.
                  </Text>
                )}
              </Stack>
            </Panel>
          </>
        }
        side={
          <>
            <IdeaStatusControl
              ideaId={i.id}
              status={i.status}
              statuses={IDEA_STATUSES}
              disabled={!canWrite || !!i.merged_into_id}
              onChange={(status) => update.mutate({ status })}
              notifications={i.notifications.length}
            />
            <Panel title="Voters" titleSize="h5" aria-label="Voters">
              <Stack gap={4}>
                {i.votes.map((v) => (
                  <Group key={v.id} gap={6}>
                    {v.network && <NetworkIcon network={v.network} size={14} />}
                    {v.contact_id ? (
                      <Anchor component={Link} to={`/contacts/${v.contact_id}`} size="sm">
                        {v.name ?? "Contact"}
                      </Anchor>
                    ) : (
                      <Text size="sm">
                        <bdi>{v.name ?? (v.handle ? `@${v.handle}` : "Profile")}</bdi>
                      </Text>
                    )}
                  </Group>
                ))}
                {i.votes.length === 0 && (
                  <Text size="sm" c="dimmed">
                    No votes yet.
                  </Text>
                )}
              </Stack>
            </Panel>
            {canWrite && !i.merged_into_id && <MergePanel idea={i} />}
            <Panel title="Status history" titleSize="h5">
              {i.status_history.map((h) => (
                <Text key={`${h.at}-${h.to}`} size="xs" c="dimmed">
                  {formatDateTime(h.at)} · {h.from ? `${ideaStatusLabel[h.from as Idea["status"]] ?? h.from} → ` : ""}
                  {ideaStatusLabel[h.to as Idea["status"]] ?? h.to}
                </Text>
              ))}
            </Panel>
          </>
        }
      />
    </>
  );
}

function MergePanel({ idea }: { idea: IdeaDetail }) {
  const client = useQueryClient();
  const navigate = useNavigate();
  const [search, setSearch] = useState("");
  const [q] = useDebouncedValue(search, 250);
  const [target, setTarget] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const candidates = useQuery({
    queryKey: ["ideas", "merge-candidates", q],
    queryFn: () => api<Page<Idea>>("/ideas", { query: { q, limit: 20 } }),
    placeholderData: keepPreviousData,
  });
  const merge = useMutation({
    mutationFn: () => api<IdeaDetail>(`/ideas/${idea.id}/merge`, { method: "POST", body: { into_id: target } }),
    onSuccess: (kept) => {
      client.invalidateQueries({ queryKey: ["ideas"] });
      notifications.show({ color: "green", title: "Ideas merged", message: `Now ${kept.vote_count} votes on “${kept.title}”` });
      navigate(`/ideas/${kept.id}`);
    },
    onError: (error) => notifications.show({ color: "red", title: "Could not merge", message: errorMessage(error) }),
  });
  const options = (candidates.data?.data ?? [])
    .filter((c) => c.id !== idea.id)
    .map((c) => ({ value: c.id, label: `${c.title} (${c.vote_count})` }));
  return (
    <Panel title="Duplicate?" titleSize="h5">
      <Stack gap="xs">
        <Select
          label="Merge into"
          placeholder="Search ideas"
          searchable
          searchValue={search}
          onSearchChange={setSearch}
          filter={({ options: o }) => o}
          data={options}
          value={target}
          onChange={setTarget}
        />
        <Button size="xs" variant="light" color="orange" disabled={!target} loading={merge.isPending} onClick={() => setConfirming(true)}>
          Merge this idea
        </Button>
      </Stack>
      <ConfirmDialog
        opened={confirming}
        onClose={() => setConfirming(false)}
        onConfirm={() => {
          setConfirming(false);
          merge.mutate();
        }}
        title="Merge ideas"
        confirmLabel="Merge"
      >
        Votes and messages move to the other idea; each person is counted once.
      </ConfirmDialog>
    </Panel>
  );
}
