import { Anchor, Button, PasswordInput, Stack, Text, TextInput } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Link } from "react-router-dom";
import { api, fieldErrors } from "../../../api";
import { meQueryKey, useSetupQuery } from "../../../auth";
import type { Me } from "../../../types";
import { FormError } from "../../../ui/FormError";
import { AuthCard } from "../components/AuthCard";

export function SignInPage() {
  const client = useQueryClient();
  const setup = useSetupQuery(true);
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const signIn = useMutation({
    mutationFn: () => api<Me>("/auth/signin", { method: "POST", body: { email, password } }),
    onSuccess: (me) => client.setQueryData(meQueryKey, me),
  });
  const errors = fieldErrors(signIn.error);

  function handleSubmit(event: FormEvent) {
    event.preventDefault();
    signIn.mutate();
  }

  return (
    <AuthCard title="Sign in" subtitle="Welcome back. Sign in to your workspace.">
      <form onSubmit={handleSubmit} noValidate>
        <Stack gap="sm">
          <FormError error={signIn.error} shownFields={["email", "password"]} />
          <TextInput
            label="Email"
            type="email"
            autoComplete="username"
            required
            autoFocus
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            error={errors.email}
          />
          <PasswordInput
            label="Password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            error={errors.password}
          />
          <Button type="submit" loading={signIn.isPending} fullWidth mt="xs">
            Sign in
          </Button>
        </Stack>
      </form>
      {setup.data?.signup_open ? (
        <Text size="sm" c="dimmed" ta="center">
          New team?{" "}
          <Anchor component={Link} to="/signup">
            Create a new workspace
          </Anchor>
        </Text>
      ) : (
        <Text size="sm" c="dimmed" ta="center">
          New here? Ask a workspace admin for an invitation.
        </Text>
      )}
    </AuthCard>
  );
}
