// Selects that pick a workspace record: an organization (searched on the
// server) or a member.
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

export function OrganizationSelect({
  value,
  onChange,
  current,
  ...props
}: PickerProps & { current?: { id: string; name: string } | null }) {
  const [search, setSearch] = useState("");
  const [debounced] = useDebouncedValue(search, 250);
  const [picked, setPicked] = useState<{ id: string; name: string } | null>(current ?? null);
  const orgs = useQuery({
    queryKey: ["organizations", "picker", debounced],
    queryFn: () => api<Page<Organization>>("/organizations", { query: { q: debounced, limit: 20, sort: "name" } }),
    placeholderData: keepPreviousData,
  });
  const data = useMemo(() => {
    const items = (orgs.data?.data ?? []).map((o) => ({ value: o.id, label: o.name }));
    if (picked && !items.some((i) => i.value === picked.id)) items.unshift({ value: picked.id, label: picked.name });
    return items;
  }, [orgs.data, picked]);

  return (
    <Select
      {...props}
      searchable
      clearable
      data={data}
      value={value}
      searchValue={search}
      onSearchChange={setSearch}
      // The server already filtered by the search text.
      filter={({ options }) => options}
      nothingFoundMessage={orgs.isFetching ? "Searching…" : "No organizations found"}
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
