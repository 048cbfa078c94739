import { z } from "zod";
import { type Actor, auditActor, audit as recordAudit, requirePermission } from "../accounts";
import { analysisColumns } from "../ingest";
import { AppError, invalid, notFound } from "../shared/errors";
import { isUuid } from "../shared/ids";
import { checkUrl, SafeFetchError } from "../shared/safe-fetch";
import type { Db, DbOrTx } from "../store/db";
import { findChannel, findMessage } from "../store/listening";
import * as store from "../store/rules";
import type { RuleRow, RuleVersionRow } from "../store/schema-rules";
import * as workStore from "../store/work";
import type { Values } from "./conditions";
import { ensureRuleSet } from "./defaults";
import {
  ACTION_TYPES,
  type Definition,
  definitionSchema,
  FIELDS,
  OPERATORS_BY_TYPE,
  parseDefinition,
  type RuleInput,
  ruleInputSchema,
  rulePatchSchema,
  TRIGGER_TYPES,
} from "./definition";
import { compileRule, messageSubjects, probabilityValues, runRules, timeValues } from "./engine";
import { definitionOf, insertNewRule, saveNewVersion } from "./persist";
import { presentDefinition, type RevealedSecret, sealInputActions, sealLegacySecrets, sealStored } from "./secrets";
import type { CompiledRule } from "./types";

// Rules API: list, create, change (each save a new version), order, restore,
// test against a sample message, dry-run against recent messages, export/import.

export function presentRule(r: RuleRow) {
  const def = r.definition as Definition;
  return {
    id: r.id,
    key: r.key,
    name: r.name,
    description: r.description,
    enabled: r.enabled,
    position: r.position,
    version: r.version,
    ...presentDefinition(def),
    created_at: r.created_at,
    updated_at: r.updated_at,
  };
}

function presentVersion(v: RuleVersionRow) {
  const def = v.definition as Definition;
  return {
    version: v.version,
    name: v.name,
    description: v.description,
    enabled: v.enabled,
    ...presentDefinition(def),
    created_by: v.created_by,
    created_at: v.created_at,
  };
}

/** Checks what zod cannot: webhook targets (no private addresses unless allowed). */
function checkDefinition(def: Definition, prefix = "") {
  def.actions.forEach((a, i) => {
    if (a.type !== "webhook") return;
    try {
      checkUrl(a.url);
    } catch (err) {
      if (err instanceof SafeFetchError) throw invalid(`${prefix}actions.${i}.url`, err.message);
      throw err;
    }
  });
}

type ConditionNode = Definition["conditions"]["conditions"][number];
// Condition fields whose values are ids of this workspace's records
const ID_FIELDS: Record<string, "segment" | "team" | "user"> = {
  "contact.segments": "segment",
  "conversation.team_id": "team",
  "conversation.assignee_id": "user",
};

/**
 * Every id a rule names must be of this workspace and exist: an action writing a
 * missing or foreign user would otherwise fail (or cross tenants) at ingest time.
 */
