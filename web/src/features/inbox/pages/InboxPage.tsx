// The unified inbox: every conversation heard on every channel, newest activity
// first, kept live by the message stream. A conversation opens beside the list.
import {
  Badge,
  Box,
  Button,
  Checkbox,
  Code,
  EmptyState,
  Grid,
  Group,
  Kbd,
  List,
  Paper,
  Select,
  Stack,
  Text,
  Tooltip,
  UnstyledButton,
} from "@mantine/core";
import { DatePickerInput } from "@mantine/dates";
import { IconFilterOff, IconInbox, IconMessage, IconSearch } from "@tabler/icons-react";
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import dayjs from "dayjs";
import { useEffect, useRef, useState } from "react";
import { Link, useNavigate, useParams } from "react-router-dom";
import type { IssueCard } from "../../../../../src/contracts/issues";
import { api } from "../../../api";
import { useMe, usePermissions } from "../../../auth";
import { useMessageStream } from "../../../live";
import { keys, useChannels } from "../../../queries";
import { CONVERSATION_STATUSES, type ConversationSummary, NETWORKS, type Page } from "../../../types";
import { DebouncedTextInput } from "../../../ui/DebouncedTextInput";
import { LoadError } from "../../../ui/LoadError";
import { NetworkIcon, networkLabel, StatusBadge } from "../../../ui/NetworkIcon";
import { PageHeader } from "../../../ui/PageHeader";
import { useSearchParam } from "../../../ui/useSearchParam";
import { useIssues } from "../../reports/issue-queries";
import { BulkBar } from "../components/BulkBar";
import { ConversationView } from "../components/ConversationView";
import { SavedViews, viewKeys } from "../components/SavedViews";
import { focusField, ShortcutHelp, useInboxShortcuts } from "../components/shortcuts";

const PAGE_SIZE = 50;
const openConversationId = () => /^\/inbox\/([^/]+)/.exec(window.location.pathname)?.[1];
const FILTER_PARAMS = [
  "status",
  "network",
  "channel_id",
  "q",
  "since",
  "until",
  "label",
  "assignee",
  "min_priority",
  "tag",
  "issue",
] as const;
const SORTS = [
  { value: "recent", label: "Newest activity" },
  { value: "priority", label: "Highest priority" },
  { value: "waiting", label: "Longest waiting" },
];
// Bursts of new messages refresh the inbox at most this often.
const REFRESH_EVERY_MS = 400;

