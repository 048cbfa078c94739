import { Badge, Button, Group, NumberInput, PasswordInput, Stack, Switch, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconLogout, IconTrash } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { SessionInfo, TwoFactorStatus, SecuritySettings as WorkspaceSecurity } from "../../../../../src/contracts/accounts";
import { api, fieldErrors } from "../../../api";
import { meQueryKey, usePermissions } from "../../../auth";
import { formatDate, formatDateTime } from "../../../format";
import type { List } from "../../../types";
import { ConfirmDialog } from "../../../ui/ConfirmDialog";
import { type DataColumn, DataTable } from "../../../ui/DataTable";
import { FormActions } from "../../../ui/FormActions";
import { FormError } from "../../../ui/FormError";
import { textField } from "../../../ui/form-helpers";
import { ModalForm } from "../../../ui/ModalForm";
import { QueryState, SettingsSection } from "../../../ui/SettingsSection";
import { StackForm } from "../../../ui/StackForm";
import { useConfirmed } from "../../../ui/useConfirmed";
import { RecoveryCodes, TwoFactorSetup } from "../../auth/components/TwoFactorSetup";

const twoFactorKey = ["auth", "two-factor"] as const;
const sessionsKey = ["auth", "sessions"] as const;
const workspaceSecurityKey = ["workspace", "security"] as const;

/** Settings → Security: my second factor and my sessions for everyone; the workspace's rules for admins. */
export function SecuritySettings() {
  const { canAdmin } = usePermissions();
  return (
    <Stack gap="lg">
      <TwoFactorSection />
      <SessionsSection />
      {canAdmin && <WorkspaceSecuritySection />}
    </Stack>
  );
}

type Proof = "disable" | "codes";

function TwoFactorSection() {
  const client = useQueryClient();
  const status = useQuery({ queryKey: twoFactorKey, queryFn: () => api<TwoFactorStatus>("/auth/two-factor") });
  const [asking, setAsking] = useState<Proof | null>(null);
  const [password, setPassword] = useState("");
  const [newCodes, setNewCodes] = useState<string[] | null>(null);
  const refresh = () => {
    void client.invalidateQueries({ queryKey: twoFactorKey });
    void client.invalidateQueries({ queryKey: meQueryKey });
  };
  const prove = useMutation({
    mutationFn: (what: Proof): Promise<{ recovery_codes: string[] } | undefined> =>
      what === "disable"
        ? api<undefined>("/auth/two-factor/disable", { method: "POST", body: { password } })
        : api<{ recovery_codes: string[] }>("/auth/two-factor/recovery-codes", { method: "POST", body: { password } }),
    onSuccess: (answer, what) => {
      setAsking(null);
      setPassword("");
      if (what === "codes" && answer) setNewCodes(answer.recovery_codes);
      else notifications.show({ color: "green", message: "Two-factor sign-in is off" });
      refresh();
    },
  });
  const close = () => {
    setAsking(null);
    setPassword("");
    prove.reset();
  };
  const s = status.data;

  return (
    <SettingsSection
      title="Two-factor sign-in"
      label="Two-factor sign-in"
      description="A code from an app on your phone at every sign-in, so a stolen password is not enough."
      actions={
        s && (
          <Badge color={s.enabled ? "green" : "gray"} variant="light">
            {s.enabled ? "On" : "Off"}
          </Badge>
        )
      }
    >
      <QueryState query={status} items={s ? [s] : []} empty="">
        {s?.enabled ? (
          <Stack gap="sm">
            <Text size="sm">
              On since {formatDate(s.enabled_at)}. {s.recovery_codes_left} of 10 recovery codes left.
            </Text>
            <Group>
              <Button variant="default" onClick={() => setAsking("codes")}>
                New recovery codes
              </Button>
              <Button variant="light" color="red" onClick={() => setAsking("disable")} disabled={s.required}>
                Turn off
              </Button>
            </Group>
            {s.required && (
              <Text size="xs" c="dimmed">
                This workspace requires two-factor sign-in.
              </Text>
            )}
          </Stack>
        ) : (
          <TwoFactorSetup onDone={refresh} />
        )}
      </QueryState>
      <ModalForm
        opened={asking !== null}
        onClose={close}
        title={asking === "disable" ? "Turn off two-factor sign-in?" : "Replace your recovery codes?"}
        onSubmit={() => asking && password && prove.mutate(asking)}
        noValidate
      >
        <Text size="sm">
          {asking === "disable" ? "Sign-in will ask for your password only." : "Ten new codes replace all the old ones, used or not."} Enter
          your password to confirm.
        </Text>
        <FormError error={prove.error} shownFields={["password"]} />
        <PasswordInput
          label="Password"
          autoComplete="current-password"
          required
          data-autofocus
          {...textField(password, setPassword)}
          error={fieldErrors(prove.error).password}
        />
        <FormActions onCancel={close} submitLabel={asking === "disable" ? "Turn off" : "Replace codes"} loading={prove.isPending} />
      </ModalForm>
      <ModalForm
        opened={newCodes !== null}
        onClose={() => setNewCodes(null)}
        title="Your new recovery codes"
        onSubmit={() => setNewCodes(null)}
      >
        {newCodes && <RecoveryCodes codes={newCodes} />}
        <FormActions submitLabel="I have saved them" />
      </ModalForm>
    </SettingsSection>
  );
}

