import { Anchor, Badge, Card, Group, NumberInput, Paper, ScrollArea, Select, Stack, Text, TextInput, Title } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router-dom";
import { api, errorMessage, fieldErrors } from "../../../api";
import { usePermissions } from "../../../auth";
import type { Page } from "../../../types";
import { NewButton } from "../../../ui/buttons";
import { FormActions } from "../../../ui/FormActions";
import { FormError } from "../../../ui/FormError";
import { textField } from "../../../ui/form-helpers";
import { LoadError } from "../../../ui/LoadError";
import { ModalForm } from "../../../ui/ModalForm";
import { PageHeader } from "../../../ui/PageHeader";
import { formatMoney } from "../components/labels";
import { useCreateWorkItem, usePipelines } from "../queries";
import type { Deal, DealDetail, Pipeline } from "../types";

/** What a dragged deal card carries: its id, under a type only the board reads. */
const DEAL_DRAG_TYPE = "application/x-parley-deal";

type BoardKey = readonly unknown[];

/** Moves a deal to a stage at once on the board (the card jumps, and jumps back if the server refuses). */
function useMoveDeal(boardKey: BoardKey) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ dealId, stageId }: { dealId: string; stageId: string }) =>
      api<DealDetail>(`/deals/${dealId}`, { method: "PATCH", body: { stage_id: stageId } }),
    onMutate: async ({ dealId, stageId }) => {
      await client.cancelQueries({ queryKey: boardKey });
      const before = client.getQueryData<Page<Deal>>(boardKey);
      if (before) {
        client.setQueryData<Page<Deal>>(boardKey, {
          ...before,
          data: before.data.map((d) => (d.id === dealId ? { ...d, stage_id: stageId } : d)),
        });
      }
      return { before };
    },
    onError: (error, _vars, context) => {
      if (context?.before) client.setQueryData(boardKey, context.before);
      notifications.show({ color: "red", title: "Could not move the deal", message: errorMessage(error) });
    },
    onSettled: () => client.invalidateQueries({ queryKey: ["deals"] }),
  });
}

/**
 * Deals board: one column per stage of the chosen pipeline, with counts and totals. A card is
 * dragged to another column, or moved with its stage menu (the keyboard's way).
 */
