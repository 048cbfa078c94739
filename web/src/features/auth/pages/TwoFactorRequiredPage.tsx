import { Anchor, Text } from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { api } from "../../../api";
import { meQueryKey } from "../../../auth";
import { AuthCard } from "../components/AuthCard";
import { TwoFactorSetup } from "../components/TwoFactorSetup";

/** Shown after sign-in when the workspace requires two-factor sign-in and this person has none yet. */
export function TwoFactorRequiredPage() {
  const client = useQueryClient();

  async function handleSignOut() {
    await api("/auth/signout", { method: "POST" }).catch(() => undefined);
    client.setQueryData(meQueryKey, null);
  }

  return (
    <AuthCard
      title="Set up two-factor sign-in"
      subtitle="Your workspace requires a second step at sign-in: a code from an app on your phone."
    >
      <TwoFactorSetup onDone={() => client.invalidateQueries({ queryKey: meQueryKey })} />
      <Text size="sm" c="dimmed" ta="center">
        <Anchor component="button" type="button" onClick={handleSignOut}>
          Sign out
        </Anchor>
      </Text>
    </AuthCard>
  );
}
