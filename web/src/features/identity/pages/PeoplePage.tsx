// "People talking about us we don't know yet": message authors whose profile
// is linked to no contact, with what suggests who they are, and the actions to
// link them or turn them into contacts.
import {
  Button,
  Card,
  Center,
  Checkbox,
  Drawer,
  Group,
  Loader,
  Modal,
  Paper,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
  UnstyledButton,
} from "@mantine/core";
import { useDebouncedValue } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { IconLink, IconSearch, IconUserPlus, IconUserQuestion } from "@tabler/icons-react";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import dayjs from "dayjs";
import { type FormEvent, type ReactNode, useState } from "react";
import { Link, useNavigate } from "react-router-dom";
import { api, errorMessage } from "../../../api";
import { usePermissions } from "../../../auth";
import { keys } from "../../../queries";
import { type IdentityProfile, NETWORKS, type Page, type ProfileDetail, type UnknownProfile } from "../../../types";
import { FormActions } from "../../../ui/FormActions";
import { FormError } from "../../../ui/FormError";
import { textField } from "../../../ui/form-helpers";
import { LoadError } from "../../../ui/LoadError";
import { NetworkIcon, networkLabel } from "../../../ui/NetworkIcon";
import { PageHeader } from "../../../ui/PageHeader";
import { ContactSelect, EvidenceChips, ExternalLink, handleLabel, ScoreBadge } from "../components/common";
import { identityKeys } from "../queries";

function profileName(p: Pick<IdentityProfile, "display_name" | "handle" | "network_id">): string {
  return p.display_name || p.handle || p.network_id || "Unknown author";
}

function useLinkProfile() {
  const client = useQueryClient();
  const navigate = useNavigate();
  return useMutation({
    mutationFn: ({ profile, body }: { profile: IdentityProfile; body: Record<string, unknown> }) =>
      api<IdentityProfile>(`/profiles/${profile.id}/link`, { method: "POST", body }),
    onSuccess: (linked, { profile }) => {
      client.invalidateQueries({ queryKey: identityKeys.people });
      client.invalidateQueries({ queryKey: keys.contacts });
      client.invalidateQueries({ queryKey: ["timeline"] });
      notifications.show({ color: "green", message: `${profileName(profile)} is now linked to a contact` });
      if (linked.contact_id) navigate(`/contacts/${linked.contact_id}`);
    },
    onError: (error) => notifications.show({ color: "red", title: "Could not link the profile", message: errorMessage(error) }),
  });
}

