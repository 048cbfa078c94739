import { newId } from "../shared/ids";
import type { Db, DbOrTx } from "../store/db";
import * as store from "../store/rules";
import { type RuleInput, ruleInputSchema } from "./definition";
import { insertNewRule } from "./persist";

// The rule set every workspace starts with, created with the workspace (on its
// workspace.created event, see src/wiring.ts). Teams are created when missing.

export const DEFAULT_TEAMS = [
  { name: "Support", description: "Complaints, churn risk and questions" },
  { name: "Product", description: "Suggestions and ideas" },
  { name: "Sales", description: "Buying signals and leads" },
  { name: "Managers", description: "Escalations" },
];

const inbound = { field: "message.direction", op: "equals", value: "inbound" } as const;

export const DEFAULT_RULES: unknown[] = [
  {
    key: "default.spam-close",
    name: "Spam-only conversations are closed",
    description:
      "A spam post closes its conversation only when nothing else in it came from a customer: a spam reply under a real complaint leaves the complaint open.",
    trigger: { type: "message.analyzed" },
    conditions: {
      match: "all",
      conditions: [
        inbound,
        { field: "message.labels", op: "contains", value: "spam" },
        { field: "conversation.non_spam_inbound", op: "equals", value: 0 },
      ],
    },
    actions: [{ type: "set_status", status: "closed" }],
  },
  {
    key: "default.spam",
    name: "Spam is tagged",
    description: "Posts the analyzer labels spam are tagged; no later rule runs for them.",
    trigger: { type: "message.analyzed" },
    conditions: { match: "all", conditions: [inbound, { field: "message.labels", op: "contains", value: "spam" }] },
    actions: [{ type: "add_tags", tags: ["spam"] }],
    stop_processing: true,
  },
  {
    key: "default.escalate",
    name: "Very negative with high reach → Managers",
    description: "A very negative post by an author with 10,000+ followers: urgent case, managers notified.",
    trigger: { type: "message.analyzed" },
    conditions: {
      match: "all",
      conditions: [
        inbound,
        { field: "message.sentiment", op: "equals", value: "negative" },
        { field: "message.sentiment_score", op: "lte", value: -0.5 },
        { field: "author.followers", op: "gte", value: 10000 },
      ],
    },
    actions: [
      { type: "set_priority", priority: 100 },
      { type: "add_tags", tags: ["escalated"] },
      { type: "create_case", priority: "urgent", team: "Support", tags: ["escalation"] },
      {
        type: "notify",
        team: "Managers",
        title: "Escalation from @{{author.handle}} ({{author.followers}} followers)",
        body: "{{message.text}}",
        email: true,
      },
    ],
  },
  {
    key: "default.support",
    name: "Complaints and churn risk → Support",
    description: "A case for Support, assigned to the least-loaded online agent.",
    trigger: { type: "message.analyzed" },
    conditions: { match: "all", conditions: [inbound, { field: "message.labels", op: "in", value: ["complaint", "churn_risk"] }] },
    actions: [
      { type: "assign", team: "Support", strategy: "least_loaded" },
      { type: "create_case", priority: "normal", team: "Support" },
    ],
  },
  {
    key: "default.questions",
    name: "Questions → Support with a KB suggestion",
    trigger: { type: "message.analyzed" },
    conditions: { match: "all", conditions: [inbound, { field: "message.labels", op: "contains", value: "question" }] },
    actions: [
      { type: "assign", team: "Support", strategy: "round_robin" },
      { type: "add_tags", tags: ["question", "kb-suggest"] },
    ],
  },
  {
    key: "default.ideas",
    name: "Suggestions → Product as ideas",
    description: "A new idea, or a vote on a similar existing one.",
    trigger: { type: "message.analyzed" },
    conditions: { match: "all", conditions: [inbound, { field: "message.labels", op: "contains", value: "suggestion" }] },
    actions: [
      { type: "assign", team: "Product", strategy: "team_only" },
      { type: "create_idea", title: "{{message.text:80}}", match_similar: true },
    ],
  },
  {
    key: "default.sales",
    name: "Purchase intent → Sales as a lead",
    trigger: { type: "message.analyzed" },
    conditions: { match: "all", conditions: [inbound, { field: "message.labels", op: "contains", value: "purchase_intent" }] },
    actions: [
      { type: "assign", team: "Sales", strategy: "round_robin" },
      { type: "add_tags", tags: ["lead"] },
      { type: "create_deal", title: "Lead: {{message.text:60}}", lifecycle_stage: "lead" },
    ],
  },
];

export function defaultRuleInputs(): RuleInput[] {
  return DEFAULT_RULES.map((r, position) => ruleInputSchema.parse({ ...(r as object), position }));
}

/** Creates the workspace's rule set with the default rules, once; later calls do nothing. */
export async function ensureRuleSet(db: DbOrTx, workspaceId: string): Promise<boolean> {
  if (await store.findRuleSet(db, workspaceId)) return false;
  if (!(await store.claimRuleSet(db, workspaceId))) return false;
  for (const t of DEFAULT_TEAMS) await store.insertTeamIfMissing(db, { workspace_id: workspaceId, id: newId(), ...t });
  for (const input of defaultRuleInputs()) await insertNewRule(db, workspaceId, input, "system");
  return true;
}

/**
 * Gives every workspace that has no rule set its defaults, each in its own transaction;
 * run when a store is opened, for workspaces made before the defaults came with the
 * workspace (one query when there are none). Returns how many were seeded.
 */
export async function ensureRuleSets(db: Db): Promise<number> {
  let seeded = 0;
  for (const workspaceId of await store.workspacesWithoutRuleSet(db)) {
    if (await db.transaction().execute((tx) => ensureRuleSet(tx, workspaceId))) seeded++;
  }
  return seeded;
}
