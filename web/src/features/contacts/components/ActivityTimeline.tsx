import {
  ActionIcon,
  Badge,
  Button,
  Checkbox,
  Group,
  Paper,
  SegmentedControl,
  Stack,
  Text,
  Textarea,
  TextInput,
  Timeline,
  Title,
  Tooltip,
} from "@mantine/core";
import { DateInput } from "@mantine/dates";
import { notifications } from "@mantine/notifications";
import { IconCalendarEvent, IconChecklist, IconMail, IconNote, IconPhone, IconTrash } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import dayjs from "dayjs";
import { type KeyboardEvent, useState } from "react";
import { api, errorMessage, fieldErrors } from "../../../api";
import { useMe, usePermissions } from "../../../auth";
import { keys, useMembers } from "../../../queries";
import { ACTIVITY_TYPES, type Activity, type ActivityType, type List } from "../../../types";
import { ConfirmDialog } from "../../../ui/ConfirmDialog";
import { FormError } from "../../../ui/FormError";
import { textField } from "../../../ui/form-helpers";
import { StackForm } from "../../../ui/StackForm";
import { TimelineGate } from "../../../ui/TimelineGate";
import { MemberSelect } from "./pickers";

export const ACTIVITY_META: Record<ActivityType, { label: string; icon: typeof IconNote; color: string; verb: string }> = {
  note: { label: "Note", icon: IconNote, color: "yellow", verb: "Add note" },
  call: { label: "Call", icon: IconPhone, color: "green", verb: "Log call" },
  meeting: { label: "Meeting", icon: IconCalendarEvent, color: "violet", verb: "Log meeting" },
  email: { label: "Email", icon: IconMail, color: "blue", verb: "Log email" },
  task: { label: "Task", icon: IconChecklist, color: "orange", verb: "Add task" },
};

type Owner = "contacts" | "organizations";

function activityTime(a: Activity): string {
  return a.occurred_at ?? a.created_at;
}

/** The timeline of a contact or organization, with the form to add to it. */
export function ActivityTimeline({ owner, id }: { owner: Owner; id: string }) {
  const { canWrite } = usePermissions();
  const timeline = useQuery({
    queryKey: keys.timeline(owner, id),
    queryFn: () => api<List<Activity>>(`/${owner}/${id}/timeline`),
  });
  const items = [...(timeline.data?.data ?? [])].sort((a, b) => activityTime(b).localeCompare(activityTime(a)));

  return (
    <Stack gap="md">
      {canWrite && <AddActivityForm owner={owner} id={id} />}
      <Paper withBorder p="md" radius="md" component="section" aria-labelledby={`timeline-title-${id}`}>
        <Title order={2} size="h4" mb="md" id={`timeline-title-${id}`}>
          Timeline
        </Title>
        <TimelineGate
          query={timeline}
          count={items.length}
          emptyTitle="Nothing on the timeline yet"
          emptyHint="Notes, calls, meetings, emails and tasks appear here, newest first."
        >
          <Timeline bulletSize={28} lineWidth={2}>
            {items.map((item) => (
              <Timeline.Item key={item.id} bullet={<ActivityBullet type={item.type} />} title={<ActivityTitle item={item} />}>
                <ActivityBody item={item} owner={owner} ownerId={id} canWrite={canWrite} />
              </Timeline.Item>
            ))}
          </Timeline>
        </TimelineGate>
      </Paper>
    </Stack>
  );
}

function ActivityBullet({ type, decorative = false }: { type: ActivityType; decorative?: boolean }) {
  const meta = ACTIVITY_META[type] ?? ACTIVITY_META.note;
  const Icon = meta.icon;
  return decorative ? <Icon size={15} aria-hidden /> : <Icon size={15} aria-label={meta.label} role="img" />;
}

