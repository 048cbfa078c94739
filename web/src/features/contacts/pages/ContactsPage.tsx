import {
  ActionIcon,
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  Menu,
  Modal,
  Paper,
  Popover,
  ScrollArea,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Tooltip,
} from "@mantine/core";
import { useDisclosure, useLocalStorage } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { IconColumns3, IconDownload, IconFilter, IconFilterOff, IconSearch, IconTrash, IconUpload, IconUsers } from "@tabler/icons-react";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import dayjs from "dayjs";
import { type ReactNode, useMemo, useState } from "react";
import { Link, useNavigate } from "react-router-dom";
import { api, apiUrl, fieldErrors } from "../../../api";
import { usePermissions } from "../../../auth";
import { contactName } from "../../../format";
import { keys, useCustomFields, useMembers, useSegments } from "../../../queries";
import {
  type Contact,
  type CustomField,
  type FilterCondition,
  type FilterGroup,
  LIFECYCLE_STAGES,
  type Member,
  type Page,
  type Segment,
} from "../../../types";
import { NewButton } from "../../../ui/buttons";
import { ConfirmDialog } from "../../../ui/ConfirmDialog";
import { useCursorStack } from "../../../ui/CursorPager";
import { DebouncedTextInput } from "../../../ui/DebouncedTextInput";
import { FormActions } from "../../../ui/FormActions";
import { FormError } from "../../../ui/FormError";
import { textField } from "../../../ui/form-helpers";
import { LinkRow, RowLink } from "../../../ui/LinkRow";
import { NoMatches, NothingYet } from "../../../ui/ListEmptyState";
import { PagedList } from "../../../ui/PagedList";
import { PageHeader } from "../../../ui/PageHeader";
import { SortableTh, toggledSort } from "../../../ui/SortableTh";
import { StackForm } from "../../../ui/StackForm";
import { useSearchParam } from "../../../ui/useSearchParam";
import { ContactFormModal } from "../components/ContactForm";
import { formatCustomValue } from "../components/custom-fields";
import { countConditions, FilterBuilderModal } from "../components/FilterBuilder";
import { ImportContactsModal } from "../components/ImportContactsModal";
import { LifecycleBadge, stageLabel } from "../components/LifecycleBadge";
import { MemberSelect } from "../components/pickers";

const PAGE_SIZE = 50;
const FILTER_PARAMS = ["q", "segment", "filter", "lifecycle_stage", "tag", "country", "owner_id"] as const;

type Column = { id: string; label: string; sort?: string; render: (c: Contact) => ReactNode };

function buildColumns(customFields: CustomField[], members: Member[]): Column[] {
  const memberName = (id: string | null) => {
    const m = id ? members.find((u) => u.id === id) : undefined;
    return m ? m.name || m.email : "";
  };
  const date = (iso: string) => (
    <Text size="sm" title={dayjs(iso).format("YYYY-MM-DD HH:mm")}>
      {dayjs(iso).format("MMM D, YYYY")}
    </Text>
  );
  const columns: Column[] = [
    { id: "email", label: "Email", render: (c) => c.emails[0] ?? "" },
    { id: "phone", label: "Phone", render: (c) => c.phones[0] ?? "" },
    { id: "title", label: "Job title", sort: "title", render: (c) => c.title ?? "" },
    {
      id: "organization",
      label: "Organization",
      render: (c) =>
        c.organization ? (
          <Anchor component={Link} to={`/organizations/${c.organization.id}`} size="sm" onClick={(e) => e.stopPropagation()}>
            {c.organization.name}
          </Anchor>
        ) : (
          ""
        ),
    },
    { id: "lifecycle_stage", label: "Stage", sort: "lifecycle_stage", render: (c) => <LifecycleBadge stage={c.lifecycle_stage} /> },
    { id: "owner", label: "Owner", render: (c) => memberName(c.owner_id) },
    {
      id: "tags",
      label: "Tags",
      render: (c) => (
        <Group gap={4} wrap="nowrap">
          {c.tags.slice(0, 3).map((t) => (
            <Badge key={t} size="sm" variant="outline" color="gray" radius="sm" tt="none">
              {t}
            </Badge>
          ))}
          {c.tags.length > 3 && (
            <Text size="xs" c="dimmed">
              +{c.tags.length - 3}
            </Text>
          )}
        </Group>
      ),
    },
    { id: "city", label: "City", sort: "city", render: (c) => c.city ?? "" },
    { id: "country", label: "Country", sort: "country", render: (c) => c.country ?? "" },
    { id: "created_at", label: "Created", sort: "created_at", render: (c) => date(c.created_at) },
    { id: "updated_at", label: "Updated", sort: "updated_at", render: (c) => date(c.updated_at) },
  ];
  for (const field of customFields) {
    columns.push({
      id: `custom.${field.key}`,
      label: field.label,
      sort: `custom.${field.key}`,
      render: (c) => formatCustomValue(field, c.custom?.[field.key]),
    });
  }
  return columns;
}

