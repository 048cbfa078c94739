import { Badge } from "@mantine/core";
import type { InfluencePerson } from "../../../../../src/contracts/influence";

const LOOK = {
  advocate: { color: "green", label: "Advocate" },
  detractor: { color: "red", label: "Detractor" },
  neutral: { color: "gray", label: "Neutral" },
} as const;

/** An advocate is mostly positive, a detractor mostly negative (2 of 3 messages with a clear sentiment). */
export function StanceBadge({ stance }: { stance: InfluencePerson["stance"] }) {
  const look = LOOK[stance];
  return (
    <Badge color={look.color} variant="light" tt="none">
      {look.label}
    </Badge>
  );
}
