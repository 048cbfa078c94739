import { Anchor, Badge, Button, Grid, Group, Menu, Stack, Text } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import {
  IconArrowsJoin,
  IconBriefcase,
  IconChecklist,
  IconChevronDown,
  IconDownload,
  IconEraser,
  IconLifebuoy,
  IconNote,
  IconPhone,
} from "@tabler/icons-react";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { Link, useNavigate, useParams } from "react-router-dom";
import { api, apiUrl } from "../../../api";
import { usePermissions } from "../../../auth";
import { contactName, formatDateTime } from "../../../format";
import { keys, useCustomFields, useMembers } from "../../../queries";
import type { ActivityType, Contact } from "../../../types";
import { EditDeleteButtons } from "../../../ui/buttons";
import { ConfirmDialog } from "../../../ui/ConfirmDialog";
import { FieldList } from "../../../ui/FieldList";
import { doneWithNotice } from "../../../ui/notices";
import { PageHeader } from "../../../ui/PageHeader";
import { Panel } from "../../../ui/Panel";
import { BackLink, RecordLoader } from "../../../ui/RecordPage";
import { useConfirmed } from "../../../ui/useConfirmed";
import {
  InsightsCard,
  MergedAwayNotice,
  MergeHistory,
  MergeWithDialog,
  PersonTimeline,
  ProfilesCard,
  ScoreBadges,
  useInsights,
} from "../../identity/components/PersonView";
import { CreateCaseModal, CreateDealModal } from "../../identity/components/WorkItemModals";
import { InfluencePanel } from "../../influence/components/InfluencePanel";
import { AddActivityForm } from "../components/ActivityTimeline";
import { ContactFormModal } from "../components/ContactForm";
import { CustomFieldsPanel } from "../components/custom-fields";
import { LifecycleBadge } from "../components/LifecycleBadge";
import { ConsentPanel, EraseContactDialog } from "../components/PrivacyPanel";

export function ContactPage() {
  const { id = "" } = useParams();
  const contact = useQuery({
    queryKey: keys.contact(id),
    queryFn: () => api<Contact>(`/contacts/${id}`),
  });

  return (
    <RecordLoader query={contact} noun="contact" back={BACK} notFoundExtra={<MergedAwayNotice contactId={id} />}>
      {(record) => <ContactView contact={record} />}
    </RecordLoader>
  );
}

const BACK = { to: "/contacts", label: "Contacts" };