export function InboxPage() {
  const { id: openId } = useParams();
  const { params, setParams, setParam } = useSearchParam();
  const client = useQueryClient();
  const channels = useChannels();
  const [newCount, setNewCount] = useState(0);
  const refreshTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const navigate = useNavigate();
  const me = useMe();
  const { canWrite } = usePermissions();
  const [selected, setSelected] = useState<string[]>([]);
  const [help, setHelp] = useState(false);

  const filters = {
    status: params.get("status") ?? "",
    network: params.get("network") ?? "",
    channel_id: params.get("channel_id") ?? "",
    q: params.get("q") ?? "",
    since: params.get("since") ?? "",
    until: params.get("until") ?? "",
    label: params.get("label") ?? "",
    assignee: params.get("assignee") ?? "",
    min_priority: params.get("min_priority") ?? "",
    tag: params.get("tag") ?? "",
    issue: params.get("issue") ?? "",
    sort: params.get("sort") ?? "",
  };
  const filtered = FILTER_PARAMS.some((p) => params.get(p));
  // Emerging issues to filter by: the recent ones, plus the one in the address if it is older.
  const issues = useIssues({ bursting: false, q: "", limit: 100 });
  const chosenIssue = useQuery({
    queryKey: ["issues", "card", filters.issue],
    queryFn: () => api<IssueCard>(`/issues/${filters.issue}`),
    enabled: Boolean(filters.issue) && issues.isSuccess && !issues.data.data.some((i) => i.id === filters.issue),
  });
  const issueOptions = [...(issues.data?.data ?? []), ...(chosenIssue.data ? [chosenIssue.data] : [])].map((i) => ({
    value: i.id,
    label: i.bursting ? `${i.label} (bursting)` : i.label,
  }));

  const conversations = useInfiniteQuery({
    queryKey: [...keys.conversations, "list", filters],
    queryFn: ({ pageParam, signal }) =>
      api<Page<ConversationSummary>>("/conversations", {
        query: {
          status: filters.status,
          network: filters.network,
          channel_id: filters.channel_id,
          q: filters.q,
          // The range picks whole local days; the API's `until` is exclusive.
          since: filters.since ? dayjs(filters.since).startOf("day").toISOString() : undefined,
          until: filters.until ? dayjs(filters.until).add(1, "day").startOf("day").toISOString() : undefined,
          label: filters.label,
          assignee: filters.assignee,
          min_priority: filters.min_priority,
          tag: filters.tag,
          issue: filters.issue,
          sort: filters.sort,
          cursor: pageParam,
          limit: PAGE_SIZE,
        },
        signal,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });

  const live = useMessageStream(() => {
    setNewCount((n) => n + 1);
    if (refreshTimer.current) return;
    refreshTimer.current = setTimeout(() => {
      refreshTimer.current = null;
      // Lists and the open conversation share the "conversations" prefix.
      client.invalidateQueries({ queryKey: keys.conversations });
      client.invalidateQueries({ queryKey: viewKeys });
    }, REFRESH_EVERY_MS);
  });
  useEffect(
    () => () => {
      if (refreshTimer.current) clearTimeout(refreshTimer.current);
    },
    [],
  );
  // The "N new" hint fades once the user has seen the refreshed list.
  useEffect(() => {
    if (newCount === 0) return;
    const t = setTimeout(() => setNewCount(0), 5000);
    return () => clearTimeout(t);
  }, [newCount]);

  function clearFilters() {
    setParams(new URLSearchParams(), { replace: true });
  }

  const items = conversations.data?.pages.flatMap((p) => p.data) ?? [];
  const search = params.toString();
  const hrefOf = (id: string) => `/inbox/${id}${search ? `?${search}` : ""}`;

  // Keyboard triage of the open conversation (src/features/inbox/components/shortcuts.tsx)
  const triage = useMutation({
    mutationFn: ({ id, ...patch }: { id: string; status?: "closed"; assignee_id?: string }) =>
      api(`/conversations/${id}`, { method: "PATCH", body: patch }),
    onSuccess: () => {
      client.invalidateQueries({ queryKey: keys.conversations });
      client.invalidateQueries({ queryKey: viewKeys });
    },
  });
  // The handlers read the list and the open conversation from the page as it is when the key is
  // pressed (the rows in order, the URL), never from a render that may be behind it.
  useInboxShortcuts({
    move: (step) => {
      const ids = [...document.querySelectorAll<HTMLElement>("[data-conversation-id]")].map((el) => el.dataset.conversationId ?? "");
      if (ids.length === 0) return;
      const at = ids.indexOf(openConversationId() ?? "");
      const next = at === -1 ? (step === 1 ? 0 : ids.length - 1) : Math.min(ids.length - 1, Math.max(0, at + step));
      const target = ids[next];
      if (target) {
        navigate(`/inbox/${target}${window.location.search}`);
        document.querySelector(`[data-conversation-id="${target}"]`)?.scrollIntoView({ block: "nearest" });
      }
    },
    reply: () => focusField("Reply text"),
    note: () => focusField("Internal note"),
    close: () => {
      const id = openConversationId();
      if (id && canWrite) triage.mutate({ id, status: "closed" });
    },
    assignToMe: () => {
      const id = openConversationId();
      if (id && canWrite && me.user) triage.mutate({ id, assignee_id: me.user.id });
    },
    help: () => setHelp(true),
  });
  const toggle = (id: string) => setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s, id]));
  const channelName = (id: string | null) => (id ? channels.data?.find((c) => c.id === id)?.name : undefined);

  const list = (
    <Stack gap="sm">
      <SavedViews params={params} onApply={(next) => setParams(next, { replace: true })} />
      <Paper withBorder radius="md" p="sm">
        <Stack gap="xs">
          <DebouncedTextInput
            label="Search messages"
            placeholder='Words, "exact phrase", -exclude'
            leftSection={<IconSearch size={16} />}
            value={filters.q}
            onCommit={(v) => setParam("q", v.trim())}
            type="search"
          />
          <Group gap="xs" grow wrap="wrap" align="flex-end">
            <Select
              label="Status"
              placeholder="Any status"
              size="xs"
              clearable
              data={CONVERSATION_STATUSES.map((s) => ({ value: s, label: s[0].toUpperCase() + s.slice(1) }))}
              value={filters.status || null}
              onChange={(v) => setParam("status", v)}
              miw={110}
            />
            <Select
              label="Network"
              placeholder="Any network"
              size="xs"
              clearable
              data={NETWORKS.map((n) => ({ value: n, label: networkLabel(n) }))}
              value={filters.network || null}
              onChange={(v) => setParam("network", v)}
              miw={110}
            />
            <Select
              label="Channel"
              placeholder="Any channel"
              size="xs"
              clearable
              searchable
              data={(channels.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
              value={filters.channel_id || null}
              onChange={(v) => setParam("channel_id", v)}
              nothingFoundMessage="No channels"
              miw={110}
            />
          </Group>
          <Group gap="xs" grow wrap="wrap" align="flex-end">
            <Select
              label="Sort"
              size="xs"
              data={SORTS}
              value={filters.sort || "recent"}
              allowDeselect={false}
              onChange={(v) => setParam("sort", v === "recent" ? null : v)}
              miw={110}
            />
            <Select
              label="Issue"
              placeholder="Any issue"
              size="xs"
              clearable
              searchable
              data={issueOptions}
              value={filters.issue || null}
              onChange={(v) => setParam("issue", v)}
              nothingFoundMessage="No emerging issues yet"
              miw={110}
            />
            <Select
              label="Assignee"
              placeholder="Anyone"
              size="xs"
              clearable
              data={[
                { value: "me", label: "Me" },
                { value: "none", label: "Unassigned" },
              ]}
              value={filters.assignee || null}
              onChange={(v) => setParam("assignee", v)}
              miw={110}
            />
          </Group>
          <Group gap="xs" align="flex-end" wrap="nowrap">
            <DatePickerInput
              type="range"
              label="Last activity"
              placeholder="Any time"
              size="xs"
              clearable
              allowSingleDateInRange
              valueFormat="MMM D, YYYY"
              value={[filters.since || null, filters.until || null]}
              onChange={([from, to]) => {
                // Wait for the second date before filtering.
                if (from && !to) return;
                setParams(
                  (prev) => {
                    const next = new URLSearchParams(prev);
                    for (const [key, value] of [
                      ["since", from],
                      ["until", to],
                    ] as const) {
                      if (value) next.set(key, dayjs(value).format("YYYY-MM-DD"));
                      else next.delete(key);
                    }
                    return next;
                  },
                  { replace: true },
                );
              }}
              style={{ flex: 1 }}
            />
            {filtered && (
              <Button variant="subtle" size="xs" color="gray" leftSection={<IconFilterOff size={14} />} onClick={clearFilters}>
                Clear
              </Button>
            )}
          </Group>
        </Stack>
      </Paper>

      {conversations.isError ? (
        <LoadError error={conversations.error} onRetry={() => conversations.refetch()} title="Could not load the inbox" />
      ) : !conversations.isPending && items.length === 0 ? (
        filtered ? (
          <Paper withBorder radius="md">
            <EmptyState
              py={40}
              icon={<IconSearch size={28} />}
              withIndicatorBackground
              title="No conversations match"
              description="Try other words or remove some filters."
            >
              <EmptyState.Actions>
                <Button variant="default" onClick={clearFilters}>
                  Clear search and filters
                </Button>
              </EmptyState.Actions>
            </EmptyState>
          </Paper>
        ) : (
          <InboxEmpty />
        )
      ) : (
        <Paper withBorder radius="md" aria-busy={conversations.isFetching}>
          {canWrite && <BulkBar ids={selected.filter((id) => items.some((c) => c.id === id))} onDone={() => setSelected([])} />}
          <Box component="ul" aria-label="Conversations" p={0} m={0} style={{ listStyle: "none" }}>
            {conversations.isPending && (
              <Text component="li" size="sm" c="dimmed" p="md">
                Loading…
              </Text>
            )}
            {items.map((c) => (
              <ConversationRow
                key={c.id}
                conversation={c}
                active={c.id === openId}
                href={hrefOf(c.id)}
                channel={channelName(c.channel_id)}
                selected={canWrite ? selected.includes(c.id) : undefined}
                onToggle={() => toggle(c.id)}
              />
            ))}
          </Box>
          {conversations.hasNextPage && (
            <Group justify="center" p="sm">
              <Button variant="default" size="xs" loading={conversations.isFetchingNextPage} onClick={() => conversations.fetchNextPage()}>
                Load more
              </Button>
            </Group>
          )}
        </Paper>
      )}
    </Stack>
  );

  return (
    <>
      <PageHeader
        title="Inbox"
        description={
          <Group gap="xs">
            <span>Every conversation heard on your channels, newest activity first.</span>
            <Button variant="subtle" size="compact-xs" onClick={() => setHelp(true)} aria-label="Keyboard shortcuts">
              Shortcuts <Kbd ml={4}>?</Kbd>
            </Button>
            <Tooltip label={live ? "New messages appear as they arrive" : "Reconnecting to the live stream…"} withArrow>
              <Badge size="sm" variant="dot" color={live ? "teal" : "gray"} data-testid="live-status">
                {live ? "Live" : "Offline"}
              </Badge>
            </Tooltip>
            {newCount > 0 && (
              <Badge size="sm" variant="light" color="blue" aria-live="polite">
                {newCount} new
              </Badge>
            )}
          </Group>
        }
      />
      <ShortcutHelp opened={help} onClose={() => setHelp(false)} />
      <Grid gap="md" align="flex-start">
        <Grid.Col span={{ base: 12, md: 5 }} display={{ base: openId ? "none" : "block", md: "block" }}>
          {list}
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }} display={{ base: openId ? "block" : "none", md: "block" }}>
          {openId ? (
            <ConversationView key={openId} id={openId} backHref={`/inbox${search ? `?${search}` : ""}`} />
          ) : (
            <Paper withBorder radius="md" p="xl" visibleFrom="md">
              <Stack align="center" gap="xs" c="dimmed">
                <IconMessage size={28} stroke={1.4} />
                <Text size="sm">Pick a conversation to read the whole thread.</Text>
              </Stack>
            </Paper>
          )}
        </Grid.Col>
      </Grid>
    </>
  );
}

