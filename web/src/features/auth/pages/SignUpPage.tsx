import { Anchor, Text, TextInput } from "@mantine/core";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type ChangeEvent, useState } from "react";
import { Link, useNavigate } from "react-router-dom";
import { api, fieldErrors } from "../../../api";
import { meQueryKey, setupQueryKey, useSetupQuery } from "../../../auth";
import type { Me } from "../../../types";
import { AuthCard } from "../components/AuthCard";
import { AuthForm, NewPasswordInput } from "../components/AuthForm";

const MIN_PASSWORD = 8;

/** Creates a workspace and its owner; the first screen of a fresh install. */
export function SignUpPage({ firstWorkspace }: { firstWorkspace: boolean }) {
  const client = useQueryClient();
  const navigate = useNavigate();
  const setup = useSetupQuery(!firstWorkspace);
  const [form, setForm] = useState({ name: "", email: "", password: "", workspace_name: "" });
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const signUp = useMutation({
    mutationFn: () => api<Me>("/auth/signup", { method: "POST", body: form }),
    onSuccess: (me) => {
      void client.invalidateQueries({ queryKey: setupQueryKey });
      client.setQueryData(meQueryKey, me);
      navigate("/contacts", { replace: true });
    },
  });
  const errors = { ...fieldErrors(signUp.error), ...localErrors };

  function set(field: keyof typeof form) {
    return (e: ChangeEvent<HTMLInputElement>) => {
      const value = e.currentTarget.value;
      setForm((f) => ({ ...f, [field]: value }));
      if (localErrors[field]) setLocalErrors(({ [field]: _, ...rest }) => rest);
    };
  }

  function handleSubmit() {
    const found: Record<string, string> = {};
    if (!form.name.trim()) found.name = "Enter your name";
    if (!form.email.trim()) found.email = "Enter your email";
    if (form.password.length < MIN_PASSWORD) found.password = `Use at least ${MIN_PASSWORD} characters`;
    if (!form.workspace_name.trim()) found.workspace_name = "Name your workspace";
    setLocalErrors(found);
    if (Object.keys(found).length === 0) signUp.mutate();
  }

  if (!firstWorkspace && setup.data && !setup.data.signup_open) {
    return (
      <AuthCard title="Sign-up is closed" subtitle="This Parley server does not take new sign-ups.">
        <Text size="sm">Ask an admin of your team's workspace to invite you: the invitation link lets you join.</Text>
        <SignInLink />
      </AuthCard>
    );
  }

  return (
    <AuthCard
      title={firstWorkspace ? "Create your workspace" : "Create a new workspace"}
      subtitle={
        firstWorkspace
          ? "Welcome to Parley. Set up the owner account and your team's workspace."
          : "Start a separate workspace for another team. You will be its owner."
      }
    >
      <AuthForm
        onSubmit={handleSubmit}
        error={signUp.error}
        shownFields={["name", "email", "password", "workspace_name"]}
        submitLabel="Create workspace"
        loading={signUp.isPending}
      >
        <TextInput label="Your name" autoComplete="name" required autoFocus value={form.name} onChange={set("name")} error={errors.name} />
        <TextInput
          label="Email"
          type="email"
          autoComplete="email"
          required
          value={form.email}
          onChange={set("email")}
          error={errors.email}
        />
        <NewPasswordInput minLength={MIN_PASSWORD} value={form.password} onChange={set("password")} error={errors.password} />
        <TextInput
          label="Workspace name"
          placeholder="Acme Inc."
          required
          value={form.workspace_name}
          onChange={set("workspace_name")}
          error={errors.workspace_name}
        />
      </AuthForm>
      {!firstWorkspace && <SignInLink />}
    </AuthCard>
  );
}

function SignInLink() {
  return (
    <Text size="sm" c="dimmed" ta="center">
      Already have an account?{" "}
      <Anchor component={Link} to="/">
        Sign in
      </Anchor>
    </Text>
  );
}
