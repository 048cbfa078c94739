import { CONSENT_PURPOSES } from "../contracts/privacy";
import { type FilterGroup, resolveFilterField } from "../crm";
import { messageProbabilities, nonSpamInboundCounts } from "../store/analysis";
import { consentStates } from "../store/consent";
import * as crmStore from "../store/crm";
import type { DbOrTx } from "../store/db";
import { compileFilter } from "../store/filter-sql";
import * as store from "../store/rules";
import type { RuleRow } from "../store/schema-rules";
import { compileGroup, fieldsOf, type GroupTrace, type Values } from "./conditions";
import { definitionSchema, type TriggerType, WEEKDAYS } from "./definition";
import { Executor } from "./executor";
import { sealLegacySecrets } from "./secrets";
import type { ActionResult, CompiledRule, Subject } from "./types";

// Rule evaluation. A workspace's rules are compiled once per revision of its rule
// set and evaluated in memory, in position order; matched rules run their actions
// and leave a rule_runs row (unique per rule and event: a rule never fires twice
// for one message or event, also after a crash and a re-ingest).

type Compiled = { revision: number; rules: CompiledRule[]; fields: Set<string> };
const cache = new Map<string, Compiled>();

export function compileRule(row: Pick<RuleRow, "id" | "key" | "name" | "version" | "enabled" | "definition">): CompiledRule {
  const def = definitionSchema.parse(row.definition);
  return {
    id: row.id,
    key: row.key,
    name: row.name,
    version: row.version,
    enabled: row.enabled,
    trigger: def.trigger.type,
    def,
    group: compileGroup(def.conditions),
    fields: fieldsOf(def.conditions),
  };
}

/** The workspace's compiled rules, cached by revision (the default set is made with the workspace: rules/defaults.ts). */
export async function compiledRules(db: DbOrTx, workspaceId: string) {
  const set = await store.findRuleSet(db, workspaceId);
  const revision = Number(set?.revision ?? 0);
  let hit = cache.get(workspaceId);
  if (!hit || hit.revision !== revision) {
    // rules saved before secrets were sealed are sealed now (once per process and revision)
    await sealLegacySecrets(db, workspaceId);
    const rows = await store.listRules(db, workspaceId);
    const rules: CompiledRule[] = [];
    for (const r of rows) {
      try {
        rules.push(compileRule(r));
      } catch {
        // a rule that no longer validates (e.g. an operator removed) is skipped, not fatal to ingest
      }
    }
    const fields = new Set<string>();
    for (const r of rules) for (const f of r.fields) fields.add(f);
    hit = { revision, rules, fields };
    cache.set(workspaceId, hit);
  }
  return { ...hit, timeZone: set?.time_zone ?? "UTC", cursors: { ...((set?.cursors as Record<string, number>) ?? {}) } };
}

// ---------- Values

const formatters = new Map<string, Intl.DateTimeFormat>();
export function timeValues(at: Date, timeZone: string): Values {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", { timeZone, hourCycle: "h23", weekday: "short", hour: "2-digit", minute: "2-digit" });
    formatters.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(at).map((p) => [p.type, p.value]));
  const hour = Number(parts.hour);
  const weekday = String(parts.weekday).toLowerCase().slice(0, 3);
  const dayIndex = WEEKDAYS.indexOf(weekday as (typeof WEEKDAYS)[number]);
  return {
    "time.time": `${parts.hour}:${parts.minute}`,
    "time.hour": hour,
    "time.weekday": weekday,
    // default business hours: Monday to Friday, 09:00–17:00 in the workspace's time zone
    "time.business_hours": dayIndex >= 0 && dayIndex < 5 && hour >= 9 && hour < 17,
  };
}

const PROBABILITY_FIELDS = ["message.churn_risk", "message.irony", "message.toxic"];

/** A message's churn-risk, irony and toxic probabilities as rule values (null when not analyzed or not asked for). */
export function probabilityValues(intents: Record<string, number> | null, signals: Record<string, number> | null): Values {
  return {
    "message.churn_risk": intents?.churn_risk ?? null,
    "message.irony": signals?.irony ?? null,
    "message.toxic": signals?.toxic ?? null,
  };
}

export type MessageSubject = Subject & { values: Values; messageId: string; postedAt: Date };

