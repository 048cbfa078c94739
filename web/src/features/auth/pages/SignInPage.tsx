import { Anchor, PasswordInput, Text, TextInput } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router-dom";
import { api, fieldErrors } from "../../../api";
import { meQueryKey, useSetupQuery } from "../../../auth";
import type { Me } from "../../../types";
import { textField } from "../../../ui/form-helpers";
import { AuthCard } from "../components/AuthCard";
import { AuthForm } from "../components/AuthForm";
import { needsCode, type SignInAnswer, TwoFactorStep } from "../components/TwoFactorStep";

export function SignInPage() {
  const client = useQueryClient();
  const setup = useSetupQuery(true);
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [challenge, setChallenge] = useState<string | null>(null);
  const signedIn = (me: Me) => client.setQueryData(meQueryKey, me);
  const signIn = useMutation({
    mutationFn: () => api<SignInAnswer>("/auth/signin", { method: "POST", body: { email, password } }),
    onSuccess: (answer) => (needsCode(answer) ? setChallenge(answer.challenge) : signedIn(answer)),
  });
  const errors = fieldErrors(signIn.error);

  function handleSubmit() {
    signIn.mutate();
  }

  if (challenge) {
    return (
      <TwoFactorStep
        challenge={challenge}
        onSignedIn={signedIn}
        onCancel={() => {
          setChallenge(null);
          setPassword("");
          signIn.reset();
        }}
      />
    );
  }

  return (
    <AuthCard title="Sign in" subtitle="Welcome back. Sign in to your workspace.">
      <AuthForm
        onSubmit={handleSubmit}
        error={signIn.error}
        shownFields={["email", "password"]}
        submitLabel="Sign in"
        loading={signIn.isPending}
      >
        <TextInput
          label="Email"
          type="email"
          autoComplete="username"
          required
          autoFocus
          {...textField(email, setEmail)}
          error={errors.email}
        />
        <PasswordInput
          label="Password"
          autoComplete="current-password"
          required
          {...textField(password, setPassword)}
          error={errors.password}
        />
      </AuthForm>
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
