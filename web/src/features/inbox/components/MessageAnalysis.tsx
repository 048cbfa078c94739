// What Parley understood of a message — sentiment, intents, priority and the
// reasons — and the agent's way to correct it (kept as training data).
import { Badge, Button, Group, MultiSelect, Popover, Select, Stack, Text, Tooltip } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconPencil } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, errorMessage } from "../../../api";
import { keys } from "../../../queries";
import type { Message } from "../../../types";

export const INTENT_LABELS: Record<string, string> = {
  complaint: "Complaint",
  question: "Question",
  suggestion: "Suggestion",
  praise: "Praise",
  purchase_intent: "Buying signal",
  churn_risk: "Churn risk",
  spam: "Spam",
};
const SENTIMENT_COLOR: Record<string, string> = { negative: "red", neutral: "gray", positive: "teal" };

export function MessageAnalysis({ message: m, canWrite }: { message: Message; canWrite: boolean }) {
  const a = m.analysis;
  if (!a) return null;
  const priorityColor = (a.priority ?? 0) >= 70 ? "red" : (a.priority ?? 0) >= 40 ? "orange" : "gray";
  return (
    <Group gap={6} mt={6} wrap="wrap" data-testid="message-analysis">
      <Tooltip label={a.reasons.length ? a.reasons.join(" · ") : "No strong signals"} withArrow multiline w={320}>
        <Badge size="sm" variant="light" color={priorityColor} aria-label={`Priority ${a.priority}`}>
          P{a.priority}
        </Badge>
      </Tooltip>
      {a.sentiment.label && (
        <Badge size="sm" variant="light" color={SENTIMENT_COLOR[a.sentiment.label] ?? "gray"}>
          {a.sentiment.label}
        </Badge>
      )}
      {a.labels.map((l) => (
        <Badge key={l} size="sm" variant="outline">
          {INTENT_LABELS[l] ?? l}
        </Badge>
      ))}
      {a.products.map((p) => (
        <Badge key={p} size="sm" variant="dot" color="violet">
          {p}
        </Badge>
      ))}
      {canWrite && <CorrectLabels message={m} />}
    </Group>
  );
}

function CorrectLabels({ message: m }: { message: Message }) {
  const client = useQueryClient();
  const [opened, setOpened] = useState(false);
  const [sentiment, setSentiment] = useState<string | null>(m.analysis?.sentiment.label ?? null);
  const [labels, setLabels] = useState<string[]>(m.analysis?.labels ?? []);
  const save = useMutation({
    mutationFn: () => api(`/messages/${m.id}/corrections`, { method: "POST", body: { ...(sentiment ? { sentiment } : {}), labels } }),
    onSuccess: () => {
      setOpened(false);
      client.invalidateQueries({ queryKey: keys.conversation(m.conversation_id) });
      notifications.show({ color: "teal", message: "Correction saved — it will teach the next model" });
    },
    onError: (error) => notifications.show({ color: "red", title: "Could not save the correction", message: errorMessage(error) }),
  });
  return (
    <Popover opened={opened} onChange={setOpened} position="bottom-start" withArrow trapFocus>
      <Popover.Target>
        <Button size="compact-xs" variant="subtle" leftSection={<IconPencil size={12} />} onClick={() => setOpened((o) => !o)}>
          Correct
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            save.mutate();
          }}
        >
          <Stack gap="xs" w={260}>
            <Text size="sm" fw={600}>
              Correct the analysis
            </Text>
            <Select
              label="Sentiment"
              data={["negative", "neutral", "positive"]}
              value={sentiment}
              onChange={setSentiment}
              comboboxProps={{ withinPortal: false }}
            />
            <MultiSelect
              label="Labels"
              data={Object.entries(INTENT_LABELS).map(([value, label]) => ({ value, label }))}
              value={labels}
              onChange={setLabels}
              comboboxProps={{ withinPortal: false }}
            />
            <Button type="submit" size="xs" loading={save.isPending}>
              Save correction
            </Button>
          </Stack>
        </form>
      </Popover.Dropdown>
    </Popover>
  );
}
