// The notification centre in the header: a bell with your unread count, kept live by the SSE
// stream, and the list of mentions, assignments, SLA warnings and rule notifications. Opening one
// marks it read and goes where it points; which kinds also come by email is chosen here too.
import {
  ActionIcon,
  Badge,
  Button,
  Checkbox,
  Divider,
  Group,
  Indicator,
  Popover,
  ScrollArea,
  SegmentedControl,
  Stack,
  Text,
  UnstyledButton,
} from "@mantine/core";
import { IconBell } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import dayjs from "dayjs";
import { useState } from "react";
import { useNavigate } from "react-router-dom";
import {
  type DigestFrequency,
  NOTIFICATION_KINDS,
  type NotificationKind,
  type NotificationPage,
  type TeamNotification,
} from "../../../../../src/contracts/team";
import { api } from "../../../api";
import { usePermissions } from "../../../auth";
import { useTeamEvents } from "../../../team-live";

const KIND_LABEL: Record<NotificationKind, string> = { mention: "Mention", assignment: "Assigned", sla: "SLA", rule: "Rule" };
const EMAIL_LABEL: Record<NotificationKind, string> = {
  mention: "Mentions",
  assignment: "Assignments",
  sla: "SLA warnings",
  rule: "Rules",
};
const KIND_COLOR: Record<NotificationKind, string> = { mention: "grape", assignment: "blue", sla: "orange", rule: "gray" };
const notificationKeys = { all: ["notifications"] as const, prefs: ["notifications", "prefs"] as const };

/** Where a notification points in the app (rules wrote /conversations/{id} links before the inbox had its own). */
function target(n: TeamNotification): string | null {
  if (n.conversation_id) return `/inbox/${n.conversation_id}`;
  if (n.link?.startsWith("/conversations/")) return n.link.replace("/conversations/", "/inbox/");
  return n.link?.startsWith("/") ? n.link : null;
}

export function NotificationBell() {
  const client = useQueryClient();
  const navigate = useNavigate();
  const [opened, setOpened] = useState(false);
  const list = useQuery({
    queryKey: notificationKeys.all,
    queryFn: ({ signal }) => api<NotificationPage>("/notifications", { query: { limit: 30 }, signal }),
    // the stream tells of new ones; this catches any it missed while reconnecting
    refetchInterval: 60_000,
  });
  useTeamEvents((e) => {
    if (e.type === "notification.created") client.invalidateQueries({ queryKey: notificationKeys.all });
  });
  const markRead = useMutation({
    mutationFn: (ids?: string[]) => api("/notifications:read", { method: "POST", body: ids ? { ids } : {} }),
    onSettled: () => client.invalidateQueries({ queryKey: notificationKeys.all }),
  });
  const unread = list.data?.unread ?? 0;

  function handleOpen(n: TeamNotification) {
    if (!n.read_at) markRead.mutate([n.id]);
    const to = target(n);
    setOpened(false);
    if (to) navigate(to);
  }

  return (
    <Popover opened={opened} onChange={setOpened} position="bottom-end" width={360} shadow="md" trapFocus>
      <Popover.Target>
        <Indicator label={unread > 99 ? "99+" : unread} size={16} disabled={unread === 0} offset={4} color="red">
          <ActionIcon
            variant="subtle"
            color="gray"
            size="lg"
            aria-label={unread ? `Notifications: ${unread} unread` : "Notifications"}
            data-testid="notification-bell"
            onClick={() => setOpened((o) => !o)}
          >
            <IconBell size={20} />
          </ActionIcon>
        </Indicator>
      </Popover.Target>
      <Popover.Dropdown p={0} aria-label="Notifications">
        <Group justify="space-between" px="sm" py={8}>
          <Text fw={600} size="sm">
            Notifications
          </Text>
          <Button size="compact-xs" variant="subtle" disabled={unread === 0} onClick={() => markRead.mutate(undefined)}>
            Mark all read
          </Button>
        </Group>
        <Divider />
        <ScrollArea.Autosize mah={380}>
          {(list.data?.data ?? []).length === 0 ? (
            <Text size="sm" c="dimmed" p="md">
              Nothing yet. Mentions, assignments, SLA warnings and rule notifications appear here.
            </Text>
          ) : (
            <Stack gap={0} component="ul" p={0} m={0} style={{ listStyle: "none" }}>
              {(list.data?.data ?? []).map((n) => (
                <li key={n.id}>
                  <UnstyledButton
                    w="100%"
                    px="sm"
                    py={8}
                    onClick={() => handleOpen(n)}
                    bg={n.read_at ? undefined : "var(--mantine-color-blue-0)"}
                    data-testid="notification"
                    data-unread={n.read_at ? undefined : "true"}
                  >
                    <Group gap={6} wrap="nowrap" align="flex-start">
                      <Badge size="xs" variant="light" color={KIND_COLOR[n.kind]} style={{ flex: "none" }}>
                        {KIND_LABEL[n.kind]}
                      </Badge>
                      <Stack gap={0} style={{ minWidth: 0 }}>
                        <Text size="sm" fw={n.read_at ? 400 : 600} style={{ overflowWrap: "anywhere" }}>
                          <bdi>{n.title}</bdi>
                        </Text>
                        {n.body && (
                          <Text size="xs" c="dimmed" lineClamp={2} style={{ overflowWrap: "anywhere" }}>
                            <bdi>{n.body}</bdi>
                          </Text>
                        )}
                        <Text size="xs" c="dimmed">
                          {dayjs(n.created_at).fromNow()}
                        </Text>
                      </Stack>
                    </Group>
                  </UnstyledButton>
                </li>
              ))}
            </Stack>
          )}
        </ScrollArea.Autosize>
        <Divider />
        <EmailPreferences />
      </Popover.Dropdown>
    </Popover>
  );
}

type Prefs = { email: NotificationKind[]; digest: DigestFrequency };

function EmailPreferences() {
  const client = useQueryClient();
  const { canManageTeams } = usePermissions();
  const prefs = useQuery({
    queryKey: notificationKeys.prefs,
    queryFn: ({ signal }) => api<Prefs>("/notifications/preferences", { signal }),
  });
  const save = useMutation({
    mutationFn: (body: Partial<Prefs>) => api<Prefs>("/notifications/preferences", { method: "PUT", body }),
    onSuccess: (data) => client.setQueryData(notificationKeys.prefs, data),
  });
  if (!prefs.data) return null;
  return (
    <>
      <Checkbox.Group
        label="Also email me about"
        size="xs"
        px="sm"
        py={8}
        value={prefs.data.email}
        onChange={(v) => save.mutate({ email: v as NotificationKind[] })}
      >
        <Group gap="sm" mt={4}>
          {NOTIFICATION_KINDS.map((k) => (
            <Checkbox key={k} value={k} label={EMAIL_LABEL[k]} />
          ))}
        </Group>
      </Checkbox.Group>
      {canManageTeams && (
        <Group gap="xs" px="sm" pb={8} align="center">
          <Text size="xs" id="digest-label">
            Digest email
          </Text>
          <SegmentedControl
            size="xs"
            aria-labelledby="digest-label"
            value={prefs.data.digest}
            onChange={(v) => save.mutate({ digest: v as DigestFrequency })}
            data={[
              { value: "off", label: "Off" },
              { value: "daily", label: "Daily" },
              { value: "weekly", label: "Weekly" },
            ]}
          />
        </Group>
      )}
    </>
  );
}
