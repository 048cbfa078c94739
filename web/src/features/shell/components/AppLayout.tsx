import { Anchor, AppShell, Avatar, Burger, Group, Menu, NavLink, Text, ThemeIcon, UnstyledButton } from "@mantine/core";
import { useDisclosure } from "@mantine/hooks";
import { notifications } from "@mantine/notifications";
import {
  IconAffiliate,
  IconBolt,
  IconBook2,
  IconBriefcase,
  IconBuilding,
  IconBulb,
  IconChartBar,
  IconChecklist,
  IconChevronDown,
  IconCopy,
  IconFlame,
  IconHome,
  IconInbox,
  IconLifebuoy,
  IconLogout,
  IconMessages,
  IconSettings,
  IconShieldLock,
  IconUserQuestion,
  IconUsers,
} from "@tabler/icons-react";
import { useQueryClient } from "@tanstack/react-query";
import { Link, Outlet, useLocation, useNavigate } from "react-router-dom";
import { api, errorMessage } from "../../../api";
import { meQueryKey, useMe, usePermissions } from "../../../auth";
import { NotificationBell } from "./NotificationBell";

const NAV = [
  { to: "/inbox", label: "Inbox", icon: IconInbox, needsManager: false },
  { to: "/home", label: "Home", icon: IconHome, needsManager: false },
  { to: "/contacts", label: "Contacts", icon: IconUsers, needsManager: false },
  { to: "/duplicates", label: "Duplicates", icon: IconCopy, needsManager: false },
  { to: "/people", label: "People", icon: IconUserQuestion, needsManager: false },
  { to: "/organizations", label: "Organizations", icon: IconBuilding, needsManager: false },
  { to: "/tasks", label: "Tasks", icon: IconChecklist, needsManager: false },
  { to: "/cases", label: "Cases", icon: IconLifebuoy, needsManager: false },
  { to: "/deals", label: "Deals", icon: IconBriefcase, needsManager: false },
  { to: "/ideas", label: "Ideas", icon: IconBulb, needsManager: false },
  { to: "/issues", label: "Emerging issues", icon: IconFlame, needsManager: false },
  { to: "/influence", label: "Influence", icon: IconAffiliate, needsManager: false },
  { to: "/help-centre", label: "Help centre", icon: IconBook2, needsManager: false },
  { to: "/community", label: "Community", icon: IconMessages, needsManager: false },
  { to: "/rules", label: "Automation", icon: IconBolt, needsManager: false },
  { to: "/reports", label: "Reports", icon: IconChartBar, needsManager: true },
  { to: "/settings", label: "Settings", icon: IconSettings, needsManager: true },
];
// Settings opens for managers too: they manage teams; the rest is for admins. Reports are for managers up.

export function AppLayout() {
  const me = useMe();
  const { canManageTeams } = usePermissions();
  const [opened, { toggle, close }] = useDisclosure();
  const location = useLocation();
  const navigate = useNavigate();
  const client = useQueryClient();

  async function handleSignOut() {
    try {
      await api("/auth/signout", { method: "POST" });
    } catch (error) {
      notifications.show({ color: "red", title: "Could not sign out", message: errorMessage(error) });
      return;
    }
    // Show the sign-in form first, then forget everything the session loaded.
    client.setQueryData(meQueryKey, null);
    navigate("/", { replace: true });
    client.removeQueries({ predicate: (q) => q.queryKey[0] !== "auth" });
  }

  const displayName = me.user?.name || me.user?.email || "API key";
  const initials = displayName
    .split(/\s+/)
    .map((part) => part[0] ?? "")
    .join("")
    .slice(0, 2)
    .toUpperCase();

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: "sm", collapsed: { mobile: !opened } }} padding="lg">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <Anchor component={Link} to="/contacts" underline="never" c="inherit" aria-label="Parley home">
              <Group gap={8} wrap="nowrap">
                <ThemeIcon size="md" radius="md" aria-hidden>
                  <IconMessages size={16} />
                </ThemeIcon>
                <Text fw={700}>Parley</Text>
              </Group>
            </Anchor>
            <Text c="dimmed" aria-hidden visibleFrom="xs">
              /
            </Text>
            <Text fw={500} truncate="end" maw={260} data-testid="workspace-name">
              {me.workspace.name}
            </Text>
          </Group>
          <Group gap="xs" wrap="nowrap">
            {me.user && <NotificationBell />}
            <Menu position="bottom-end" width={240} shadow="md">
              <Menu.Target>
                <UnstyledButton aria-label={`Account menu for ${displayName}`}>
                  <Group gap={8} wrap="nowrap">
                    <Avatar size="sm" radius="xl" color="indigo">
                      {initials}
                    </Avatar>
                    <Text size="sm" fw={500} visibleFrom="sm" truncate="end" maw={160}>
                      {displayName}
                    </Text>
                    <IconChevronDown size={14} />
                  </Group>
                </UnstyledButton>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>
                  {me.user?.email ?? "API key session"} · {me.role}
                </Menu.Label>
                {me.user && (
                  <Menu.Item leftSection={<IconShieldLock size={16} />} component={Link} to="/settings/security">
                    Security and sessions
                  </Menu.Item>
                )}
                <Menu.Item leftSection={<IconLogout size={16} />} onClick={handleSignOut}>
                  Sign out
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="sm" aria-label="Main">
        {NAV.filter((item) => !item.needsManager || canManageTeams).map((item) => {
          const active = location.pathname === item.to || location.pathname.startsWith(`${item.to}/`);
          return (
            <NavLink
              key={item.to}
              component={Link}
              to={item.to}
              label={item.label}
              leftSection={<item.icon size={18} stroke={1.6} />}
              active={active}
              aria-current={active ? "page" : undefined}
              onClick={close}
              style={{ borderRadius: "var(--mantine-radius-md)" }}
            />
          );
        })}
      </AppShell.Navbar>

      <AppShell.Main bg="var(--mantine-color-gray-0)">
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
