import { Anchor, Button, Center, Grid, Group, Loader, Paper, Stack, Table, Text, Title } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import { IconArrowLeft, IconPencil, IconTrash } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate, useParams } from "react-router-dom";
import { ApiError, api } from "../../../api";
import { usePermissions } from "../../../auth";
import { contactName, formatDateTime } from "../../../format";
import { keys, useCustomFields, useMembers } from "../../../queries";
import type { Contact, Organization, Page } from "../../../types";
import { ConfirmDialog } from "../../../ui/ConfirmDialog";
import { FieldList } from "../../../ui/FieldList";
import { LoadError } from "../../../ui/LoadError";
import { PageHeader } from "../../../ui/PageHeader";
import { ActivityTimeline } from "../components/ActivityTimeline";
import { CustomFieldValue, ExternalLink } from "../components/custom-fields";
import { LifecycleBadge } from "../components/LifecycleBadge";
import { OrganizationFormModal } from "../components/OrganizationForm";

export function OrganizationPage() {
  const { id = "" } = useParams();
  const org = useQuery({
    queryKey: keys.organization(id),
    queryFn: () => api<Organization>(`/organizations/${id}`),
  });
  if (org.isPending) {
    return (
      <Center py="xl">
        <Loader aria-label="Loading organization" />
      </Center>
    );
  }
  if (org.isError) {
    const missing = org.error instanceof ApiError && org.error.status === 404;
    return (
      <Stack align="flex-start">
        <BackLink />
        <LoadError
          error={org.error}
          title={missing ? "Organization not found" : "Could not load this organization"}
          onRetry={missing ? undefined : () => org.refetch()}
        />
      </Stack>
    );
  }
  return <OrganizationView org={org.data} />;
}

function BackLink() {
  return (
    <Anchor component={Link} to="/organizations" size="sm">
      <Group gap={4}>
        <IconArrowLeft size={14} /> Organizations
      </Group>
    </Anchor>
  );
}

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
  const [deleting, deletingHandlers] = useDisclosure(false);
  const owner = members.data?.find((m) => m.id === org.owner_id);
  const contacts = useQuery({
    queryKey: [...keys.contacts, "by-organization", org.id],
    queryFn: () => api<Page<Contact>>("/contacts", { query: { organization_id: org.id, limit: 50, include_total: true, sort: "name" } }),
  });
  const remove = useMutation({
    mutationFn: () => api<void>(`/organizations/${org.id}`, { method: "DELETE" }),
    onSuccess: () => {
      client.removeQueries({ queryKey: keys.organization(org.id) });
      client.invalidateQueries({ queryKey: keys.organizations });
      client.invalidateQueries({ queryKey: keys.contacts });
      notifications.show({ color: "green", message: `${org.name} deleted` });
      navigate("/organizations", { replace: true });
    },
  });

  const people = contacts.data?.data ?? [];
  const total = contacts.data?.total ?? people.length;

  return (
    <>
      <Stack gap={4} mb="xs">
        <BackLink />
      </Stack>
      <PageHeader
        title={org.name}
        description={[org.industry, org.size ? `${org.size} people` : null].filter(Boolean).join(" · ") || undefined}
        actions={
          canWrite && (
            <>
              <Button variant="default" leftSection={<IconPencil size={16} />} onClick={editingHandlers.open}>
                Edit
              </Button>
              <Button variant="light" color="red" leftSection={<IconTrash size={16} />} onClick={deletingHandlers.open}>
                Delete
              </Button>
            </>
          )
        }
      />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="md">
            <Paper withBorder p="md" radius="md">
              <Title order={2} size="h4" mb="sm">
                Details
              </Title>
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
            </Paper>
            {(fields.data?.length ?? 0) > 0 && (
              <Paper withBorder p="md" radius="md">
                <Title order={2} size="h4" mb="sm">
                  Custom fields
                </Title>
                <FieldList
                  items={(fields.data ?? []).map((field) => ({
                    label: field.label,
                    value: <CustomFieldValue field={field} value={org.custom?.[field.key]} />,
                  }))}
                />
              </Paper>
            )}
            <Paper withBorder p="md" radius="md">
              <Title order={2} size="h4" mb="sm">
                Contacts {contacts.data ? `(${total})` : ""}
              </Title>
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
            </Paper>
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
        onSaved={() => {
          editingHandlers.close();
          notifications.show({ color: "green", message: "Organization saved" });
        }}
      />
      <ConfirmDialog
        opened={deleting}
        title={`Delete ${org.name}?`}
        onClose={deletingHandlers.close}
        onConfirm={() => remove.mutate()}
        loading={remove.isPending}
        error={remove.error}
        confirmLabel="Delete organization"
      >
        The organization and its timeline are deleted. Its contacts are kept, without an organization.
      </ConfirmDialog>
    </>
  );
}
