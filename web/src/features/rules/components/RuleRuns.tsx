// "Which rules fired and why" on a conversation: each run with the conditions
// that held and what each action did. Values come from messages: text only.
import { Badge, Group, List, Paper, Stack, Text } from "@mantine/core";
import { IconBolt } from "@tabler/icons-react";
import { Link } from "react-router-dom";
import { type ConditionTrace, type GroupTrace, OP_LABELS, type RuleRun } from "../types";

const show = (v: unknown) => (v === null || v === undefined ? "—" : Array.isArray(v) ? v.join(", ") || "—" : String(v));

export function conditionLines(g: GroupTrace, depth = 0): string[] {
  const out: string[] = [];
  for (const c of g.conditions) {
    if ("conditions" in c) {
      out.push(`${"  ".repeat(depth)}${c.match === "all" ? "all of" : "any of"}: ${c.result ? "true" : "false"}`);
      out.push(...conditionLines(c, depth + 1));
    } else {
      const t = c as ConditionTrace;
      out.push(
        `${"  ".repeat(depth)}${t.result ? "✓" : "✗"} ${t.field} ${OP_LABELS[t.op] ?? t.op}${t.value === undefined ? "" : ` ${show(t.value)}`} (was ${show(t.actual)})`,
      );
    }
  }
  return out;
}

export function RuleRuns({ runs }: { runs: RuleRun[] | undefined }) {
  if (!runs || runs.length === 0) return null;
  return (
    <Paper withBorder radius="md" p="md" component="section" aria-label="Rules fired">
      <Stack gap="sm">
        <Group gap={6}>
          <IconBolt size={16} />
          <Text fw={600} size="sm">
            Rules fired
          </Text>
        </Group>
        {runs.map((r) => (
          <Stack key={r.id} gap={4} data-testid="rule-run">
            <Group gap="xs">
              <Text size="sm" fw={500} component={Link} to={`/rules/${r.rule_id}`}>
                {r.rule_name ?? "Deleted rule"}
              </Text>
              <Badge size="xs" variant="light">
                v{r.version}
              </Badge>
              <Badge size="xs" variant="outline">
                {r.trigger}
              </Badge>
            </Group>
            <Text size="xs" c="dimmed" style={{ whiteSpace: "pre-wrap", fontFamily: "monospace" }}>
              {conditionLines(r.conditions).join("\n") || "no conditions (always)"}
            </Text>
            <List size="xs" spacing={2}>
              {r.actions.map((a, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: actions are ordered
                <List.Item key={`${a.type}-${i}`} c={a.ok ? undefined : "dimmed"}>
                  {a.type}: {a.detail}
                </List.Item>
              ))}
            </List>
          </Stack>
        ))}
      </Stack>
    </Paper>
  );
}
