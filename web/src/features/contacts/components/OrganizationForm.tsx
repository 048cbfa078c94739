import { Modal, SimpleGrid, TextInput } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type ChangeEvent, useState } from "react";
import { api, fieldErrors } from "../../../api";
import { keys, useCustomFields } from "../../../queries";
import type { CustomValues, Organization } from "../../../types";
import { FormActions } from "../../../ui/FormActions";
import { FormError } from "../../../ui/FormError";
import { changedFields, customPayload, trimOrNull } from "../../../ui/form-helpers";
import { StackForm } from "../../../ui/StackForm";
import { CustomFieldInputs } from "./custom-fields";
import { MemberSelect } from "./pickers";

const SHOWN = ["name", "domain", "industry", "size", "owner_id", "external_id"];

export function OrganizationFormModal({
  opened,
  onClose,
  organization,
  onSaved,
}: {
  opened: boolean;
  onClose: () => void;
  organization?: Organization;
  onSaved: (org: Organization) => void;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title={organization ? "Edit organization" : "New organization"} size="lg">
      {opened && <OrganizationForm organization={organization} onCancel={onClose} onSaved={onSaved} />}
    </Modal>
  );
}

function OrganizationForm({
  organization,
  onCancel,
  onSaved,
}: {
  organization?: Organization;
  onCancel: () => void;
  onSaved: (org: Organization) => void;
}) {
  const client = useQueryClient();
  const fields = useCustomFields("organization");
  const [form, setForm] = useState({
    name: organization?.name ?? "",
    domain: organization?.domain ?? "",
    industry: organization?.industry ?? "",
    size: organization?.size ?? "",
    external_id: organization?.external_id ?? "",
  });
  const [ownerId, setOwnerId] = useState<string | null>(organization?.owner_id ?? null);
  const [custom, setCustom] = useState<CustomValues>(() => ({ ...(organization?.custom ?? {}) }));
  const [nameError, setNameError] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (body: Record<string, unknown>) =>
      organization
        ? api<Organization>(`/organizations/${organization.id}`, { method: "PATCH", body })
        : api<Organization>("/organizations", { method: "POST", body }),
    onSuccess: (saved) => {
      client.setQueryData(keys.organization(saved.id), saved);
      client.invalidateQueries({ queryKey: keys.organizations });
      client.invalidateQueries({ queryKey: keys.contacts });
      onSaved(saved);
    },
  });
  const errors = fieldErrors(save.error);

  function set(key: keyof typeof form) {
    return (e: ChangeEvent<HTMLInputElement>) => {
      const value = e.currentTarget.value;
      setForm((f) => ({ ...f, [key]: value }));
    };
  }

  function handleSubmit() {
    if (!form.name.trim()) {
      setNameError("Name the organization");
      return;
    }
    setNameError(null);
    const values = {
      name: form.name.trim(),
      domain: trimOrNull(form.domain),
      industry: trimOrNull(form.industry),
      size: trimOrNull(form.size),
      external_id: trimOrNull(form.external_id),
      owner_id: ownerId,
    };
    const customValues = customPayload(fields.data ?? [], custom, organization?.custom);
    let body: Record<string, unknown>;
    if (organization) {
      body = { ...changedFields(values, organization), ...(customValues ? { custom: customValues } : {}) };
      if (Object.keys(body).length === 0) return onSaved(organization);
    } else {
      body = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== null));
      if (customValues) body.custom = customValues;
    }
    save.mutate(body);
  }

  return (
    <StackForm onSubmit={handleSubmit} gap="sm">
      <FormError error={save.error} shownFields={[...SHOWN, ...(fields.data ?? []).map((f) => `custom.${f.key}`)]} />
      <TextInput label="Name" required data-autofocus value={form.name} onChange={set("name")} error={nameError ?? errors.name} />
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput label="Domain" placeholder="example.com" value={form.domain} onChange={set("domain")} error={errors.domain} />
        <TextInput label="Industry" value={form.industry} onChange={set("industry")} error={errors.industry} />
        <TextInput label="Size" placeholder="e.g. 11-50" value={form.size} onChange={set("size")} error={errors.size} />
        <MemberSelect label="Owner" placeholder="Nobody" value={ownerId} onChange={setOwnerId} error={errors.owner_id} />
        <TextInput label="External ID" value={form.external_id} onChange={set("external_id")} error={errors.external_id} />
      </SimpleGrid>
      <CustomFieldInputs
        fields={fields.data ?? []}
        values={custom}
        onChange={(key, value) => setCustom((c) => ({ ...c, [key]: value }))}
        errors={errors}
      />
      <FormActions
        onCancel={onCancel}
        submitLabel={organization ? "Save changes" : "Create organization"}
        loading={save.isPending}
        mt="sm"
      />
    </StackForm>
  );
}
