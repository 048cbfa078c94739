// Answer the customer where they spoke: the composer under a conversation. It asks the server
// whether this conversation can be answered (and why not, in words), counts characters the way
// the network does (graphemes, the @mention put first included) and sends each reply once: the
// idempotency key is kept until the server has the reply, so a double click or a retried request
// is the same reply.
import { Alert, Button, Checkbox, Group, Paper, SegmentedControl, Stack, Text, Textarea } from "@mantine/core";
import { IconAlertTriangle, IconSend } from "@tabler/icons-react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { type ReplyComposer as ComposerInfo, graphemeCount, type Reply, type ReplyVisibility } from "../../../../../src/contracts/replies";
import { api, errorMessage, fieldErrors } from "../../../api";
import { keys } from "../../../queries";
import { networkLabel } from "../../../ui/NetworkIcon";
import { SuggestedArticles } from "../../knowledge/components/SuggestedArticles";
import { useCannedSlash } from "./CannedSlash";
import { useTypingSignal } from "./presence";
import { ImagePicker, useReplyImages } from "./ReplyImages";

const newKey = () => (typeof crypto !== "undefined" && "randomUUID" in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`);

export function ReplyComposer({ conversationId }: { conversationId: string }) {
  const client = useQueryClient();
  const [text, setText] = useState("");
  const [visibility, setVisibility] = useState<ReplyVisibility>("public");
  const [override, setOverride] = useState(false);
  const key = useRef(newKey());
  const typing = useTypingSignal(conversationId);
  const canned = useCannedSlash(conversationId, text, setText);
  const composer = useQuery({
    queryKey: [...keys.conversation(conversationId), "composer"],
    queryFn: ({ signal }) => api<ComposerInfo>(`/conversations/${conversationId}/composer`, { signal }),
  });
  const images = useReplyImages(composer.data?.attachments, networkLabel(composer.data?.network ?? ""));
  const send = useMutation({
    mutationFn: () =>
      api<Reply>(`/conversations/${conversationId}/replies`, {
        method: "POST",
        body: {
          text,
          visibility,
          idempotency_key: key.current,
          ...(override ? { override_consent: true } : {}),
          ...(images.images.length ? { attachments: images.payload() } : {}),
        },
      }),
    onSuccess: () => {
      setText("");
      images.clear();
      setOverride(false);
      key.current = newKey();
      client.invalidateQueries({ queryKey: keys.conversation(conversationId), exact: true });
      client.invalidateQueries({ queryKey: keys.conversations });
    },
  });

  if (composer.isPending || composer.isError) return null;
  const info = composer.data;
  if (!info.can_reply) {
    return (
      <Paper withBorder radius="md" p="sm" component="section" aria-label="Reply">
        <Text size="sm" c="dimmed" data-testid="reply-unavailable">
          {info.reason}
        </Text>
      </Paper>
    );
  }
  // The server puts the mention first unless the text already names the author (as "@kaito…").
  const handle = info.prefix.trim().split("@").slice(0, 2).join("@").toLowerCase();
  const mentioned = handle.length > 1 && text.toLowerCase().includes(handle);
  const length = graphemeCount((mentioned ? "" : info.prefix) + text.trim());
  const over = info.max_length !== null && length > info.max_length;
  const errors = send.isError ? fieldErrors(send.error) : {};
  const network = networkLabel(info.network);
  // a person who withdrew consent to social engagement is answered only knowingly (the server audits it)
  const withdrawn = info.consent_warning;
  const blocked = over || !text.trim() || (withdrawn !== null && !override);
  return (
    <Paper
      withBorder
      radius="md"
      p="sm"
      component="form"
      aria-label="Reply"
      onSubmit={(e) => {
        e.preventDefault();
        if (!blocked) send.mutate();
      }}
    >
      <Stack gap="xs">
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Text size="sm" fw={600}>
            Reply on {network}
          </Text>
          <SegmentedControl
            size="xs"
            aria-label="Who sees the reply"
            value={visibility}
            onChange={(v) => setVisibility(v as ReplyVisibility)}
            data={[
              { value: "public", label: "Public reply" },
              { value: "private", label: "Private message", disabled: !info.private_allowed },
            ]}
          />
        </Group>
        {withdrawn && (
          <Alert
            color="orange"
            icon={<IconAlertTriangle size={18} />}
            title="Consent to social engagement withdrawn"
            data-testid="consent-warning"
          >
            <Text size="sm">
              {withdrawn.contact_name} withdrew consent to social engagement on {withdrawn.withdrawn_at.slice(0, 10)} (source:{" "}
              {withdrawn.source}). Answer only if it is still right, for example to a request they made; the reply is recorded in the audit
              log.
            </Text>
            <Checkbox
              mt="xs"
              size="xs"
              label="Send anyway: I have checked that answering them is right"
              checked={override}
              onChange={(e) => setOverride(e.currentTarget.checked)}
            />
          </Alert>
        )}
        <Textarea
          aria-label="Reply text"
          placeholder={`Write a ${visibility === "public" ? "public reply" : "private message"}… (/ for canned responses)`}
          autosize
          minRows={3}
          maxRows={12}
          value={text}
          onChange={(e) => {
            setText(e.currentTarget.value);
            typing();
          }}
          error={errors.text ?? errors.visibility}
          onPaste={images.onPaste}
          onKeyDown={(e) => {
            if (canned.onKeyDown(e)) return;
            if (e.key === "Enter" && (e.metaKey || e.ctrlKey) && !blocked) send.mutate();
          }}
        />
        {canned.menu}
        <ImagePicker picker={images} limits={info.attachments} errors={errors} />
        <SuggestedArticles
          conversationId={conversationId}
          onInsert={(ref) => setText((t) => (t.trim() ? `${t.trimEnd()}\n${ref}` : ref))}
        />
        <Group justify="space-between" wrap="nowrap" gap="xs">
          <Text size="xs" c={over ? "red" : "dimmed"} data-testid="reply-count" aria-live="polite">
            {info.max_length !== null ? `${length} / ${info.max_length}` : `${length}`}
            {info.prefix ? ` · starts with ${info.prefix.trim()}` : ""}
          </Text>
          <Button type="submit" size="xs" leftSection={<IconSend size={14} />} loading={send.isPending} disabled={blocked}>
            Send
          </Button>
        </Group>
        {send.isError && !errors.text && !errors.visibility && !Object.keys(errors).some((f) => f.startsWith("attachments")) && (
          <Text size="xs" c="red" role="alert">
            {errorMessage(send.error)}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