export function PeoplePage() {
  const { canWrite } = usePermissions();
  const [q, setQ] = useState("");
  const [debouncedQ] = useDebouncedValue(q.trim(), 300);
  const [network, setNetwork] = useState<string | null>(null);
  const [suggestedOnly, setSuggestedOnly] = useState(false);
  const [openId, setOpenId] = useState<string | null>(null);
  const [linking, setLinking] = useState<UnknownProfile | null>(null);
  const [creating, setCreating] = useState<UnknownProfile | null>(null);
  const link = useLinkProfile();

  const people = useInfiniteQuery({
    queryKey: [...identityKeys.people, "list", debouncedQ, network, suggestedOnly],
    queryFn: ({ pageParam }) =>
      api<Page<UnknownProfile>>("/profiles", {
        query: {
          linked: false,
          suggested: suggestedOnly ? true : undefined,
          q: debouncedQ,
          network: network ?? undefined,
          cursor: pageParam,
          limit: 25,
        },
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const items = people.data?.pages.flatMap((p) => p.data) ?? [];

  return (
    <>
      <PageHeader
        title="People we don't know yet"
        description="Authors talking about you whose profile is not linked to a contact. Link them, or make them contacts."
      />
      <Group mb="md" align="flex-end" wrap="wrap">
        <TextInput
          label="Search"
          placeholder="Name, handle or bio"
          leftSection={<IconSearch size={16} />}
          {...textField(q, setQ)}
          w={280}
        />
        <Select
          label="Network"
          placeholder="All networks"
          clearable
          data={NETWORKS.map((n) => ({ value: n, label: networkLabel(n) }))}
          value={network}
          onChange={setNetwork}
          w={200}
        />
        <Checkbox
          label="Only with a suggested contact"
          checked={suggestedOnly}
          onChange={(e) => setSuggestedOnly(e.currentTarget.checked)}
          mb={8}
        />
      </Group>
      {people.isPending ? (
        <Center py="xl">
          <Loader aria-label="Loading people" />
        </Center>
      ) : people.isError ? (
        <LoadError error={people.error} onRetry={() => people.refetch()} />
      ) : items.length === 0 ? (
        <Stack align="center" gap={4} py="xl">
          <IconUserQuestion size={32} color="var(--mantine-color-gray-5)" aria-hidden />
          <Text fw={500}>Nobody unknown here</Text>
          <Text size="sm" c="dimmed">
            Authors of incoming messages who are not linked to a contact appear here.
          </Text>
        </Stack>
      ) : (
        <Stack gap="sm" role="list" aria-label="Unknown people">
          {items.map((p) => (
            <Card key={p.id} withBorder radius="md" padding="md" role="listitem" data-testid="unknown-person">
              <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
                <UnstyledButton
                  onClick={() => setOpenId(p.id)}
                  style={{ minWidth: 0, flex: 1 }}
                  aria-label={`Details of ${profileName(p)}`}
                >
                  <Group gap="sm" wrap="nowrap" align="flex-start">
                    <NetworkIcon network={p.network} size={20} />
                    <Stack gap={2} style={{ minWidth: 0 }}>
                      <Text fw={600} size="sm" style={{ overflowWrap: "anywhere" }}>
                        <bdi>{profileName(p)}</bdi>
                        {p.handle && p.display_name ? (
                          <Text span c="dimmed" size="sm" fw={400}>
                            {" "}
                            <bdi>{handleLabel(p)}</bdi>
                          </Text>
                        ) : null}
                      </Text>
                      <Text size="xs" c="dimmed">
                        {p.message_count} message{p.message_count === 1 ? "" : "s"}
                        {p.followers !== null ? ` · ${p.followers.toLocaleString()} followers` : ""}
                        {p.last_seen_at ? ` · last seen ${dayjs(p.last_seen_at).fromNow()}` : ""}
                      </Text>
                      {p.top_suggestion && (
                        <Text size="sm" data-testid="top-suggestion">
                          probably <b>{p.top_suggestion.contact_name ?? "a contact"}</b>
                          {" — "}
                          {p.top_suggestion.evidence.join(", ")} · score {p.top_suggestion.score.toFixed(2)}
                        </Text>
                      )}
                    </Stack>
                  </Group>
                </UnstyledButton>
                {canWrite && (
                  <Group gap="xs">
                    {p.top_suggestion && (
                      <Button
                        size="xs"
                        leftSection={<IconLink size={14} />}
                        loading={link.isPending && link.variables?.profile.id === p.id}
                        onClick={() => link.mutate({ profile: p, body: { contact_id: p.top_suggestion?.contact_id } })}
                      >
                        Link to {p.top_suggestion.contact_name ?? "suggested contact"}
                      </Button>
                    )}
                    <Button size="xs" variant="default" leftSection={<IconLink size={14} />} onClick={() => setLinking(p)}>
                      Link to another contact…
                    </Button>
                    <Button size="xs" variant="light" leftSection={<IconUserPlus size={14} />} onClick={() => setCreating(p)}>
                      Create contact
                    </Button>
                  </Group>
                )}
              </Group>
            </Card>
          ))}
          {people.hasNextPage && (
            <Group justify="center">
              <Button variant="default" size="xs" loading={people.isFetchingNextPage} onClick={() => people.fetchNextPage()}>
                Load more
              </Button>
            </Group>
          )}
        </Stack>
      )}

      <ProfileDrawer id={openId} onClose={() => setOpenId(null)} canWrite={canWrite} />
      {linking && <LinkToContactModal profile={linking} onClose={() => setLinking(null)} />}
      {creating && <CreateContactModal profile={creating} onClose={() => setCreating(null)} />}
    </>
  );
}

function LinkToContactModal({ profile, onClose }: { profile: IdentityProfile; onClose: () => void }) {
  const [contactId, setContactId] = useState<string | null>(null);
  const link = useLinkProfile();
  return (
    <Modal opened onClose={onClose} title={`Link ${profileName(profile)} to a contact`}>
      <form
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          if (contactId) link.mutate({ profile, body: { contact_id: contactId } }, { onSuccess: onClose });
        }}
      >
        <Stack>
          <ContactSelect
            label="Contact"
            placeholder="Search by name or email"
            value={contactId}
            onChange={(id) => setContactId(id)}
            data-autofocus
          />
          <FormError error={link.error} />
          <FormActions onCancel={onClose} submitLabel="Link" disabled={!contactId} loading={link.isPending} />
        </Stack>
      </form>
    </Modal>
  );
}

function CreateContactModal({ profile, onClose }: { profile: IdentityProfile; onClose: () => void }) {
  const [name, setName] = useState(profile.display_name || profile.handle || "");
  const [email, setEmail] = useState(profile.network === "email" ? (profile.network_id ?? "") : "");
  const link = useLinkProfile();
  return (
    <Modal opened onClose={onClose} title="Create a contact from this profile">
      <form
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          const create: Record<string, unknown> = {};
          if (name.trim()) create.name = name.trim();
          if (email.trim()) create.emails = [email.trim()];
          link.mutate({ profile, body: { create_contact: create } }, { onSuccess: onClose });
        }}
      >
        <Stack>
          <TextInput label="Name" {...textField(name, setName)} data-autofocus />
          <TextInput label="Email" placeholder="Optional" {...textField(email, setEmail)} />
          <FormError error={link.error} />
          <FormActions onCancel={onClose} submitLabel="Create contact" loading={link.isPending} />
        </Stack>
      </form>
    </Modal>
  );
}

