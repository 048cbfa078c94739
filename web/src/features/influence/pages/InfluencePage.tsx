// People and influence: everyone in the reply/mention/quote graph ranked by the engagement they
// receive (PageRank, not follower counts), with why in words; the advocates and detractors tabs
// keep the influential people of a clear stance. Managers can recompute the figures now.
import { Button, Group, List, Stack, Tabs, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconRefresh } from "@tabler/icons-react";
import type { InfluenceKind, InfluencePerson } from "../../../../../src/contracts/influence";
import { errorMessage } from "../../../api";
import { usePermissions } from "../../../auth";
import { formatDateTime } from "../../../format";
import { type DataColumn, DataTable } from "../../../ui/DataTable";
import { LoadError } from "../../../ui/LoadError";
import { PageHeader } from "../../../ui/PageHeader";
import { useSearchParam } from "../../../ui/useSearchParam";
import { PersonName } from "../components/PersonName";
import { StanceBadge } from "../components/StanceBadge";
import { useInfluence, useRecomputeInfluence } from "../queries";

/** "1 community", "3 communities". */
const count = (n: number, one: string, many: string) => `${n.toLocaleString("en")} ${n === 1 ? one : many}`;

const TABS: Array<{ value: InfluenceKind; label: string; empty: string }> = [
  { value: "all", label: "Everyone", empty: "No one has replied to, mentioned or quoted anyone yet" },
  { value: "advocates", label: "Advocates", empty: "No advocates yet: influential people whose messages are mostly positive" },
  { value: "detractors", label: "Detractors", empty: "No detractors: influential people whose messages are mostly negative" },
];

export function InfluencePage() {
  const { params, setParam } = useSearchParam();
  const kind = (TABS.find((t) => t.value === params.get("kind"))?.value ?? "all") as InfluenceKind;
  const list = useInfluence(kind);
  const recompute = useRecomputeInfluence();
  const { canManageTeams } = usePermissions();
  const run = list.data?.run;

  function handleRecompute() {
    recompute.mutate(undefined, {
      onSuccess: (r) =>
        notifications.show({
          color: "green",
          message: `Influence recomputed: ${count(r.people, "person", "people")}, ${count(r.communities, "community", "communities")}`,
        }),
      onError: (err) => notifications.show({ color: "red", message: errorMessage(err) }),
    });
  }

  return (
    <>
      <PageHeader
        title="People and influence"
        description="Influence is the engagement a person receives — replies, mentions and quotes, weighted by who gives them (PageRank) — across every network"
        actions={
          canManageTeams && (
            <Button leftSection={<IconRefresh size={16} />} variant="default" onClick={handleRecompute} loading={recompute.isPending}>
              Recompute now
            </Button>
          )
        }
      />
      <Tabs value={kind} onChange={(v) => setParam("kind", v === "all" ? null : v)} mb="md">
        <Tabs.List>
          {TABS.map((t) => (
            <Tabs.Tab key={t.value} value={t.value}>
              {t.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      {list.isError ? (
        <LoadError error={list.error} onRetry={() => list.refetch()} title="Could not load influence" />
      ) : (
        <Stack gap="sm">
          {list.data && (
            <Text size="sm" c="dimmed" data-testid="influence-run">
              {run
                ? `From ${count(run.interactions, "interaction", "interactions")} between ${count(run.people, "person", "people")} in the last ${run.window_days} days, ${count(run.communities, "community", "communities")}; computed ${formatDateTime(run.computed_at)}`
                : "Not computed yet: the figures are computed hourly, or now with Recompute."}
            </Text>
          )}
          <DataTable
            label="People by influence"
            highlightOnHover
            columns={COLUMNS}
            rows={list.data?.data ?? []}
            rowKey={(p) => p.node}
            rowProps={() => ({ "data-testid": "influence-row" })}
            empty={list.data ? TABS.find((t) => t.value === kind)?.empty : undefined}
          />
        </Stack>
      )}
    </>
  );
}

const COLUMNS: Array<DataColumn<InfluencePerson>> = [
  { key: "rank", header: "Rank", th: { w: 70 }, td: { fz: "sm" }, cell: (p) => p.rank },
  {
    key: "person",
    header: "Person",
    cell: (p) => (
      <Stack gap={2}>
        <PersonName name={p.name} contactId={p.contact_id} network={p.network} />
        {p.lifecycle_stage && (
          <Text size="xs" c="dimmed">
            {p.lifecycle_stage}
          </Text>
        )}
      </Stack>
    ),
  },
  {
    key: "index",
    header: "Influence",
    th: { w: 110 },
    td: { fz: "sm" },
    cell: (p) => <span title={`PageRank ${p.score.toFixed(5)}`}>{p.index.toFixed(1)}×</span>,
  },
  {
    key: "stance",
    header: "Stance",
    th: { w: 110 },
    cell: (p) => (
      <Group gap={4}>
        <StanceBadge stance={p.stance} />
      </Group>
    ),
  },
  {
    key: "community",
    header: "Community",
    th: { w: 120 },
    td: { fz: "sm" },
    cell: (p) => `#${p.community} (${p.community_size})`,
  },
  {
    key: "why",
    header: "Why",
    cell: (p) => (
      <List size="xs" spacing={0}>
        {p.why.map((w) => (
          <List.Item key={w}>{w}</List.Item>
        ))}
      </List>
    ),
  },
];