const DEFAULT_COLUMNS = ["email", "organization", "lifecycle_stage", "tags", "country", "updated_at"];

function parseFilter(raw: string | null): FilterGroup | null {
  if (!raw) return null;
  try {
    const parsed = JSON.parse(raw) as FilterGroup;
    return parsed && Array.isArray(parsed.conditions) ? parsed : null;
  } catch {
    return null;
  }
}

export function ContactsPage() {
  const navigate = useNavigate();
  const { canWrite } = usePermissions();
  const { params, setParams, setParam } = useSearchParam();
  const customFields = useCustomFields("contact");
  const members = useMembers();
  const segments = useSegments();
  const [visible, setVisible] = useLocalStorage<string[]>({
    key: "parley.contacts.columns",
    defaultValue: DEFAULT_COLUMNS,
    getInitialValueInEffect: false,
  });
  const [creating, creatingHandlers] = useDisclosure(false);
  const [importing, importingHandlers] = useDisclosure(false);
  const [filtering, filteringHandlers] = useDisclosure(false);
  const [savingSegment, savingSegmentHandlers] = useDisclosure(false);

  const q = params.get("q") ?? "";
  const segment = params.get("segment");
  const filterRaw = params.get("filter");
  const filter = useMemo(() => parseFilter(filterRaw), [filterRaw]);
  const stage = params.get("lifecycle_stage");
  const tag = params.get("tag") ?? "";
  const country = params.get("country") ?? "";
  const ownerId = params.get("owner_id");
  // The API sorts by name when no order is given.
  const sort = params.get("sort") || "name";

  const filterKey = JSON.stringify([q, segment, filterRaw, stage, tag, country, ownerId, sort]);
  const pager = useCursorStack(filterKey);
  const listFilters = {
    q,
    segment,
    filter: filter ? JSON.stringify(filter) : undefined,
    lifecycle_stage: stage,
    tag,
    country,
    owner_id: ownerId,
    sort,
  };
  const contacts = useQuery({
    queryKey: [...keys.contacts, "list", listFilters, pager.cursor],
    queryFn: ({ signal }) =>
      api<Page<Contact>>("/contacts", {
        query: { ...listFilters, cursor: pager.cursor, limit: PAGE_SIZE, include_total: true },
        signal,
      }),
    placeholderData: keepPreviousData,
  });

  const columns = useMemo(() => buildColumns(customFields.data ?? [], members.data ?? []), [customFields.data, members.data]);
  const shown = columns.filter((c) => visible.includes(c.id));
  const filtered = FILTER_PARAMS.some((p) => params.get(p));
  const quickConditionCount = [stage, tag, country, ownerId].filter(Boolean).length;

  function clearFilters() {
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        for (const p of FILTER_PARAMS) next.delete(p);
        return next;
      },
      { replace: true },
    );
  }

  function handleSort(column: Column) {
    if (!column.sort) return;
    setParam("sort", toggledSort(sort, column.sort));
  }

  /** The current view as one filter, for saving as a segment. */
  function currentSegmentFilter(): FilterGroup & { q?: string } {
    const quick: FilterCondition[] = [];
    if (stage) quick.push({ field: "lifecycle_stage", op: "eq", value: stage });
    if (tag) quick.push({ field: "tags", op: "has_any", value: [tag] });
    if (country) quick.push({ field: "country", op: "eq", value: country });
    if (ownerId) quick.push({ field: "owner_id", op: "eq", value: ownerId });
    let group: FilterGroup;
    if (!filter) group = { match: "all", conditions: quick };
    else if (filter.match === "all") group = { match: "all", conditions: [...quick, ...filter.conditions] };
    else group = quick.length ? { match: "all", conditions: [...quick, filter] } : filter;
    return q ? { ...group, q } : group;
  }

  const data = contacts.data?.data ?? [];
  const selectedSegment = segments.data?.find((s) => s.id === segment) ?? null;

  return (
    <>
      <PageHeader
        title="Contacts"
        description={
          typeof contacts.data?.total === "number"
            ? `${contacts.data.total} ${contacts.data.total === 1 ? "contact" : "contacts"}${filtered ? " match" : ""}`
            : "People you know, with their whole history"
        }
        actions={
          <>
            <Menu position="bottom-end">
              <Menu.Target>
                <Button variant="default" leftSection={<IconDownload size={16} />}>
                  Export
                </Button>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>{filtered ? "Contacts matching this view" : "All contacts"}</Menu.Label>
                <Menu.Item component="a" href={apiUrl("/exports/contacts", { format: "csv", ...listFilters })} download>
                  CSV (.csv)
                </Menu.Item>
                <Menu.Item component="a" href={apiUrl("/exports/contacts", { format: "vcard", ...listFilters })} download>
                  vCard (.vcf)
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
            {canWrite && (
              <Button variant="default" leftSection={<IconUpload size={16} />} onClick={importingHandlers.open}>
                Import
              </Button>
            )}
            {canWrite && <NewButton onClick={creatingHandlers.open}>New contact</NewButton>}
          </>
        }
      />

      <Paper withBorder radius="md" p="md" mb="md">
        <Stack gap="sm">
          <Group align="flex-end" gap="sm" wrap="wrap">
            <DebouncedTextInput
              label="Search"
              placeholder="Name, email, phone…"
              leftSection={<IconSearch size={16} />}
              value={q}
              onCommit={(v) => setParam("q", v.trim())}
              style={{ flex: "1 1 260px" }}
              type="search"
            />
            <SegmentPicker segments={segments.data ?? []} value={segment} onChange={(id) => setParam("segment", id)} canWrite={canWrite} />
            <Button variant={filter ? "light" : "default"} leftSection={<IconFilter size={16} />} onClick={filteringHandlers.open}>
              {filter ? `Filter (${countConditions(filter)})` : "Add filter"}
            </Button>
            <ColumnChooser columns={columns} visible={visible} onChange={setVisible} />
          </Group>
          <Group align="flex-end" gap="sm" wrap="wrap">
            <Select
              label="Lifecycle stage"
              placeholder="Any stage"
              clearable
              data={LIFECYCLE_STAGES.map((s) => ({ value: s, label: stageLabel(s) }))}
              value={stage}
              onChange={(v) => setParam("lifecycle_stage", v)}
              w={170}
              size="xs"
            />
            <DebouncedTextInput
              label="Tag"
              placeholder="Any tag"
              value={tag}
              onCommit={(v) => setParam("tag", v.trim())}
              w={150}
              size="xs"
            />
            <DebouncedTextInput
              label="Country"
              placeholder="Any country"
              value={country}
              onCommit={(v) => setParam("country", v.trim())}
              w={150}
              size="xs"
            />
            <MemberSelect label="Owner" placeholder="Anyone" value={ownerId} onChange={(v) => setParam("owner_id", v)} w={200} size="xs" />
            {filtered && (
              <Button variant="subtle" size="xs" color="gray" leftSection={<IconFilterOff size={14} />} onClick={clearFilters}>
                Clear all
              </Button>
            )}
            {canWrite && (filter || q || quickConditionCount > 0) && (
              <Button variant="subtle" size="xs" onClick={savingSegmentHandlers.open}>
                Save as segment
              </Button>
            )}
          </Group>
          {selectedSegment && (
            <Text size="xs" c="dimmed">
              Showing segment <b>{selectedSegment.name}</b>
              {filter || q || quickConditionCount ? ", narrowed by the filters above" : ""}.
            </Text>
          )}
        </Stack>
      </Paper>

      <PagedList
        query={contacts}
        pager={pager}
        pageSize={PAGE_SIZE}
        noun="contacts"
        errorTitle="Could not load contacts"
        pagerWhenEmpty={false}
        showTotal
        refetchOverlay
      >
        {!contacts.isPending && data.length === 0 ? (
          filtered ? (
            <NoMatches
              title="No contacts match"
              description="Try a different search or remove some filters."
              clearLabel="Clear search and filters"
              onClear={clearFilters}
            />
          ) : (
            <NothingYet
              icon={<IconUsers size={28} />}
              title="No contacts yet"
              description="Add one or import a CSV to get started."
              actions={
                canWrite && (
                  <>
                    <NewButton onClick={creatingHandlers.open}>New contact</NewButton>
                    <Button variant="default" leftSection={<IconUpload size={16} />} onClick={importingHandlers.open}>
                      Import a CSV
                    </Button>
                  </>
                )
              }
            />
          )
        ) : (
          <ScrollArea type="auto">
            <Table highlightOnHover miw={700} aria-label="Contacts" aria-busy={contacts.isFetching}>
              <Table.Thead>
                <Table.Tr>
                  <SortableTh label="Name" sortKey="name" sort={sort} onSort={() => setParam("sort", toggledSort(sort, "name"))} />
                  {shown.map((column) => (
                    <SortableTh key={column.id} label={column.label} sortKey={column.sort} sort={sort} onSort={() => handleSort(column)} />
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {contacts.isPending
                  ? null
                  : data.map((contact) => (
                      <LinkRow key={contact.id} to={`/contacts/${contact.id}`}>
                        <Table.Td>
                          <RowLink to={`/contacts/${contact.id}`}>{contactName(contact)}</RowLink>
                        </Table.Td>
                        {shown.map((column) => (
                          <Table.Td key={column.id} fz="sm">
                            {column.render(contact)}
                          </Table.Td>
                        ))}
                      </LinkRow>
                    ))}
              </Table.Tbody>
            </Table>
            {contacts.isPending && (
              <Text ta="center" c="dimmed" py="xl" size="sm">
                Loading contacts…
              </Text>
            )}
          </ScrollArea>
        )}
      </PagedList>

      <ContactFormModal
        opened={creating}
        onClose={creatingHandlers.close}
        onSaved={(c) => {
          creatingHandlers.close();
          notifications.show({ color: "green", message: `Contact ${contactName(c)} created` });
          navigate(`/contacts/${c.id}`);
        }}
      />
      <ImportContactsModal opened={importing} onClose={importingHandlers.close} />
      <FilterBuilderModal
        opened={filtering}
        onClose={filteringHandlers.close}
        value={filter}
        customFields={customFields.data ?? []}
        onApply={(f) => setParam("filter", f?.conditions.length ? JSON.stringify(f) : null)}
      />
      <SaveSegmentModal
        opened={savingSegment}
        onClose={savingSegmentHandlers.close}
        filter={currentSegmentFilter}
        onSaved={(s) => {
          setParams(new URLSearchParams({ segment: s.id, ...(params.get("sort") ? { sort } : {}) }), { replace: true });
        }}
      />
    </>
  );
}

function ColumnChooser({ columns, visible, onChange }: { columns: Column[]; visible: string[]; onChange: (ids: string[]) => void }) {
  return (
    <Popover position="bottom-end" shadow="md" width={260} trapFocus>
      <Popover.Target>
        <Button variant="default" leftSection={<IconColumns3 size={16} />}>
          Columns
        </Button>
      </Popover.Target>
      <Popover.Dropdown>
        <Checkbox.Group label="Shown columns" value={visible} onChange={onChange}>
          <ScrollArea.Autosize mah={320} mt="xs">
            <Stack gap={6}>
              {columns.map((c) => (
                <Checkbox key={c.id} value={c.id} label={c.label} size="sm" />
              ))}
            </Stack>
          </ScrollArea.Autosize>
        </Checkbox.Group>
        <Button variant="subtle" size="xs" mt="sm" onClick={() => onChange(DEFAULT_COLUMNS)}>
          Reset to default
        </Button>
      </Popover.Dropdown>
    </Popover>
  );
}

function SegmentPicker({
  segments,
  value,
  onChange,
  canWrite,
}: {
  segments: Segment[];
  value: string | null;
  onChange: (id: string | null) => void;
  canWrite: boolean;
}) {
  const client = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const current = segments.find((s) => s.id === value);
  const remove = useMutation({
    mutationFn: (id: string) => api<void>(`/segments/${id}`, { method: "DELETE" }),
    onSuccess: () => {
      setConfirming(false);
      onChange(null);
      client.invalidateQueries({ queryKey: keys.segments });
    },
  });
  return (
    <Group gap={4} align="flex-end" wrap="nowrap">
      <Select
        label="Segment"
        placeholder={segments.length ? "All contacts" : "No saved segments"}
        clearable
        searchable
        data={segments.map((s) => ({ value: s.id, label: s.name }))}
        value={value}
        onChange={onChange}
        w={200}
        nothingFoundMessage="No segment with that name"
      />
      {current && canWrite && (
        <Tooltip label="Delete segment">
          <ActionIcon
            variant="subtle"
            color="gray"
            size="lg"
            aria-label={`Delete segment ${current.name}`}
            onClick={() => setConfirming(true)}
          >
            <IconTrash size={16} />
          </ActionIcon>
        </Tooltip>
      )}
      <ConfirmDialog
        opened={confirming}
        title="Delete segment?"
        onClose={() => setConfirming(false)}
        onConfirm={() => current && remove.mutate(current.id)}
        loading={remove.isPending}
        error={remove.error}
      >
        The segment “{current?.name}” is deleted for everyone. Contacts are not affected.
      </ConfirmDialog>
    </Group>
  );
}

function SaveSegmentModal({
  opened,
  onClose,
  filter,
  onSaved,
}: {
  opened: boolean;
  onClose: () => void;
  filter: () => FilterGroup & { q?: string };
  onSaved: (segment: Segment) => void;
}) {
  const client = useQueryClient();
  const [name, setName] = useState("");
  const save = useMutation({
    mutationFn: () => api<Segment>("/segments", { method: "POST", body: { name: name.trim(), entity: "contact", filter: filter() } }),
    onSuccess: (segment) => {
      client.invalidateQueries({ queryKey: keys.segments });
      notifications.show({ color: "green", message: `Segment ${segment.name} saved` });
      setName("");
      onClose();
      onSaved(segment);
    },
  });
  const errors = fieldErrors(save.error);

  function handleSubmit() {
    if (name.trim()) save.mutate();
  }

  return (
    <Modal opened={opened} onClose={onClose} title="Save as segment">
      <StackForm onSubmit={handleSubmit}>
        <Text size="sm" c="dimmed">
          A segment saves the current search and filters so anyone in the workspace can list these contacts again.
        </Text>
        <FormError error={save.error} shownFields={["name"]} />
        <TextInput label="Segment name" required data-autofocus {...textField(name, setName)} error={errors.name} />
        <FormActions onCancel={onClose} submitLabel="Save segment" loading={save.isPending} disabled={!name.trim()} />
      </StackForm>
    </Modal>
  );
}
