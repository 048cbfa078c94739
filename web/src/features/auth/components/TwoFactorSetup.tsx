import { Alert, Button, Code, Group, List, Stack, Text, TextInput } from "@mantine/core";
import { IconAlertTriangle, IconShieldLock } from "@tabler/icons-react";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import type { TwoFactorEnrolment } from "../../../../../src/contracts/accounts";
import { api, fieldErrors } from "../../../api";
import { FormError } from "../../../ui/FormError";
import { textField } from "../../../ui/form-helpers";
import { StackForm } from "../../../ui/StackForm";
import { QrCode } from "./QrCode";

/** Recovery codes, shown once: each signs in once when the phone is not at hand. */
export function RecoveryCodes({ codes }: { codes: string[] }) {
  return (
    <Stack gap="xs">
      <Alert color="yellow" icon={<IconAlertTriangle size={18} />} title="Save your recovery codes">
        Each code signs you in once if you lose your phone. They are not shown again: print them or keep them in a password manager.
      </Alert>
      <List aria-label="Recovery codes" listStyleType="none" spacing={2} ff="monospace">
        {codes.map((c) => (
          <List.Item key={c}>{c}</List.Item>
        ))}
      </List>
    </Stack>
  );
}

/** Setting up an authenticator app: scan (or type) the secret, confirm with a code, save the recovery codes. */
export function TwoFactorSetup({ onDone }: { onDone: () => void }) {
  const [code, setCode] = useState("");
  const start = useMutation({ mutationFn: () => api<TwoFactorEnrolment>("/auth/two-factor/enrol", { method: "POST" }) });
  const confirm = useMutation({
    mutationFn: () => api<{ recovery_codes: string[] }>("/auth/two-factor/confirm", { method: "POST", body: { code: code.trim() } }),
  });

  if (confirm.data) {
    return (
      <Stack>
        <Text fw={500}>Two-factor sign-in is on.</Text>
        <RecoveryCodes codes={confirm.data.recovery_codes} />
        <Group justify="flex-end">
          <Button onClick={onDone}>I have saved them</Button>
        </Group>
      </Stack>
    );
  }
  if (!start.data) {
    return (
      <Stack gap="sm" align="flex-start">
        <FormError error={start.error} />
        <Button leftSection={<IconShieldLock size={16} />} onClick={() => start.mutate()} loading={start.isPending}>
          Set up an authenticator app
        </Button>
      </Stack>
    );
  }
  return (
    <StackForm onSubmit={() => code.trim() && confirm.mutate()} gap="sm">
      <Text size="sm">
        Scan this code with an authenticator app (Google Authenticator, 1Password, Authy…), then enter the code it shows.
      </Text>
      <QrCode value={start.data.uri} label="QR code for your authenticator app" />
      <Text size="sm">
        Cannot scan? Enter this key by hand: <Code aria-label="Secret key">{start.data.secret}</Code>
      </Text>
      <FormError error={confirm.error} shownFields={["code"]} />
      <TextInput
        label="Code from the app"
        autoComplete="one-time-code"
        required
        maw={240}
        {...textField(code, setCode)}
        error={fieldErrors(confirm.error).code}
      />
      <Group>
        <Button type="submit" loading={confirm.isPending}>
          Turn on two-factor sign-in
        </Button>
      </Group>
    </StackForm>
  );
}
