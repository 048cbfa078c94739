// Settings → Identity: when Parley links a message author to a contact by
// itself, and the scores above which it suggests a link or a duplicate.
import { Button, Center, Group, Loader, NumberInput, Paper, Radio, Stack, Text, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api, fieldErrors } from "../../../api";
import { usePermissions } from "../../../auth";
import type { AutoLinkLevel, IdentitySettingsData } from "../../../types";
import { FormError } from "../../../ui/FormError";
import { LoadError } from "../../../ui/LoadError";
import { identityKeys } from "../../identity/queries";

const LEVELS: Array<{ value: AutoLinkLevel; label: string; description: string }> = [
  {
    value: "strong",
    label: "On strong evidence only (recommended)",
    description:
      "Link when the person signed in with that account, or the profile shows the same verified email or a website the contact owns. Anything weaker waits as a suggestion for someone to confirm.",
  },
  {
    value: "authenticated",
    label: "Only when the person authenticated",
    description:
      "Link only accounts the person proved are theirs (for example by signing in to your community). Everything else is a suggestion.",
  },
  {
    value: "off",
    label: "Never",
    description: "Parley never links by itself; every link is confirmed by a person.",
  },
];

export function IdentitySettings() {
  const settings = useQuery({
    queryKey: identityKeys.settings,
    queryFn: () => api<IdentitySettingsData>("/identity/settings"),
  });
  if (settings.isPending) {
    return (
      <Center py="xl">
        <Loader aria-label="Loading identity settings" />
      </Center>
    );
  }
  if (settings.isError) return <LoadError error={settings.error} onRetry={() => settings.refetch()} />;
  return <IdentityForm initial={settings.data} />;
}

function IdentityForm({ initial }: { initial: IdentitySettingsData }) {
  const client = useQueryClient();
  const { isOwner } = usePermissions();
  const [autoLink, setAutoLink] = useState<AutoLinkLevel>(initial.auto_link);
  const [suggest, setSuggest] = useState<number>(initial.suggest_threshold);
  const [duplicate, setDuplicate] = useState<number>(initial.duplicate_threshold);
  const save = useMutation({
    mutationFn: () =>
      api<IdentitySettingsData>("/identity/settings", {
        method: "PATCH",
        body: { auto_link: autoLink, suggest_threshold: suggest, duplicate_threshold: duplicate },
      }),
    onSuccess: (data) => {
      client.setQueryData(identityKeys.settings, data);
      notifications.show({ color: "green", message: "Identity settings saved" });
    },
  });
  const errors = fieldErrors(save.error);

  return (
    <Paper withBorder p="lg" radius="md" maw={720}>
      <form
        noValidate
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          save.mutate();
        }}
      >
        <Stack>
          <div>
            <Title order={2} size="h4">
              Identity resolution
            </Title>
            <Text size="sm" c="dimmed">
              {isOwner
                ? "How Parley connects message authors to your contacts. Links it makes are shown with their evidence and can be undone."
                : "How Parley connects message authors to your contacts. Only the workspace owner can change this."}
            </Text>
          </div>
          <FormError error={save.error} shownFields={["auto_link", "suggest_threshold", "duplicate_threshold"]} />
          <Radio.Group
            label="Link profiles to contacts automatically"
            value={autoLink}
            onChange={(v) => setAutoLink(v as AutoLinkLevel)}
            error={errors.auto_link}
          >
            <Stack gap="sm" mt="xs">
              {LEVELS.map((level) => (
                <Radio key={level.value} value={level.value} label={level.label} description={level.description} disabled={!isOwner} />
              ))}
            </Stack>
          </Radio.Group>
          <Group grow align="flex-start">
            <NumberInput
              label="Suggest a link from score"
              description="0 to 1: weaker matches are not suggested"
              min={0}
              max={1}
              step={0.05}
              decimalScale={2}
              value={suggest}
              onChange={(v) => typeof v === "number" && setSuggest(v)}
              disabled={!isOwner}
              error={errors.suggest_threshold}
            />
            <NumberInput
              label="Possible duplicate from score"
              description="0 to 1: pairs scoring lower are not queued"
              min={0}
              max={1}
              step={0.05}
              decimalScale={2}
              value={duplicate}
              onChange={(v) => typeof v === "number" && setDuplicate(v)}
              disabled={!isOwner}
              error={errors.duplicate_threshold}
            />
          </Group>
          {isOwner && (
            <Group justify="flex-end">
              <Button type="submit" loading={save.isPending}>
                Save
              </Button>
            </Group>
          )}
        </Stack>
      </form>
    </Paper>
  );
}
