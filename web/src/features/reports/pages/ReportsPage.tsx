// Reports: the listening and service dashboards over one set of filters (date range in the
// workspace's time zone, day or week, channel, network, team), each with its CSV export.
import { Button, Center, Group, Loader, SegmentedControl, Select, Stack, Tabs, Text, TextInput } from "@mantine/core";
import { IconDownload, IconEar, IconLifebuoy } from "@tabler/icons-react";
import dayjs from "dayjs";
import { lazy, Suspense, useState } from "react";
import { Navigate, useNavigate, useParams } from "react-router-dom";
import type { ListeningReport, ServiceReport } from "../../../../../src/contracts/reports";
import { useChannels, useTeams } from "../../../queries";
import { NETWORKS } from "../../../types";
import { LoadError } from "../../../ui/LoadError";
import { networkLabel } from "../../../ui/NetworkIcon";
import { PageHeader } from "../../../ui/PageHeader";
import { type ReportFilters, reportCsvUrl, useReport } from "../queries";

const ListeningView = lazy(() => import("../components/ListeningView").then((m) => ({ default: m.ListeningView })));
const ServiceView = lazy(() => import("../components/ServiceView").then((m) => ({ default: m.ServiceView })));

const TABS = [
  { id: "listening", label: "Listening", icon: IconEar },
  { id: "service", label: "Service", icon: IconLifebuoy },
] as const;
type Tab = (typeof TABS)[number]["id"];

const defaultFilters = (): ReportFilters => ({
  from: dayjs().subtract(29, "day").format("YYYY-MM-DD"),
  to: dayjs().format("YYYY-MM-DD"),
  bucket: "day",
  channel: null,
  network: null,
  team: null,
});

function Filters({ filters, onChange, csvHref }: { filters: ReportFilters; onChange: (f: ReportFilters) => void; csvHref: string }) {
  const channels = useChannels();
  const teams = useTeams();
  const set = (patch: Partial<ReportFilters>) => onChange({ ...filters, ...patch });
  return (
    <Group align="end" gap="sm" wrap="wrap" mb="lg">
      <TextInput label="From" type="date" value={filters.from} onChange={(e) => set({ from: e.currentTarget.value })} w={160} />
      <TextInput label="To" type="date" value={filters.to} onChange={(e) => set({ to: e.currentTarget.value })} w={160} />
      <Stack gap={4}>
        <Text size="sm" fw={500}>
          By
        </Text>
        <SegmentedControl
          value={filters.bucket}
          onChange={(v) => set({ bucket: v as ReportFilters["bucket"] })}
          data={[
            { value: "day", label: "Day" },
            { value: "week", label: "Week" },
          ]}
          aria-label="Bucket"
        />
      </Stack>
      <Select
        label="Channel"
        placeholder="Any channel"
        data={(channels.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
        value={filters.channel}
        onChange={(v) => set({ channel: v })}
        clearable
        searchable
        w={200}
      />
      <Select
        label="Network"
        placeholder="Any network"
        data={NETWORKS.map((n) => ({ value: n, label: networkLabel(n) }))}
        value={filters.network}
        onChange={(v) => set({ network: v })}
        clearable
        w={170}
      />
      <Select
        label="Team"
        placeholder="Any team"
        data={(teams.data ?? []).map((t) => ({ value: t.id, label: t.name }))}
        value={filters.team}
        onChange={(v) => set({ team: v })}
        clearable
        w={180}
      />
      <Button component="a" href={csvHref} download variant="default" leftSection={<IconDownload size={16} />}>
        Export CSV
      </Button>
    </Group>
  );
}

const loading = (
  <Center py="xl">
    <Loader aria-label="Loading report" />
  </Center>
);

function ListeningTab({ filters }: { filters: ReportFilters }) {
  const report = useReport("listening", filters);
  if (report.isError)
    return <LoadError error={report.error} onRetry={() => report.refetch()} title="The listening report could not be loaded" />;
  if (!report.data) return loading;
  return (
    <Suspense fallback={loading}>
      <ListeningView report={report.data as ListeningReport} />
    </Suspense>
  );
}

function ServiceTab({ filters }: { filters: ReportFilters }) {
  const report = useReport("service", filters);
  if (report.isError)
    return <LoadError error={report.error} onRetry={() => report.refetch()} title="The service report could not be loaded" />;
  if (!report.data) return loading;
  return (
    <Suspense fallback={loading}>
      <ServiceView report={report.data as ServiceReport} />
    </Suspense>
  );
}

export function ReportsPage() {
  const { tab } = useParams();
  const navigate = useNavigate();
  const [filters, setFilters] = useState<ReportFilters>(defaultFilters);
  if (tab !== "listening" && tab !== "service") return <Navigate to="/reports/listening" replace />;
  const current: Tab = tab;
  return (
    <>
      <PageHeader title="Reports" description="What customers say and how well we answer, in the workspace's time zone." />
      <Filters filters={filters} onChange={setFilters} csvHref={reportCsvUrl(current, filters)} />
      <Tabs value={current} onChange={(v) => v && navigate(`/reports/${v}`)} keepMounted={false}>
        <Tabs.List mb="lg">
          {TABS.map((t) => (
            <Tabs.Tab key={t.id} value={t.id} leftSection={<t.icon size={16} />}>
              {t.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="listening">{current === "listening" && <ListeningTab filters={filters} />}</Tabs.Panel>
        <Tabs.Panel value="service">{current === "service" && <ServiceTab filters={filters} />}</Tabs.Panel>
      </Tabs>
    </>
  );
}