const BROWSERS: Array<[RegExp, string]> = [
  [/Edg\//, "Edge"],
  [/OPR\//, "Opera"],
  [/Firefox\//, "Firefox"],
  [/Chrom(e|ium)\//, "Chrome"],
  [/Safari\//, "Safari"],
];
const SYSTEMS: Array<[RegExp, string]> = [
  [/Android/, "Android"],
  [/iPhone|iPad/, "iOS"],
  [/Windows/, "Windows"],
  [/Mac OS X|Macintosh/, "macOS"],
  [/Linux/, "Linux"],
];

/** "Chrome on Linux" from a user agent; anything else (a script, a CLI) as it came. */
function describeBrowser(userAgent: string | null): string {
  if (!userAgent) return "Unknown browser";
  const browser = BROWSERS.find(([re]) => re.test(userAgent))?.[1];
  const system = SYSTEMS.find(([re]) => re.test(userAgent))?.[1];
  if (!browser) return userAgent.slice(0, 80);
  return system ? `${browser} on ${system}` : browser;
}

function SessionsSection() {
  const client = useQueryClient();
  const sessions = useQuery({
    queryKey: sessionsKey,
    queryFn: async () => (await api<List<SessionInfo>>("/auth/sessions")).data,
  });
  const refresh = () => client.invalidateQueries({ queryKey: sessionsKey });
  const revocation = useConfirmed((s: SessionInfo) => api<void>(`/auth/sessions/${s.id}`, { method: "DELETE" }), refresh);
  const others = useMutation({
    mutationFn: () => api<{ revoked: number }>("/auth/sessions/revoke-others", { method: "POST" }),
    onSuccess: ({ revoked }) => {
      notifications.show({ color: "green", message: `Signed out ${revoked} other session${revoked === 1 ? "" : "s"}` });
      void refresh();
    },
  });
  const items = sessions.data ?? [];
  const columns: Array<DataColumn<SessionInfo>> = [
    {
      key: "browser",
      header: "Browser",
      td: { fz: "sm" },
      cell: (s) => (
        <>
          <span title={s.user_agent ?? undefined}>{describeBrowser(s.user_agent)}</span>{" "}
          {s.current && (
            <Badge size="xs" variant="light">
              this session
            </Badge>
          )}
        </>
      ),
    },
    { key: "ip", header: "Address", td: { fz: "sm" }, cell: (s) => s.ip ?? "—" },
    { key: "created", header: "Signed in", td: { fz: "sm" }, cell: (s) => formatDateTime(s.created_at) },
    { key: "seen", header: "Last seen", td: { fz: "sm" }, cell: (s) => formatDateTime(s.last_seen_at) },
    { key: "ends", header: "Ends if unused", td: { fz: "sm" }, cell: (s) => formatDateTime(s.ends_at) },
    {
      key: "actions",
      th: { w: 110 },
      cell: (s) =>
        !s.current && (
          <Button
            size="xs"
            variant="subtle"
            color="red"
            leftSection={<IconTrash size={14} />}
            aria-label={`Sign out session from ${describeBrowser(s.user_agent)}`}
            onClick={() => revocation.ask(s)}
          >
            Sign out
          </Button>
        ),
    },
  ];

  return (
    <SettingsSection
      title="Sessions"
      label="Sessions"
      description="Where you are signed in to this workspace. Sign out any you do not recognise."
      actions={
        items.length > 1 && (
          <Button variant="default" leftSection={<IconLogout size={16} />} onClick={() => others.mutate()} loading={others.isPending}>
            Sign out all other sessions
          </Button>
        )
      }
    >
      <FormError error={others.error} />
      <QueryState query={sessions} items={items} empty="No sessions.">
        <DataTable label="Sessions" columns={columns} rows={items} rowKey={(s) => s.id} />
      </QueryState>
      <ConfirmDialog {...revocation.dialog} title="Sign out this session?" confirmLabel="Sign out">
        That browser has to sign in again.
      </ConfirmDialog>
    </SettingsSection>
  );
}

function WorkspaceSecuritySection() {
  const client = useQueryClient();
  const settings = useQuery({ queryKey: workspaceSecurityKey, queryFn: () => api<WorkspaceSecurity>("/workspace/security") });
  return (
    <SettingsSection
      title="Workspace security"
      label="Workspace security"
      description="Rules for everyone in this workspace. Changes apply to sessions already open."
    >
      <QueryState query={settings} items={settings.data ? [settings.data] : []} empty="">
        {settings.data && (
          <WorkspaceSecurityForm
            initial={settings.data}
            onSaved={(next) => {
              client.setQueryData(workspaceSecurityKey, next);
              void client.invalidateQueries({ queryKey: meQueryKey });
              notifications.show({ color: "green", message: "Security settings saved" });
            }}
          />
        )}
      </QueryState>
    </SettingsSection>
  );
}

function WorkspaceSecurityForm({ initial, onSaved }: { initial: WorkspaceSecurity; onSaved: (s: WorkspaceSecurity) => void }) {
  const [requireTwoFactor, setRequireTwoFactor] = useState(initial.require_two_factor);
  const [idleHours, setIdleHours] = useState<number>(initial.session_idle_minutes / 60);
  const [maxDays, setMaxDays] = useState<number>(initial.session_max_days);
  const save = useMutation({
    mutationFn: () =>
      api<WorkspaceSecurity>("/workspace/security", {
        method: "PATCH",
        body: { require_two_factor: requireTwoFactor, session_idle_minutes: Math.round(idleHours * 60), session_max_days: maxDays },
      }),
    onSuccess: onSaved,
  });
  const errors = fieldErrors(save.error);

  return (
    <StackForm onSubmit={() => save.mutate()} gap="sm" maw={520}>
      <FormError error={save.error} shownFields={["require_two_factor", "session_idle_minutes", "session_max_days"]} />
      <Switch
        label="Require two-factor sign-in"
        description="Members without it are asked to set it up right after they sign in, and can do nothing else until they have."
        checked={requireTwoFactor}
        onChange={(e) => setRequireTwoFactor(e.currentTarget.checked)}
        error={errors.require_two_factor}
      />
      <Group grow align="flex-start">
        <NumberInput
          label="Sign out after idle (hours)"
          min={0.1}
          max={720}
          decimalScale={1}
          value={idleHours}
          onChange={(v) => setIdleHours(Number(v) || 0)}
          error={errors.session_idle_minutes}
        />
        <NumberInput
          label="Sign out at the latest after (days)"
          min={1}
          max={365}
          allowDecimal={false}
          value={maxDays}
          onChange={(v) => setMaxDays(Number(v) || 0)}
          error={errors.session_max_days}
        />
      </Group>
      <FormActions submitLabel="Save" loading={save.isPending} />
    </StackForm>
  );
}
