// Saved views of the inbox with their counts ("My open complaints 4"): one click applies a
// view's filters to the list; the current filters can be saved as a new view.
import { Badge, Button, Chip, Group, Popover, Stack, Switch, TextInput } from "@mantine/core";
import { IconDeviceFloppy } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { SavedView, ViewFilters } from "../../../../../src/contracts/team";
import { api, errorMessage } from "../../../api";

export const VIEW_PARAMS = ["status", "label", "network", "assignee", "min_priority", "tag", "q", "sort"] as const;
export const viewKeys = ["conversations", "views"] as const;

/** The view's filters as the inbox's URL parameters. */
export function viewParams(filters: ViewFilters): URLSearchParams {
  const next = new URLSearchParams();
  for (const k of VIEW_PARAMS) {
    const v = filters[k];
    if (v !== undefined && v !== null && v !== "") next.set(k, String(v));
  }
  return next;
}

function filtersOf(params: URLSearchParams): ViewFilters {
  const out: Record<string, unknown> = {};
  for (const k of VIEW_PARAMS) {
    const v = params.get(k);
    if (v) out[k] = k === "min_priority" ? Number(v) : v;
  }
  return out as ViewFilters;
}

const same = (a: URLSearchParams, b: URLSearchParams) => VIEW_PARAMS.every((k) => (a.get(k) ?? "") === (b.get(k) ?? ""));

export function SavedViews({ params, onApply }: { params: URLSearchParams; onApply: (next: URLSearchParams) => void }) {
  const client = useQueryClient();
  const views = useQuery({
    queryKey: viewKeys,
    queryFn: ({ signal }) => api<{ data: SavedView[] }>("/views", { signal }),
  });
  const [name, setName] = useState("");
  const [shared, setShared] = useState(true);
  const [saving, setSaving] = useState(false);
  const save = useMutation({
    mutationFn: () => api<SavedView>("/views", { method: "POST", body: { name, filters: filtersOf(params), shared } }),
    onSuccess: () => {
      setName("");
      setSaving(false);
      client.invalidateQueries({ queryKey: viewKeys });
    },
  });
  const list = views.data?.data ?? [];
  const active = list.find((v) => same(viewParams(v.filters), params));
  return (
    <Group gap={6} wrap="wrap" role="group" aria-label="Saved views">
      <Chip.Group
        value={active?.id ?? ""}
        onChange={(id) => {
          const v = list.find((x) => x.id === id);
          onApply(v ? viewParams(v.filters) : new URLSearchParams());
        }}
      >
        {list.map((v) => (
          <Chip key={v.id} value={v.id} size="xs" data-testid="saved-view">
            {v.name}{" "}
            <Badge size="xs" variant="light" ml={4}>
              {v.count}
            </Badge>
          </Chip>
        ))}
      </Chip.Group>
      <Popover opened={saving} onChange={setSaving} position="bottom-start" trapFocus>
        <Popover.Target>
          <Button size="compact-xs" variant="subtle" leftSection={<IconDeviceFloppy size={14} />} onClick={() => setSaving((s) => !s)}>
            Save view
          </Button>
        </Popover.Target>
        <Popover.Dropdown>
          <Stack
            gap="xs"
            component="form"
            onSubmit={(e) => {
              e.preventDefault();
              if (name.trim()) save.mutate();
            }}
          >
            <TextInput
              label="Name"
              size="xs"
              placeholder="My open complaints"
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              error={save.isError ? errorMessage(save.error) : undefined}
            />
            <Switch size="xs" label="Shared with the team" checked={shared} onChange={(e) => setShared(e.currentTarget.checked)} />
            <Button type="submit" size="xs" loading={save.isPending} disabled={!name.trim()}>
              Save the current filters
            </Button>
          </Stack>
        </Popover.Dropdown>
      </Popover>
    </Group>
  );
}
