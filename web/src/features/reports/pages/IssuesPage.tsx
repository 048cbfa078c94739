// Emerging issues: what inbound complaints, questions and suggestions are about, grouped as they
// arrive and named by their top terms; the ones in a burst are flagged with when it started.
import { Anchor, Badge, Group, SegmentedControl, Stack, Text, TextInput } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { IconFlame } from "@tabler/icons-react";
import { useState } from "react";
import { Link } from "react-router-dom";
import type { Issue } from "../../../../../src/contracts/issues";
import { formatDateTime } from "../../../format";
import { useCursorStack } from "../../../ui/CursorPager";
import { type DataColumn, DataTable } from "../../../ui/DataTable";
import { textField } from "../../../ui/form-helpers";
import { PagedList } from "../../../ui/PagedList";
import { PageHeader } from "../../../ui/PageHeader";
import { useIssues } from "../issue-queries";

const PAGE = 50;

export function BurstBadge({ issue }: { issue: Pick<Issue, "bursting" | "burst_started_at"> }) {
  if (!issue.bursting) return null;
  return (
    <Badge color="red" variant="light" leftSection={<IconFlame size={12} />} data-testid="burst-badge">
      Burst since {formatDateTime(issue.burst_started_at)}
    </Badge>
  );
}

export function IssuesPage() {
  const [scope, setScope] = useState("all");
  const [search, setSearch] = useState("");
  const [q] = useDebouncedValue(search, 300);
  const pager = useCursorStack(`${scope}|${q}`);
  const issues = useIssues({ bursting: scope === "bursting", q, cursor: pager.cursor ?? undefined, limit: PAGE });
  return (
    <>
      <PageHeader
        title="Emerging issues"
        description="Complaints, questions and suggestions grouped by what they say, as they arrive; a burst is a rate well above the issue's usual"
      />
      <Group mb="md" gap="sm" wrap="wrap">
        <SegmentedControl
          aria-label="Which issues"
          value={scope}
          onChange={setScope}
          data={[
            { value: "all", label: "All" },
            { value: "bursting", label: "In a burst" },
          ]}
        />
        <TextInput aria-label="Search issues" placeholder="Search names" {...textField(search, setSearch)} w={220} />
      </Group>
      <PagedList query={issues} pager={pager} pageSize={PAGE} noun="issues" errorTitle="Could not load the issues">
        <DataTable
          label="Emerging issues"
          highlightOnHover
          columns={COLUMNS}
          rows={issues.data?.data ?? []}
          rowKey={(i) => i.id}
          rowProps={() => ({ "data-testid": "issue-row" })}
          empty={issues.data ? "No issues yet: they form as complaints, questions and suggestions arrive" : undefined}
        />
      </PagedList>
    </>
  );
}

const COLUMNS: Array<DataColumn<Issue>> = [
  {
    key: "issue",
    header: "Issue",
    cell: (i) => (
      <Stack gap={2}>
        <Group gap="xs">
          <Anchor component={Link} to={`/issues/${i.id}`} size="sm" fw={500}>
            {i.label}
          </Anchor>
          <BurstBadge issue={i} />
        </Group>
        <Text size="xs" c="dimmed">
          {i.top_terms
            .slice(0, 6)
            .map((t) => t.word)
            .join(", ")}
        </Text>
      </Stack>
    ),
  },
  { key: "week", header: "Last 7 days", th: { w: 110 }, td: { fz: "sm" }, cell: (i) => i.recent_count },
  { key: "total", header: "Messages", th: { w: 100 }, td: { fz: "sm" }, cell: (i) => i.message_count },
  { key: "last", header: "Latest", th: { w: 170 }, td: { fz: "sm" }, cell: (i) => formatDateTime(i.last_message_at) },
];