function ActivityTitle({ item }: { item: Activity }) {
  const meta = ACTIVITY_META[item.type] ?? ACTIVITY_META.note;
  return (
    <Group gap="xs" wrap="nowrap">
      {item.subject && (
        <Text fw={600} size="sm" style={{ overflowWrap: "anywhere" }}>
          {item.subject}
        </Text>
      )}
      <Badge size="xs" variant="light" color={meta.color} radius="sm">
        {meta.label}
      </Badge>
      {item.type === "task" && item.completed_at && (
        <Badge size="xs" variant="light" color="green" radius="sm">
          Done
        </Badge>
      )}
    </Group>
  );
}

function ActivityBody({ item, owner, ownerId, canWrite }: { item: Activity; owner: Owner; ownerId: string; canWrite: boolean }) {
  const client = useQueryClient();
  const members = useMembers();
  const [confirming, setConfirming] = useState(false);
  const nameOf = (userId: string | null) => {
    if (!userId) return null;
    const m = members.data?.find((u) => u.id === userId);
    return m ? m.name || m.email : null;
  };
  const refresh = () => {
    client.invalidateQueries({ queryKey: keys.timeline(owner, ownerId) });
    client.invalidateQueries({ queryKey: keys.activities });
  };
  const complete = useMutation({
    mutationFn: (completed: boolean) => api<Activity>(`/activities/${item.id}`, { method: "PATCH", body: { completed } }),
    onSuccess: refresh,
    onError: (error) => notifications.show({ color: "red", title: "Could not update the task", message: errorMessage(error) }),
  });
  const remove = useMutation({
    mutationFn: () => api<void>(`/activities/${item.id}`, { method: "DELETE" }),
    onSuccess: () => {
      setConfirming(false);
      refresh();
    },
  });
  const when = dayjs(activityTime(item));
  const author = nameOf(item.created_by);
  const assignee = nameOf(item.assignee_id);
  const label = item.subject || ACTIVITY_META[item.type]?.label || "activity";

  return (
    <Stack gap={4} mt={2}>
      {item.body && (
        <Text size="sm" className="pre-wrap">
          {item.body}
        </Text>
      )}
      {item.type === "task" && (
        <Group gap="md">
          <Checkbox
            size="xs"
            label={item.completed_at ? `Done ${dayjs(item.completed_at).fromNow()}` : "Mark done"}
            aria-label={item.completed_at ? `Reopen task ${label}` : `Mark task ${label} done`}
            checked={!!item.completed_at}
            disabled={!canWrite || complete.isPending}
            onChange={(e) => complete.mutate(e.currentTarget.checked)}
          />
          {item.due_at && (
            <Text
              size="xs"
              c={!item.completed_at && dayjs(item.due_at).isBefore(dayjs()) ? "red" : "dimmed"}
              title={dayjs(item.due_at).format("ddd, MMM D, YYYY HH:mm")}
            >
              Due {dayjs(item.due_at).format("MMM D, YYYY HH:mm")}
            </Text>
          )}
          {assignee && (
            <Text size="xs" c="dimmed">
              Assigned to {assignee}
            </Text>
          )}
        </Group>
      )}
      <Group gap="xs" justify="space-between">
        <Text size="xs" c="dimmed">
          <time dateTime={when.toISOString()} title={when.format("ddd, MMM D, YYYY HH:mm")}>
            {when.fromNow()}
          </time>
          {author ? ` · by ${author}` : ""}
        </Text>
        {canWrite && (
          <Tooltip label="Delete">
            <ActionIcon variant="subtle" color="gray" size="sm" aria-label={`Delete ${label}`} onClick={() => setConfirming(true)}>
              <IconTrash size={14} />
            </ActionIcon>
          </Tooltip>
        )}
      </Group>
      <ConfirmDialog
        opened={confirming}
        title="Delete this activity?"
        onClose={() => setConfirming(false)}
        onConfirm={() => remove.mutate()}
        loading={remove.isPending}
        error={remove.error}
      >
        It is removed from the timeline for everyone.
      </ConfirmDialog>
    </Stack>
  );
}

function toIso(value: string | null): string | undefined {
  return value ? dayjs(value).toISOString() : undefined;
}