/** Values and subjects of stored messages, loading only what the rules read. */
export async function messageSubjects(
  db: DbOrTx,
  workspaceId: string,
  messageIds: string[],
  fields: Set<string>,
  timeZone: string,
): Promise<MessageSubject[]> {
  const messages = await store.messagesByIds(db, workspaceId, messageIds);
  const conversations = new Map(
    (await store.conversationsByIds(db, workspaceId, [...new Set(messages.map((m) => m.conversation_id))])).map((c) => [c.id, c]),
  );
  const profiles = new Map(
    (
      await store.profilesByIds(db, workspaceId, [...new Set(messages.map((m) => m.profile_id).filter((p): p is string => Boolean(p)))])
    ).map((p) => [p.id, p]),
  );
  const needs = (prefix: string) => [...fields].some((f) => f.startsWith(prefix));
  const contactIds = [...new Set([...profiles.values()].map((p) => p.contact_id).filter((c): c is string => Boolean(c)))];
  const contacts = needs("contact.") ? new Map((await store.contactsByIds(db, workspaceId, contactIds)).map((c) => [c.id, c])) : new Map();
  const tags = needs("conversation.tags") ? await store.tagsOfConversations(db, workspaceId, [...conversations.keys()]) : new Map();
  const probabilities = PROBABILITY_FIELDS.some((f) => fields.has(f))
    ? await messageProbabilities(db, workspaceId, messageIds)
    : new Map<string, { intents: Record<string, number> | null; signals: Record<string, number> | null }>();
  const nonSpam = needs("conversation.non_spam_inbound")
    ? await nonSpamInboundCounts(db, workspaceId, [...conversations.keys()])
    : new Map<string, number>();
  const segmentsOf = needs("contact.segments") ? await segmentMemberships(db, workspaceId, contactIds) : new Map<string, string[]>();
  const consents = needs("contact.consent.") ? await consentStates(db, workspaceId, contactIds) : new Map();

  const byId = new Map(messages.map((m) => [m.id, m]));
  const out: MessageSubject[] = [];
  for (const id of messageIds) {
    const m = byId.get(id);
    if (!m) continue;
    const conv = conversations.get(m.conversation_id);
    const profile = m.profile_id ? profiles.get(m.profile_id) : undefined;
    const contactId = profile?.contact_id ?? null;
    const contact = contactId ? contacts.get(contactId) : undefined;
    const values: Values = {
      "message.id": m.id,
      "message.text": m.subject ? `${m.subject}\n${m.text}` : m.text,
      "message.url": m.url,
      "message.network": m.network,
      "message.channel_id": m.channel_id,
      "message.direction": m.direction,
      "message.is_public": m.is_public,
      "message.language": m.language,
      "message.sentiment": m.sentiment,
      "message.sentiment_score": m.sentiment_score,
      "message.labels": m.labels,
      "message.priority": m.priority,
      ...probabilityValues(probabilities.get(m.id)?.intents ?? null, probabilities.get(m.id)?.signals ?? null),
      "message.products": m.products,
      "message.topics": m.topics,
      "conversation.id": m.conversation_id,
      "conversation.status": conv?.status ?? null,
      "conversation.team_id": conv?.team_id ?? null,
      "conversation.assignee_id": conv?.assignee_id ?? null,
      "conversation.message_count": conv?.message_count ?? null,
      "conversation.tags": tags.get(m.conversation_id) ?? [],
      "conversation.non_spam_inbound": nonSpam.get(m.conversation_id) ?? 0,
      "author.handle": profile?.handle ?? m.author_handle,
      "author.name": profile?.display_name ?? m.author_name,
      "author.followers": profile?.followers ?? null,
      "author.verified": profile?.verified ?? false,
      "author.network": profile?.network ?? m.network,
      "contact.id": contactId,
      ...timeValues(new Date(m.posted_at), timeZone),
    };
    if (contact) {
      values["contact.name"] = contact.name;
      values["contact.lifecycle_stage"] = contact.lifecycle_stage;
      values["contact.tags"] = contact.tags;
      values["contact.segments"] = segmentsOf.get(contact.id) ?? [];
      // consent never recorded is consent not given (issue 13)
      for (const purpose of CONSENT_PURPOSES) values[`contact.consent.${purpose}`] = consents.get(contact.id)?.[purpose] === "granted";
      for (const [k, v] of Object.entries((contact.custom as Record<string, unknown>) ?? {})) values[`contact.custom.${k}`] = v;
    }
    out.push({
      values,
      messageId: m.id,
      conversationId: m.conversation_id,
      contactId,
      profileId: m.profile_id,
      postedAt: new Date(m.posted_at),
    });
  }
  return out;
}