async function checkReferences(db: DbOrTx, workspaceId: string, def: Definition, prefix = "") {
  const teams = await store.teamsOf(db, workspaceId);
  const teamIds = new Set(teams.map((t) => t.id));
  const teamNames = new Set(teams.map((t) => t.name.toLowerCase()));
  const userIds = new Set<string>();
  const segmentIds = new Set<string>();
  const refs: Array<{ field: string; kind: "team" | "user" | "segment"; id: string }> = [];
  const team = (field: string, ref: string | undefined) => {
    if (ref === undefined) return;
    if (!teamIds.has(ref) && !teamNames.has(ref.toLowerCase()))
      throw invalid(`${prefix}${field}`, `no team "${ref}" in this workspace (give a team name or id)`);
  };
  const idRef = (field: string, kind: "user" | "segment", id: string) => {
    if (!isUuid(id)) throw invalid(`${prefix}${field}`, `"${id}" is not a ${kind} id`);
    refs.push({ field, kind, id });
    (kind === "user" ? userIds : segmentIds).add(id);
  };
  const walk = (nodes: ConditionNode[], path: string) => {
    for (const [i, n] of nodes.entries()) {
      const here = `${path}.${i}`;
      if ("conditions" in n) {
        walk(n.conditions, `${here}.conditions`);
        continue;
      }
      const kind = Object.hasOwn(ID_FIELDS, n.field) ? ID_FIELDS[n.field] : undefined;
      if (!kind || !["equals", "not_equals", "contains", "not_contains", "in", "not_in"].includes(n.op)) continue;
      const values = Array.isArray(n.value) ? n.value : [n.value];
      for (const [j, v] of values.entries()) {
        const field = Array.isArray(n.value) ? `${here}.value.${j}` : `${here}.value`;
        if (kind === "team") team(field, String(v));
        else idRef(field, kind, String(v));
      }
    }
  };
  walk(def.conditions.conditions, "conditions.conditions");
  const alert = def.trigger.alert;
  if (alert) {
    team("trigger.alert.team_id", alert.team_id);
    if (alert.channel_id && !(await findChannel(db, workspaceId, alert.channel_id)))
      throw invalid(`${prefix}trigger.alert.channel_id`, "no such channel in this workspace");
  }
  for (const [i, a] of def.actions.entries()) {
    const at = `actions.${i}`;
    if (a.type === "assign" || a.type === "create_case" || a.type === "notify") team(`${at}.team`, a.team);
    if (a.type === "assign" && a.user_id) idRef(`${at}.user_id`, "user", a.user_id);
    if (a.type === "notify") for (const [j, u] of (a.user_ids ?? []).entries()) idRef(`${at}.user_ids.${j}`, "user", u);
    if (a.type === "create_deal") {
      const pipeline = a.pipeline_id ? await workStore.findPipeline(db, workspaceId, a.pipeline_id) : undefined;
      if (a.pipeline_id && !pipeline) throw invalid(`${prefix}${at}.pipeline_id`, "no such pipeline in this workspace");
      if (a.stage_id) {
        const stage = await workStore.findStage(db, workspaceId, a.stage_id);
        if (!stage) throw invalid(`${prefix}${at}.stage_id`, "no such pipeline stage in this workspace");
        if (pipeline && stage.pipeline_id !== pipeline.id) throw invalid(`${prefix}${at}.stage_id`, "is not a stage of this pipeline");
      }
    }
  }
  const members = new Set((await store.membersByIds(db, workspaceId, [...userIds])).map((m) => m.id));
  const segments = new Set((await store.segmentsByIds(db, workspaceId, [...segmentIds])).map((s) => s.id));
  for (const r of refs) {
    if (r.kind === "user" && !members.has(r.id)) throw invalid(`${prefix}${r.field}`, `no user ${r.id} in this workspace`);
    if (r.kind === "segment" && !segments.has(r.id)) throw invalid(`${prefix}${r.field}`, `no segment ${r.id} in this workspace`);
  }
}

async function audit(db: DbOrTx, actor: Actor, action: string, id: string, summary: string, details: Record<string, unknown> = {}) {
  await recordAudit(db, actor, action, { type: "rule", id }, summary, details);
}

export async function listRules(db: Db, actor: Actor) {
  requirePermission(actor, "crm:read");
  await db.transaction().execute(async (tx) => {
    await ensureRuleSet(tx, actor.workspaceId);
    await sealLegacySecrets(tx, actor.workspaceId);
  });
  return { data: (await store.listRules(db, actor.workspaceId)).map(presentRule) };
}

async function mustFind(db: DbOrTx, workspaceId: string, id: string) {
  const r = await store.findRule(db, workspaceId, id);
  if (!r) throw notFound("Rule");
  return r;
}

export async function getRule(db: DbOrTx, actor: Actor, id: string) {
  requirePermission(actor, "crm:read");
  return presentRule(await mustFind(db, actor.workspaceId, id));
}

