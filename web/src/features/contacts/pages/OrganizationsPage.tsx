import { Paper, ScrollArea, Table, Text } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { IconBuilding, IconSearch } from "@tabler/icons-react";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useNavigate } from "react-router-dom";
import { api } from "../../../api";
import { usePermissions } from "../../../auth";
import { formatDate } from "../../../format";
import { keys } from "../../../queries";
import type { Organization, Page } from "../../../types";
import { NewButton } from "../../../ui/buttons";
import { useCursorStack } from "../../../ui/CursorPager";
import { DebouncedTextInput } from "../../../ui/DebouncedTextInput";
import { LinkRow, RowLink } from "../../../ui/LinkRow";
import { NoMatches, NothingYet } from "../../../ui/ListEmptyState";
import { PagedList } from "../../../ui/PagedList";
import { PageHeader } from "../../../ui/PageHeader";
import { SortableTh, toggledSort } from "../../../ui/SortableTh";
import { useSearchParam } from "../../../ui/useSearchParam";
import { OrganizationFormModal } from "../components/OrganizationForm";

const PAGE_SIZE = 50;

export function OrganizationsPage() {
  const navigate = useNavigate();
  const { canWrite } = usePermissions();
  const { params, setParam } = useSearchParam();
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

  return (
    <>
      <PageHeader
        title="Organizations"
        description={typeof orgs.data?.total === "number" ? `${orgs.data.total} organizations` : "Companies and accounts"}
        actions={canWrite && <NewButton onClick={creatingHandlers.open}>New organization</NewButton>}
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
      <PagedList
        query={orgs}
        pager={pager}
        pageSize={PAGE_SIZE}
        noun="organizations"
        errorTitle="Could not load organizations"
        pagerWhenEmpty={false}
        showTotal
        refetchOverlay
      >
        {orgs.isPending ? (
          <Text ta="center" c="dimmed" py="xl" size="sm">
            Loading organizations…
          </Text>
        ) : data.length === 0 ? (
          q ? (
            <NoMatches
              title="No organizations match"
              description="Try a different search."
              clearLabel="Clear search"
              onClear={() => setParam("q", "")}
            />
          ) : (
            <NothingYet
              icon={<IconBuilding size={28} />}
              title="No organizations yet"
              description="Add the companies your contacts work for."
              actions={canWrite && <NewButton onClick={creatingHandlers.open}>New organization</NewButton>}
            />
          )
        ) : (
          <ScrollArea type="auto">
            <Table highlightOnHover miw={640} aria-label="Organizations">
              <Table.Thead>
                <Table.Tr>
                  <SortableTh label="Name" sortKey="name" sort={sort} onSort={() => setParam("sort", toggledSort(sort, "name"))} />
                  <Table.Th>Domain</Table.Th>
                  <Table.Th>Industry</Table.Th>
                  <Table.Th>Size</Table.Th>
                  <Table.Th>Contacts</Table.Th>
                  <SortableTh
                    label="Created"
                    sortKey="created_at"
                    sort={sort}
                    // Newest first is the useful first click on a date.
                    onSort={() => setParam("sort", sort === "-created_at" ? "created_at" : "-created_at")}
                  />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.map((org) => (
                  <LinkRow key={org.id} to={`/organizations/${org.id}`}>
                    <Table.Td>
                      <RowLink to={`/organizations/${org.id}`}>{org.name}</RowLink>
                    </Table.Td>
                    <Table.Td fz="sm">{org.domain}</Table.Td>
                    <Table.Td fz="sm">{org.industry}</Table.Td>
                    <Table.Td fz="sm">{org.size}</Table.Td>
                    <Table.Td fz="sm">{org.contact_count}</Table.Td>
                    <Table.Td fz="sm">{formatDate(org.created_at)}</Table.Td>
                  </LinkRow>
                ))}
              </Table.Tbody>
            </Table>
          </ScrollArea>
        )}
      </PagedList>
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
