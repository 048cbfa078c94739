import { Anchor, Button, Group, Stack, Text } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { useQuery } from "@tanstack/react-query";
import type { ArticleVersion } from "../../../../../src/contracts/knowledge";
import { api } from "../../../api";
import { formatDateTime } from "../../../format";
import type { List } from "../../../types";
import { kbKeys } from "../queries";

/** An article's saved versions, newest first; "Use this text" puts an older one back in the editor (saved only on Save). */
export function ArticleVersions({ articleId, onUse }: { articleId: string; onUse: (version: ArticleVersion) => void }) {
  const [opened, { toggle }] = useDisclosure(false);
  const versions = useQuery({
    queryKey: [...kbKeys.article(articleId), "versions"],
    queryFn: ({ signal }) => api<List<ArticleVersion>>(`/knowledge/articles/${articleId}/versions`, { signal }),
    enabled: opened,
  });
  return (
    <Stack gap="xs" component="section" aria-label="Versions">
      <Anchor component="button" type="button" size="sm" onClick={toggle} aria-expanded={opened}>
        {opened ? "Hide versions" : "Show versions"}
      </Anchor>
      {opened &&
        (versions.data?.data ?? []).map((v, i) => (
          <Group key={v.id} justify="space-between" wrap="nowrap" data-testid="article-version">
            <Text size="sm">
              {formatDateTime(v.created_at)} · {v.edited_by?.name ?? "someone"} · “{v.title}”{i === 0 ? " (current)" : ""}
            </Text>
            {i > 0 && (
              <Button size="compact-xs" variant="default" onClick={() => onUse(v)}>
                Use this text
              </Button>
            )}
          </Group>
        ))}
    </Stack>
  );
}
