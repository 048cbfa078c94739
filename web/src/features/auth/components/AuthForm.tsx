import { Button, PasswordInput } from "@mantine/core";
import type { ChangeEvent, ReactNode } from "react";
import { FormError } from "../../../ui/FormError";
import { StackForm } from "../../../ui/StackForm";

/** The form of a sign-in, sign-up or invitation card: the server's error on top, one full-width submit button below. */
export function AuthForm({
  onSubmit,
  error,
  shownFields,
  submitLabel,
  loading,
  children,
}: {
  onSubmit: () => void;
  error: unknown;
  shownFields: string[];
  submitLabel: string;
  loading: boolean;
  children: ReactNode;
}) {
  return (
    <StackForm onSubmit={onSubmit} gap="sm">
      <FormError error={error} shownFields={shownFields} />
      {children}
      <Button type="submit" loading={loading} fullWidth mt="xs">
        {submitLabel}
      </Button>
    </StackForm>
  );
}

/** A password being chosen (sign-up, invitation), with its minimum length. */
export function NewPasswordInput({
  value,
  onChange,
  error,
  minLength,
}: {
  value: string;
  onChange: (event: ChangeEvent<HTMLInputElement>) => void;
  error?: string;
  minLength: number;
}) {
  return (
    <PasswordInput
      label="Password"
      description={`At least ${minLength} characters`}
      autoComplete="new-password"
      required
      value={value}
      onChange={onChange}
      error={error}
    />
  );
}
