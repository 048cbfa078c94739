import { Badge } from "@mantine/core";
import type { CasePriority, CaseStatus, IdeaStatus } from "../types";
import { caseStatusColor, caseStatusLabel, ideaStatusColor, ideaStatusLabel, priorityColor, priorityLabel } from "./labels";

export function CaseStatusBadge({ status }: { status: CaseStatus }) {
  return (
    <Badge miw="max-content" color={caseStatusColor[status]} variant="light">
      {caseStatusLabel[status]}
    </Badge>
  );
}

export function PriorityBadge({ priority }: { priority: CasePriority }) {
  return (
    <Badge miw="max-content" color={priorityColor[priority]} variant="dot">
      {priorityLabel[priority]}
    </Badge>
  );
}

export function IdeaStatusBadge({ status }: { status: IdeaStatus }) {
  return (
    <Badge miw="max-content" color={ideaStatusColor[status]} variant="light">
      {ideaStatusLabel[status]}
    </Badge>
  );
}
