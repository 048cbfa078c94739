import { Anchor, Badge, Group, SegmentedControl, Textarea, TextInput } from "@mantine/core";
import { useDebouncedValue, useDisclosure } from "@mantine/hooks";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router-dom";
import { api, fieldErrors } from "../../../api";
import { usePermissions } from "../../../auth";
import { formatDate } from "../../../format";
import type { Page } from "../../../types";
import { NewButton } from "../../../ui/buttons";
import { useCursorStack } from "../../../ui/CursorPager";
import { type DataColumn, DataTable } from "../../../ui/DataTable";
import { FormActions } from "../../../ui/FormActions";
import { FormError } from "../../../ui/FormError";
import { textField } from "../../../ui/form-helpers";
import { ModalForm } from "../../../ui/ModalForm";
import { PagedList } from "../../../ui/PagedList";
import { PageHeader } from "../../../ui/PageHeader";
import { IdeaStatusBadge } from "../components/badges";
import { ideaStatusLabel } from "../components/labels";
import { useCreateWorkItem } from "../queries";
import { IDEA_STATUSES, type Idea, type IdeaDetail } from "../types";

const PAGE = 50;

/** Ideas, most votes first. */
export function IdeasPage() {
  const { canWrite } = usePermissions();
  const [status, setStatus] = useState("active");
  const [search, setSearch] = useState("");
  const [q] = useDebouncedValue(search, 300);
  const [creating, creation] = useDisclosure(false);
  const statusFilter = status === "active" ? "new,under_review,planned,in_progress" : status === "all" ? "" : status;
  const pager = useCursorStack(`${statusFilter}|${q}`);
  const ideas = useQuery({
    queryKey: ["ideas", statusFilter, q, pager.cursor],
    queryFn: () => api<Page<Idea>>("/ideas", { query: { status: statusFilter, q, cursor: pager.cursor, limit: PAGE } }),
    placeholderData: keepPreviousData,
  });
  return (
    <>
      <PageHeader
        title="Ideas"
        description="What customers ask for, with a vote from everyone who asked"
        actions={canWrite && <NewButton onClick={creation.open}>New idea</NewButton>}
      />
      <Group mb="md" gap="sm" wrap="wrap">
        <SegmentedControl
          aria-label="Idea status"
          value={status}
          onChange={setStatus}
          data={[
            { value: "active", label: "Active" },
            ...IDEA_STATUSES.map((s) => ({ value: s, label: ideaStatusLabel[s] })),
            { value: "all", label: "All" },
          ]}
        />
        <TextInput aria-label="Search ideas" placeholder="Search titles" {...textField(search, setSearch)} w={220} />
      </Group>
      <PagedList query={ideas} pager={pager} pageSize={PAGE} noun="ideas" errorTitle="Could not load ideas">
        <DataTable
          label="Ideas"
          highlightOnHover
          columns={IDEA_COLUMNS}
          rows={ideas.data?.data ?? []}
          rowKey={(i) => i.id}
          rowProps={() => ({ "data-testid": "idea-row" })}
          empty={ideas.data ? "No ideas here yet" : undefined}
        />
      </PagedList>
      <NewIdeaModal opened={creating} onClose={creation.close} />
    </>
  );
}

const IDEA_COLUMNS: Array<DataColumn<Idea>> = [
  {
    key: "votes",
    header: "Votes",
    th: { w: 90 },
    cell: (i) => (
      <Badge miw="max-content" size="lg" variant="light" color="violet" aria-label={`${i.vote_count} votes`}>
        {i.vote_count}
      </Badge>
    ),
  },
  {
    key: "idea",
    header: "Idea",
    cell: (i) => (
      <Anchor component={Link} to={`/ideas/${i.id}`} size="sm" fw={500}>
        {i.title}
      </Anchor>
    ),
  },
  {
    key: "status",
    header: "Status",
    cell: (i) => <IdeaStatusBadge status={i.status} />,
  },
  { key: "since", header: "Since", td: { fz: "sm" }, cell: (i) => formatDate(i.created_at) },
];

function NewIdeaModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const [title, setTitle] = useState("");
  const [description, setDescription] = useState("");
  const create = useCreateWorkItem<IdeaDetail>("ideas", () => ({ title, description: description || null }), onClose);
  const errors = fieldErrors(create.error);
  return (
    <ModalForm opened={opened} onClose={onClose} title="New idea" onSubmit={() => create.mutate()}>
      <TextInput label="Title" required {...textField(title, setTitle)} error={errors.title} data-autofocus />
      <Textarea label="Description" autosize minRows={3} {...textField(description, setDescription)} />
      <FormError error={create.error} shownFields={["title"]} />
      <FormActions onCancel={onClose} submitLabel="Create idea" loading={create.isPending} />
    </ModalForm>
  );
}
