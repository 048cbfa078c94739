import { Badge, Button, Grid, Group, Paper, SegmentedControl, Select, Stack, Tabs, Text, Textarea, TextInput } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { IconThumbDown, IconThumbUp, IconTrash } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useNavigate, useParams } from "react-router-dom";
import type { Article, ArticleStatus } from "../../../../../src/contracts/knowledge";
import { api, fieldErrors } from "../../../api";
import { usePermissions } from "../../../auth";
import { formatDateTime } from "../../../format";
import { ConfirmDialog } from "../../../ui/ConfirmDialog";
import { FormError } from "../../../ui/FormError";
import { textField, trimOrNull } from "../../../ui/form-helpers";
import { PageHeader } from "../../../ui/PageHeader";
import { BackLink, RecordLoader } from "../../../ui/RecordPage";
import { useConfirmed } from "../../../ui/useConfirmed";
import { ArticleHtml } from "../components/ArticleHtml";
import { ArticleStatusBadge } from "../components/ArticleStatusBadge";
import { ArticleVersions } from "../components/ArticleVersions";
import { kbKeys, useArticle, useCategories } from "../queries";

const BACK = { to: "/help-centre", label: "Help centre" };

/** One article: managers edit it (Markdown with a preview the server renders), agents read it. */
export function ArticlePage() {
  const { id } = useParams();
  const isNew = !id || id === "new";
  const article = useArticle(isNew ? undefined : id);
  const { canManageTeams: canWrite } = usePermissions();
  if (isNew) return <ArticleEditor article={null} />;
  return (
    <RecordLoader query={article} noun="article" back={BACK}>
      {(a) => (canWrite ? <ArticleEditor key={a.id} article={a} /> : <ArticleReader article={a} />)}
    </RecordLoader>
  );
}

function ArticleStats({ article }: { article: Article }) {
  const s = article.stats;
  return (
    <Group gap="xs" wrap="wrap">
      <ArticleStatusBadge status={article.status} />
      <Badge variant="outline" color="gray">
        {s.views} views
      </Badge>
      <Badge variant="light" color="teal" leftSection={<IconThumbUp size={12} />} aria-label={`${s.helpful} found it helpful`}>
        {s.helpful}
      </Badge>
      <Badge variant="light" color="gray" leftSection={<IconThumbDown size={12} />} aria-label={`${s.not_helpful} did not`}>
        {s.not_helpful}
      </Badge>
      <Badge variant="outline" color="violet">
        {s.deflections} deflections
      </Badge>
    </Group>
  );
}

function ArticleReader({ article }: { article: Article }) {
  return (
    <Stack>
      <BackLink {...BACK} />
      <PageHeader
        title={article.title}
        description={`${article.category?.name ?? "No category"} · updated ${formatDateTime(article.updated_at)}`}
      />
      <ArticleStats article={article} />
      <Paper withBorder p="lg" radius="md">
        <ArticleHtml html={article.html} />
      </Paper>
    </Stack>
  );
}

