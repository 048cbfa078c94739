// Possible duplicate contacts: scan, review each pair with its evidence,
// compare side by side and merge (undoable), or say "not the same person".
import { Alert, Anchor, Button, Card, Center, Group, Loader, NumberInput, Stack, Text } from "@mantine/core";
import { notifications } from "@mantine/notifications";
import { IconArrowsJoin, IconCopy, IconScan, IconUserX } from "@tabler/icons-react";
import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import dayjs from "dayjs";
import { useState } from "react";
import { Link } from "react-router-dom";
import { api, errorMessage } from "../../../api";
import { usePermissions } from "../../../auth";
import { contactName } from "../../../format";
import type { DuplicatePage, DuplicatePair } from "../../../types";
import { LoadError } from "../../../ui/LoadError";
import { PageHeader } from "../../../ui/PageHeader";
import { EvidenceChips, ScoreBadge } from "../components/common";
import { MergeDialog } from "../components/MergeDialog";
import { identityKeys } from "../queries";

export function DuplicatesPage() {
  const client = useQueryClient();
  const { canWrite } = usePermissions();
  const [minScore, setMinScore] = useState<number | null>(null);
  const [comparing, setComparing] = useState<DuplicatePair | null>(null);
  const [lastScan, setLastScan] = useState<{ scanned: number; found: number } | null>(null);

  const pairs = useInfiniteQuery({
    queryKey: [...identityKeys.duplicates, minScore],
    queryFn: ({ pageParam }) =>
      api<DuplicatePage>("/duplicates", { query: { cursor: pageParam, limit: 25, min_score: minScore ?? undefined } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });

  const scan = useMutation({
    mutationFn: () => api<{ scanned: number; found: number }>("/duplicates:scan", { method: "POST" }),
    onSuccess: (result) => {
      setLastScan(result);
      client.invalidateQueries({ queryKey: identityKeys.duplicates });
    },
  });

  const dismiss = useMutation({
    mutationFn: (pair: DuplicatePair) => api<{ ok: true }>(`/duplicates/${pair.id}/dismiss`, { method: "POST" }),
    onSuccess: (_r, pair) => {
      notifications.show({ message: `${contactName(pair.a)} and ${contactName(pair.b)} will not be suggested again` });
      client.invalidateQueries({ queryKey: identityKeys.duplicates });
    },
    onError: (error) => notifications.show({ color: "red", title: "Could not dismiss the pair", message: errorMessage(error) }),
  });

  const items = pairs.data?.pages.flatMap((p) => p.data) ?? [];
  const scannedAt = pairs.data?.pages[0]?.scanned_at ?? null;

  return (
    <>
      <PageHeader
        title="Possible duplicates"
        description={
          scannedAt
            ? `Contacts that look like the same person, most likely first. Last scan ${dayjs(scannedAt).fromNow()}.`
            : "Contacts that look like the same person, most likely first. No scan has run yet."
        }
        actions={
          canWrite && (
            <Button leftSection={<IconScan size={16} />} loading={scan.isPending} onClick={() => scan.mutate()}>
              Scan now
            </Button>
          )
        }
      />
      <Stack gap="md">
        {lastScan && (
          <Alert color="blue" variant="light" role="status" withCloseButton onClose={() => setLastScan(null)}>
            Scanned {lastScan.scanned.toLocaleString()} contacts: {lastScan.found.toLocaleString()} possible duplicate
            {lastScan.found === 1 ? " pair" : " pairs"}.
          </Alert>
        )}
        {scan.isError && (
          <Alert color="red" variant="light" role="alert" title="The scan failed">
            {errorMessage(scan.error)}
          </Alert>
        )}
        <Group>
          <NumberInput
            label="Minimum score"
            description="0 to 1"
            placeholder="Workspace threshold"
            min={0}
            max={1}
            step={0.05}
            decimalScale={2}
            w={200}
            value={minScore ?? ""}
            onChange={(v) => setMinScore(typeof v === "number" ? v : null)}
          />
        </Group>
        {pairs.isPending ? (
          <Center py="xl">
            <Loader aria-label="Loading duplicates" />
          </Center>
        ) : pairs.isError ? (
          <LoadError error={pairs.error} onRetry={() => pairs.refetch()} />
        ) : items.length === 0 ? (
          <Stack align="center" gap={4} py="xl">
            <IconCopy size={32} color="var(--mantine-color-gray-5)" aria-hidden />
            <Text fw={500}>No possible duplicates</Text>
            <Text size="sm" c="dimmed">
              {canWrite ? "Run a scan to look for contacts that are the same person." : "Nothing waits for review."}
            </Text>
          </Stack>
        ) : (
          <Stack gap="sm" aria-label="Duplicate pairs" role="list">
            {items.map((pair) => (
              <Card key={pair.id} withBorder radius="md" padding="md" role="listitem" data-testid="duplicate-pair">
                <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
                  <Stack gap={6} style={{ minWidth: 0, flex: 1 }}>
                    <Group gap="sm" wrap="wrap">
                      <ScoreBadge score={pair.score} />
                      <ContactSummary contact={pair.a} />
                      <Text c="dimmed" aria-hidden>
                        ↔
                      </Text>
                      <ContactSummary contact={pair.b} />
                    </Group>
                    <EvidenceChips evidence={pair.evidence} />
                  </Stack>
                  {canWrite && (
                    <Group gap="xs">
                      <Button size="xs" leftSection={<IconArrowsJoin size={14} />} onClick={() => setComparing(pair)}>
                        Compare
                      </Button>
                      <Button
                        size="xs"
                        variant="default"
                        leftSection={<IconUserX size={14} />}
                        loading={dismiss.isPending && dismiss.variables?.id === pair.id}
                        onClick={() => dismiss.mutate(pair)}
                      >
                        Not the same person
                      </Button>
                    </Group>
                  )}
                </Group>
              </Card>
            ))}
            {pairs.hasNextPage && (
              <Group justify="center">
                <Button variant="default" size="xs" loading={pairs.isFetchingNextPage} onClick={() => pairs.fetchNextPage()}>
                  Load more
                </Button>
              </Group>
            )}
          </Stack>
        )}
      </Stack>
      {comparing && (
        <MergeDialog
          key={comparing.id}
          opened
          onClose={() => setComparing(null)}
          a={comparing.a}
          b={comparing.b}
          score={comparing.score}
          evidence={comparing.evidence}
        />
      )}
    </>
  );
}

function ContactSummary({ contact }: { contact: DuplicatePair["a"] }) {
  return (
    <Stack gap={0} style={{ minWidth: 0 }}>
      <Anchor component={Link} to={`/contacts/${contact.id}`} fw={600} size="sm" style={{ overflowWrap: "anywhere" }}>
        {contactName(contact)}
      </Anchor>
      <Text size="xs" c="dimmed" style={{ overflowWrap: "anywhere" }}>
        {[...contact.emails, ...contact.phones].join(" · ") || "no email or phone"}
      </Text>
    </Stack>
  );
}