/** One profile: who it might be (every suggestion, with evidence) and what it wrote lately. */
export function ProfileDrawer({ id, onClose, canWrite }: { id: string | null; onClose: () => void; canWrite: boolean }) {
  const client = useQueryClient();
  const profile = useQuery({
    queryKey: identityKeys.profile(id ?? ""),
    queryFn: () => api<ProfileDetail>(`/profiles/${id}`),
    enabled: !!id,
  });
  const link = useLinkProfile();
  const dismiss = useMutation({
    mutationFn: (contactId: string) => api(`/profiles/${id}/dismiss`, { method: "POST", body: { contact_id: contactId } }),
    onSuccess: () => client.invalidateQueries({ queryKey: identityKeys.people }),
    onError: (error) => notifications.show({ color: "red", title: "Could not reject the suggestion", message: errorMessage(error) }),
  });
  const p = profile.data;
  return (
    <Drawer opened={!!id} onClose={onClose} position="right" size="lg" title={p ? profileName(p) : "Profile"}>
      {profile.isPending ? (
        <Center py="xl">
          <Loader aria-label="Loading profile" />
        </Center>
      ) : profile.isError ? (
        <LoadError error={profile.error} onRetry={() => profile.refetch()} />
      ) : p ? (
        <Stack gap="md">
          <Group gap="sm">
            <NetworkIcon network={p.network} />
            <Text size="sm">{networkLabel(p.network)}</Text>
            {p.handle && <ExternalLink href={p.profile_url}>{handleLabel(p)}</ExternalLink>}
            {p.verified && <Text size="xs">verified</Text>}
          </Group>
          {p.bio && (
            <Text size="sm" className="pre-wrap">
              {p.bio}
            </Text>
          )}
          <Text size="xs" c="dimmed">
            {p.followers !== null ? `${p.followers.toLocaleString()} followers · ` : ""}
            {p.message_count} message{p.message_count === 1 ? "" : "s"}
            {p.first_seen_at ? ` · first seen ${dayjs(p.first_seen_at).format("MMM D, YYYY")}` : ""}
          </Text>
          {p.contact && (
            <Text size="sm">
              Linked to <Link to={`/contacts/${p.contact.id}`}>{p.contact.name ?? "a contact"}</Link>
            </Text>
          )}
          <ProfileSection title="Suggested contacts" empty={p.suggestions.length === 0 ? "No suggestions." : null}>
            <Stack gap="sm">
              {p.suggestions.map((s) => (
                <Stack key={s.contact.id} gap={4}>
                  <Group gap="xs" justify="space-between" wrap="wrap">
                    <Group gap="xs">
                      <ScoreBadge score={s.score} />
                      <Link to={`/contacts/${s.contact.id}`}>{s.contact.name ?? "Unnamed contact"}</Link>
                      {s.contact.emails[0] && (
                        <Text size="xs" c="dimmed">
                          {s.contact.emails[0]}
                        </Text>
                      )}
                    </Group>
                    {canWrite && (
                      <Group gap={4}>
                        <Button size="compact-xs" onClick={() => link.mutate({ profile: p, body: { contact_id: s.contact.id } })}>
                          Link
                        </Button>
                        <Button size="compact-xs" variant="default" onClick={() => dismiss.mutate(s.contact.id)}>
                          Not them
                        </Button>
                      </Group>
                    )}
                  </Group>
                  <EvidenceChips evidence={s.evidence} />
                </Stack>
              ))}
            </Stack>
          </ProfileSection>
          <ProfileSection title="Recent messages" empty={p.recent_messages.length === 0 ? "No messages." : null}>
            <Stack gap="sm">
              {p.recent_messages.map((m) => (
                <Stack key={m.id} gap={2}>
                  <Text size="sm" className="pre-wrap" lineClamp={6}>
                    <bdi>{m.text ?? ""}</bdi>
                  </Text>
                  <Text size="xs" c="dimmed">
                    <Link to={`/inbox/${m.conversation_id}`}>{dayjs(m.posted_at).format("MMM D, YYYY HH:mm")}</Link>
                  </Text>
                </Stack>
              ))}
            </Stack>
          </ProfileSection>
        </Stack>
      ) : null}
    </Drawer>
  );
}

/** A titled block of the profile drawer; says `empty` instead of its rows when there are none. */
function ProfileSection({ title, empty, children }: { title: string; empty: string | null; children: ReactNode }) {
  return (
    <Paper withBorder p="sm" radius="md">
      <Title order={3} size="h5" mb="xs">
        {title}
      </Title>
      {empty ? (
        <Text size="sm" c="dimmed">
          {empty}
        </Text>
      ) : (
        children
      )}
    </Paper>
  );
}
