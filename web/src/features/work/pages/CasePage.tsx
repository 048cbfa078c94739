import { Anchor, Button, Card, Checkbox, Group, Paper, Rating, Select, Stack, Switch, TagsInput, Text, Textarea } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useParams } from "react-router-dom";
import { ApiError, api } from "../../../api";
import { usePermissions } from "../../../auth";
import { formatDateTime } from "../../../format";
import { useTeams } from "../../../queries";
import { FormError } from "../../../ui/FormError";
import { textField } from "../../../ui/form-helpers";
import { LoadError } from "../../../ui/LoadError";
import { PageHeader } from "../../../ui/PageHeader";
import { Panel } from "../../../ui/Panel";
import { MemberSelect } from "../../contacts/components/pickers";
import { CaseStatusBadge, PriorityBadge } from "../components/badges";
import { DescriptionPanel, MessageText } from "../components/ItemText";
import { caseStatusLabel, priorityLabel } from "../components/labels";
import { SlaBadge } from "../components/SlaBadge";
import { WorkItemColumns } from "../components/WorkItemColumns";
import { useWorkItem, useWorkItemUpdate } from "../queries";
import { CASE_PRIORITIES, CASE_STATUSES, type CaseDetail, type CaseEvent, type CasePriority, type CaseStatus } from "../types";

export function CasePage() {
  const { id = "" } = useParams();
  const { canWrite } = usePermissions();
  const teams = useTeams();
  const kase = useWorkItem<CaseDetail>("cases", id, 60_000);
  const update = useWorkItemUpdate<CaseDetail>("cases", id, "case", {
    queryKey: ["cases"],
    exact: false,
    predicate: (q) => q.queryKey[1] !== "one",
  });

  if (kase.isError) return <LoadError error={kase.error} onRetry={() => kase.refetch()} title="Could not load the case" />;
  if (!kase.data) return <Text c="dimmed">Loading case…</Text>;
  const c = kase.data;

  return (
    <>
      <PageHeader
        title={
          <>
            <Text span c="dimmed" inherit>
              #{c.number}{" "}
            </Text>
            {c.subject}
          </>
        }
        description={
          <Group gap="xs">
            <CaseStatusBadge status={c.status} />
            <PriorityBadge priority={c.priority} />
            {c.contact_id && (
              <Anchor component={Link} to={`/contacts/${c.contact_id}`} size="sm">
                {c.contact_name ?? "Contact"}
              </Anchor>
            )}
            <Text size="sm" c="dimmed">
              opened {formatDateTime(c.created_at)}
              {c.source === "rule" ? " by a rule" : ""}
            </Text>
          </Group>
        }
      />
      <WorkItemColumns
        main={
          <>
            <DescriptionPanel text={c.description} />
            {c.messages.length > 0 && (
              <Panel title="Conversation" titleSize="h5">
                <Stack gap="sm" aria-label="Conversation thread">
                  {c.messages.map((m) => (
                    <Card
                      key={m.id}
                      withBorder
                      radius="md"
                      p="sm"
                      bg={m.direction === "outbound" ? "var(--mantine-color-blue-0)" : undefined}
                    >
                      <Group justify="space-between" mb={4}>
                        <Text size="sm" fw={500}>
                          {m.direction === "outbound" ? "You" : <bdi>{m.author ?? "Unknown"}</bdi>} · {m.network}
                        </Text>
                        <Text size="xs" c="dimmed">
                          {formatDateTime(m.posted_at)}
                        </Text>
                      </Group>
                      <MessageText text={m.text} />
                    </Card>
                  ))}
                </Stack>
                {c.conversations.map((cv) => (
                  <Anchor key={cv.id} component={Link} to={`/inbox/${cv.id}`} size="sm" mt="sm" display="block">
                    Open conversation in the inbox
                  </Anchor>
                ))}
              </Panel>
            )}
            <Panel title="Timeline" titleSize="h5">
              <Stack gap="xs">
                {c.events.map((e) => (
                  <EventLine key={e.id} event={e} />
                ))}
              </Stack>
              {canWrite && <CommentForm caseId={id} />}
            </Panel>
          </>
        }
        side={
          <>
            <Paper withBorder radius="md" p="md">
              <Stack gap="sm">
                <Select
                  label="Status"
                  data={CASE_STATUSES.map((s) => ({ value: s, label: caseStatusLabel[s] }))}
                  value={c.status}
                  onChange={(v) => v && update.mutate({ status: v })}
                  allowDeselect={false}
                  disabled={!canWrite}
                />
                <Select
                  label="Priority"
                  data={CASE_PRIORITIES.map((p) => ({ value: p, label: priorityLabel[p] }))}
                  value={c.priority}
                  onChange={(v) => v && update.mutate({ priority: v })}
                  allowDeselect={false}
                  disabled={!canWrite}
                />
                <MemberSelect
                  label="Assignee"
                  value={c.assignee_id}
                  onChange={(v) => update.mutate({ assignee_id: v })}
                  disabled={!canWrite}
                />
                <Select
                  label="Team"
                  data={(teams.data ?? []).map((t) => ({ value: t.id, label: t.name }))}
                  value={c.team_id}
                  onChange={(v) => update.mutate({ team_id: v })}
                  clearable
                  disabled={!canWrite}
                />
                <TagsInput label="Tags" value={c.tags} onChange={(tags) => update.mutate({ tags })} disabled={!canWrite} clearable />
              </Stack>
            </Paper>
            <Panel title="Service level" titleSize="h5" aria-label="Service level">
              {c.sla.first_response || c.sla.resolution ? (
                <Stack gap="xs">
                  <Text size="xs" c="dimmed">
                    Policy: {c.sla.policy_name ?? "none"}
                  </Text>
                  <SlaRow label="First response" timer={c.sla.first_response} kind="first_response" />
                  <SlaRow label="Resolution" timer={c.sla.resolution} kind="resolution" />
                  {c.paused_at && (
                    <Text size="xs" c="dimmed">
                      Paused while waiting for the customer since {formatDateTime(c.paused_at)}
                    </Text>
                  )}
                </Stack>
              ) : (
                <Text size="sm" c="dimmed">
                  No SLA applies to this case.
                </Text>
              )}
            </Panel>
            {(c.status === "solved" || c.status === "closed" || c.satisfaction) && <SatisfactionPanel c={c} canWrite={canWrite} />}
          </>
        }
      />
    </>
  );
}

