import { Badge } from "@mantine/core";
import type { LifecycleStage } from "../../../types";

const COLORS: Record<LifecycleStage, string> = {
  subscriber: "gray",
  lead: "blue",
  prospect: "cyan",
  opportunity: "violet",
  customer: "green",
  advocate: "teal",
  churned: "red",
};

export function stageLabel(stage: string): string {
  return stage.charAt(0).toUpperCase() + stage.slice(1);
}

export function LifecycleBadge({ stage }: { stage: LifecycleStage | null }) {
  if (!stage) return null;
  return (
    <Badge color={COLORS[stage] ?? "gray"} variant="light" radius="sm">
      {stageLabel(stage)}
    </Badge>
  );
}
