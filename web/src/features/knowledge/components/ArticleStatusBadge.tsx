import { Badge } from "@mantine/core";
import type { ArticleStatus } from "../../../../../src/contracts/knowledge";

export function ArticleStatusBadge({ status }: { status: ArticleStatus }) {
  return (
    <Badge variant="light" color={status === "published" ? "teal" : "gray"}>
      {status === "published" ? "Published" : "Draft"}
    </Badge>
  );
}
