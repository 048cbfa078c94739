// Selects that pick a workspace record: an organization or a contact (searched
// on the server) or a member.
import { Select, type SelectProps } from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { api } from "../../../api";
import { memberLabel, useMembers } from "../../../queries";
import type { Organization, Page } from "../../../types";

type PickerProps = Omit<SelectProps, "data" | "value" | "onChange"> & {
  value: string | null;
  onChange: (id: string | null) => void;
};

/** A picker's search text and the server's first 20 matches for it (debounced), keeping the last matches while typing. */
export function useServerSearch<T>(entity: "organizations" | "contacts", query: Record<string, string> = {}) {
  const [search, setSearch] = useState("");
  const [debounced] = useDebouncedValue(search, 250);
  const result = useQuery({
    queryKey: [entity, "picker", debounced],
    queryFn: () => api<Page<T>>(`/${entity}`, { query: { q: debounced, limit: 20, ...query } }),
    placeholderData: keepPreviousData,
  });
  return { search, setSearch, result };
}

/** A clearable Select whose options the server already filtered by the search text. */
export function ServerSearchSelect({
  search,
  onSearchChange,
  searching,
  noun,
  ...props
}: Omit<SelectProps, "searchValue" | "onSearchChange"> & {
  search: string;
  onSearchChange: (search: string) => void;
  searching: boolean;
  /** Plural, for "No organizations found". */
  noun: string;
}) {
  return (
    <Select
      {...props}
      searchable
      clearable
      searchValue={search}
      onSearchChange={onSearchChange}
      // The server already filtered by the search text.
      filter={({ options }) => options}
      nothingFoundMessage={searching ? "Searching…" : `No ${noun} found`}
    />
  );
}

export function OrganizationSelect({
  value,
  onChange,
  current,
  ...props
}: PickerProps & { current?: { id: string; name: string | null } | null }) {
  const { search, setSearch, result: orgs } = useServerSearch<Organization>("organizations", { sort: "name" });
  const [picked, setPicked] = useState<{ id: string; name: string } | null>(current ? { id: current.id, name: current.name ?? "" } : null);
  const data = useMemo(() => {
    const items = (orgs.data?.data ?? []).map((o) => ({ value: o.id, label: o.name }));
    if (picked && !items.some((i) => i.value === picked.id)) items.unshift({ value: picked.id, label: picked.name });
    return items;
  }, [orgs.data, picked]);

  return (
    <ServerSearchSelect
      {...props}
      data={data}
      value={value}
      search={search}
      onSearchChange={setSearch}
      searching={orgs.isFetching}
      noun="organizations"
      onChange={(id, option) => {
        setPicked(id && option ? { id, name: option.label } : null);
        onChange(id);
      }}
    />
  );
}

export function MemberSelect({ value, onChange, ...props }: PickerProps) {
  const members = useMembers();
  const data = (members.data ?? []).map((m) => ({ value: m.id, label: memberLabel(m) }));
  return (
    <Select
      {...props}
      searchable
      clearable
      data={data}
      value={value}
      onChange={(id) => onChange(id)}
      nothingFoundMessage={members.isError ? "Members are not visible to your role" : "No members found"}
    />
  );
}
