// Reports: the listening, service, product, sales and engagement dashboards over one set of filters (date range in the
// workspace's time zone, day or week, channel, network, team, saved segment of people), each with its CSV export.
import { Button, Center, Group, Loader, SegmentedControl, Select, Stack, Tabs, Text, TextInput } from "@mantine/core";
import { IconBulb, IconCoin, IconDownload, IconEar, IconHeartHandshake, IconLifebuoy } from "@tabler/icons-react";
import dayjs from "dayjs";
import { lazy, type ReactNode, Suspense, useState } from "react";
import { Navigate, useNavigate, useParams } from "react-router-dom";
import type { ReportName } from "../../../../../src/contracts/reports";
import { useChannels, useSegments, useTeams } from "../../../queries";
import { NETWORKS } from "../../../types";
import { LoadError } from "../../../ui/LoadError";
import { networkLabel } from "../../../ui/NetworkIcon";
import { PageHeader } from "../../../ui/PageHeader";
import { type ReportFilters, reportCsvUrl, useReport } from "../queries";

const ListeningView = lazy(() => import("../components/ListeningView").then((m) => ({ default: m.ListeningView })));
const ServiceView = lazy(() => import("../components/ServiceView").then((m) => ({ default: m.ServiceView })));
const ProductView = lazy(() => import("../components/ProductView").then((m) => ({ default: m.ProductView })));
const SalesView = lazy(() => import("../components/SalesView").then((m) => ({ default: m.SalesView })));
const EngagementView = lazy(() => import("../components/EngagementView").then((m) => ({ default: m.EngagementView })));

const TABS = [
  { id: "listening", label: "Listening", icon: IconEar },
  { id: "service", label: "Service", icon: IconLifebuoy },
  { id: "product", label: "Product", icon: IconBulb },
  { id: "sales", label: "Sales", icon: IconCoin },
  { id: "engagement", label: "Engagement", icon: IconHeartHandshake },
] as const;
type Tab = (typeof TABS)[number]["id"];

const defaultFilters = (): ReportFilters => ({
  from: dayjs().subtract(29, "day").format("YYYY-MM-DD"),
  to: dayjs().format("YYYY-MM-DD"),
  bucket: "day",
  channel: null,
  network: null,
  team: null,
  segment: null,
});

function Filters({ filters, onChange, csvHref }: { filters: ReportFilters; onChange: (f: ReportFilters) => void; csvHref: string }) {
  const channels = useChannels();
  const teams = useTeams();
  const segments = useSegments();
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
      <Select
        label="Segment"
        placeholder={segments.data?.length ? "Everyone" : "No saved segments"}
        data={(segments.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
        value={filters.segment}
        onChange={(v) => set({ segment: v })}
        clearable
        searchable
        w={200}
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

/** One report's tab: its query, a retry on failure, and its view once the figures are in. */
function ReportTab<N extends ReportName>({
  name,
  filters,
  title,
  view,
}: {
  name: N;
  filters: ReportFilters;
  title: string;
  view: (report: NonNullable<ReturnType<typeof useReport<N>>["data"]>) => ReactNode;
}) {
  const report = useReport(name, filters);
  if (report.isError)
    return <LoadError error={report.error} onRetry={() => report.refetch()} title={`The ${title} report could not be loaded`} />;
  if (!report.data) return loading;
  return <Suspense fallback={loading}>{view(report.data)}</Suspense>;
}

const isTab = (tab: string | undefined): tab is Tab => TABS.some((t) => t.id === tab);

export function ReportsPage() {
  const { tab } = useParams();
  const navigate = useNavigate();
  const [filters, setFilters] = useState<ReportFilters>(defaultFilters);
  if (!isTab(tab)) return <Navigate to="/reports/listening" replace />;
  const current: Tab = tab;
  return (
    <>
      <PageHeader
        title="Reports"
        description="What customers say, how well we answer, what they ask for, what it is worth and whether our replies help, in the workspace's time zone."
      />
      <Filters filters={filters} onChange={setFilters} csvHref={reportCsvUrl(current, filters)} />
      <Tabs value={current} onChange={(v) => v && navigate(`/reports/${v}`)} keepMounted={false}>
        <Tabs.List mb="lg">
          {TABS.map((t) => (
            <Tabs.Tab key={t.id} value={t.id} leftSection={<t.icon size={16} />}>
              {t.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="listening">
          {current === "listening" && (
            <ReportTab name="listening" filters={filters} title="listening" view={(r) => <ListeningView report={r} />} />
          )}
        </Tabs.Panel>
        <Tabs.Panel value="service">
          {current === "service" && <ReportTab name="service" filters={filters} title="service" view={(r) => <ServiceView report={r} />} />}
        </Tabs.Panel>
        <Tabs.Panel value="product">
          {current === "product" && <ReportTab name="product" filters={filters} title="product" view={(r) => <ProductView report={r} />} />}
        </Tabs.Panel>
        <Tabs.Panel value="sales">
          {current === "sales" && <ReportTab name="sales" filters={filters} title="sales" view={(r) => <SalesView report={r} />} />}
        </Tabs.Panel>
        <Tabs.Panel value="engagement">
          {current === "engagement" && (
            <ReportTab name="engagement" filters={filters} title="engagement" view={(r) => <EngagementView report={r} />} />
          )}
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
