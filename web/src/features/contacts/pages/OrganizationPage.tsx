import { Anchor, Grid, Loader, Stack, Table, Text } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate, useParams } from "react-router-dom";
import { api } from "../../../api";
import { usePermissions } from "../../../auth";
import { contactName, formatDateTime } from "../../../format";
import { keys, useCustomFields, useMembers } from "../../../queries";
import type { Contact, Organization, Page } from "../../../types";
import { EditDeleteButtons } from "../../../ui/buttons";
import { ConfirmDialog } from "../../../ui/ConfirmDialog";
import { FieldList } from "../../../ui/FieldList";
import { LoadError } from "../../../ui/LoadError";
import { doneWithNotice } from "../../../ui/notices";
import { PageHeader } from "../../../ui/PageHeader";
import { Panel } from "../../../ui/Panel";
import { BackLink, RecordLoader } from "../../../ui/RecordPage";
import { useConfirmed } from "../../../ui/useConfirmed";
import { ActivityTimeline } from "../components/ActivityTimeline";
import { CustomFieldsPanel, ExternalLink } from "../components/custom-fields";
import { LifecycleBadge } from "../components/LifecycleBadge";
import { OrganizationFormModal } from "../components/OrganizationForm";

export function OrganizationPage() {
  const { id = "" } = useParams();
  const org = useQuery({
    queryKey: keys.organization(id),
    queryFn: () => api<Organization>(`/organizations/${id}`),
  });
  return (
    <RecordLoader query={org} noun="organization" back={BACK}>
      {(record) => <OrganizationView org={record} />}
    </RecordLoader>
  );
}

const BACK = { to: "/organizations", label: "Organizations" };

function domainUrl(domain: string): string {
  return /^https?:\/\//i.test(domain) ? domain : `https://${domain}`;
}

function OrganizationView({ org }: { org: Organization }) {
  const navigate = useNavigate();
  const client = useQueryClient();
  const { canWrite } = usePermissions();
  const fields = useCustomFields("organization");
  const members = useMembers();
  const [editing, editingHandlers] = useDisclosure(false);
  const owner = members.data?.find((m) => m.id === org.owner_id);
  const contacts = useQuery({
    queryKey: [...keys.contacts, "by-organization", org.id],
    queryFn: () => api<Page<Contact>>("/contacts", { query: { organization_id: org.id, limit: 50, include_total: true, sort: "name" } }),
  });
  const deletion = useConfirmed(
    () => api<void>(`/organizations/${org.id}`, { method: "DELETE" }),
    () => {
      client.removeQueries({ queryKey: keys.organization(org.id) });
      client.invalidateQueries({ queryKey: keys.organizations });
      client.invalidateQueries({ queryKey: keys.contacts });
      notifications.show({ color: "green", message: `${org.name} deleted` });
      navigate("/organizations", { replace: true });
    },
  );

  const people = contacts.data?.data ?? [];
  const total = contacts.data?.total ?? people.length;

  return (
    <>
      <Stack gap={4} mb="xs">
        <BackLink {...BACK} />
      </Stack>
      <PageHeader
        title={org.name}
        description={[org.industry, org.size ? `${org.size} people` : null].filter(Boolean).join(" · ") || undefined}
        actions={canWrite && <EditDeleteButtons onEdit={editingHandlers.open} onDelete={() => deletion.ask(true)} />}
      />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="md">
            <Panel title="Details">
              <FieldList
                items={[
                  { label: "Domain", value: org.domain ? <ExternalLink href={domainUrl(org.domain)}>{org.domain}</ExternalLink> : null },
                  { label: "Industry", value: org.industry },
                  { label: "Size", value: org.size },
                  { label: "Owner", value: owner ? owner.name || owner.email : null },
                  { label: "External ID", value: org.external_id },
                  { label: "Created", value: formatDateTime(org.created_at) },
                  { label: "Updated", value: formatDateTime(org.updated_at) },
                ]}
              />
            </Panel>
            <CustomFieldsPanel fields={fields.data ?? []} values={org.custom} />
            <Panel title={<>Contacts {contacts.data ? `(${total})` : ""}</>}>
              {contacts.isPending ? (
                <Loader size="sm" aria-label="Loading contacts" />
              ) : contacts.isError ? (
                <LoadError error={contacts.error} onRetry={() => contacts.refetch()} />
              ) : people.length === 0 ? (
                <Text size="sm" c="dimmed">
                  No contacts at this organization yet. Set the organization on a contact to list it here.
                </Text>
              ) : (
                <Table aria-label="Contacts at this organization" fz="sm">
                  <Table.Tbody>
                    {people.map((c) => (
                      <Table.Tr key={c.id}>
                        <Table.Td>
                          <Anchor component={Link} to={`/contacts/${c.id}`} size="sm" fw={500}>
                            {contactName(c)}
                          </Anchor>
                          {c.title && (
                            <Text size="xs" c="dimmed">
                              {c.title}
                            </Text>
                          )}
                        </Table.Td>
                        <Table.Td>
                          <LifecycleBadge stage={c.lifecycle_stage} />
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              )}
              {total > people.length && (
                <Anchor
                  component={Link}
                  to={`/contacts?filter=${encodeURIComponent(JSON.stringify({ match: "all", conditions: [{ field: "organization_id", op: "eq", value: org.id }] }))}`}
                  size="sm"
                  mt="xs"
                  display="block"
                >
                  See all {total} contacts
                </Anchor>
              )}
            </Panel>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <ActivityTimeline owner="organizations" id={org.id} />
        </Grid.Col>
      </Grid>
      <OrganizationFormModal
        opened={editing}
        onClose={editingHandlers.close}
        organization={org}
        onSaved={doneWithNotice(editingHandlers.close, "Organization saved")}
      />
      <ConfirmDialog {...deletion.dialog} title={`Delete ${org.name}?`} confirmLabel="Delete organization">
        The organization and its timeline are deleted. Its contacts are kept, without an organization.
      </ConfirmDialog>
    </>
  );
}
