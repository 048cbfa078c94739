import { Button, Group, Paper, Stack, Switch, Text, TextInput, Title } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, fieldErrors } from "../../../api";
import { meQueryKey, setupQueryKey, useMe, usePermissions } from "../../../auth";
import type { Me, Workspace } from "../../../types";
import { FormError } from "../../../ui/FormError";
import { textField } from "../../../ui/form-helpers";
import { StackForm } from "../../../ui/StackForm";

export function WorkspaceSettings() {
  const me = useMe();
  const { isOwner } = usePermissions();
  const client = useQueryClient();
  const [name, setName] = useState(me.workspace.name);
  const rename = useMutation({
    mutationFn: () => api<Workspace>("/workspace", { method: "PATCH", body: { name: name.trim() } }),
    onSuccess: (workspace) => {
      client.setQueryData<Me | null>(meQueryKey, (prev) => (prev ? { ...prev, workspace } : prev));
      notifications.show({ color: "green", message: "Workspace renamed" });
    },
  });
  const errors = fieldErrors(rename.error);
  const signup = useMutation({
    mutationFn: (open: boolean) => api<Me["workspace"]>("/workspace", { method: "PATCH", body: { open_signup: open } }),
    onSuccess: (workspace) => {
      client.setQueryData<Me | null>(meQueryKey, (prev) => (prev ? { ...prev, workspace } : prev));
      void client.invalidateQueries({ queryKey: setupQueryKey });
      notifications.show({
        color: "green",
        message: workspace.open_signup
          ? "Anyone can now sign up and create a workspace"
          : "Sign-up is closed: new people join by invitation",
      });
    },
  });

  function handleSubmit() {
    if (name.trim() && name.trim() !== me.workspace.name) rename.mutate();
  }

  return (
    <Paper withBorder p="lg" radius="md" maw={560}>
      <StackForm onSubmit={handleSubmit}>
        <div>
          <Title order={2} size="h4">
            Workspace
          </Title>
          <Text size="sm" c="dimmed">
            {isOwner ? "The name everyone in the workspace sees." : "Only the workspace owner can rename it."}
          </Text>
        </div>
        <FormError error={rename.error} shownFields={["name"]} />
        <TextInput
          label="Workspace name"
          required
          autoFocus={isOwner}
          disabled={!isOwner}
          {...textField(name, setName)}
          error={errors.name}
        />
        {isOwner && (
          <Group justify="flex-end">
            <Button type="submit" loading={rename.isPending} disabled={!name.trim() || name.trim() === me.workspace.name}>
              Save
            </Button>
          </Group>
        )}
      </StackForm>
      {isOwner && me.workspace.controls_signup && (
        <Stack gap="xs" mt="lg">
          <FormError error={signup.error} />
          <Switch
            label="Open sign-up"
            description="Let anyone who can reach this server create their own workspace. When off, people join by invitation (PARLEY_OPEN_SIGNUP=1 opens it for the whole server)."
            checked={me.workspace.open_signup ?? false}
            disabled={signup.isPending}
            onChange={(e) => signup.mutate(e.currentTarget.checked)}
          />
        </Stack>
      )}
    </Paper>
  );
}
