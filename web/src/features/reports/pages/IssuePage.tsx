// One emerging issue's card: how big it is and who it touches (people, customers by lifecycle
// stage, influencers, open cases, open deal value), the ideas it supports, its trend and its messages.
import { Anchor, Badge, Button, Group, SimpleGrid, Stack, Text } from "@mantine/core";
import { Link, useParams } from "react-router-dom";
import { Bar, BarChart, CartesianGrid, Tooltip as ChartTooltip, XAxis, YAxis } from "recharts";
import type { IssueCard } from "../../../../../src/contracts/issues";
import { formatDateTime } from "../../../format";
import { NetworkIcon } from "../../../ui/NetworkIcon";
import { PageHeader } from "../../../ui/PageHeader";
import { BackLink, RecordLoader } from "../../../ui/RecordPage";
import { ChartBox, Panel } from "../components/Panel";
import { StatCard } from "../components/StatCard";
import { useIssue } from "../issue-queries";
import { BurstBadge } from "./IssuesPage";

const money = (value: number, currency: string | null) =>
  currency
    ? new Intl.NumberFormat(undefined, { style: "currency", currency, maximumFractionDigits: 0 }).format(value)
    : value.toLocaleString();

export function IssuePage() {
  const { id = "" } = useParams();
  const issue = useIssue(id);
  return (
    <RecordLoader query={issue} noun="issue" back={{ to: "/issues", label: "Emerging issues" }}>
      {(i) => <IssueView issue={i} />}
    </RecordLoader>
  );
}

function IssueView({ issue: i }: { issue: IssueCard }) {
  return (
    <>
      <BackLink to="/issues" label="Emerging issues" />
      <PageHeader
        title={i.label}
        description={
          <Group gap="xs">
            <BurstBadge issue={i} />
            <Text size="sm" c="dimmed">
              Since {formatDateTime(i.first_message_at)} · latest {formatDateTime(i.last_message_at)} ·{" "}
              {i.top_terms.map((t) => t.word).join(", ")}
            </Text>
          </Group>
        }
      />
      <Group mb="md">
        <Button component={Link} to={`/inbox?issue=${encodeURIComponent(i.id)}`} size="xs" variant="light">
          Its conversations in the inbox
        </Button>
      </Group>
      <Group gap="sm" mb="lg" wrap="wrap">
        <StatCard label="Messages" value={i.message_count} hint={`${i.recent_count} in the last 7 days`} />
        <StatCard label="People" value={i.people} hint={`${i.contacts} known contacts`} />
        <StatCard label="Reach" value={i.reach.toLocaleString()} hint="followers of its influencers" />
        <StatCard label="Open cases" value={i.open_cases.length} />
        <StatCard
          label="Open deal value"
          value={money(i.open_deals.value, i.open_deals.currency)}
          hint={`${i.open_deals.count} open deals`}
        />
      </Group>
      <SimpleGrid cols={{ base: 1, md: 2 }} mb="lg">
        <Panel title="Trend (messages per day, last 14 days)">
          {i.trend.length === 0 ? (
            <Text c="dimmed" size="sm">
              Nothing in the last 14 days
            </Text>
          ) : (
            <ChartBox label="Messages per day" height={200}>
              <BarChart data={i.trend} margin={{ top: 5, right: 10, left: -20, bottom: 0 }}>
                <CartesianGrid strokeDasharray="3 3" vertical={false} />
                <XAxis dataKey="day" fontSize={11} />
                <YAxis allowDecimals={false} fontSize={11} />
                <ChartTooltip />
                <Bar dataKey="count" name="Messages" fill="var(--mantine-color-blue-6)" />
              </BarChart>
            </ChartBox>
          )}
        </Panel>
        <Panel title="Who it touches">
          <Stack gap="xs">
            <Group gap="xs" aria-label="Lifecycle stages">
              {i.lifecycle_stages.length === 0 ? (
                <Text size="sm" c="dimmed">
                  No known contacts yet
                </Text>
              ) : (
                i.lifecycle_stages.map((s) => (
                  <Badge key={s.stage} variant="light">
                    {s.stage}: {s.count}
                  </Badge>
                ))
              )}
            </Group>
            {i.influencers.map((p) => (
              <Group key={p.profile_id} gap="xs" data-testid="influencer">
                <NetworkIcon network={p.network} />
                <Text size="sm">{p.name ?? p.handle}</Text>
                <Text size="xs" c="dimmed">
                  {p.followers.toLocaleString()} followers
                </Text>
              </Group>
            ))}
            {i.open_cases.map((c) => (
              <Anchor key={c.id} component={Link} to={`/cases/${c.id}`} size="sm">
                Case #{c.number}: {c.subject}
              </Anchor>
            ))}
            {i.ideas.map((idea) => (
              <Anchor key={idea.id} component={Link} to={`/ideas/${idea.id}`} size="sm">
                Idea: {idea.title} ({idea.vote_count} votes)
              </Anchor>
            ))}
          </Stack>
        </Panel>
      </SimpleGrid>
      <Panel title={`Messages (${i.message_count})`}>
        <Stack gap="sm">
          {i.messages.map((m) => (
            <Stack key={m.id} gap={2} data-testid="issue-message">
              <Group gap="xs">
                <NetworkIcon network={m.network} />
                <Text size="sm" fw={500}>
                  {m.author ?? "Someone"}
                </Text>
                <Text size="xs" c="dimmed">
                  {formatDateTime(m.posted_at)} · {m.labels.join(", ")}
                </Text>
                <Anchor component={Link} to={`/inbox/${m.conversation_id}`} size="xs">
                  Open conversation
                </Anchor>
              </Group>
              <Text size="sm" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
                <bdi>{m.text}</bdi>
              </Text>
            </Stack>
          ))}
        </Stack>
      </Panel>
    </>
  );
}
