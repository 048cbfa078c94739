// Bulk actions on the conversations selected in the inbox list: assign, change status, tag or
// close them all in one call (one transaction on the server).
import { Button, Group, Paper, Select, Text, TextInput } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { BulkInput } from "../../../../../src/contracts/team";
import { api, errorMessage } from "../../../api";
import { keys } from "../../../queries";
import { CONVERSATION_STATUSES } from "../../../types";
import { MemberSelect } from "../../contacts/components/pickers";

export function BulkBar({ ids, onDone }: { ids: string[]; onDone: () => void }) {
  const client = useQueryClient();
  const [tag, setTag] = useState("");
  const bulk = useMutation({
    mutationFn: (change: Omit<BulkInput, "ids">) =>
      api<{ updated: number }>("/conversations:bulk", { method: "POST", body: { ids, ...change } }),
    onSuccess: (res) => {
      notifications.show({ color: "green", message: `${res.updated} ${res.updated === 1 ? "conversation" : "conversations"} updated` });
      client.invalidateQueries({ queryKey: keys.conversations });
      setTag("");
      onDone();
    },
    onError: (error) => notifications.show({ color: "red", title: "Could not update them", message: errorMessage(error) }),
  });
  if (ids.length === 0) return null;
  return (
    <Paper withBorder radius="md" p="xs" bg="var(--mantine-color-indigo-0)" aria-label="Bulk actions" component="section">
      <Group gap="xs" wrap="wrap" align="flex-end">
        <Text size="sm" fw={600} data-testid="bulk-count">
          {ids.length} selected
        </Text>
        <MemberSelect
          aria-label="Assign selected to"
          placeholder="Assign to…"
          size="xs"
          value={null}
          disabled={bulk.isPending}
          onChange={(v) => v && bulk.mutate({ assignee_id: v })}
        />
        <Select
          aria-label="Set status of selected"
          placeholder="Status…"
          size="xs"
          w={120}
          data={CONVERSATION_STATUSES.map((s) => ({ value: s, label: s[0].toUpperCase() + s.slice(1) }))}
          value={null}
          disabled={bulk.isPending}
          onChange={(v) => v && bulk.mutate({ status: v as BulkInput["status"] })}
        />
        <Group
          gap={4}
          wrap="nowrap"
          component="form"
          onSubmit={(e) => {
            e.preventDefault();
            if (tag.trim()) bulk.mutate({ add_tags: [tag.trim()] });
          }}
        >
          <TextInput
            aria-label="Tag selected"
            placeholder="Add tag…"
            size="xs"
            w={120}
            value={tag}
            onChange={(e) => setTag(e.currentTarget.value)}
          />
          <Button type="submit" size="xs" variant="default" disabled={!tag.trim()} loading={bulk.isPending}>
            Tag
          </Button>
        </Group>
        <Button size="xs" color="gray" onClick={() => bulk.mutate({ status: "closed" })} loading={bulk.isPending}>
          Close all
        </Button>
        <Button size="xs" variant="subtle" onClick={onDone}>
          Clear selection
        </Button>
      </Group>
    </Paper>
  );
}
