// The parts of the person view (contact page): scores, linked profiles, one
// timeline across channels, sentiment over time, networks, merge history.
import {
  ActionIcon,
  Badge,
  Button,
  Center,
  Group,
  Loader,
  Modal,
  MultiSelect,
  Paper,
  Select,
  Skeleton,
  Stack,
  Text,
  Timeline,
  Title,
  Tooltip,
} from "@mantine/core";
import {
  IconArrowsJoin,
  IconBriefcase,
  IconBulb,
  IconChecklist,
  IconLifebuoy,
  IconLinkOff,
  IconMessage,
  IconTimelineEvent,
} from "@tabler/icons-react";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import dayjs from "dayjs";
import { lazy, Suspense, useState } from "react";
import { Link } from "react-router-dom";
import { api, errorMessage } from "../../../api";
import { contactName } from "../../../format";
import {
  type Contact,
  type ContactInsights,
  type IdentityProfile,
  type List,
  type Merge,
  type Page,
  TIMELINE_ITEM_TYPES,
  type TimelineItem,
  type TimelineItemType,
} from "../../../types";
import { ConfirmDialog } from "../../../ui/ConfirmDialog";
import { FormError } from "../../../ui/FormError";
import { NetworkIcon, networkLabel } from "../../../ui/NetworkIcon";
import { TimelineGate } from "../../../ui/TimelineGate";
import { identityKeys } from "../queries";
import { ContactSelect, EvidenceChips, ExternalLink, handleLabel, refreshAfterMerge, undoMerge } from "./common";
import { MergeDialog } from "./MergeDialog";

// The charting library is loaded only when a person view shows insights.
const InsightCharts = lazy(() => import("./InsightCharts").then((m) => ({ default: m.InsightCharts })));

export function useInsights(contactId: string) {
  return useQuery({
    queryKey: identityKeys.insights(contactId),
    queryFn: () => api<ContactInsights>(`/contacts/${contactId}/insights`),
  });
}

function scoreColor(value: number): string {
  return value >= 70 ? "green" : value >= 40 ? "yellow" : "red";
}

/** Influence, sentiment and health as badges; the reasons behind them in a tooltip. */
export function ScoreBadges({ insights }: { insights: ContactInsights | undefined }) {
  if (!insights) return null;
  const { influence, sentiment, health, reasons } = insights.scores;
  const why = reasons.length ? reasons.join("; ") : "Not enough activity to explain yet";
  return (
    <Tooltip label={why} multiline w={320} withArrow>
      <Group gap={6} component="span" aria-label={`Scores: ${why}`} data-testid="scores">
        <Badge variant="light" color="indigo" radius="sm" tt="none">
          Influence {influence}
        </Badge>
        <Badge
          variant="light"
          color={sentiment === null ? "gray" : sentiment > 0.1 ? "green" : sentiment < -0.1 ? "red" : "gray"}
          radius="sm"
          tt="none"
        >
          Sentiment {sentiment === null ? "—" : sentiment.toFixed(2)}
        </Badge>
        {health !== null && (
          <Badge variant="light" color={scoreColor(health)} radius="sm" tt="none">
            Health {health}
          </Badge>
        )}
      </Group>
    </Tooltip>
  );
}

const METHOD_LABEL: Record<string, string> = {
  authenticated: "Authenticated by the person",
  confirmed: "Confirmed by staff",
  email: "Same verified email",
  website: "Links to their website/profile",
  suggestion: "Accepted suggestion",
};

