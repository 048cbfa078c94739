// Home: the first steps a new workspace needs (teams with members, the brand's own accounts,
// a channel, the team invited) and what needs the signed-in person now, each linking to the
// page where it is done.
import { Anchor, Badge, Group, List, Progress, SimpleGrid, Stack, Text, ThemeIcon } from "@mantine/core";
import { IconCheck, IconCircleDashed } from "@tabler/icons-react";
import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router-dom";
import type { Home } from "../../../../../src/contracts/home";
import { api } from "../../../api";
import { LoadError } from "../../../ui/LoadError";
import { PageHeader } from "../../../ui/PageHeader";
import { Panel } from "../../../ui/Panel";

export function HomePage() {
  const home = useQuery({ queryKey: ["home"], queryFn: () => api<Home>("/home"), refetchInterval: 30_000 });
  if (home.isError) return <LoadError error={home.error} />;
  const data = home.data;
  return (
    <>
      <PageHeader title="Home" description="What needs you now, and what is left to set up." />
      {data && (
        <Stack gap="lg">
          <Panel title="Needs attention" aria-label="Needs attention">
            <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="sm">
              {data.attention.map((item) => (
                <Anchor key={item.key} component={Link} to={item.link} underline="never" data-attention={item.key}>
                  <Group
                    justify="space-between"
                    wrap="nowrap"
                    gap="xs"
                    p="xs"
                    style={{ border: "1px solid var(--mantine-color-default-border)", borderRadius: 8 }}
                  >
                    <Text size="sm" c="var(--mantine-color-text)">
                      {item.label}
                    </Text>
                    <Badge size="lg" variant={item.count > 0 ? "filled" : "light"} color={item.count > 0 ? "orange" : "gray"}>
                      {item.count.toLocaleString()}
                    </Badge>
                  </Group>
                </Anchor>
              ))}
            </SimpleGrid>
          </Panel>
          {data.onboarding.done < data.onboarding.total && (
            <Panel title="Getting started" aria-label="Getting started">
              <Text size="sm" c="dimmed" mb="xs">
                {data.onboarding.done} of {data.onboarding.total} steps done
              </Text>
              <Progress value={(100 * data.onboarding.done) / data.onboarding.total} mb="md" aria-label="Steps done" />
              <List spacing="sm" listStyleType="none">
                {data.onboarding.steps.map((step) => (
                  <List.Item
                    key={step.key}
                    data-step={step.key}
                    data-done={step.done}
                    icon={
                      <ThemeIcon size={22} radius="xl" color={step.done ? "teal" : "gray"} variant={step.done ? "filled" : "light"}>
                        {step.done ? <IconCheck size={14} /> : <IconCircleDashed size={14} />}
                      </ThemeIcon>
                    }
                  >
                    <Anchor component={Link} to={step.link} fw={600} td={step.done ? "line-through" : undefined}>
                      {step.title}
                    </Anchor>
                    <Text size="sm" c="dimmed">
                      {step.detail}
                    </Text>
                  </List.Item>
                ))}
              </List>
            </Panel>
          )}
        </Stack>
      )}
    </>
  );
}
