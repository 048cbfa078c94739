import { Anchor, Button, EmptyState, LoadingOverlay, Paper, ScrollArea, Table, Text, UnstyledButton } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { IconArrowDown, IconArrowsSort, IconArrowUp, IconBuilding, IconPlus, IconSearch } from "@tabler/icons-react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import { api } from "../../../api";
import { usePermissions } from "../../../auth";
import { formatDate } from "../../../format";
import { keys } from "../../../queries";
import type { Organization, Page } from "../../../types";
import { CursorPager, useCursorStack } from "../../../ui/CursorPager";
import { DebouncedTextInput } from "../../../ui/DebouncedTextInput";
import { LoadError } from "../../../ui/LoadError";
import { PageHeader } from "../../../ui/PageHeader";
import { OrganizationFormModal } from "../components/OrganizationForm";

const PAGE_SIZE = 50;

export function OrganizationsPage() {
  const navigate = useNavigate();
  const { canWrite } = usePermissions();
  const [params, setParams] = useSearchParams();
  const [creating, creatingHandlers] = useDisclosure(false);
  const q = params.get("q") ?? "";
  const sort = params.get("sort") ?? "name";
  const pager = useCursorStack(`${q}|${sort}`);
  const orgs = useQuery({
    queryKey: [...keys.organizations, "list", q, sort, pager.cursor],
    queryFn: ({ signal }) =>
      api<Page<Organization>>("/organizations", {
        query: { q, sort, cursor: pager.cursor, limit: PAGE_SIZE, include_total: true },
        signal,
      }),
    placeholderData: keepPreviousData,
  });
  const data = orgs.data?.data ?? [];

  function setParam(key: string, value: string) {
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        if (value) next.set(key, value);
        else next.delete(key);
        return next;
      },
      { replace: true },
    );
  }

  const nameDirection = sort === "name" ? "ascending" : sort === "-name" ? "descending" : "none";
  const createdDirection = sort === "created_at" ? "ascending" : sort === "-created_at" ? "descending" : "none";
  const arrow = (d: string) => (d === "ascending" ? IconArrowUp : d === "descending" ? IconArrowDown : IconArrowsSort);
  const NameIcon = arrow(nameDirection);
  const CreatedIcon = arrow(createdDirection);

  return (
    <>
      <PageHeader
        title="Organizations"
        description={typeof orgs.data?.total === "number" ? `${orgs.data.total} organizations` : "Companies and accounts"}
        actions={
          canWrite && (
            <Button leftSection={<IconPlus size={16} />} onClick={creatingHandlers.open}>
              New organization
            </Button>
          )
        }
      />
      <Paper withBorder radius="md" p="md" mb="md">
        <DebouncedTextInput
          label="Search"
          placeholder="Name or domain…"
          type="search"
          leftSection={<IconSearch size={16} />}
          value={q}
          onCommit={(v) => setParam("q", v.trim())}
          maw={420}
        />
      </Paper>
      {orgs.isError ? (
        <LoadError error={orgs.error} onRetry={() => orgs.refetch()} title="Could not load organizations" />
      ) : (
        <Paper withBorder radius="md" pos="relative">
          <LoadingOverlay
            visible={orgs.isFetching && !orgs.isPending}
            overlayProps={{ backgroundOpacity: 0.3 }}
            loaderProps={{ size: "sm" }}
          />
          {orgs.isPending ? (
            <Text ta="center" c="dimmed" py="xl" size="sm">
              Loading organizations…
            </Text>
          ) : data.length === 0 ? (
            q ? (
              <EmptyState
                py={48}
                icon={<IconSearch size={28} />}
                withIndicatorBackground
                title="No organizations match"
                description="Try a different search."
              >
                <EmptyState.Actions>
                  <Button variant="default" onClick={() => setParam("q", "")}>
                    Clear search
                  </Button>
                </EmptyState.Actions>
              </EmptyState>
            ) : (
              <EmptyState
                py={48}
                icon={<IconBuilding size={28} />}
                variant="light"
                title="No organizations yet"
                description="Add the companies your contacts work for."
              >
                {canWrite && (
                  <EmptyState.Actions>
                    <Button leftSection={<IconPlus size={16} />} onClick={creatingHandlers.open}>
                      New organization
                    </Button>
                  </EmptyState.Actions>
                )}
              </EmptyState>
            )
          ) : (
            <ScrollArea type="auto">
              <Table highlightOnHover miw={640} aria-label="Organizations">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th aria-sort={nameDirection}>
                      <UnstyledButton
                        className="sort-header"
                        aria-label="Sort by Name"
                        onClick={() => setParam("sort", sort === "name" ? "-name" : "name")}
                      >
                        Name <NameIcon size={14} />
                      </UnstyledButton>
                    </Table.Th>
                    <Table.Th>Domain</Table.Th>
                    <Table.Th>Industry</Table.Th>
                    <Table.Th>Size</Table.Th>
                    <Table.Th>Contacts</Table.Th>
                    <Table.Th aria-sort={createdDirection}>
                      <UnstyledButton
                        className="sort-header"
                        aria-label="Sort by Created"
                        onClick={() => setParam("sort", sort === "-created_at" ? "created_at" : "-created_at")}
                      >
                        Created <CreatedIcon size={14} />
                      </UnstyledButton>
                    </Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {data.map((org) => (
                    <Table.Tr
                      key={org.id}
                      className="clickable-row"
                      tabIndex={0}
                      onClick={() => navigate(`/organizations/${org.id}`)}
                      onKeyDown={(e) => {
                        if (e.key === "Enter" && e.target === e.currentTarget) navigate(`/organizations/${org.id}`);
                      }}
                    >
                      <Table.Td>
                        <Anchor component={Link} to={`/organizations/${org.id}`} fw={500} size="sm" onClick={(e) => e.stopPropagation()}>
                          {org.name}
                        </Anchor>
                      </Table.Td>
                      <Table.Td fz="sm">{org.domain}</Table.Td>
                      <Table.Td fz="sm">{org.industry}</Table.Td>
                      <Table.Td fz="sm">{org.size}</Table.Td>
                      <Table.Td fz="sm">{org.contact_count}</Table.Td>
                      <Table.Td fz="sm">{formatDate(org.created_at)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </ScrollArea>
          )}
        </Paper>
      )}
      {(data.length > 0 || pager.pageIndex > 0) && (
        <CursorPager
          noun="organizations"
          pageIndex={pager.pageIndex}
          pageSize={PAGE_SIZE}
          count={data.length}
          total={orgs.data?.total}
          nextCursor={orgs.data?.next_cursor}
          onNext={pager.next}
          onPrevious={pager.previous}
          loading={orgs.isPlaceholderData}
        />
      )}
      <OrganizationFormModal
        opened={creating}
        onClose={creatingHandlers.close}
        onSaved={(org) => {
          creatingHandlers.close();
          notifications.show({ color: "green", message: `Organization ${org.name} created` });
          navigate(`/organizations/${org.id}`);
        }}
      />
    </>
  );
}
