import { Anchor, Button, Group, Paper, Text, TextInput, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useState } from "react";
import type { CommunitySettings } from "../../../../../src/contracts/community";
import { fieldErrors } from "../../../api";
import { usePermissions } from "../../../auth";
import { FormError } from "../../../ui/FormError";
import { textField, trimOrNull } from "../../../ui/form-helpers";
import { StackForm } from "../../../ui/StackForm";
import { useUpdateCommunitySettings } from "../queries";

// The portal's address and theme: its title, colour and logo, and a custom domain of the
// company's own (community.example.com) that serves the portal at / once DNS and the proxy
// point at this server (README: "A custom domain for the portal"). Admins change them.
export function PortalSettingsCard({ settings }: { settings: CommunitySettings }) {
  const { canAdmin } = usePermissions();
  const update = useUpdateCommunitySettings();
  const [title, setTitle] = useState(settings.title ?? "");
  const [color, setColor] = useState(settings.color);
  const [logo, setLogo] = useState(settings.logo_url ?? "");
  const [domain, setDomain] = useState(settings.custom_domain ?? "");
  const errors = fieldErrors(update.error);

  function handleSubmit() {
    update.mutate(
      {
        title: trimOrNull(title),
        color: color.trim(),
        logo_url: trimOrNull(logo),
        custom_domain: trimOrNull(domain)?.toLowerCase() ?? null,
      },
      { onSuccess: () => notifications.show({ color: "green", message: "Portal settings saved" }) },
    );
  }

  return (
    <Paper withBorder p="lg" radius="md" maw={640} mb="lg" aria-label="Portal settings">
      <StackForm onSubmit={handleSubmit}>
        <div>
          <Title order={2} size="h4">
            Portal
          </Title>
          <Text size="sm" c="dimmed">
            At{" "}
            <Anchor href={settings.url} target="_blank" rel="noopener">
              {settings.url}
            </Anchor>
            {settings.custom_domain ? (
              <>
                {" "}
                and at{" "}
                <Anchor href={`https://${settings.custom_domain}/`} target="_blank" rel="noopener">
                  https://{settings.custom_domain}/
                </Anchor>
              </>
            ) : null}
            .
          </Text>
        </div>
        <FormError error={update.error} shownFields={["title", "color", "logo_url", "custom_domain"]} />
        <TextInput
          label="Title"
          placeholder="The workspace's name"
          disabled={!canAdmin}
          {...textField(title, setTitle)}
          error={errors.title}
        />
        <TextInput label="Colour" placeholder="#1c5fb8" disabled={!canAdmin} {...textField(color, setColor)} error={errors.color} />
        <TextInput label="Logo (https URL)" disabled={!canAdmin} {...textField(logo, setLogo)} error={errors.logo_url} />
        <TextInput
          label="Custom domain"
          placeholder="community.example.com"
          description="Point a CNAME for this name at this server and pass the Host header through your HTTPS proxy: the portal then answers at its root, and nothing else of Parley does there."
          disabled={!canAdmin}
          {...textField(domain, setDomain)}
          error={errors.custom_domain}
        />
        {canAdmin && (
          <Group justify="flex-end">
            <Button type="submit" loading={update.isPending}>
              Save portal settings
            </Button>
          </Group>
        )}
      </StackForm>
    </Paper>
  );
}
