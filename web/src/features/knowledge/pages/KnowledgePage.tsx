import { Anchor, Badge, Group, SegmentedControl, Select, Tabs, Text, TextInput } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { IconThumbDown, IconThumbUp } from "@tabler/icons-react";
import { useState } from "react";
import { Link, useNavigate } from "react-router-dom";
import type { ArticleStatus, ArticleSummary } from "../../../../../src/contracts/knowledge";
import { usePermissions } from "../../../auth";
import { formatDate } from "../../../format";
import { NewButton } from "../../../ui/buttons";
import { useCursorStack } from "../../../ui/CursorPager";
import { type DataColumn, DataTable } from "../../../ui/DataTable";
import { textField } from "../../../ui/form-helpers";
import { PagedList } from "../../../ui/PagedList";
import { PageHeader } from "../../../ui/PageHeader";
import { useSearchParam } from "../../../ui/useSearchParam";
import { ArticleStatusBadge } from "../components/ArticleStatusBadge";
import { CategoriesPanel } from "../components/CategoriesPanel";
import { useArticles, useCategories } from "../queries";

const PAGE = 50;

/** The help centre for staff: its articles with how they do (views, votes, deflections), and its categories. */
export function KnowledgePage() {
  const { canManageTeams: canWrite } = usePermissions();
  const navigate = useNavigate();
  const { params, setParam } = useSearchParam();
  const tab = params.get("tab") ?? "articles";
  return (
    <>
      <PageHeader
        title="Help centre"
        description="Articles customers find in the portal and agents suggest in their replies"
        actions={canWrite && <NewButton onClick={() => navigate("/help-centre/new")}>New article</NewButton>}
      />
      <Tabs value={tab} onChange={(v) => setParam("tab", v === "articles" ? null : v)} keepMounted={false}>
        <Tabs.List mb="md">
          <Tabs.Tab value="articles">Articles</Tabs.Tab>
          <Tabs.Tab value="categories">Categories</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="articles">
          <ArticleList />
        </Tabs.Panel>
        <Tabs.Panel value="categories">
          <CategoriesPanel canWrite={canWrite} />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}

function ArticleList() {
  const [search, setSearch] = useState("");
  const [q] = useDebouncedValue(search.trim(), 300);
  const [status, setStatus] = useState<ArticleStatus | "">("");
  const [categoryId, setCategoryId] = useState<string | null>(null);
  const categories = useCategories();
  const pager = useCursorStack(`${q}|${status}|${categoryId}`);
  const articles = useArticles({ q, status, category_id: categoryId ?? "", cursor: pager.cursor, limit: PAGE });
  return (
    <>
      <Group mb="md" gap="sm" wrap="wrap">
        <TextInput aria-label="Search articles" placeholder="Search articles" type="search" {...textField(search, setSearch)} w={260} />
        <SegmentedControl
          aria-label="Article status"
          value={status}
          onChange={(v) => setStatus(v as ArticleStatus | "")}
          data={[
            { value: "", label: "All" },
            { value: "published", label: "Published" },
            { value: "draft", label: "Drafts" },
          ]}
        />
        <Select
          aria-label="Category"
          placeholder="Any category"
          clearable
          value={categoryId}
          onChange={setCategoryId}
          data={(categories.data?.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
          w={200}
        />
      </Group>
      {q && (
        <Text size="xs" c="dimmed" mb="xs">
          Best matches first
        </Text>
      )}
      <PagedList query={articles} pager={pager} pageSize={PAGE} noun="articles" errorTitle="Could not load articles" refetchOverlay>
        <DataTable
          label="Articles"
          highlightOnHover
          columns={COLUMNS}
          rows={articles.data?.data ?? []}
          rowKey={(a) => a.id}
          rowProps={() => ({ "data-testid": "article-row" })}
          empty={articles.data ? (q ? "No article matches" : "No articles yet") : undefined}
        />
      </PagedList>
    </>
  );
}

const COLUMNS: Array<DataColumn<ArticleSummary>> = [
  {
    key: "title",
    header: "Article",
    cell: (a) => (
      <Anchor component={Link} to={`/help-centre/${a.id}`} size="sm" fw={500}>
        {a.title}
      </Anchor>
    ),
  },
  { key: "status", header: "Status", cell: (a) => <ArticleStatusBadge status={a.status} /> },
  { key: "category", header: "Category", td: { fz: "sm" }, cell: (a) => a.category?.name ?? "—" },
  { key: "views", header: "Views", td: { fz: "sm" }, cell: (a) => a.stats.views },
  {
    key: "helpful",
    header: "Helpful?",
    cell: (a) => (
      <Group gap={6} wrap="nowrap" aria-label={`${a.stats.helpful} found it helpful, ${a.stats.not_helpful} did not`}>
        <Badge variant="light" color="teal" leftSection={<IconThumbUp size={12} />}>
          {a.stats.helpful}
        </Badge>
        <Badge variant="light" color="gray" leftSection={<IconThumbDown size={12} />}>
          {a.stats.not_helpful}
        </Badge>
      </Group>
    ),
  },
  {
    key: "deflections",
    header: "Deflections",
    td: { fz: "sm" },
    cell: (a) => <span title="Visitors who opened it from a suggestion and did not post">{a.stats.deflections}</span>,
  },
  { key: "updated", header: "Updated", td: { fz: "sm" }, cell: (a) => formatDate(a.updated_at) },
];