export function ProfilesCard({ contactId, canWrite }: { contactId: string; canWrite: boolean }) {
  const client = useQueryClient();
  const [unlinking, setUnlinking] = useState<IdentityProfile | null>(null);
  const profiles = useQuery({
    queryKey: identityKeys.profilesOf(contactId),
    queryFn: () => api<List<IdentityProfile>>(`/contacts/${contactId}/profiles`),
  });
  const unlink = useMutation({
    mutationFn: (p: IdentityProfile) => api<IdentityProfile>(`/profiles/${p.id}/unlink`, { method: "POST" }),
    onSuccess: () => {
      setUnlinking(null);
      client.invalidateQueries({ queryKey: ["timeline", "contacts", contactId] });
      client.invalidateQueries({ queryKey: ["identity"] });
    },
  });
  const items = profiles.data?.data ?? [];
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="profiles-title">
      <Title order={2} size="h4" mb="sm" id="profiles-title">
        Profiles
      </Title>
      {profiles.isPending ? (
        <Skeleton h={40} />
      ) : profiles.isError ? (
        <Text c="red" size="sm" role="alert">
          Could not load profiles: {errorMessage(profiles.error)}
        </Text>
      ) : items.length === 0 ? (
        <Text size="sm" c="dimmed">
          No linked profiles. Authors are linked from "People" or automatically on strong evidence.
        </Text>
      ) : (
        <Stack gap="sm" role="list" aria-label="Linked profiles">
          {items.map((p) => (
            <Group key={p.id} justify="space-between" align="flex-start" wrap="nowrap" role="listitem" data-testid="linked-profile">
              <Group gap="sm" align="flex-start" wrap="nowrap" style={{ minWidth: 0 }}>
                <NetworkIcon network={p.network} />
                <Stack gap={2} style={{ minWidth: 0 }}>
                  <Text size="sm" fw={600} style={{ overflowWrap: "anywhere" }}>
                    <ExternalLink href={p.profile_url}>
                      <bdi>{p.handle ? handleLabel(p) : p.display_name || p.network_id || "profile"}</bdi>
                    </ExternalLink>
                    {p.handle && p.display_name ? (
                      <Text span size="sm" c="dimmed" fw={400}>
                        {" "}
                        <bdi>{p.display_name}</bdi>
                      </Text>
                    ) : null}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {networkLabel(p.network)}
                    {p.followers !== null ? ` · ${p.followers.toLocaleString()} followers` : ""} · {p.message_count} message
                    {p.message_count === 1 ? "" : "s"}
                  </Text>
                  {p.link && (
                    <Text size="xs" c="dimmed">
                      {METHOD_LABEL[p.link.method] ?? p.link.method} · confidence {p.link.confidence.toFixed(2)}
                      {p.link.linked_by_name ? ` · by ${p.link.linked_by_name}` : ""}
                      {p.link.linked_at ? ` · ${dayjs(p.link.linked_at).fromNow()}` : ""}
                    </Text>
                  )}
                  {p.link && <EvidenceChips evidence={p.link.evidence} label="Link evidence" />}
                </Stack>
              </Group>
              {canWrite && (
                <Tooltip label="Unlink">
                  <ActionIcon
                    variant="subtle"
                    color="gray"
                    aria-label={`Unlink ${p.handle ?? p.display_name ?? "profile"}`}
                    onClick={() => setUnlinking(p)}
                  >
                    <IconLinkOff size={16} />
                  </ActionIcon>
                </Tooltip>
              )}
            </Group>
          ))}
        </Stack>
      )}
      <ConfirmDialog
        opened={!!unlinking}
        title="Unlink this profile?"
        onClose={() => setUnlinking(null)}
        onConfirm={() => unlinking && unlink.mutate(unlinking)}
        loading={unlink.isPending}
        error={unlink.error}
        confirmLabel="Unlink"
      >
        Its messages leave this person's timeline, and Parley will not suggest this pair again.
      </ConfirmDialog>
    </Paper>
  );
}

const TYPE_LABEL: Record<TimelineItemType, string> = {
  message: "Messages",
  activity: "Activities",
  case: "Cases",
  deal: "Deals",
  idea: "Ideas",
  merge: "Merges",
};
const TYPE_ICON = {
  message: IconMessage,
  activity: IconChecklist,
  case: IconLifebuoy,
  deal: IconBriefcase,
  idea: IconBulb,
  merge: IconArrowsJoin,
} as const;
/** Records with a page of their own (the #6 work item pages). */
const RECORD_PATH: Partial<Record<TimelineItemType, string>> = { case: "cases", deal: "deals", idea: "ideas" };
const SENTIMENT_COLOR = { positive: "green", neutral: "gray", negative: "red" } as const;