/** Segment membership through each segment's saved filter, for the given contacts. */
async function segmentMemberships(db: DbOrTx, workspaceId: string, contactIds: string[]) {
  const out = new Map<string, string[]>();
  if (contactIds.length === 0) return out;
  const segments = (await crmStore.listSegments(db, workspaceId)).filter((s) => s.entity === "contact");
  if (segments.length === 0) return out;
  const defs = await crmStore.listCustomFields(db, workspaceId, "contact");
  for (const s of segments) {
    const group = s.filter as FilterGroup;
    const where = compileFilter("contact", group, (field) => resolveFilterField("contact", field, defs));
    for (const id of await store.contactsMatching(db, workspaceId, contactIds, where)) out.set(id, [...(out.get(id) ?? []), s.id]);
  }
  return out;
}

// ---------- Evaluation

export type Evaluation = {
  rule: CompiledRule;
  matched: boolean;
  conditions: GroupTrace;
  actions: ActionResult[];
};

export type RunOptions = {
  /** Evaluate and say what would happen, writing nothing. */
  dryRun?: boolean;
  /** Skip the rule_runs check (the caller knows the events are new). */
  fresh?: boolean;
};

/**
 * Runs the rules of `triggers` for each subject, in order. `eventKey` names the
 * event per subject (exactly-once key). Returns, per subject, what each rule did.
 */
export async function runRules(
  db: DbOrTx,
  workspaceId: string,
  triggers: TriggerType[],
  subjects: Array<Subject & { values: Values; eventKey: string; messageId?: string | null }>,
  options: RunOptions & { rules?: CompiledRule[]; timeZone?: string; cursors?: Record<string, number> } = {},
): Promise<Evaluation[][]> {
  const set = options.rules ? null : await compiledRules(db, workspaceId);
  const rules = (options.rules ?? set?.rules ?? []).filter((r) => triggers.includes(r.trigger) && (r.enabled || options.rules));
  if (rules.length === 0 || subjects.length === 0) return subjects.map(() => []);
  const done =
    options.fresh || options.dryRun
      ? new Set<string>()
      : await store.existingRunKeys(
          db,
          workspaceId,
          subjects.map((s) => s.eventKey),
        );
  const exec = new Executor(db, workspaceId, {
    dryRun: Boolean(options.dryRun),
    cursors: options.cursors ?? set?.cursors ?? {},
    // what the batch's cases and ideas are looked up for, once for all subjects
    scope: {
      conversationIds: subjects.map((s) => s.conversationId).filter((c): c is string => Boolean(c)),
      messageIds: subjects.map((s) => s.messageId).filter((m): m is string => Boolean(m)),
    },
  });
  const results: Evaluation[][] = [];
  for (const s of subjects) {
    const evaluations: Evaluation[] = [];
    for (const rule of rules) {
      if (done.has(`${rule.id}\u0000${s.eventKey}`)) continue;
      // record.changed rules can name the kind of record they watch
      if (rule.def.trigger.entity && s.values["record.entity"] !== rule.def.trigger.entity) continue;
      if (!rule.group.test(s.values)) continue;
      const conditions = rule.group.explain(s.values);
      const actions = await exec.run(rule, s);
      evaluations.push({ rule, matched: true, conditions, actions });
      exec.recordRun(rule, s, conditions, actions);
      if (rule.def.stop_processing || actions.some((a) => a.type === "stop_processing")) break;
    }
    results.push(evaluations);
  }
  await exec.flush();
  return results;
}

/** Message rules for the messages an ingest batch stored (inside its transaction): received and analyzed, in one pass. */
export async function runIngestRules(tx: DbOrTx, workspaceId: string, stored: Array<{ message_id: string }>) {
  if (stored.length === 0) return;
  const set = await compiledRules(tx, workspaceId);
  if (!set.rules.some((r) => r.enabled && (r.trigger === "message.received" || r.trigger === "message.analyzed"))) return;
  const subjects = await messageSubjects(
    tx,
    workspaceId,
    stored.map((s) => s.message_id),
    set.fields,
    set.timeZone,
  );
  await runRules(
    tx,
    workspaceId,
    ["message.received", "message.analyzed"],
    subjects.map((s) => ({ ...s, eventKey: `msg:${s.messageId}` })),
    { fresh: true },
  );
}
