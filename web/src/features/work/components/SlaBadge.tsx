import { Badge, Tooltip } from "@mantine/core";
import dayjs from "dayjs";
import type { SlaTimer } from "../types";
import { formatMinutes } from "./labels";

const kindLabel = { first_response: "first response", resolution: "resolution" } as const;

/** Countdown of one SLA target: "first response in 1h 20m", "breached 12m ago", "met", "paused". */
export function SlaBadge({
  timer,
  kind,
  now = Date.now(),
}: {
  timer: SlaTimer | null;
  kind: "first_response" | "resolution";
  now?: number;
}) {
  if (!timer?.due_at) return null;
  const label = kindLabel[kind];
  const due = dayjs(timer.due_at);
  let text: string;
  let color: string;
  switch (timer.state) {
    case "met":
      text = `${label} met`;
      color = "green";
      break;
    case "paused":
      text = `${label} paused`;
      color = "gray";
      break;
    case "breached": {
      const late = Math.max(0, (now - due.valueOf()) / 60_000);
      text = timer.met_at ? `${label} breached` : `${label} breached ${formatMinutes(late)} ago`;
      color = "red";
      break;
    }
    default:
      text = `${label} in ${formatMinutes(timer.remaining_business_minutes ?? 0)}`;
      color = timer.state === "warning" ? "orange" : "blue";
  }
  return (
    <Tooltip label={`Due ${due.format("MMM D, HH:mm")} (business time)`}>
      <Badge
        color={color}
        variant={timer.state === "ok" || timer.state === "met" ? "light" : "filled"}
        size="sm"
        data-sla-state={timer.state}
      >
        {text}
      </Badge>
    </Tooltip>
  );
}
