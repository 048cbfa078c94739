import { Anchor, Badge, Button, Group, Modal, Paper, SegmentedControl, Stack, Table, Text, Textarea, TextInput } from "@mantine/core";
import { useDebouncedValue, useDisclosure } from "@mantine/hooks";
import { IconPlus } from "@tabler/icons-react";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link, useNavigate } from "react-router-dom";
import { api, fieldErrors } from "../../../api";
import { usePermissions } from "../../../auth";
import { formatDate } from "../../../format";
import type { Page } from "../../../types";
import { CursorPager, useCursorStack } from "../../../ui/CursorPager";
import { FormError } from "../../../ui/FormError";
import { LoadError } from "../../../ui/LoadError";
import { PageHeader } from "../../../ui/PageHeader";
import { ideaStatusColor, ideaStatusLabel } from "../components/labels";
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
        actions={
          canWrite && (
            <Button leftSection={<IconPlus size={16} />} onClick={creation.open}>
              New idea
            </Button>
          )
        }
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
        <TextInput
          aria-label="Search ideas"
          placeholder="Search titles"
          value={search}
          onChange={(e) => setSearch(e.currentTarget.value)}
          w={220}
        />
      </Group>
      {ideas.isError ? (
        <LoadError error={ideas.error} onRetry={() => ideas.refetch()} title="Could not load ideas" />
      ) : (
        <Paper withBorder radius="md">
          <Table aria-label="Ideas" highlightOnHover>
            <Table.Thead>
              <Table.Tr>
                <Table.Th w={90}>Votes</Table.Th>
                <Table.Th>Idea</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Since</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(ideas.data?.data ?? []).map((i) => (
                <Table.Tr key={i.id} data-testid="idea-row">
                  <Table.Td>
                    <Badge miw="max-content" size="lg" variant="light" color="violet" aria-label={`${i.vote_count} votes`}>
                      {i.vote_count}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <Anchor component={Link} to={`/ideas/${i.id}`} size="sm" fw={500}>
                      {i.title}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <Badge miw="max-content" color={ideaStatusColor[i.status]} variant="light">
                      {ideaStatusLabel[i.status]}
                    </Badge>
                  </Table.Td>
                  <Table.Td fz="sm">{formatDate(i.created_at)}</Table.Td>
                </Table.Tr>
              ))}
              {ideas.data && ideas.data.data.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={4}>
                    <Text ta="center" c="dimmed" py="lg" size="sm">
                      No ideas here yet
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
            </Table.Tbody>
          </Table>
        </Paper>
      )}
      <CursorPager
        pageIndex={pager.pageIndex}
        pageSize={PAGE}
        count={ideas.data?.data.length ?? 0}
        total={null}
        nextCursor={ideas.data?.next_cursor}
        onNext={pager.next}
        onPrevious={pager.previous}
        noun="ideas"
        loading={ideas.isPlaceholderData}
      />
      <NewIdeaModal opened={creating} onClose={creation.close} />
    </>
  );
}

function NewIdeaModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const client = useQueryClient();
  const navigate = useNavigate();
  const [title, setTitle] = useState("");
  const [description, setDescription] = useState("");
  const create = useMutation({
    mutationFn: () => api<IdeaDetail>("/ideas", { method: "POST", body: { title, description: description || null } }),
    onSuccess: (i) => {
      client.invalidateQueries({ queryKey: ["ideas"] });
      onClose();
      navigate(`/ideas/${i.id}`);
    },
  });
  const errors = fieldErrors(create.error);
  return (
    <Modal opened={opened} onClose={onClose} title="New idea">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate();
        }}
      >
        <Stack>
          <TextInput
            label="Title"
            required
            value={title}
            onChange={(e) => setTitle(e.currentTarget.value)}
            error={errors.title}
            data-autofocus
          />
          <Textarea label="Description" autosize minRows={3} value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
          <FormError error={create.error} shownFields={["title"]} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={create.isPending}>
              Create idea
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