function ArticleEditor({ article }: { article: Article | null }) {
  const client = useQueryClient();
  const navigate = useNavigate();
  const categories = useCategories();
  const [title, setTitle] = useState(article?.title ?? "");
  const [slug, setSlug] = useState(article?.slug ?? "");
  const [categoryId, setCategoryId] = useState<string | null>(article?.category?.id ?? null);
  const [status, setStatus] = useState<ArticleStatus>(article?.status ?? "draft");
  const [body, setBody] = useState(article?.body ?? "");
  const [tab, setTab] = useState<string | null>("write");

  const save = useMutation({
    mutationFn: () => {
      const fields = { title, body, status, category_id: categoryId, ...(trimOrNull(slug) ? { slug: slug.trim() } : {}) };
      return article
        ? api<Article>(`/knowledge/articles/${article.id}`, { method: "PATCH", body: fields })
        : api<Article>("/knowledge/articles", { method: "POST", body: fields });
    },
    onSuccess: (saved) => {
      client.setQueryData(kbKeys.article(saved.id), saved);
      client.invalidateQueries({ queryKey: kbKeys.articles });
      client.invalidateQueries({ queryKey: kbKeys.categories });
      notifications.show({ color: "green", message: "Article saved" });
      if (!article) navigate(`/help-centre/${saved.id}`, { replace: true });
      else setSlug(saved.slug);
    },
  });
  const remove = useConfirmed(
    (a: Article) => api(`/knowledge/articles/${a.id}`, { method: "DELETE" }),
    () => {
      client.invalidateQueries({ queryKey: kbKeys.all });
      navigate("/help-centre");
    },
  );
  const errors = fieldErrors(save.error);

  return (
    <Stack>
      <BackLink {...BACK} />
      <PageHeader
        title={article ? article.title : "New article"}
        description={
          article ? `Updated ${formatDateTime(article.updated_at)}${article.author ? ` · by ${article.author.name}` : ""}` : undefined
        }
        actions={
          article && (
            <Button variant="light" color="red" leftSection={<IconTrash size={16} />} onClick={() => remove.ask(article)}>
              Delete
            </Button>
          )
        }
      />
      {article && <ArticleStats article={article} />}
      <form
        aria-label="Article"
        onSubmit={(e) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <Stack>
          <Grid>
            <Grid.Col span={{ base: 12, md: 6 }}>
              <TextInput label="Title" required {...textField(title, setTitle)} error={errors.title} data-autofocus />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 3 }}>
              <TextInput label="Slug" placeholder="made from the title" {...textField(slug, setSlug)} error={errors.slug} />
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 3 }}>
              <Select
                label="Category"
                placeholder="No category"
                clearable
                value={categoryId}
                onChange={setCategoryId}
                data={(categories.data?.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
                error={errors.category_id}
              />
            </Grid.Col>
          </Grid>
          <Tabs value={tab} onChange={setTab} keepMounted={false}>
            <Tabs.List>
              <Tabs.Tab value="write">Write</Tabs.Tab>
              <Tabs.Tab value="preview">Preview</Tabs.Tab>
            </Tabs.List>
            <Tabs.Panel value="write" pt="sm">
              <Textarea
                aria-label="Body (Markdown)"
                description="Markdown: # headings, **bold**, [links](https://…), lists, tables"
                autosize
                minRows={12}
                maxRows={30}
                {...textField(body, setBody)}
                error={errors.body}
                styles={{ input: { fontFamily: "var(--mantine-font-family-monospace)" } }}
              />
            </Tabs.Panel>
            <Tabs.Panel value="preview" pt="sm">
              <MarkdownPreview body={body} />
            </Tabs.Panel>
          </Tabs>
          <Group justify="space-between" wrap="wrap">
            <SegmentedControl
              aria-label="Status"
              value={status}
              onChange={(v) => setStatus(v as ArticleStatus)}
              data={[
                { value: "draft", label: "Draft" },
                { value: "published", label: "Published" },
              ]}
            />
            <Button type="submit" loading={save.isPending}>
              {article ? "Save" : "Create article"}
            </Button>
          </Group>
          <FormError error={save.error} shownFields={["title", "slug", "category_id", "body"]} />
          {article && (
            <ArticleVersions
              key={article.updated_at}
              articleId={article.id}
              onUse={(v) => {
                setTitle(v.title);
                setBody(v.body);
                setTab("write");
              }}
            />
          )}
        </Stack>
      </form>
      <ConfirmDialog title="Delete article" {...remove.dialog}>
        Delete “{remove.target?.title}”? Its page leaves the help centre and its counts are lost.
      </ConfirmDialog>
    </Stack>
  );
}

/** The body as the help centre will show it: rendered and sanitized by the server, not in the browser. */
function MarkdownPreview({ body }: { body: string }) {
  const [text] = useDebouncedValue(body, 250);
  const preview = useQuery({
    queryKey: ["knowledge", "preview", text],
    queryFn: ({ signal }) => api<{ html: string }>("/knowledge/preview", { method: "POST", body: { body: text }, signal }),
    staleTime: Number.POSITIVE_INFINITY,
  });
  return (
    <Paper withBorder p="lg" radius="md" mih={200}>
      {preview.data ? (
        preview.data.html ? (
          <ArticleHtml html={preview.data.html} label="Preview" />
        ) : (
          <Text c="dimmed" size="sm">
            Nothing to preview yet
          </Text>
        )
      ) : (
        <Text c="dimmed" size="sm">
          {preview.isError ? "Could not render the preview" : "Rendering…"}
        </Text>
      )}
    </Paper>
  );
}