function SlaRow({
  label,
  timer,
  kind,
}: {
  label: string;
  timer: CaseDetail["sla"]["first_response"];
  kind: "first_response" | "resolution";
}) {
  if (!timer) return null;
  return (
    <Group justify="space-between" wrap="nowrap">
      <Stack gap={0}>
        <Text size="sm">{label}</Text>
        <Text size="xs" c="dimmed">
          due {formatDateTime(timer.due_at)}
          {timer.met_at ? ` · met ${formatDateTime(timer.met_at)}` : ""}
        </Text>
      </Stack>
      <SlaBadge timer={timer} kind={kind} />
    </Group>
  );
}

const EVENT_TEXT: Record<string, string> = {
  created: "opened the case",
  status: "changed the status",
  priority: "changed the priority",
  assignee: "changed the assignee",
  team: "changed the team",
  subject: "changed the subject",
  tags: "changed the tags",
  first_response: "first response",
  sla_warning: "SLA about to breach",
  sla_breached: "SLA breached",
  satisfaction: "satisfaction rated",
  conversation_linked: "linked a conversation",
  contact_id: "changed the contact",
};

function EventLine({ event }: { event: CaseEvent }) {
  const who = event.actor_name ?? (event.actor?.startsWith("rule:") ? "A rule" : event.actor ? "Someone" : "Parley");
  const d = event.details as { from?: unknown; to?: unknown; kind?: string; rating?: number };
  if (event.kind === "note" || event.kind === "reply") {
    return (
      <Card withBorder radius="md" p="sm" bg={event.kind === "note" ? "var(--mantine-color-yellow-0)" : undefined}>
        <Group justify="space-between" mb={4}>
          <Text size="sm" fw={500}>
            {who} · {event.kind === "note" ? "internal note" : "public reply"}
          </Text>
          <Text size="xs" c="dimmed">
            {formatDateTime(event.created_at)}
          </Text>
        </Group>
        <Text size="sm" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
          {event.body}
        </Text>
      </Card>
    );
  }
  const label = (v: unknown) =>
    event.kind === "status"
      ? (caseStatusLabel[v as CaseStatus] ?? String(v))
      : event.kind === "priority"
        ? (priorityLabel[v as CasePriority] ?? String(v))
        : String(v ?? "—");
  const change = d.from !== undefined || d.to !== undefined ? `: ${label(d.from)} → ${label(d.to)}` : "";
  const extra = d.kind ? ` (${String(d.kind).replace("_", " ")})` : d.rating ? ` (${d.rating}/5)` : "";
  return (
    <Text size="sm" c="dimmed">
      {formatDateTime(event.created_at)} · {who} {EVENT_TEXT[event.kind] ?? event.kind}
      {event.kind === "assignee" || event.kind === "team" || event.kind === "contact_id" ? "" : change}
      {extra}
    </Text>
  );
}