export function DealsPage() {
  const { canWrite } = usePermissions();
  const pipelines = usePipelines();
  const [pipelineId, setPipelineId] = useState<string | null>(null);
  const [creating, creation] = useDisclosure(false);
  const pipeline = pipelines.data?.data.find((p) => p.id === pipelineId) ?? pipelines.data?.data[0];
  const boardKey = ["deals", "board", pipeline?.id] as const;
  const deals = useQuery({
    queryKey: boardKey,
    queryFn: () => api<Page<Deal>>("/deals", { query: { pipeline_id: pipeline?.id, limit: 200 } }),
    enabled: !!pipeline,
  });
  const move = useMoveDeal(boardKey);
  const [dropTarget, setDropTarget] = useState<string | null>(null);

  if (pipelines.isError) return <LoadError error={pipelines.error} onRetry={() => pipelines.refetch()} title="Could not load pipelines" />;
  return (
    <>
      <PageHeader
        title="Deals"
        description="Opportunities moving through your pipeline"
        actions={
          <Group gap="xs">
            <Select
              aria-label="Pipeline"
              data={(pipelines.data?.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
              value={pipeline?.id ?? null}
              onChange={setPipelineId}
              allowDeselect={false}
              w={200}
            />
            {canWrite && (
              <NewButton onClick={creation.open} disabled={!pipeline}>
                New deal
              </NewButton>
            )}
          </Group>
        }
      />
      {deals.isError && <LoadError error={deals.error} onRetry={() => deals.refetch()} title="Could not load deals" />}
      {pipeline && (
        <ScrollArea type="auto" offsetScrollbars>
          <Group align="flex-start" wrap="nowrap" gap="md" pb="md">
            {pipeline.stages.map((stage) => {
              const inStage = (deals.data?.data ?? []).filter((d) => d.stage_id === stage.id);
              const currencies = [...new Set(inStage.map((d) => d.currency ?? ""))];
              const total = inStage.reduce((sum, d) => sum + (d.value ?? 0), 0);
              return (
                <Paper
                  key={stage.id}
                  withBorder
                  radius="md"
                  p="sm"
                  w={260}
                  miw={260}
                  bg={dropTarget === stage.id ? "var(--mantine-color-blue-1)" : "var(--mantine-color-gray-1)"}
                  style={dropTarget === stage.id ? { outline: "2px dashed var(--mantine-color-blue-6)" } : undefined}
                  aria-label={`Stage ${stage.name}`}
                  onDragOver={(e) => {
                    if (!canWrite || !e.dataTransfer.types.includes(DEAL_DRAG_TYPE)) return;
                    e.preventDefault();
                    e.dataTransfer.dropEffect = "move";
                    setDropTarget(stage.id);
                  }}
                  onDragLeave={(e) => {
                    if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDropTarget(null);
                  }}
                  onDrop={(e) => {
                    e.preventDefault();
                    setDropTarget(null);
                    const dealId = e.dataTransfer.getData(DEAL_DRAG_TYPE);
                    const deal = deals.data?.data.find((d) => d.id === dealId);
                    if (deal && deal.stage_id !== stage.id) move.mutate({ dealId, stageId: stage.id });
                  }}
                >
                  <Group justify="space-between" mb="xs" wrap="nowrap">
                    <Title order={2} size="h6">
                      {stage.name}
                    </Title>
                    <Badge variant="light" color={stage.kind === "won" ? "green" : stage.kind === "lost" ? "gray" : "blue"}>
                      {inStage.length}
                    </Badge>
                  </Group>
                  <Text size="xs" c="dimmed" mb="sm">
                    {inStage.length === 0
                      ? "—"
                      : currencies.length === 1
                        ? formatMoney(total, currencies[0] || null)
                        : `${total.toLocaleString()} (mixed currencies)`}{" "}
                    · {stage.probability}%
                  </Text>
                  <Stack gap="xs">
                    {inStage.map((d) => (
                      <DealCard
                        key={d.id}
                        deal={d}
                        pipeline={pipeline}
                        canWrite={canWrite}
                        moving={move.isPending && move.variables?.dealId === d.id}
                        onMove={(stageId) => move.mutate({ dealId: d.id, stageId })}
                      />
                    ))}
                  </Stack>
                </Paper>
              );
            })}
          </Group>
        </ScrollArea>
      )}
      {pipeline && <NewDealModal opened={creating} onClose={creation.close} pipeline={pipeline} />}
    </>
  );
}

function DealCard({
  deal,
  pipeline,
  canWrite,
  moving,
  onMove,
}: {
  deal: Deal;
  pipeline: Pipeline;
  canWrite: boolean;
  moving: boolean;
  onMove: (stageId: string) => void;
}) {
  return (
    <Card
      withBorder
      radius="md"
      p="xs"
      data-testid="deal-card"
      draggable={canWrite}
      style={canWrite ? { cursor: "grab" } : undefined}
      onDragStart={(e) => {
        e.dataTransfer.setData(DEAL_DRAG_TYPE, deal.id);
        e.dataTransfer.effectAllowed = "move";
      }}
    >
      <Anchor component={Link} to={`/deals/${deal.id}`} size="sm" fw={500}>
        {deal.title}
      </Anchor>
      <Text size="xs" c="dimmed">
        {[formatMoney(deal.value, deal.currency), deal.contact_name ?? deal.organization_name].filter(Boolean).join(" · ")}
      </Text>
      {deal.message_id && (
        <Text size="xs" c="dimmed">
          from a message
        </Text>
      )}
      {canWrite && (
        <Select
          mt={6}
          size="xs"
          aria-label={`Stage of ${deal.title}`}
          data={pipeline.stages.map((s) => ({ value: s.id, label: s.name }))}
          value={deal.stage_id}
          onChange={(v) => v && v !== deal.stage_id && onMove(v)}
          allowDeselect={false}
          disabled={moving}
        />
      )}
    </Card>
  );
}

function NewDealModal({ opened, onClose, pipeline }: { opened: boolean; onClose: () => void; pipeline: Pipeline }) {
  const [title, setTitle] = useState("");
  const [value, setValue] = useState<number | string>("");
  const [currency, setCurrency] = useState("EUR");
  const create = useCreateWorkItem<DealDetail>(
    "deals",
    () => ({ title, value: value === "" ? null : Number(value), currency: currency || null, pipeline_id: pipeline.id }),
    onClose,
  );
  const errors = fieldErrors(create.error);
  return (
    <ModalForm opened={opened} onClose={onClose} title={`New deal in ${pipeline.name}`} onSubmit={() => create.mutate()}>
      <TextInput label="Title" required {...textField(title, setTitle)} error={errors.title} data-autofocus />
      <Group grow>
        <NumberInput label="Value" min={0} value={value} onChange={setValue} error={errors.value} thousandSeparator />
        <TextInput
          label="Currency"
          maxLength={3}
          value={currency}
          onChange={(e) => setCurrency(e.currentTarget.value.toUpperCase())}
          error={errors.currency}
        />
      </Group>
      <FormError error={create.error} shownFields={["title", "value", "currency"]} />
      <FormActions onCancel={onClose} submitLabel="Create deal" loading={create.isPending} />
    </ModalForm>
  );
}
