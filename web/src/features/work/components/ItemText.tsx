import { Paper, Text } from "@mantine/core";

/** A case's or idea's description as written (line breaks kept); nothing when there is none. */
export function DescriptionPanel({ text }: { text: string | null | undefined }) {
  if (!text) return null;
  return (
    <Paper withBorder radius="md" p="md">
      <Text size="sm" style={{ whiteSpace: "pre-wrap" }}>
        {text}
      </Text>
    </Paper>
  );
}

/** A customer's message text: line breaks kept, long words wrapped, direction isolated. */
export function MessageText({ text }: { text: string | null }) {
  return (
    <Text size="sm" style={{ whiteSpace: "pre-wrap", overflowWrap: "anywhere" }}>
      <bdi>{text}</bdi>
    </Text>
  );
}
