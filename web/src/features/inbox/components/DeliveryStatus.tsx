// How a reply written in Parley stands: sending, sent (with a link to it on the network) or
// failed, with the network's words and a button to send it again. The error text came from the
// network: it is shown as text.
import { Badge, Button, Group, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconRefresh } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { api, errorMessage } from "../../../api";
import { keys } from "../../../queries";
import type { Message } from "../../../types";

type Delivery = NonNullable<Message["delivery"]>;

const LOOK: Record<Delivery["status"], { label: string; color: string }> = {
  sending: { label: "Sending…", color: "gray" },
  sent: { label: "Sent", color: "teal" },
  failed: { label: "Failed", color: "red" },
};

export function DeliveryStatus({ message, delivery, canWrite }: { message: Message; delivery: Delivery; canWrite: boolean }) {
  const client = useQueryClient();
  const retry = useMutation({
    mutationFn: () => api(`/conversations/${message.conversation_id}/replies/${message.id}:retry`, { method: "POST", body: {} }),
    onSuccess: () => client.invalidateQueries({ queryKey: keys.conversation(message.conversation_id), exact: true }),
    onError: (error) => notifications.show({ color: "red", title: "Could not send the reply again", message: errorMessage(error) }),
  });
  const look = LOOK[delivery.status];
  return (
    <Group gap="xs" mt={6} wrap="wrap" data-testid="delivery">
      <Badge size="sm" variant="light" color={look.color} data-testid="delivery-status">
        {look.label}
      </Badge>
      {delivery.error && (
        <Text size="xs" c={delivery.status === "failed" ? "red" : "dimmed"} style={{ overflowWrap: "anywhere" }}>
          {delivery.error}
        </Text>
      )}
      {delivery.status === "failed" && canWrite && (
        <Button
          size="compact-xs"
          variant="light"
          leftSection={<IconRefresh size={12} />}
          loading={retry.isPending}
          onClick={() => retry.mutate()}
        >
          Send again
        </Button>
      )}
    </Group>
  );
}