function CommentForm({ caseId }: { caseId: string }) {
  const client = useQueryClient();
  const [body, setBody] = useState("");
  const [isPublic, setPublic] = useState(false);
  const [override, setOverride] = useState(false);
  const add = useMutation({
    mutationFn: () =>
      api<CaseDetail>(`/cases/${caseId}/comments`, {
        method: "POST",
        body: { body, public: isPublic, ...(isPublic && override ? { override_consent: true } : {}) },
      }),
    onSuccess: (c) => {
      client.setQueryData(["cases", "one", caseId], c);
      setBody("");
      setOverride(false);
    },
  });
  // the customer withdrew consent to social engagement: a public reply only when the agent says so (audited)
  const consentRefused =
    add.error instanceof ApiError && add.error.status === 409 && add.error.details.some((d) => d.field === "override_consent");
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        add.mutate();
      }}
    >
      <Stack gap="xs" mt="md">
        <Textarea
          aria-label="Comment"
          placeholder={isPublic ? "Reply to the customer…" : "Internal note…"}
          autosize
          minRows={2}
          {...textField(body, setBody)}
        />
        <FormError error={add.error} />
        {isPublic && (consentRefused || override) && (
          <Checkbox
            size="xs"
            label="Send anyway: I have checked that answering them is right"
            checked={override}
            onChange={(e) => setOverride(e.currentTarget.checked)}
          />
        )}
        <Group justify="space-between">
          <Switch label="Public reply" checked={isPublic} onChange={(e) => setPublic(e.currentTarget.checked)} />
          <Button type="submit" size="xs" disabled={!body.trim()} loading={add.isPending}>
            {isPublic ? "Send reply" : "Add note"}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function SatisfactionPanel({ c, canWrite }: { c: CaseDetail; canWrite: boolean }) {
  const client = useQueryClient();
  const [rating, setRating] = useState(c.satisfaction?.rating ?? 0);
  const [comment, setComment] = useState(c.satisfaction?.comment ?? "");
  const rate = useMutation({
    mutationFn: () => api<CaseDetail>(`/cases/${c.id}/satisfaction`, { method: "POST", body: { rating, comment: comment || null } }),
    onSuccess: (next) => client.setQueryData(["cases", "one", c.id], next),
  });
  return (
    <Panel title="Satisfaction" titleSize="h5">
      <Stack gap="xs">
        <Rating value={rating} onChange={setRating} readOnly={!canWrite} aria-label="Satisfaction rating" />
        {canWrite && (
          <>
            <Textarea aria-label="Customer comment" placeholder="What the customer said" {...textField(comment, setComment)} />
            <FormError error={rate.error} />
            <Button size="xs" disabled={rating < 1} loading={rate.isPending} onClick={() => rate.mutate()}>
              Record rating
            </Button>
          </>
        )}
        {c.satisfaction && (
          <Text size="xs" c="dimmed">
            Rated {c.satisfaction.rating}/5 on {formatDateTime(c.satisfaction.at)}
          </Text>
        )}
      </Stack>
    </Panel>
  );
}
