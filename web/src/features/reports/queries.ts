// Server state of the reports: one query per report and filter set, and the CSV link of the same filters.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import type {
  EngagementReport,
  ListeningReport,
  ProductReport,
  ReportName,
  SalesReport,
  ServiceReport,
} from "../../../../src/contracts/reports";
import { api, apiUrl } from "../../api";

export type ReportFilters = {
  from: string;
  to: string;
  bucket: "day" | "week";
  channel: string | null;
  network: string | null;
  team: string | null;
  segment: string | null;
};

type Answers = {
  listening: ListeningReport;
  service: ServiceReport;
  product: ProductReport;
  sales: SalesReport;
  engagement: EngagementReport;
};
type Answer<N extends ReportName> = Answers[N];

const query = (f: ReportFilters) => ({
  from: f.from || undefined,
  to: f.to || undefined,
  bucket: f.bucket,
  channel: f.channel,
  network: f.network,
  team: f.team,
  segment: f.segment,
});

export function useReport<N extends ReportName>(name: N, filters: ReportFilters) {
  return useQuery({
    queryKey: ["reports", name, filters],
    queryFn: () => api<Answer<N>>(`/reports/${name}`, { query: query(filters) }),
    placeholderData: keepPreviousData,
  });
}

export const reportCsvUrl = (name: ReportName, filters: ReportFilters) => apiUrl(`/reports/${name}`, { ...query(filters), format: "csv" });
