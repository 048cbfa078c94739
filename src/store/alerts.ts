import { sql } from "kysely";
import type { DbOrTx } from "./db";
import { none } from "./reports";

// Threshold alerts (issue 16): the metrics an alert.threshold rule watches over a sliding window,
// and each rule's state (fired or armed). Every query is scoped by workspace.

export type AlertScope = {
  workspaceId: string;
  from: Date;
  to: Date;
  channelId?: string;
  network?: string;
  label?: string;
  teamId?: string;
};

/** Inbound messages (alias m) posted in (from, to], within the scope's channel, network, label and team. */
function inboundIn(s: AlertScope) {
  return sql`m.workspace_id = ${s.workspaceId} and m.direction = 'inbound'
    and m.posted_at > ${s.from}::timestamptz and m.posted_at <= ${s.to}::timestamptz
    ${s.channelId ? sql`and m.channel_id = ${s.channelId}` : none}
    ${s.network ? sql`and m.network = ${s.network}` : none}
    ${s.label ? sql`and m.labels @> array[${s.label}]::text[]` : none}
    ${
      s.teamId
        ? sql`and exists (select 1 from conversations tc
            where tc.workspace_id = m.workspace_id and tc.id = m.conversation_id and tc.team_id = ${s.teamId})`
        : none
    }`;
}

/** Inbound messages in the window, and how many of them were analyzed as negative (of those analyzed). */
export async function inboundSentimentCounts(db: DbOrTx, s: AlertScope) {
  const { rows } = await sql<{ messages: number; analyzed: number; negative: number }>`
    select count(*)::int as messages,
      (count(*) filter (where m.sentiment is not null))::int as analyzed,
      (count(*) filter (where m.sentiment = 'negative'))::int as negative
    from messages m
    where ${inboundIn(s)}`.execute(db);
  return rows[0] ?? { messages: 0, analyzed: 0, negative: 0 };
}

/** Cases whose first-response or resolution target was breached in the window (work records each breach as a case event). */
export async function casesBreachedIn(db: DbOrTx, s: Pick<AlertScope, "workspaceId" | "from" | "to" | "teamId">): Promise<number> {
  const { rows } = await sql<{ cases: number }>`
    select count(distinct e.case_id)::int as cases
    from case_events e
    ${s.teamId ? sql`join cases c on c.workspace_id = e.workspace_id and c.id = e.case_id and c.team_id = ${s.teamId}` : none}
    where e.workspace_id = ${s.workspaceId} and e.kind = 'sla_breached'
      and e.created_at > ${s.from}::timestamptz and e.created_at <= ${s.to}::timestamptz`.execute(db);
  return rows[0]?.cases ?? 0;
}

/** Enabled alert.threshold rules of every workspace (the alert worker's round), or of one. */
export function alertRules(db: DbOrTx, workspaceId?: string) {
  let q = db
    .selectFrom("rules")
    .select(["workspace_id", "id", "definition"])
    .where("trigger", "=", "alert.threshold")
    .where("enabled", "=", true);
  if (workspaceId) q = q.where("workspace_id", "=", workspaceId);
  return q.orderBy("workspace_id").orderBy("position").execute();
}

/**
 * The rule's alert state, locked for this transaction (made on first use). A state kept for other
 * settings (the threshold or window changed) starts afresh: armed, crossings kept.
 */
export async function lockAlertState(db: DbOrTx, workspaceId: string, ruleId: string, config: string) {
  await db
    .insertInto("alert_states")
    .values({ workspace_id: workspaceId, rule_id: ruleId, config })
    .onConflict((oc) => oc.columns(["workspace_id", "rule_id"]).doNothing())
    .execute();
  const row = await db
    .selectFrom("alert_states")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .where("rule_id", "=", ruleId)
    .forUpdate()
    .executeTakeFirstOrThrow();
  if (row.config === config) return row;
  return db
    .updateTable("alert_states")
    .set({ config, firing: false })
    .where("workspace_id", "=", workspaceId)
    .where("rule_id", "=", ruleId)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export type AlertStatePatch = {
  firing: boolean;
  crossings?: number;
  value: number;
  count: number;
  fired_at?: Date;
  rearmed_at?: Date;
  checked_at: Date;
};

export async function saveAlertState(db: DbOrTx, workspaceId: string, ruleId: string, patch: AlertStatePatch) {
  await db.updateTable("alert_states").set(patch).where("workspace_id", "=", workspaceId).where("rule_id", "=", ruleId).execute();
}

/** The workspace's alert states by rule. */
export function alertStates(db: DbOrTx, workspaceId: string) {
  return db.selectFrom("alert_states").selectAll().where("workspace_id", "=", workspaceId).execute();
}
