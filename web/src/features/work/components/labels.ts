import type { CasePriority, CaseStatus, IdeaStatus } from "../types";

export const caseStatusLabel: Record<CaseStatus, string> = {
  new: "New",
  open: "Open",
  pending_customer: "Pending customer",
  on_hold: "On hold",
  solved: "Solved",
  closed: "Closed",
};
export const caseStatusColor: Record<CaseStatus, string> = {
  new: "blue",
  open: "indigo",
  pending_customer: "yellow",
  on_hold: "gray",
  solved: "green",
  closed: "dark",
};
export const priorityLabel: Record<CasePriority, string> = { low: "Low", normal: "Normal", high: "High", urgent: "Urgent" };
export const priorityColor: Record<CasePriority, string> = { low: "gray", normal: "blue", high: "orange", urgent: "red" };
export const ideaStatusLabel: Record<IdeaStatus, string> = {
  new: "New",
  under_review: "Under review",
  planned: "Planned",
  in_progress: "In progress",
  done: "Done",
  declined: "Declined",
};
export const ideaStatusColor: Record<IdeaStatus, string> = {
  new: "blue",
  under_review: "grape",
  planned: "cyan",
  in_progress: "orange",
  done: "green",
  declined: "gray",
};

/** "1h 20m", "3d 2h", "12m" */
export function formatMinutes(minutes: number): string {
  const m = Math.abs(Math.round(minutes));
  if (m < 60) return `${m}m`;
  if (m < 24 * 60) return `${Math.floor(m / 60)}h${m % 60 ? ` ${m % 60}m` : ""}`;
  const d = Math.floor(m / (24 * 60));
  const h = Math.floor((m % (24 * 60)) / 60);
  return `${d}d${h ? ` ${h}h` : ""}`;
}

export function formatMoney(value: number | null, currency: string | null): string {
  if (value === null) return "";
  try {
    return new Intl.NumberFormat(undefined, { style: "currency", currency: currency ?? "USD", maximumFractionDigits: 0 }).format(value);
  } catch {
    return `${value} ${currency ?? ""}`.trim();
  }
}
