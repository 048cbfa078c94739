import { Anchor, Badge, Blockquote, Button, Group, NumberInput, Paper, Select, Stack, Text, TextInput, Title } from "@mantine/core";
import { useEffect, useState } from "react";
import { Link, useParams } from "react-router-dom";
import { usePermissions } from "../../../auth";
import { formatDate, formatDateTime, safeHttpUrl } from "../../../format";
import { textField } from "../../../ui/form-helpers";
import { LoadError } from "../../../ui/LoadError";
import { NetworkIcon } from "../../../ui/NetworkIcon";
import { PageHeader } from "../../../ui/PageHeader";
import { Panel } from "../../../ui/Panel";
import { MemberSelect } from "../../contacts/components/pickers";
import { MessageText } from "../components/ItemText";
import { formatMoney } from "../components/labels";
import { WorkItemColumns } from "../components/WorkItemColumns";
import { useWorkItem, useWorkItemUpdate } from "../queries";
import type { DealDetail } from "../types";

export function DealPage() {
  const { id = "" } = useParams();
  const { canWrite } = usePermissions();
  const deal = useWorkItem<DealDetail>("deals", id);
  const update = useWorkItemUpdate<DealDetail>("deals", id, "deal", { queryKey: ["deals", "board"] });
  const [value, setValue] = useState<number | string>("");
  const [currency, setCurrency] = useState("");
  const [expected, setExpected] = useState("");
  useEffect(() => {
    if (!deal.data) return;
    setValue(deal.data.value ?? "");
    setCurrency(deal.data.currency ?? "");
    setExpected(deal.data.expected_close ?? "");
  }, [deal.data]);

  if (deal.isError) return <LoadError error={deal.error} onRetry={() => deal.refetch()} title="Could not load the deal" />;
  if (!deal.data) return <Text c="dimmed">Loading deal…</Text>;
  const d = deal.data;
  const stageName = (sid: string | null) => d.pipeline?.stages.find((s) => s.id === sid)?.name ?? "—";
  const m = d.source_message;

  return (
    <>
      <PageHeader
        title={d.title}
        description={
          <Group gap="xs">
            <Badge miw="max-content" color={d.status === "won" ? "green" : d.status === "lost" ? "gray" : "blue"} variant="light">
              {d.status}
            </Badge>
            <Text size="sm">{formatMoney(d.value, d.currency)}</Text>
            {d.contact_id && (
              <Anchor component={Link} to={`/contacts/${d.contact_id}`} size="sm">
                {d.contact_name ?? "Contact"}
              </Anchor>
            )}
            {d.organization_id && (
              <Anchor component={Link} to={`/organizations/${d.organization_id}`} size="sm">
                {d.organization_name ?? "Organization"}
              </Anchor>
            )}
          </Group>
        }
      />
      <WorkItemColumns
        main={
          <>
            {m && (
              <Paper withBorder radius="md" p="md" aria-label="Came from">
                <Group gap={6} mb="xs">
                  <NetworkIcon network={m.network} />
                  <Title order={2} size="h5">
                    This deal came from a {m.network === "x" ? "tweet" : `${m.network} message`}
                  </Title>
                </Group>
                <Blockquote
                  p="sm"
                  cite={
                    <>
                      — <bdi>{m.author ?? m.author_handle ?? "unknown"}</bdi>, {formatDateTime(m.posted_at)}
                    </>
                  }
                >
                  <MessageText text={m.text} />
                </Blockquote>
                <Group gap="md" mt="xs">
                  <Anchor component={Link} to={`/inbox/${m.conversation_id}`} size="sm">
                    Open the conversation
                  </Anchor>
                  {safeHttpUrl(m.url) && (
                    <Anchor href={safeHttpUrl(m.url) ?? undefined} target="_blank" rel="noopener noreferrer nofollow" size="sm">
                      View original
                    </Anchor>
                  )}
                </Group>
              </Paper>
            )}
            <Panel title="Stage history" titleSize="h5">
              <Stack gap={4}>
                {d.stage_history.map((h) => (
                  <Text key={`${h.at}-${h.to_stage_id}`} size="sm" c="dimmed">
                    {formatDateTime(h.at)} · {h.from_stage_id ? `${stageName(h.from_stage_id)} → ` : "entered "}
                    {stageName(h.to_stage_id)}
                  </Text>
                ))}
              </Stack>
            </Panel>
          </>
        }
        side={
          <Paper withBorder radius="md" p="md">
            <Stack gap="sm">
              <Select
                label="Stage"
                data={(d.pipeline?.stages ?? []).map((s) => ({ value: s.id, label: `${s.name} (${s.probability}%)` }))}
                value={d.stage_id}
                onChange={(v) => v && update.mutate({ stage_id: v })}
                allowDeselect={false}
                disabled={!canWrite}
              />
              <MemberSelect label="Owner" value={d.owner_id} onChange={(v) => update.mutate({ owner_id: v })} disabled={!canWrite} />
              <Group grow align="flex-end">
                <NumberInput label="Value" min={0} value={value} onChange={setValue} disabled={!canWrite} thousandSeparator />
                <TextInput
                  label="Currency"
                  maxLength={3}
                  value={currency}
                  onChange={(e) => setCurrency(e.currentTarget.value.toUpperCase())}
                  disabled={!canWrite}
                />
              </Group>
              <TextInput label="Expected close" type="date" {...textField(expected, setExpected)} disabled={!canWrite} />
              {canWrite && (
                <Button
                  size="xs"
                  variant="light"
                  loading={update.isPending}
                  onClick={() =>
                    update.mutate({
                      value: value === "" ? null : Number(value),
                      currency: currency || null,
                      expected_close: expected || null,
                    })
                  }
                >
                  Save
                </Button>
              )}
              <Text size="xs" c="dimmed">
                Created {formatDate(d.created_at)}
                {d.source === "rule" ? " by a rule" : ""}
              </Text>
            </Stack>
          </Paper>
        }
      />
    </>
  );
}