export async function createRule(db: Db, actor: Actor, raw: unknown) {
  requirePermission(actor, "rules:manage");
  const parsed = parseDefinition(ruleInputSchema, raw);
  checkDefinition(definitionOf(parsed));
  const { actions, revealed } = sealInputActions(parsed.actions, []);
  const input = { ...parsed, actions };
  const id = await db.transaction().execute(async (tx) => {
    await ensureRuleSet(tx, actor.workspaceId);
    if (input.key && (await store.findRuleByKey(tx, actor.workspaceId, input.key))) throw invalid("key", "a rule with this key exists");
    await checkReferences(tx, actor.workspaceId, definitionOf(input));
    const id = await insertNewRule(tx, actor.workspaceId, input, auditActor(actor));
    await audit(tx, actor, "rule.created", id, `Created rule "${input.name}"`, { name: input.name });
    return id;
  });
  return withRevealed(await getRule(db, actor, id), revealed);
}

/** The plain secrets set by this save, shown once to who set them. */
function withRevealed<T extends object>(rule: T, revealed: RevealedSecret[]) {
  return revealed.length ? { ...rule, new_secrets: revealed } : rule;
}

export async function updateRule(db: Db, actor: Actor, id: string, raw: unknown) {
  requirePermission(actor, "rules:manage");
  const patch = parseDefinition(rulePatchSchema, raw);
  let revealed: RevealedSecret[] = [];
  await db.transaction().execute(async (tx) => {
    const rule = await mustFind(tx, actor.workspaceId, id);
    const current = sealStored(rule.definition as Definition).def;
    let actions = current.actions;
    if (patch.actions) ({ actions, revealed } = sealInputActions(patch.actions, current.actions));
    const definition = parseDefinition(definitionSchema, {
      trigger: patch.trigger ?? current.trigger,
      conditions: patch.conditions ?? current.conditions,
      actions,
      stop_processing: patch.stop_processing ?? current.stop_processing,
    });
    checkDefinition(definition);
    if (patch.actions || patch.conditions) await checkReferences(tx, actor.workspaceId, definition);
    const version = await saveNewVersion(
      tx,
      rule,
      {
        name: patch.name ?? rule.name,
        description: patch.description === undefined ? rule.description : patch.description,
        enabled: patch.enabled ?? rule.enabled,
        definition,
      },
      auditActor(actor),
    );
    await audit(tx, actor, "rule.updated", id, `Changed rule "${patch.name ?? rule.name}" (version ${version})`, { version });
  });
  return withRevealed(await getRule(db, actor, id), revealed);
}

export async function deleteRule(db: Db, actor: Actor, id: string) {
  requirePermission(actor, "rules:manage");
  await db.transaction().execute(async (tx) => {
    const rule = await mustFind(tx, actor.workspaceId, id);
    if (!(await store.deleteRule(tx, actor.workspaceId, id))) throw notFound("Rule");
    await store.bumpRevision(tx, actor.workspaceId);
    await audit(tx, actor, "rule.deleted", id, `Deleted rule "${rule.name}"`);
  });
}

export const reorderSchema = z.object({ ids: z.array(z.uuid()).min(1).max(1000) }).strict();

export async function reorderRules(db: Db, actor: Actor, raw: unknown) {
  requirePermission(actor, "rules:manage");
  const { ids } = parseDefinition(reorderSchema, raw);
  await db.transaction().execute(async (tx) => {
    const rules = await store.listRules(tx, actor.workspaceId);
    const known = new Set(rules.map((r) => r.id));
    const unknown = ids.find((i) => !known.has(i));
    if (unknown) throw invalid("ids", `no rule ${unknown}`);
    const rest = rules.map((r) => r.id).filter((i) => !ids.includes(i));
    await store.setPositions(tx, actor.workspaceId, [...ids, ...rest]);
    await store.bumpRevision(tx, actor.workspaceId);
  });
  return { data: (await store.listRules(db, actor.workspaceId)).map(presentRule) };
}

export async function listVersions(db: DbOrTx, actor: Actor, id: string) {
  requirePermission(actor, "crm:read");
  await mustFind(db, actor.workspaceId, id);
  return { data: (await store.listVersions(db, actor.workspaceId, id)).map(presentVersion) };
}