export function AddActivityForm({ owner, id, presetType = "note" }: { owner: Owner; id: string; presetType?: ActivityType }) {
  const client = useQueryClient();
  const me = useMe();
  const [type, setType] = useState<ActivityType>(presetType);
  const [subject, setSubject] = useState("");
  const [body, setBody] = useState("");
  const [occurredAt, setOccurredAt] = useState<string | null>(null);
  const [dueAt, setDueAt] = useState<string | null>(null);
  const [assigneeId, setAssigneeId] = useState<string | null>(me.user?.id ?? null);
  const [localError, setLocalError] = useState<string | null>(null);

  const add = useMutation({
    mutationFn: (payload: Record<string, unknown>) => api<Activity>(`/${owner}/${id}/activities`, { method: "POST", body: payload }),
    onSuccess: () => {
      setSubject("");
      setBody("");
      setOccurredAt(null);
      setDueAt(null);
      client.invalidateQueries({ queryKey: keys.timeline(owner, id) });
      client.invalidateQueries({ queryKey: keys.activities });
    },
  });
  const errors = fieldErrors(add.error);

  function submit() {
    if (!subject.trim() && !body.trim()) {
      setLocalError(type === "task" ? "Say what needs doing" : "Write a subject or some text first");
      return;
    }
    setLocalError(null);
    const payload: Record<string, unknown> = { type };
    if (subject.trim()) payload.subject = subject.trim();
    if (body.trim()) payload.body = body;
    if (type === "task") {
      if (dueAt) payload.due_at = toIso(dueAt);
      if (assigneeId) payload.assignee_id = assigneeId;
    } else if (occurredAt) {
      payload.occurred_at = toIso(occurredAt);
    }
    add.mutate(payload);
  }

  function handleSubmit() {
    submit();
  }

  // Enter makes a new line in the text; Ctrl/Cmd+Enter adds the activity.
  function handleBodyKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      submit();
    }
  }

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="add-activity-title">
      <StackForm onSubmit={handleSubmit} gap="sm">
        <Group justify="space-between" wrap="wrap">
          <Title order={2} size="h4" id="add-activity-title">
            Add activity
          </Title>
          <SegmentedControl
            size="xs"
            aria-label="Activity type"
            value={type}
            onChange={(v) => setType(v as ActivityType)}
            data={ACTIVITY_TYPES.map((t) => ({ value: t, label: ACTIVITY_META[t].label }))}
          />
        </Group>
        <FormError error={add.error} shownFields={["subject", "body", "occurred_at", "due_at", "assignee_id"]} />
        <TextInput
          label="Subject"
          placeholder={type === "task" ? "What needs doing?" : "Optional"}
          {...textField(subject, setSubject)}
          error={errors.subject ?? (localError && type === "task" ? localError : undefined)}
        />
        <Textarea
          label={type === "note" ? "Note text" : "Details"}
          description="Ctrl+Enter to add"
          autosize
          minRows={2}
          maxRows={10}
          {...textField(body, setBody)}
          onKeyDown={handleBodyKeyDown}
          error={errors.body ?? (localError && type !== "task" ? localError : undefined)}
        />
        {type === "task" ? (
          <Group grow align="flex-start">
            <DateInput
              label="Due"
              valueFormat="YYYY-MM-DD HH:mm"
              placeholder="YYYY-MM-DD HH:mm"
              withTime
              clearable
              value={dueAt}
              onChange={setDueAt}
              error={errors.due_at}
            />
            <MemberSelect label="Assignee" placeholder="Nobody" value={assigneeId} onChange={setAssigneeId} error={errors.assignee_id} />
          </Group>
        ) : (
          <DateInput
            label="When"
            valueFormat="YYYY-MM-DD HH:mm"
            placeholder="Now"
            withTime
            clearable
            maw={260}
            value={occurredAt}
            onChange={setOccurredAt}
            error={errors.occurred_at}
          />
        )}
        <Group justify="flex-end">
          <Button type="submit" loading={add.isPending} leftSection={<ActivityBullet type={type} decorative />}>
            {ACTIVITY_META[type].verb}
          </Button>
        </Group>
      </StackForm>
    </Paper>
  );
}