/** Every channel and record in one list, newest first, filtered by type and network. */
export function PersonTimeline({ contactId, networks }: { contactId: string; networks: string[] }) {
  const [types, setTypes] = useState<string[]>([]);
  const [network, setNetwork] = useState<string | null>(null);
  const typesParam = types.join(",");
  const history = useInfiniteQuery({
    queryKey: identityKeys.history(contactId, typesParam, network ?? ""),
    queryFn: ({ pageParam }) =>
      api<Page<TimelineItem>>(`/contacts/${contactId}/history`, {
        query: { types: typesParam, network: network ?? undefined, cursor: pageParam, limit: 25 },
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const items = history.data?.pages.flatMap((p) => p.data) ?? [];

  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="history-title">
      <Group justify="space-between" mb="md" wrap="wrap" align="flex-end">
        <Title order={2} size="h4" id="history-title">
          Timeline
        </Title>
        <Group gap="xs" wrap="wrap">
          <MultiSelect
            aria-label="Filter by type"
            placeholder={types.length ? undefined : "All types"}
            size="xs"
            w={240}
            clearable
            data={TIMELINE_ITEM_TYPES.map((t) => ({ value: t, label: TYPE_LABEL[t] }))}
            value={types}
            onChange={setTypes}
          />
          <Select
            aria-label="Filter by network"
            placeholder="All networks"
            size="xs"
            w={160}
            clearable
            data={networks.map((n) => ({ value: n, label: networkLabel(n) }))}
            value={network}
            onChange={setNetwork}
          />
        </Group>
      </Group>
      <TimelineGate
        query={history}
        count={items.length}
        emptyTitle={<>Nothing on the timeline{types.length || network ? " for these filters" : " yet"}</>}
        emptyHint="Messages, activities, cases, deals, ideas and merges appear here, newest first."
      >
        <Timeline bulletSize={28} lineWidth={2} data-testid="person-timeline">
          {items.map((item) => (
            <Timeline.Item
              key={`${item.type}-${item.id}`}
              bullet={<TimelineBullet type={item.type} />}
              title={<TimelineTitle item={item} />}
            >
              <TimelineBody item={item} />
            </Timeline.Item>
          ))}
        </Timeline>
        {history.hasNextPage && (
          <Group justify="center" mt="md">
            <Button variant="default" size="xs" loading={history.isFetchingNextPage} onClick={() => history.fetchNextPage()}>
              Load more
            </Button>
          </Group>
        )}
      </TimelineGate>
    </Paper>
  );
}

function TimelineBullet({ type }: { type: TimelineItemType }) {
  const Icon = TYPE_ICON[type] ?? IconTimelineEvent;
  return <Icon size={15} role="img" aria-label={TYPE_LABEL[type] ?? type} />;
}

function TimelineTitle({ item }: { item: TimelineItem }) {
  return (
    <Group gap="xs" wrap="wrap">
      {item.network && <NetworkIcon network={item.network} size={15} />}
      <Text fw={600} size="sm" style={{ overflowWrap: "anywhere" }}>
        {item.type === "message" && item.conversation_id ? (
          <Link to={`/inbox/${item.conversation_id}`}>{item.title || "Message"}</Link>
        ) : RECORD_PATH[item.type] ? (
          <Link to={`/${RECORD_PATH[item.type]}/${item.id}`}>{item.title || TYPE_LABEL[item.type]}</Link>
        ) : (
          item.title || TYPE_LABEL[item.type]
        )}
      </Text>
      {item.activity_type && (
        <Badge size="xs" variant="light" radius="sm">
          {item.activity_type}
        </Badge>
      )}
      {item.direction === "outbound" && (
        <Badge size="xs" variant="light" color="blue" radius="sm">
          sent
        </Badge>
      )}
      {item.status && (
        <Badge size="xs" variant="outline" color="gray" radius="sm">
          {item.status}
        </Badge>
      )}
      {item.sentiment && (
        <Badge size="xs" variant="light" color={SENTIMENT_COLOR[item.sentiment] ?? "gray"} radius="sm">
          {item.sentiment}
        </Badge>
      )}
      {(item.labels ?? []).map((l) => (
        <Badge key={l} size="xs" variant="dot" color="gray" radius="sm" tt="none">
          {l}
        </Badge>
      ))}
    </Group>
  );
}

function TimelineBody({ item }: { item: TimelineItem }) {
  const when = dayjs(item.at);
  return (
    <Stack gap={4} mt={2}>
      {item.text && (
        <Text size="sm" className="pre-wrap" lineClamp={8} style={{ overflowWrap: "anywhere" }}>
          <bdi>{item.text}</bdi>
        </Text>
      )}
      <Text size="xs" c="dimmed">
        <time dateTime={when.toISOString()} title={when.format("ddd, MMM D, YYYY HH:mm")}>
          {when.fromNow()}
        </time>
        {item.url ? (
          <>
            {" · "}
            <ExternalLink href={item.url}>original</ExternalLink>
          </>
        ) : null}
      </Text>
    </Stack>
  );
}

/** Sentiment per week and where they talk, from the insights endpoint. */
export function InsightsCard({ insights }: { insights: ReturnType<typeof useInsights> }) {
  const data = insights.data;
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="insights-title">
      <Title order={2} size="h4" mb="sm" id="insights-title">
        Sentiment and networks
      </Title>
      {insights.isPending ? (
        <Skeleton h={120} />
      ) : insights.isError ? (
        <Text c="red" size="sm" role="alert">
          Could not load insights: {errorMessage(insights.error)}
        </Text>
      ) : data ? (
        <Stack gap="md">
          <Text size="sm" c="dimmed">
            {data.message_count} message{data.message_count === 1 ? "" : "s"}
            {data.last_message_at ? `, last ${dayjs(data.last_message_at).fromNow()}` : ""}
          </Text>
          {data.scores.reasons.length > 0 && (
            <Stack gap={2} aria-label="Why these scores">
              {data.scores.reasons.map((r) => (
                <Text key={r} size="xs">
                  • {r}
                </Text>
              ))}
            </Stack>
          )}
          <Suspense fallback={<Skeleton h={160} />}>
            <InsightCharts insights={data} />
          </Suspense>
        </Stack>
      ) : null}
    </Paper>
  );
}

export function MergeHistory({ contactId, canWrite }: { contactId: string; canWrite: boolean }) {
  const client = useQueryClient();
  const [busy, setBusy] = useState<string | null>(null);
  const merges = useQuery({
    queryKey: identityKeys.merges(contactId),
    queryFn: () => api<List<Merge>>("/merges", { query: { contact_id: contactId } }),
  });
  const items = merges.data?.data ?? [];
  if (merges.isPending || items.length === 0) return null;
  return (
    <Paper withBorder p="md" radius="md" component="section" aria-labelledby="merges-title">
      <Title order={2} size="h4" mb="sm" id="merges-title">
        Merge history
      </Title>
      <Stack gap="sm">
        {items.map((m) => (
          <Group key={m.id} justify="space-between" wrap="nowrap" align="flex-start" data-testid="merge-history-item">
            <Stack gap={2} style={{ minWidth: 0 }}>
              <Text size="sm">
                {m.merged_name ?? "A contact"} merged {m.kept_id === contactId ? "into this contact" : "away"}
                {m.undone_at ? " (undone)" : ""}
              </Text>
              <Text size="xs" c="dimmed">
                {dayjs(m.created_at).format("MMM D, YYYY HH:mm")}
                {m.actor_name ? ` · by ${m.actor_name}` : ""}
                {m.reason ? ` · ${m.reason}` : ""}
              </Text>
            </Stack>
            {canWrite && !m.undone_at && (
              <Button
                size="compact-xs"
                variant="default"
                loading={busy === m.id}
                onClick={async () => {
                  setBusy(m.id);
                  await undoMerge(client, m.id);
                  setBusy(null);
                }}
              >
                Undo merge
              </Button>
            )}
          </Group>
        ))}
      </Stack>
    </Paper>
  );
}

/** "Merge with…": pick the other contact, then compare side by side. */
export function MergeWithDialog({
  contact,
  opened,
  onClose,
  onMerged,
}: {
  contact: Contact;
  opened: boolean;
  onClose: () => void;
  onMerged?: (kept: Contact) => void;
}) {
  const client = useQueryClient();
  const [otherId, setOtherId] = useState<string | null>(null);
  const other = useQuery({
    queryKey: ["contacts", "one", otherId ?? ""],
    queryFn: () => api<Contact>(`/contacts/${otherId}`),
    enabled: !!otherId,
  });
  const close = () => {
    setOtherId(null);
    onClose();
  };
  if (opened && otherId && other.data) {
    return (
      <MergeDialog
        opened
        onClose={close}
        a={contact}
        b={other.data}
        onMerged={(result) => {
          refreshAfterMerge(client);
          onMerged?.(result.contact);
        }}
      />
    );
  }
  return (
    <Modal opened={opened} onClose={close} title={`Merge ${contactName(contact)} with…`}>
      <Stack>
        <ContactSelect
          label="The other contact"
          placeholder="Search by name or email"
          value={otherId}
          exclude={[contact.id]}
          onChange={(id) => setOtherId(id)}
          data-autofocus
        />
        {otherId && other.isPending && (
          <Center>
            <Loader size="sm" aria-label="Loading contact" />
          </Center>
        )}
        <FormError error={other.error} />
      </Stack>
    </Modal>
  );
}

/** On the page of a contact that no longer exists: merged into which one, with Undo. */
export function MergedAwayNotice({ contactId }: { contactId: string }) {
  const client = useQueryClient();
  const [busy, setBusy] = useState(false);
  const merges = useQuery({
    queryKey: identityKeys.merges(contactId),
    queryFn: () => api<List<Merge>>("/merges", { query: { contact_id: contactId } }),
  });
  const merge = merges.data?.data.find((m) => m.merged_id === contactId && !m.undone_at);
  const kept = useQuery({
    queryKey: ["contacts", "one", merge?.kept_id ?? ""],
    queryFn: () => api<Contact>(`/contacts/${merge?.kept_id}`),
    enabled: !!merge,
  });
  if (!merge) return null;
  return (
    <Paper withBorder p="md" radius="md" role="status">
      <Group justify="space-between" wrap="wrap" gap="sm">
        <Text size="sm">
          {merge.merged_name ?? "This contact"} was merged into{" "}
          <Link to={`/contacts/${merge.kept_id}`}>{kept.data ? contactName(kept.data) : "another contact"}</Link>
          {merge.actor_name ? ` by ${merge.actor_name}` : ""} on {dayjs(merge.created_at).format("MMM D, YYYY HH:mm")}.
        </Text>
        <Button
          size="xs"
          variant="default"
          loading={busy}
          onClick={async () => {
            setBusy(true);
            await undoMerge(client, merge.id);
            setBusy(false);
          }}
        >
          Undo merge
        </Button>
      </Group>
    </Paper>
  );
}
