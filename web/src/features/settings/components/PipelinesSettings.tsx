import { ActionIcon, Button, Group, NumberInput, Paper, Select, Stack, Text, TextInput, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconArrowDown, IconArrowUp, IconPlus, IconTrash } from "@tabler/icons-react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "../../../api";
import { FormError } from "../../../ui/FormError";
import { textField } from "../../../ui/form-helpers";
import { LoadError } from "../../../ui/LoadError";
import { usePipelines } from "../../work/queries";
import type { Pipeline, StageKind } from "../../work/types";

type StageDraft = { key: string; id?: string; name: string; probability: number; kind: StageKind };

/** Pipelines and their stages. */
export function PipelinesSettings() {
  const pipelines = usePipelines();
  const client = useQueryClient();
  const [name, setName] = useState("");
  const create = useMutation({
    mutationFn: () => api<Pipeline>("/pipelines", { method: "POST", body: { name } }),
    onSuccess: () => {
      setName("");
      client.invalidateQueries({ queryKey: ["pipelines"] });
    },
  });
  if (pipelines.isError) return <LoadError error={pipelines.error} onRetry={() => pipelines.refetch()} title="Could not load pipelines" />;
  return (
    <Stack>
      {(pipelines.data?.data ?? []).map((p) => (
        <PipelineEditor key={p.id} pipeline={p} />
      ))}
      <Paper withBorder radius="md" p="md">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate();
          }}
        >
          <Group align="flex-end">
            <TextInput label="New pipeline" placeholder="e.g. Partnerships" {...textField(name, setName)} />
            <Button type="submit" leftSection={<IconPlus size={16} />} disabled={!name.trim()} loading={create.isPending}>
              Add pipeline
            </Button>
          </Group>
          <FormError error={create.error} />
        </form>
      </Paper>
    </Stack>
  );
}

let keySeq = 0;
const stageDrafts = (p: Pipeline): StageDraft[] =>
  p.stages.map((s) => ({ key: s.id, id: s.id, name: s.name, probability: s.probability, kind: s.kind }));

function PipelineEditor({ pipeline }: { pipeline: Pipeline }) {
  const client = useQueryClient();
  const [name, setName] = useState(pipeline.name);
  const [stages, setStages] = useState(stageDrafts(pipeline));
  const save = useMutation({
    mutationFn: () =>
      api<Pipeline>(`/pipelines/${pipeline.id}`, {
        method: "PATCH",
        body: { name, stages: stages.map(({ id, name: n, probability, kind }) => ({ id, name: n, probability, kind })) },
      }),
    onSuccess: (p) => {
      setStages(stageDrafts(p));
      client.invalidateQueries({ queryKey: ["pipelines"] });
      notifications.show({ color: "green", title: "Pipeline saved", message: p.name });
    },
  });
  const update = (i: number, patch: Partial<StageDraft>) => setStages((s) => s.map((x, j) => (j === i ? { ...x, ...patch } : x)));
  const moveStage = (i: number, by: number) =>
    setStages((s) => {
      const next = [...s];
      const [item] = next.splice(i, 1);
      next.splice(i + by, 0, item);
      return next;
    });
  return (
    <Paper withBorder radius="md" p="md">
      <Group justify="space-between" mb="sm">
        <Title order={2} size="h5">
          {pipeline.name}
          {pipeline.is_default ? " (default)" : ""}
        </Title>
      </Group>
      <Stack gap="xs">
        <TextInput label="Name" {...textField(name, setName)} w={300} />
        {stages.map((s, i) => (
          <Group key={s.key} gap="xs" wrap="nowrap" aria-label={`Stage ${i + 1}`}>
            <TextInput aria-label="Stage name" value={s.name} onChange={(e) => update(i, { name: e.currentTarget.value })} w={200} />
            <NumberInput
              aria-label="Probability"
              min={0}
              max={100}
              suffix="%"
              value={s.probability}
              onChange={(v) => update(i, { probability: Number(v) || 0 })}
              w={90}
            />
            <Select
              aria-label="Kind"
              data={[
                { value: "open", label: "Open" },
                { value: "won", label: "Won" },
                { value: "lost", label: "Lost" },
              ]}
              value={s.kind}
              onChange={(v) => v && update(i, { kind: v as StageKind })}
              allowDeselect={false}
              w={100}
            />
            <ActionIcon variant="subtle" aria-label="Move up" disabled={i === 0} onClick={() => moveStage(i, -1)}>
              <IconArrowUp size={16} />
            </ActionIcon>
            <ActionIcon variant="subtle" aria-label="Move down" disabled={i === stages.length - 1} onClick={() => moveStage(i, 1)}>
              <IconArrowDown size={16} />
            </ActionIcon>
            <ActionIcon
              variant="subtle"
              color="red"
              aria-label="Remove stage"
              onClick={() => setStages((x) => x.filter((_, j) => j !== i))}
            >
              <IconTrash size={16} />
            </ActionIcon>
          </Group>
        ))}
        <Group>
          <Button
            variant="default"
            size="xs"
            leftSection={<IconPlus size={14} />}
            onClick={() => setStages((s) => [...s, { key: `new-${++keySeq}`, name: "", probability: 0, kind: "open" }])}
          >
            Add stage
          </Button>
          <Button size="xs" onClick={() => save.mutate()} loading={save.isPending}>
            Save pipeline
          </Button>
        </Group>
        <Text size="xs" c="dimmed">
          A stage that still holds deals cannot be removed.
        </Text>
        <FormError error={save.error} />
      </Stack>
    </Paper>
  );
}