function ConversationRow({
  conversation: c,
  active,
  href,
  channel,
  selected,
  onToggle,
}: {
  conversation: ConversationSummary;
  active: boolean;
  href: string;
  channel: string | undefined;
  /** Undefined where the reader cannot change conversations (no bulk selection). */
  selected?: boolean;
  onToggle: () => void;
}) {
  const author = c.author?.name || (c.author?.handle ? `@${c.author.handle}` : "Unknown author");
  const when = c.last_message_at;
  return (
    <Box
      component="li"
      style={{ borderBottom: "1px solid var(--mantine-color-gray-2)", display: "flex", alignItems: "flex-start" }}
      data-conversation-id={c.id}
      data-unread={c.unread ? "true" : undefined}
    >
      {selected !== undefined && (
        <Checkbox aria-label={`Select the conversation with ${author}`} checked={selected} onChange={onToggle} size="xs" pl="sm" pt="md" />
      )}
      <UnstyledButton
        component={Link}
        to={href}
        aria-current={active ? "page" : undefined}
        display="block"
        w="100%"
        px="md"
        py="sm"
        bg={active ? "var(--mantine-color-indigo-0)" : undefined}
        data-testid="conversation-row"
      >
        <Group gap="sm" wrap="nowrap" align="flex-start">
          <Box pt={2} c="dimmed">
            <NetworkIcon network={c.network} />
          </Box>
          <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
            <Group gap="xs" wrap="nowrap" justify="space-between">
              <Text size="sm" fw={c.status === "new" || c.unread ? 700 : 500} truncate="end">
                <bdi>{author}</bdi>
                {c.author?.name && c.author.handle && (
                  <Text span size="xs" c="dimmed" fw={400}>
                    {" "}
                    @<bdi>{c.author.handle}</bdi>
                  </Text>
                )}
              </Text>
              {when && (
                <Tooltip label={dayjs(when).format("MMM D, YYYY HH:mm")} withArrow>
                  <Text size="xs" c="dimmed" style={{ flex: "none" }}>
                    {dayjs(when).fromNow()}
                  </Text>
                </Tooltip>
              )}
            </Group>
            {c.subject && (
              <Text size="sm" fw={500} truncate="end">
                <bdi>{c.subject}</bdi>
              </Text>
            )}
            <Text size="sm" c="dimmed" lineClamp={2} style={{ overflowWrap: "anywhere" }}>
              <bdi>{c.snippet || "(no text)"}</bdi>
            </Text>
            <Group gap="xs" mt={2}>
              <StatusBadge status={c.status} />
              {c.priority !== null && c.priority > 0 && (
                <Badge size="xs" variant="light" color={c.priority >= 70 ? "red" : c.priority >= 40 ? "orange" : "gray"}>
                  P{c.priority}
                </Badge>
              )}
              {(c.tags ?? []).map((t) => (
                <Badge key={t} size="xs" variant="outline" color="gray">
                  <bdi>{t}</bdi>
                </Badge>
              ))}
              <Text size="xs" c="dimmed">
                {c.message_count} {c.message_count === 1 ? "message" : "messages"}
                {channel ? ` · ${channel}` : ""}
              </Text>
            </Group>
          </Stack>
        </Group>
      </UnstyledButton>
    </Box>
  );
}

function InboxEmpty() {
  const { canAdmin } = usePermissions();
  return (
    <Paper withBorder radius="md">
      <EmptyState py={40} icon={<IconInbox size={28} />} variant="light" title="No conversations yet">
        <Stack gap="xs" maw={420} mx="auto" ta="left">
          <Text size="sm" c="dimmed">
            Messages arrive here as they are heard, without reloading. They come in through:
          </Text>
          <List size="sm" spacing={4}>
            <List.Item>
              <b>Channels</b> — feeds, Mastodon, Bluesky, X, Reddit and more, polled by Parley (Settings → Channels).
            </List.Item>
            <List.Item>
              <b>Webhooks</b> — any system can push signed messages to a webhook channel.
            </List.Item>
            <List.Item>
              <b>Files and the API</b> — <Code>parley ingest messages.jsonl</Code> or <Code>POST /api/v1/messages:batch</Code>.
            </List.Item>
          </List>
        </Stack>
        {canAdmin && (
          <EmptyState.Actions>
            <Button component={Link} to="/settings/channels">
              Add a channel
            </Button>
          </EmptyState.Actions>
        )}
      </EmptyState>
    </Paper>
  );
}
