import { Typography } from "@mantine/core";

/**
 * An article's body as the help centre shows it. The HTML comes from the server's renderer,
 * which sanitizes it (no scripts, handlers, styles or javascript: links), so it is put in as is.
 */
export function ArticleHtml({ html, label = "Article" }: { html: string; label?: string }) {
  return (
    <Typography>
      {/* biome-ignore lint/security/noDangerouslySetInnerHtml: sanitized by the server's renderArticleHtml */}
      <section aria-label={label} data-testid="article-html" dangerouslySetInnerHTML={{ __html: html }} />
    </Typography>
  );
}
