// Small pieces the identity screens share: evidence chips, safe outbound links,
// a contact picker, and the "Undo merge" action.
import { Anchor, Badge, Button, Group, type SelectProps, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import type { QueryClient } from "@tanstack/react-query";
import { type ReactNode, useMemo } from "react";
import { api, errorMessage } from "../../../api";
import { contactName, safeHttpUrl } from "../../../format";
import { keys } from "../../../queries";
import type { Contact, Merge } from "../../../types";
import { ServerSearchSelect, useServerSearch } from "../../contacts/components/pickers";

/** How a handle is written: "@name" on social networks, the bare address for email. */
export function handleLabel(p: { network: string; handle: string | null }): string {
  if (!p.handle) return "";
  return p.network === "email" ? p.handle : `@${p.handle.replace(/^@/, "")}`;
}

/** Only http(s) addresses become links; anything else (javascript:, data:) is shown as text. */
export function ExternalLink({ href, children }: { href: string | null | undefined; children: ReactNode }) {
  const safe = safeHttpUrl(href);
  if (!safe) return <>{children}</>;
  return (
    <Anchor href={safe} target="_blank" rel="noopener noreferrer" size="sm">
      {children}
    </Anchor>
  );
}

export function EvidenceChips({ evidence, label = "Evidence" }: { evidence: string[]; label?: string }) {
  if (evidence.length === 0) return null;
  return (
    <Group gap={4} aria-label={label} role="list">
      {evidence.map((e) => (
        <Badge key={e} role="listitem" variant="light" color="indigo" radius="sm" tt="none" fw={500} data-testid="evidence">
          {e}
        </Badge>
      ))}
    </Group>
  );
}

export function ScoreBadge({ score }: { score: number }) {
  const color = score >= 0.9 ? "green" : score >= 0.75 ? "yellow" : "gray";
  return (
    <Badge variant="filled" color={color} radius="sm" title="Match score (0–1)">
      {score.toFixed(2)}
    </Badge>
  );
}

type ContactSelectProps = Omit<SelectProps, "data" | "value" | "onChange"> & {
  value: string | null;
  onChange: (id: string | null, contact: Contact | null) => void;
  /** Contacts not offered (e.g. the one being merged into). */
  exclude?: string[];
};

/** Pick a contact, searched on the server by name or email. */
export function ContactSelect({ value, onChange, exclude = [], ...props }: ContactSelectProps) {
  const { search, setSearch, result: contacts } = useServerSearch<Contact>("contacts");
  const rows = useMemo(() => (contacts.data?.data ?? []).filter((c) => !exclude.includes(c.id)), [contacts.data, exclude]);
  const data = rows.map((c) => ({ value: c.id, label: c.emails[0] ? `${contactName(c)} (${c.emails[0]})` : contactName(c) }));
  return (
    <ServerSearchSelect
      {...props}
      data={data}
      value={value}
      search={search}
      onSearchChange={setSearch}
      searching={contacts.isFetching}
      noun="contacts"
      onChange={(id) => onChange(id, rows.find((c) => c.id === id) ?? null)}
    />
  );
}

/** Everything a merge or its undo changes on screen. */
export function refreshAfterMerge(client: QueryClient) {
  client.invalidateQueries({ queryKey: keys.contacts });
  client.invalidateQueries({ queryKey: ["timeline"] });
  client.invalidateQueries({ queryKey: ["identity"] });
}

export async function undoMerge(client: QueryClient, mergeId: string) {
  // Its "Contacts merged … Undo" notification, if still up, no longer applies.
  notifications.hide(`merge-${mergeId}`);
  try {
    await api<{ merge: Merge; contacts: [Contact, Contact] }>(`/merges/${mergeId}:undo`, { method: "POST" });
    notifications.show({ color: "green", message: "Merge undone: both contacts are back" });
  } catch (error) {
    notifications.show({ color: "red", title: "Could not undo the merge", message: errorMessage(error) });
  }
  refreshAfterMerge(client);
}

/** "Merged … into …" with an Undo button, shown after every merge. */
export function notifyMerged(client: QueryClient, merge: Merge, kept: Contact) {
  const id = `merge-${merge.id}`; // undoMerge hides it by this id
  notifications.show({
    id,
    color: "green",
    title: "Contacts merged",
    autoClose: 15_000,
    message: (
      <Group gap="sm" justify="space-between" wrap="nowrap">
        <Text size="sm">
          {merge.merged_name ?? "The duplicate"} was merged into {contactName(kept)}.
        </Text>
        <Button size="compact-xs" variant="light" onClick={() => void undoMerge(client, merge.id)}>
          Undo
        </Button>
      </Group>
    ),
  });
}
