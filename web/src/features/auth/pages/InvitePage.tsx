import { Center, Loader, Text, TextInput } from "@mantine/core";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useNavigate, useParams } from "react-router-dom";
import type { InvitationPreview } from "../../../../../src/contracts/accounts";
import { api, fieldErrors } from "../../../api";
import { meQueryKey } from "../../../auth";
import type { Me } from "../../../types";
import { textField } from "../../../ui/form-helpers";
import { LoadError } from "../../../ui/LoadError";
import { AuthCard } from "../components/AuthCard";
import { AuthForm, NewPasswordInput } from "../components/AuthForm";
import { needsCode, type SignInAnswer, TwoFactorStep } from "../components/TwoFactorStep";

/** Where an invitation link lands: choose a name and password to join. */
export function InvitePage() {
  const { token = "" } = useParams();
  const client = useQueryClient();
  const navigate = useNavigate();
  const invitation = useQuery({
    queryKey: ["invitation", token],
    queryFn: () => api<InvitationPreview>(`/auth/invitations/${encodeURIComponent(token)}`),
    retry: false,
  });
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const [challenge, setChallenge] = useState<string | null>(null);
  const joined = (me: Me) => {
    client.removeQueries({ predicate: (q) => q.queryKey[0] !== "auth" });
    client.setQueryData(meQueryKey, me);
    navigate("/contacts", { replace: true });
  };
  // An existing account with two-factor sign-in joins, then signs in with its code.
  const accept = useMutation({
    mutationFn: () =>
      api<SignInAnswer>(`/auth/invitations/${encodeURIComponent(token)}/accept`, { method: "POST", body: { name, password } }),
    onSuccess: (answer) => (needsCode(answer) ? setChallenge(answer.challenge) : joined(answer)),
  });
  const errors = { ...fieldErrors(accept.error), ...localErrors };

  function handleSubmit() {
    const found: Record<string, string> = {};
    if (!name.trim()) found.name = "Enter your name";
    if (password.length < 8) found.password = "Use at least 8 characters";
    setLocalErrors(found);
    if (Object.keys(found).length === 0) accept.mutate();
  }

  if (challenge) return <TwoFactorStep challenge={challenge} onSignedIn={joined} onCancel={() => navigate("/", { replace: true })} />;
  if (invitation.isPending) {
    return (
      <Center h="100vh">
        <Loader aria-label="Loading invitation" />
      </Center>
    );
  }
  if (invitation.isError) {
    return (
      <AuthCard title="Invitation not valid">
        <LoadError error={invitation.error} title="This invitation cannot be used" />
        <Text size="sm" c="dimmed">
          Ask whoever invited you for a new link.
        </Text>
      </AuthCard>
    );
  }

  const { email, role, workspace_name } = invitation.data;
  return (
    <AuthCard
      title={`Join ${workspace_name}`}
      subtitle={
        <>
          You were invited as <b>{role}</b> with the email <b>{email}</b>.
        </>
      }
    >
      <AuthForm
        onSubmit={handleSubmit}
        error={accept.error}
        shownFields={["name", "password"]}
        submitLabel="Accept invitation"
        loading={accept.isPending}
      >
        <TextInput label="Email" value={email} readOnly disabled />
        <TextInput label="Your name" autoComplete="name" required autoFocus {...textField(name, setName)} error={errors.name} />
        <NewPasswordInput minLength={8} {...textField(password, setPassword)} error={errors.password} />
      </AuthForm>
    </AuthCard>
  );
}