export async function restoreVersion(db: Db, actor: Actor, id: string, version: number) {
  requirePermission(actor, "rules:manage");
  await db.transaction().execute(async (tx) => {
    const rule = await mustFind(tx, actor.workspaceId, id);
    const v = await store.findVersion(tx, actor.workspaceId, id, version);
    if (!v) throw notFound("Rule version");
    const definition = sealStored(parseDefinition(definitionSchema, v.definition, "definition")).def;
    await checkReferences(tx, actor.workspaceId, definition, "definition.");
    const next = await saveNewVersion(
      tx,
      rule,
      { name: v.name, description: v.description, enabled: v.enabled, definition },
      auditActor(actor),
    );
    await audit(tx, actor, "rule.restored", id, `Restored rule "${v.name}" to version ${version}`, {
      from_version: version,
      version: next,
    });
  });
  return getRule(db, actor, id);
}

// ---------- Test and dry run

export const sampleMessageSchema = z
  .object({
    text: z.string().min(1).max(10_000),
    network: z.string().max(40).default("webhook"),
    channel_id: z.string().max(60).nullish(),
    direction: z.enum(["inbound", "outbound"]).default("inbound"),
    is_public: z.boolean().default(true),
    language: z.string().max(20).nullish(),
    sentiment: z.enum(["negative", "neutral", "positive"]).optional(),
    sentiment_score: z.number().min(-1).max(1).optional(),
    labels: z.array(z.string().max(40)).max(20).optional(),
    priority: z.number().min(0).max(100).optional(),
    products: z.array(z.string().max(120)).max(50).optional(),
    topics: z.array(z.string().max(120)).max(50).optional(),
    author: z
      .object({
        handle: z.string().max(200).optional(),
        followers: z.number().int().min(0).optional(),
        verified: z.boolean().optional(),
      })
      .strict()
      .optional(),
    conversation: z
      .object({
        status: z.string().max(20).optional(),
        team_id: z.string().max(60).nullish(),
        assignee_id: z.string().max(60).nullish(),
        tags: z.array(z.string()).optional(),
      })
      .strict()
      .optional(),
    contact: z.record(z.string(), z.unknown()).optional().describe("contact.* values, e.g. {lifecycle_stage: 'customer', tags: ['vip']}"),
    at: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();

export const testSchema = z.object({ message: sampleMessageSchema }).strict();
export const testDefinitionSchema = z.object({ rule: z.record(z.string(), z.unknown()), message: sampleMessageSchema }).strict();
export const dryRunSchema = z
  .object({ limit: z.number().int().min(1).max(1000).default(100), examples: z.number().int().min(0).max(50).default(10) })
  .strict();

function sampleValues(m: z.infer<typeof sampleMessageSchema>, timeZone: string): Values {
  const a = analysisColumns(m.text, { followers: m.author?.followers, outbound: m.direction === "outbound" }, m.language ?? null);
  const values: Values = {
    "message.text": m.text,
    "message.network": m.network,
    "message.channel_id": m.channel_id ?? null,
    "message.direction": m.direction,
    "message.is_public": m.is_public,
    "message.language": a.language,
    "message.sentiment": m.sentiment ?? a.sentiment,
    "message.sentiment_score": m.sentiment_score ?? a.sentiment_score,
    "message.labels": m.labels ?? a.labels,
    "message.priority": m.priority ?? a.priority,
    ...probabilityValues(JSON.parse(a.intents), JSON.parse(a.signals)),
    "message.products": m.products ?? a.products,
    "message.topics": m.topics ?? a.topics,
    "conversation.status": m.conversation?.status ?? "new",
    "conversation.team_id": m.conversation?.team_id ?? null,
    "conversation.assignee_id": m.conversation?.assignee_id ?? null,
    "conversation.tags": m.conversation?.tags ?? [],
    "conversation.message_count": 1,
    "author.handle": m.author?.handle ?? null,
    "author.followers": m.author?.followers ?? null,
    "author.verified": m.author?.verified ?? false,
    "author.network": m.network,
    ...timeValues(m.at ? new Date(m.at) : new Date(), timeZone),
  };
  for (const [k, v] of Object.entries(m.contact ?? {})) values[`contact.${k}`] = v;
  if (m.contact) values["contact.id"] ??= "sample";
  return values;
}

async function evaluateSample(db: Db, actor: Actor, rule: CompiledRule, message: z.infer<typeof sampleMessageSchema>) {
  const timeZone = await store.ruleTimeZone(db, actor.workspaceId);
  const values = sampleValues(message, timeZone);
  const [evals] = await runRules(
    db,
    actor.workspaceId,
    [rule.trigger],
    [{ values, eventKey: "test", conversationId: "sample", contactId: message.contact ? "sample" : null }],
    { dryRun: true, rules: [{ ...rule, enabled: true }] },
  );
  const hit = evals?.[0];
  return {
    matched: Boolean(hit),
    conditions: hit?.conditions ?? rule.group.explain(values),
    actions: hit?.actions ?? [],
    values,
  };
}

export async function testRule(db: Db, actor: Actor, id: string, raw: unknown) {
  requirePermission(actor, "rules:manage");
  const { message } = parseDefinition(testSchema, raw);
  const rule = compileRule(await mustFind(db, actor.workspaceId, id));
  return evaluateSample(db, actor, rule, message);
}

export async function testDefinition(db: Db, actor: Actor, raw: unknown) {
  requirePermission(actor, "rules:manage");
  const body = parseDefinition(testDefinitionSchema, raw);
  const input = parseDefinition(ruleInputSchema, body.rule, "rule");
  const def = definitionOf(input);
  const rule = compileRule({ id: "unsaved", key: input.key ?? "unsaved", name: input.name, version: 0, enabled: true, definition: def });
  return evaluateSample(db, actor, rule, body.message);
}

export async function dryRun(db: Db, actor: Actor, id: string, raw: unknown) {
  requirePermission(actor, "rules:manage");
  const opts = parseDefinition(dryRunSchema, raw);
  const rule = compileRule(await mustFind(db, actor.workspaceId, id));
  const ids = (await store.recentMessageIds(db, actor.workspaceId, opts.limit)).map((r) => r.id);
  const timeZone = await store.ruleTimeZone(db, actor.workspaceId);
  const subjects = await messageSubjects(db, actor.workspaceId, ids, rule.fields, timeZone);
  const results = await runRules(
    db,
    actor.workspaceId,
    [rule.trigger],
    subjects.map((s) => ({ ...s, eventKey: `msg:${s.messageId}` })),
    { dryRun: true, rules: [{ ...rule, enabled: true }] },
  );
  const examples: Array<{ message_id: string; text: string; actions: unknown }> = [];
  let matched = 0;
  const actionCounts: Record<string, number> = {};
  results.forEach((r, i) => {
    const hit = r[0];
    if (!hit) return;
    matched++;
    for (const a of hit.actions) if (a.ok) actionCounts[a.type] = (actionCounts[a.type] ?? 0) + 1;
    const s = subjects[i];
    if (s && examples.length < opts.examples) {
      examples.push({ message_id: s.messageId, text: String(s.values["message.text"]).slice(0, 280), actions: hit.actions });
    }
  });
  return { evaluated: subjects.length, matched, actions: actionCounts, examples };
}

// ---------- Runs ("which rules fired and why")

function presentRun(r: Awaited<ReturnType<typeof store.runsOfMessage>>[number]) {
  return {
    id: r.id,
    rule_id: r.rule_id,
    rule_name: r.rule_name,
    version: r.version,
    trigger: r.trigger,
    event: r.event_key,
    message_id: r.message_id,
    conversation_id: r.conversation_id,
    conditions: r.conditions,
    actions: r.actions,
    created_at: r.created_at,
  };
}

export async function runsOfMessage(db: DbOrTx, actor: Actor, messageId: string) {
  requirePermission(actor, "crm:read");
  if (!(await findMessage(db, actor.workspaceId, messageId))) throw notFound("Message");
  return { data: (await store.runsOfMessage(db, actor.workspaceId, messageId)).map(presentRun) };
}

export async function runsOfConversation(db: DbOrTx, workspaceId: string, conversationId: string) {
  return (await store.runsOfConversation(db, workspaceId, conversationId)).map(presentRun);
}

export async function runsOfRule(db: DbOrTx, actor: Actor, id: string) {
  requirePermission(actor, "crm:read");
  await mustFind(db, actor.workspaceId, id);
  return { data: (await store.runsOfRule(db, actor.workspaceId, id, 100)).map(presentRun) };
}

export function catalog() {
  return {
    triggers: TRIGGER_TYPES,
    fields: Object.entries(FIELDS).map(([field, def]) => ({ field, ...def, operators: OPERATORS_BY_TYPE[def.type] })),
    open_fields: ["contact.custom.<key>", "record.<field>"],
    actions: ACTION_TYPES,
  };
}

export async function listOutbox(db: DbOrTx, actor: Actor) {
  requirePermission(actor, "rules:manage");
  const rows = await store.listOutbox(db, actor.workspaceId, 100);
  return {
    data: rows.map((r) => {
      const p = r.payload as Record<string, unknown>;
      return {
        id: r.id,
        kind: r.kind,
        rule_id: r.rule_id,
        target: r.kind === "webhook" ? p.url : p.to,
        status: r.status,
        attempts: r.attempts,
        last_error: r.last_error,
        next_attempt_at: r.next_attempt_at,
        delivered_at: r.delivered_at,
        created_at: r.created_at,
        deliveries: r.deliveries,
      };
    }),
  };
}

// ---------- Export / import

export const EXPORT_FORMAT = "parley.rules/1";

export async function exportRules(db: Db, workspaceId: string) {
  await db.transaction().execute(async (tx) => {
    await ensureRuleSet(tx, workspaceId);
    await sealLegacySecrets(tx, workspaceId);
  });
  const rules = await store.listRules(db, workspaceId);
  return {
    format: EXPORT_FORMAT,
    rules: rules.map((r) => {
      const p = presentRule(r);
      return {
        key: p.key,
        name: p.name,
        description: p.description,
        enabled: p.enabled,
        position: p.position,
        trigger: p.trigger,
        conditions: p.conditions,
        actions: p.actions,
        stop_processing: p.stop_processing,
      };
    }),
  };
}

/** JSON with keys sorted at every level (jsonb does not keep key order). */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object") {
    const entries = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`).join(",")}}`;
  }
  return JSON.stringify(v);
}

