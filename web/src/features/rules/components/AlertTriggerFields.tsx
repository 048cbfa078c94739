// The settings of an alert.threshold trigger (issue #16): which metric, over which window, above or
// below which threshold, and the optional network, channel, label and team filters. The rule fires
// once per crossing; the server measures it every minute.
import { Group, NumberInput, Select } from "@mantine/core";
import { ALERT_METRICS, INTENTS, NETWORKS } from "../../../../../src/contracts/enums";
import type { RuleAlert } from "../../../../../src/contracts/rules";
import { useChannels, useTeams } from "../../../queries";

export const DEFAULT_ALERT: RuleAlert = { metric: "volume", window_minutes: 60, comparison: "above", threshold: 100 };

const METRIC_LABELS: Record<(typeof ALERT_METRICS)[number], string> = {
  volume: "Inbound volume (messages)",
  negative_share: "Negative share (0–1)",
  sla_breaches: "Cases breaching SLA",
};

export function AlertTriggerFields({ alert, onChange }: { alert: RuleAlert; onChange: (alert: RuleAlert) => void }) {
  const set = (patch: Partial<RuleAlert>) => {
    const next: RuleAlert = { ...alert, ...patch };
    // filters on messages and the minimum count belong to some metrics only
    if (next.metric !== "negative_share") delete next.min_count;
    if (next.metric === "sla_breaches") {
      delete next.network;
      delete next.label;
      delete next.channel_id;
    }
    onChange(next);
  };
  const messages = alert.metric !== "sla_breaches";
  const channels = useChannels();
  const teams = useTeams();
  // a filter saved before its channel or team was deleted still shows (by id) so it can be cleared
  const options = (rows: Array<{ id: string; name: string }> | undefined, current: string | undefined) => {
    const data = (rows ?? []).map((r) => ({ value: r.id, label: r.name }));
    if (current && !data.some((d) => d.value === current)) data.push({ value: current, label: `${current} (deleted)` });
    return data;
  };
  return (
    <Group align="flex-end" wrap="wrap">
      <Select
        label="Metric"
        data={ALERT_METRICS.map((m) => ({ value: m, label: METRIC_LABELS[m] }))}
        value={alert.metric}
        onChange={(v) => v && set({ metric: v as RuleAlert["metric"], threshold: v === "negative_share" ? 0.5 : alert.threshold })}
        allowDeselect={false}
        w={230}
      />
      <NumberInput
        label="Window (minutes)"
        min={5}
        value={alert.window_minutes}
        onChange={(v) => set({ window_minutes: Number(v) || 60 })}
        w={140}
      />
      <Select
        label="Fires when"
        data={[
          { value: "above", label: "above" },
          { value: "below", label: "below" },
        ]}
        value={alert.comparison ?? "above"}
        onChange={(v) => set({ comparison: v === "below" ? "below" : "above" })}
        allowDeselect={false}
        w={110}
      />
      <NumberInput
        label="Threshold"
        min={0}
        max={alert.metric === "negative_share" ? 1 : undefined}
        step={alert.metric === "negative_share" ? 0.05 : 1}
        decimalScale={alert.metric === "negative_share" ? 2 : undefined}
        value={alert.threshold}
        onChange={(v) => set({ threshold: Number(v) || 0 })}
        w={120}
      />
      {alert.metric === "negative_share" && (
        <NumberInput
          label="At least (analyzed)"
          min={1}
          placeholder="10"
          value={alert.min_count ?? ""}
          onChange={(v) => set({ min_count: v === "" ? undefined : Number(v) })}
          w={150}
        />
      )}
      {messages && (
        <Select
          label="Network"
          placeholder="any"
          clearable
          data={[...NETWORKS]}
          value={alert.network ?? null}
          onChange={(v) => set({ network: v ?? undefined })}
          w={140}
        />
      )}
      {messages && (
        <Select
          label="Channel"
          placeholder="any"
          clearable
          searchable
          data={options(channels.data, alert.channel_id)}
          value={alert.channel_id ?? null}
          onChange={(v) => set({ channel_id: v ?? undefined })}
          w={200}
        />
      )}
      {messages && (
        <Select
          label="Label"
          placeholder="any"
          clearable
          data={[...INTENTS]}
          value={alert.label ?? null}
          onChange={(v) => set({ label: v ?? undefined })}
          w={160}
        />
      )}
      <Select
        label="Team"
        placeholder="any"
        clearable
        searchable
        data={options(teams.data, alert.team_id)}
        value={alert.team_id ?? null}
        onChange={(v) => set({ team_id: v ?? undefined })}
        w={200}
      />
    </Group>
  );
}
