import { Tabs } from "@mantine/core";
import {
  IconApi,
  IconBroadcast,
  IconBuildingSkyscraper,
  IconClockHour4,
  IconFingerprint,
  IconForms,
  IconHistory,
  IconLock,
  IconMessageBolt,
  IconShieldLock,
  IconTimeline,
  IconUsers,
  IconUsersGroup,
} from "@tabler/icons-react";
import type { ReactElement } from "react";
import { Navigate, useNavigate, useParams } from "react-router-dom";
import { usePermissions } from "../../../auth";
import { PageHeader } from "../../../ui/PageHeader";
import { ApiKeysSettings } from "../components/ApiKeysSettings";
import { AuditLogSettings } from "../components/AuditLogSettings";
import { CannedResponsesSettings } from "../components/CannedResponsesSettings";
import { ChannelsSettings } from "../components/ChannelsSettings";
import { CustomFieldsSettings } from "../components/CustomFieldsSettings";
import { IdentitySettings } from "../components/IdentitySettings";
import { PipelinesSettings } from "../components/PipelinesSettings";
import { PrivacySettingsSection } from "../components/PrivacySettings";
import { SecuritySettings } from "../components/SecuritySettings";
import { SlaPoliciesSettings } from "../components/SlaPoliciesSettings";
import { TeamsSettings } from "../components/TeamsSettings";
import { UsersSettings } from "../components/UsersSettings";
import { WorkspaceSettings } from "../components/WorkspaceSettings";

// `everyone`: a section about one's own account, open to every role.
const SECTIONS: Array<{ id: string; label: string; icon: typeof IconUsers; admin: boolean; everyone?: boolean; element: ReactElement }> = [
  { id: "workspace", label: "Workspace", icon: IconBuildingSkyscraper, admin: true, element: <WorkspaceSettings /> },
  { id: "users", label: "Users", icon: IconUsers, admin: true, element: <UsersSettings /> },
  { id: "teams", label: "Teams", icon: IconUsersGroup, admin: false, element: <TeamsSettings /> },
  { id: "channels", label: "Channels", icon: IconBroadcast, admin: true, element: <ChannelsSettings /> },
  { id: "canned", label: "Canned responses", icon: IconMessageBolt, admin: false, element: <CannedResponsesSettings /> },
  { id: "api-keys", label: "API keys", icon: IconApi, admin: true, element: <ApiKeysSettings /> },
  { id: "custom-fields", label: "Custom fields", icon: IconForms, admin: true, element: <CustomFieldsSettings /> },
  { id: "identity", label: "Identity", icon: IconFingerprint, admin: true, element: <IdentitySettings /> },
  { id: "sla", label: "SLA policies", icon: IconClockHour4, admin: true, element: <SlaPoliciesSettings /> },
  { id: "pipelines", label: "Pipelines", icon: IconTimeline, admin: true, element: <PipelinesSettings /> },
  { id: "audit", label: "Audit log", icon: IconHistory, admin: true, element: <AuditLogSettings /> },
  { id: "privacy", label: "Privacy", icon: IconLock, admin: true, element: <PrivacySettingsSection /> },
  { id: "security", label: "Security", icon: IconShieldLock, admin: false, everyone: true, element: <SecuritySettings /> },
];

export function SettingsPage() {
  const { section } = useParams();
  const navigate = useNavigate();
  const { canAdmin, canManageTeams } = usePermissions();
  const available = SECTIONS.filter((s) => s.everyone || (s.admin ? canAdmin : canManageTeams));
  if (available.length === 0) return <Navigate to="/contacts" replace />;
  const current = available.find((s) => s.id === section);
  if (!current) return <Navigate to={`/settings/${available[0].id}`} replace />;

  return (
    <>
      <PageHeader title="Settings" />
      <Tabs value={current.id} onChange={(v) => v && navigate(`/settings/${v}`)} keepMounted={false}>
        <Tabs.List mb="lg">
          {available.map((s) => (
            <Tabs.Tab key={s.id} value={s.id} leftSection={<s.icon size={16} />}>
              {s.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {available.map((s) => (
          <Tabs.Panel key={s.id} value={s.id}>
            {s.element}
          </Tabs.Panel>
        ))}
      </Tabs>
    </>
  );
}
