import { Anchor, Text, TextInput } from "@mantine/core";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import type { TwoFactorChallenge } from "../../../../../src/contracts/accounts";
import { api, fieldErrors } from "../../../api";
import type { Me } from "../../../types";
import { textField } from "../../../ui/form-helpers";
import { AuthCard } from "./AuthCard";
import { AuthForm } from "./AuthForm";

/** What sign-in and accepting an invitation answer: the person signed in, or the code step's challenge. */
export type SignInAnswer = Me | TwoFactorChallenge;

export const needsCode = (answer: SignInAnswer): answer is TwoFactorChallenge => "two_factor_required" in answer;

/** The second step of sign-in: a code from the authenticator app, or a recovery code. */
export function TwoFactorStep({
  challenge,
  onSignedIn,
  onCancel,
}: {
  challenge: string;
  onSignedIn: (me: Me) => void;
  onCancel: () => void;
}) {
  const [code, setCode] = useState("");
  const verify = useMutation({
    mutationFn: () => api<Me>("/auth/signin/two-factor", { method: "POST", body: { challenge, code: code.trim() } }),
    onSuccess: onSignedIn,
  });
  const errors = fieldErrors(verify.error);

  return (
    <AuthCard title="Two-factor sign-in" subtitle="Enter the 6-digit code your authenticator app shows for Parley.">
      <AuthForm
        onSubmit={() => code.trim() && verify.mutate()}
        error={verify.error}
        shownFields={["code"]}
        submitLabel="Verify"
        loading={verify.isPending}
      >
        <TextInput
          label="Authentication code"
          description="Lost your phone? Enter one of your recovery codes instead."
          autoComplete="one-time-code"
          required
          autoFocus
          {...textField(code, setCode)}
          error={errors.code}
        />
      </AuthForm>
      <Text size="sm" c="dimmed" ta="center">
        <Anchor component="button" type="button" onClick={onCancel}>
          Start again with another account
        </Anchor>
      </Text>
    </AuthCard>
  );
}