const importFileSchema = z.object({ format: z.literal(EXPORT_FORMAT).optional(), rules: z.array(z.unknown()).max(1000) });

export async function importRules(db: Db, workspaceId: string, raw: unknown, options: { replace?: boolean; actor?: string } = {}) {
  const file = parseDefinition(importFileSchema, raw);
  const inputs: RuleInput[] = [];
  const seen = new Set<string>();
  file.rules.forEach((r, i) => {
    const label = (r as { key?: unknown; name?: unknown })?.key ?? (r as { name?: unknown })?.name ?? i;
    const prefix = `rules[${i}](${String(label)})`;
    const input = parseDefinition(ruleInputSchema, r, prefix);
    if (!input.key) throw invalid(`${prefix}.key`, "every imported rule needs a key");
    if (seen.has(input.key)) throw invalid(`${prefix}.key`, "this key appears twice");
    seen.add(input.key);
    checkDefinition(definitionOf(input), `${prefix}.`);
    inputs.push(input);
  });
  const report = { created: 0, updated: 0, unchanged: 0, deleted: 0 };
  await db.transaction().execute(async (tx) => {
    await ensureRuleSet(tx, workspaceId);
    for (const [i, input] of inputs.entries()) {
      await checkReferences(tx, workspaceId, definitionOf(input), `rules[${i}](${input.key}).`);
    }
    for (const [i, parsed] of inputs.entries()) {
      const existing = await store.findRuleByKey(tx, workspaceId, parsed.key as string);
      // a rule without a secret keeps the one it has (files from export carry none)
      const previous = existing ? sealStored(existing.definition as Definition).def.actions : [];
      const input = { ...parsed, actions: sealInputActions(parsed.actions, previous, `rules[${i}](${parsed.key}).`).actions };
      const def = definitionOf(input);
      if (!existing) {
        await insertNewRule(tx, workspaceId, input, options.actor ?? "import");
        report.created++;
        continue;
      }
      const same =
        canonical(existing.definition) === canonical(def) &&
        existing.name === input.name &&
        (existing.description ?? null) === (input.description ?? null) &&
        existing.enabled === input.enabled;
      if (!same) {
        await saveNewVersion(
          tx,
          existing,
          { name: input.name, description: input.description ?? null, enabled: input.enabled, definition: def },
          options.actor ?? "import",
        );
        report.updated++;
      } else report.unchanged++;
    }
    if (options.replace) {
      for (const r of await store.listRules(tx, workspaceId)) {
        if (!seen.has(r.key)) {
          await store.deleteRule(tx, workspaceId, r.id);
          report.deleted++;
        }
      }
    }
    // file order is evaluation order; rules not in the file keep theirs, after
    const all = await store.listRules(tx, workspaceId);
    const byKey = new Map(all.map((r) => [r.key, r.id]));
    const ordered = [...inputs]
      .sort((a, b) => (a.position ?? Number.MAX_SAFE_INTEGER) - (b.position ?? Number.MAX_SAFE_INTEGER))
      .map((i) => byKey.get(i.key as string) as string);
    await store.setPositions(tx, workspaceId, [...ordered, ...all.map((r) => r.id).filter((id) => !ordered.includes(id))]);
    await store.bumpRevision(tx, workspaceId);
  });
  return report;
}

