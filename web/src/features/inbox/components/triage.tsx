// Triage of one conversation beyond status and assignee: snooze it until a time (it leaves the
// open lists and comes back then), and mark it read for you when you open it.
import { Button, Menu } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconAlarmSnooze } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import dayjs from "dayjs";
import { useEffect } from "react";
import { api, errorMessage } from "../../../api";
import { keys } from "../../../queries";

const CHOICES = [
  { label: "For 1 hour", until: () => dayjs().add(1, "hour") },
  { label: "Until tomorrow 9:00", until: () => dayjs().add(1, "day").hour(9).minute(0).second(0) },
  {
    label: "Until Monday 9:00",
    until: () =>
      dayjs()
        .add((8 - dayjs().day()) % 7 || 7, "day")
        .hour(9)
        .minute(0)
        .second(0),
  },
  { label: "For a week", until: () => dayjs().add(7, "day") },
];

export function SnoozeMenu({ conversationId, snoozedUntil }: { conversationId: string; snoozedUntil: string | null }) {
  const client = useQueryClient();
  const snoozed = snoozedUntil !== null && dayjs(snoozedUntil).isAfter(dayjs());
  const snooze = useMutation({
    mutationFn: (until: string | null) => api(`/conversations/${conversationId}/snooze`, { method: "POST", body: { until } }),
    onSuccess: (_data, until) => {
      client.invalidateQueries({ queryKey: keys.conversations });
      notifications.show({ color: "green", message: until ? `Snoozed until ${dayjs(until).format("MMM D, HH:mm")}` : "Back in the inbox" });
    },
    onError: (error) => notifications.show({ color: "red", title: "Could not snooze", message: errorMessage(error) }),
  });
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button size="compact-xs" variant={snoozed ? "light" : "subtle"} color="gray" leftSection={<IconAlarmSnooze size={14} />}>
          {snoozed ? `Snoozed until ${dayjs(snoozedUntil).format("MMM D, HH:mm")}` : "Snooze"}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        {CHOICES.map((c) => (
          <Menu.Item key={c.label} onClick={() => snooze.mutate(c.until().toISOString())}>
            {c.label}
          </Menu.Item>
        ))}
        {snoozed && <Menu.Item onClick={() => snooze.mutate(null)}>Wake it now</Menu.Item>}
      </Menu.Dropdown>
    </Menu>
  );
}

/** Opening a conversation marks it read for you, again each time something new arrives in it. */
export function useMarkRead(conversationId: string, lastMessageAt: string | null | undefined) {
  const client = useQueryClient();
  useEffect(() => {
    if (!lastMessageAt) return;
    api(`/conversations/${conversationId}/read`, { method: "POST", body: { read: true } })
      .then(() => client.invalidateQueries({ queryKey: [...keys.conversations, "list"] }))
      .catch(() => undefined);
  }, [conversationId, lastMessageAt, client]);
}
