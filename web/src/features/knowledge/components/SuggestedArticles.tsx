import { Anchor, Button, Group, Stack, Text } from "@mantine/core";
import { IconBook2, IconCornerDownLeft } from "@tabler/icons-react";
import { Link } from "react-router-dom";
import type { ArticleHit } from "../../../../../src/contracts/knowledge";
import { useSuggestedArticles } from "../queries";

/** What the reply gets when an agent inserts an article: its title and its public page (when the portal has one). */
export function articleReference(hit: Pick<ArticleHit, "title" | "url">, origin = window.location.origin): string {
  return hit.url ? `${hit.title}: ${origin}${hit.url}` : hit.title;
}

/**
 * Help-centre articles that may answer the conversation's newest inbound message, under the
 * reply composer; "Insert" puts the article's title and link into the reply. Nothing shows
 * when nothing matches.
 */
export function SuggestedArticles({ conversationId, onInsert }: { conversationId: string; onInsert: (text: string) => void }) {
  const suggestions = useSuggestedArticles(conversationId);
  const hits = suggestions.data?.data ?? [];
  if (hits.length === 0) return null;
  return (
    <Stack gap={4} component="section" aria-label="Suggested articles">
      <Group gap={6}>
        <IconBook2 size={14} />
        <Text size="xs" fw={600} c="dimmed">
          Suggested articles
        </Text>
      </Group>
      {hits.map((hit) => (
        <Group key={hit.id} gap="xs" wrap="nowrap" justify="space-between" data-testid="suggested-article">
          <Stack gap={0} style={{ minWidth: 0 }}>
            <Anchor component={Link} to={`/help-centre/${hit.id}`} size="sm" truncate="end">
              {hit.title}
            </Anchor>
            {hit.snippet && (
              <Text size="xs" c="dimmed" lineClamp={1}>
                {hit.snippet}
              </Text>
            )}
          </Stack>
          <Button
            size="compact-xs"
            variant="light"
            leftSection={<IconCornerDownLeft size={12} />}
            aria-label={`Insert ${hit.title}`}
            onClick={() => onInsert(articleReference(hit))}
          >
            Insert
          </Button>
        </Group>
      ))}
    </Stack>
  );
}