function ContactView({ contact }: { contact: Contact }) {
  const navigate = useNavigate();
  const client = useQueryClient();
  const { canWrite, canAdmin } = usePermissions();
  const fields = useCustomFields("contact");
  const members = useMembers();
  const [editing, editingHandlers] = useDisclosure(false);
  const [mergingWith, mergingWithHandlers] = useDisclosure(false);
  const [erasing, erasingHandlers] = useDisclosure(false);
  const [creating, setCreating] = useState<"case" | "deal" | null>(null);
  // Quick actions pick the composer's type; the key remounts it with that type.
  const [composer, setComposer] = useState<{ type: ActivityType; n: number }>({ type: "note", n: 0 });
  const composerRef = useRef<HTMLDivElement>(null);
  const insights = useInsights(contact.id);
  const name = contactName(contact);

  function quickAction(type: ActivityType) {
    setComposer((c) => ({ type, n: c.n + 1 }));
    requestAnimationFrame(() => {
      composerRef.current?.scrollIntoView({ behavior: "smooth", block: "start" });
      composerRef.current?.querySelector<HTMLInputElement>("input[type=text], input:not([type])")?.focus();
    });
  }
  const owner = members.data?.find((m) => m.id === contact.owner_id);

  const deletion = useConfirmed(
    () => api<void>(`/contacts/${contact.id}`, { method: "DELETE" }),
    () => {
      client.removeQueries({ queryKey: keys.contact(contact.id) });
      client.invalidateQueries({ queryKey: keys.contacts });
      notifications.show({ color: "green", message: `${name} deleted` });
      navigate("/contacts", { replace: true });
    },
  );

  return (
    <>
      <Stack gap={4} mb="xs">
        <BackLink {...BACK} />
      </Stack>
      <PageHeader
        title={
          <Group gap="sm" component="span">
            <bdi>{name}</bdi>
            <LifecycleBadge stage={contact.lifecycle_stage} />
            <ScoreBadges insights={insights.data} />
          </Group>
        }
        description={
          [contact.title, contact.organization?.name].some(Boolean) ? (
            <>
              {contact.title}
              {contact.title && contact.organization ? " at " : ""}
              {contact.organization && (
                <Anchor component={Link} to={`/organizations/${contact.organization.id}`} size="sm">
                  {contact.organization.name}
                </Anchor>
              )}
            </>
          ) : undefined
        }
        actions={
          canWrite && (
            <>
              <Menu position="bottom-end" shadow="md" width={200}>
                <Menu.Target>
                  <Button variant="default" rightSection={<IconChevronDown size={14} />}>
                    Quick actions
                  </Button>
                </Menu.Target>
                <Menu.Dropdown>
                  <Menu.Item leftSection={<IconNote size={16} />} onClick={() => quickAction("note")}>
                    Add note
                  </Menu.Item>
                  <Menu.Item leftSection={<IconPhone size={16} />} onClick={() => quickAction("call")}>
                    Log call
                  </Menu.Item>
                  <Menu.Item leftSection={<IconChecklist size={16} />} onClick={() => quickAction("task")}>
                    Add task
                  </Menu.Item>
                  <Menu.Item leftSection={<IconLifebuoy size={16} />} onClick={() => setCreating("case")}>
                    Create case
                  </Menu.Item>
                  <Menu.Item leftSection={<IconBriefcase size={16} />} onClick={() => setCreating("deal")}>
                    Create deal
                  </Menu.Item>
                  <Menu.Divider />
                  <Menu.Item leftSection={<IconArrowsJoin size={16} />} onClick={mergingWithHandlers.open}>
                    Merge with…
                  </Menu.Item>
                  {canAdmin && (
                    <Menu.Item
                      component="a"
                      href={apiUrl(`/contacts/${contact.id}/privacy-export`)}
                      download
                      leftSection={<IconDownload size={16} />}
                    >
                      Export personal data
                    </Menu.Item>
                  )}
                  {canAdmin && (
                    <Menu.Item color="red" leftSection={<IconEraser size={16} />} onClick={erasingHandlers.open}>
                      Erase personal data…
                    </Menu.Item>
                  )}
                </Menu.Dropdown>
              </Menu>
              <EditDeleteButtons onEdit={editingHandlers.open} onDelete={() => deletion.ask(true)} />
            </>
          )
        }
      />

      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="md">
            <Panel title="Details">
              <FieldList
                items={[
                  {
                    label: "Emails",
                    value: contact.emails.length ? (
                      <Stack gap={2}>
                        {contact.emails.map((e) => (
                          <Anchor key={e} href={`mailto:${e}`} size="sm">
                            {e}
                          </Anchor>
                        ))}
                      </Stack>
                    ) : null,
                  },
                  {
                    label: "Phones",
                    value: contact.phones.length ? (
                      <Stack gap={2}>
                        {contact.phones.map((p) => (
                          <Text key={p} size="sm">
                            {p}
                          </Text>
                        ))}
                      </Stack>
                    ) : null,
                  },
                  { label: "Job title", value: contact.title },
                  {
                    label: "Organization",
                    value: contact.organization ? (
                      <Anchor component={Link} to={`/organizations/${contact.organization.id}`} size="sm">
                        {contact.organization.name}
                      </Anchor>
                    ) : null,
                  },
                  { label: "Lifecycle stage", value: contact.lifecycle_stage ? <LifecycleBadge stage={contact.lifecycle_stage} /> : null },
                  { label: "Owner", value: owner ? owner.name || owner.email : contact.owner_id ? "Unknown member" : null },
                  {
                    label: "Tags",
                    value: contact.tags.length ? (
                      <Group gap={4}>
                        {contact.tags.map((t) => (
                          <Badge key={t} variant="outline" color="gray" radius="sm" tt="none">
                            {t}
                          </Badge>
                        ))}
                      </Group>
                    ) : null,
                  },
                  { label: "Street", value: [contact.street, contact.address2].filter(Boolean).join(", ") },
                  { label: "Postal code", value: contact.postal_code },
                  { label: "City", value: contact.city },
                  { label: "Region", value: contact.region },
                  { label: "Country", value: contact.country },
                  { label: "Birth date", value: contact.birth_date },
                  { label: "External ID", value: contact.external_id },
                  { label: "Created", value: formatDateTime(contact.created_at) },
                  { label: "Updated", value: formatDateTime(contact.updated_at) },
                ]}
              />
              {contact.notes && (
                <>
                  <Text fw={600} size="sm" mt="md">
                    Notes
                  </Text>
                  <Text size="sm" className="pre-wrap">
                    {contact.notes}
                  </Text>
                </>
              )}
            </Panel>
            <CustomFieldsPanel fields={fields.data ?? []} values={contact.custom} />
            <ConsentPanel contactId={contact.id} canWrite={canWrite} />
            <ProfilesCard contactId={contact.id} canWrite={canWrite} />
            <InsightsCard insights={insights} />
            <InfluencePanel contactId={contact.id} />
            <MergeHistory contactId={contact.id} canWrite={canWrite} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="md">
            {canWrite && (
              <div ref={composerRef}>
                <AddActivityForm key={composer.n} owner="contacts" id={contact.id} presetType={composer.type} />
              </div>
            )}
            <PersonTimeline contactId={contact.id} networks={(insights.data?.networks ?? []).map((n) => n.network)} />
          </Stack>
        </Grid.Col>
      </Grid>

      <ContactFormModal
        opened={editing}
        onClose={editingHandlers.close}
        contact={contact}
        onSaved={doneWithNotice(editingHandlers.close, "Contact saved")}
      />
      <CreateCaseModal contactId={contact.id} opened={creating === "case"} onClose={() => setCreating(null)} />
      <CreateDealModal contactId={contact.id} opened={creating === "deal"} onClose={() => setCreating(null)} />
      <MergeWithDialog
        contact={contact}
        opened={mergingWith}
        onClose={mergingWithHandlers.close}
        onMerged={(kept) => {
          if (kept.id !== contact.id) navigate(`/contacts/${kept.id}`);
        }}
      />
      <EraseContactDialog
        contactId={contact.id}
        name={name}
        opened={erasing}
        onClose={erasingHandlers.close}
        onErased={(r) => {
          client.removeQueries({ queryKey: keys.contact(contact.id) });
          client.invalidateQueries({ queryKey: keys.contacts });
          notifications.show({
            color: "green",
            message: `Erased: ${r.messages_tombstoned} messages kept as tombstones, ${r.profiles_deleted} profiles deleted`,
          });
          navigate("/contacts", { replace: true });
        }}
      />
      <ConfirmDialog {...deletion.dialog} title={`Delete ${name}?`} confirmLabel="Delete contact">
        The contact and its timeline are deleted. This cannot be undone.
      </ConfirmDialog>
    </>
  );
}