export { AppError };

// ---------- Skills (for skill-based routing)

export const skillsSchema = z.object({ user_id: z.uuid(), skills: z.array(z.string().trim().min(1).max(60)).max(50) }).strict();

export async function listSkills(db: DbOrTx, actor: Actor) {
  requirePermission(actor, "crm:read");
  const by = new Map<string, string[]>();
  for (const r of await store.skillsOf(db, actor.workspaceId)) by.set(r.user_id, [...(by.get(r.user_id) ?? []), r.skill]);
  return { data: [...by].map(([user_id, skills]) => ({ user_id, skills })) };
}

export async function setSkills(db: Db, actor: Actor, raw: unknown) {
  requirePermission(actor, "teams:manage");
  const input = parseDefinition(skillsSchema, raw);
  if ((await store.membersByIds(db, actor.workspaceId, [input.user_id])).length === 0)
    throw invalid("user_id", "is not a user of this workspace");
  await store.setSkills(db, actor.workspaceId, input.user_id, [...new Set(input.skills)]);
  return { user_id: input.user_id, skills: [...new Set(input.skills)] };
}

// ---------- Settings (the time zone of time conditions and daily schedules)

export const ruleSettingsSchema = z.object({ time_zone: z.string().min(1).max(64) }).strict();

export async function getRuleSettings(db: Db, actor: Actor) {
  requirePermission(actor, "crm:read");
  await db.transaction().execute((tx) => ensureRuleSet(tx, actor.workspaceId));
  return { time_zone: await store.ruleTimeZone(db, actor.workspaceId) };
}

export async function updateRuleSettings(db: Db, actor: Actor, raw: unknown) {
  requirePermission(actor, "rules:manage");
  const input = parseDefinition(ruleSettingsSchema, raw);
  try {
    new Intl.DateTimeFormat("en", { timeZone: input.time_zone });
  } catch {
    throw invalid("time_zone", "is not an IANA time zone (e.g. Europe/Berlin)");
  }
  await db.transaction().execute(async (tx) => {
    await ensureRuleSet(tx, actor.workspaceId);
    await store.setTimeZone(tx, actor.workspaceId, input.time_zone);
    await store.bumpRevision(tx, actor.workspaceId);
  });
  return { time_zone: input.time_zone };
}
