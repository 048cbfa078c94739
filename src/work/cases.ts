import type { Insertable } from "kysely";
import type { z } from "zod";
import type { Actor } from "../accounts";
import { requirePermission } from "../accounts";
import type { caseInputSchema, caseListQuerySchema } from "../contracts/work";
import { type EventOf, publish } from "../events";
import { AppError, invalid } from "../shared/errors";
import { newId } from "../shared/ids";
import type { Db, DbOrTx } from "../store/db";
import { orThrow } from "../store/errors";
import type { CaseEventTable, CasePriority, CaseRow, CaseStatus, CaseTable, SlaPolicyRow } from "../store/schema-work";
import * as store from "../store/work";
import { actorLabel, audit, checkRefs, iso, listPage, nameIn, nameMap } from "./common";
import { computeDue, pausedSecondsBetween, policyFor, slaOf } from "./sla";

// Cases (tickets): numbered per workspace, linked to conversations and a contact,
// timed by an SLA policy, with a timeline of events.

/** What the API gives for a new case (the contracts' parsed body). */
export type CaseCreateBody = z.output<typeof caseInputSchema>;

/** A new case from the API, a rule or the pipeline: the API's fields plus where it came from. */
export type CreateCaseInput = CaseCreateBody & {
  source?: "rule" | "manual" | "api";
  rule_id?: string | null;
  created_by?: string | null;
  at?: Date;
  /** The new case's id, when the caller chose it already (a rule batch writing one case at a time). */
  id?: string;
};

const CLOSED: CaseStatus[] = ["solved", "closed"];

/** Creates a case; when the conversation already has an unsolved case, returns that one. */
export async function createCase(tx: DbOrTx, workspaceId: string, input: CreateCaseInput): Promise<CaseRow> {
  if (input.conversation_id) {
    const open = await store.findOpenCaseOfConversation(tx, workspaceId, input.conversation_id);
    if (open) return open;
  }
  const priority = input.priority ?? "normal";
  const policy = await policyFor(tx, workspaceId, priority, input.team_id ?? null);
  const contactId =
    input.contact_id ?? (input.conversation_id ? await store.conversationContact(tx, workspaceId, input.conversation_id) : null);
  const contact = contactId ? await store.findContactBrief(tx, workspaceId, contactId) : undefined;
  const number = await store.nextCounter(tx, workspaceId, "case", 1001);
  const made = newCaseRecords(workspaceId, input, { id: input.id ?? newId(), number, policy, contactId, contact });
  const row = await store.insertCase(tx, made.row);
  if (input.conversation_id) await store.linkCaseConversation(tx, workspaceId, row.id, input.conversation_id, row.created_by);
  await store.insertCaseEvent(tx, made.event);
  return row;
}

/**
 * A new case's row and its "created" event, the same for a case made alone (createCase) and for the
 * cases a rule batch writes together (rule-batch.ts): the SLA due times, the subject's cut, who made it.
 */
export function newCaseRecords(
  workspaceId: string,
  input: CreateCaseInput,
  made: {
    id: string;
    number: number;
    policy: SlaPolicyRow | undefined;
    contactId: string | null;
    contact: { organization_id: string | null } | undefined;
  },
): { row: Insertable<CaseTable>; event: Insertable<CaseEventTable> } {
  const at = input.at ?? new Date();
  const priority = input.priority ?? "normal";
  const source = input.source ?? "manual";
  const ruleId = input.rule_id ?? null;
  const createdBy = input.created_by ?? (ruleId ? `rule:${ruleId}` : null);
  const row: Insertable<CaseTable> = {
    workspace_id: workspaceId,
    id: made.id,
    number: made.number,
    subject: input.subject.slice(0, 500) || "(no subject)",
    description: input.description ?? null,
    priority,
    status: "new",
    team_id: input.team_id ?? null,
    assignee_id: input.assignee_id ?? null,
    contact_id: made.contact ? made.contactId : null,
    organization_id: made.contact?.organization_id ?? null,
    source,
    rule_id: ruleId,
    sla_policy_id: made.policy?.id ?? null,
    ...computeDue({ created_at: at, priority, paused_seconds: 0 }, made.policy),
    tags: [...new Set(input.tags ?? [])],
    created_by: createdBy,
    created_at: at,
    updated_at: at,
  };
  const event: Insertable<CaseEventTable> = {
    workspace_id: workspaceId,
    id: newId(),
    case_id: made.id,
    kind: "created",
    details: JSON.stringify({ source, rule_id: ruleId, priority, conversation_id: input.conversation_id ?? null }),
    actor: createdBy,
    created_at: at,
  };
  return { row, event };
}

/** Subscriber to message.stored: outbound messages of a batch are replies (see noteOutboundReply). */
export async function noteOutboundReplies(tx: DbOrTx, workspaceId: string, event: EventOf<"message.stored">): Promise<void> {
  for (const m of event.messages) {
    if (m.direction === "outbound") await noteOutboundReply(tx, workspaceId, m.conversation_id, new Date(m.posted_at));
  }
}

/** First response: an outbound message in a linked conversation stops the first-response timer. */
export async function noteOutboundReply(tx: DbOrTx, workspaceId: string, conversationId: string, at: Date): Promise<void> {
  const cases = await store.casesAwaitingFirstResponse(tx, workspaceId, conversationId);
  for (const c of cases) {
    const when = at.getTime() < new Date(c.created_at).getTime() ? new Date(c.created_at) : at;
    await markFirstResponse(tx, c, when, null, { conversation_id: conversationId });
  }
}

async function markFirstResponse(tx: DbOrTx, c: CaseRow, at: Date, actor: string | null, details: Record<string, unknown>) {
  if (c.first_responded_at) return c;
  const updated = await store.updateCase(tx, c.workspace_id, c.id, {
    first_responded_at: at,
    status: c.status === "new" ? "open" : c.status,
  });
  await store.insertCaseEvent(tx, {
    workspace_id: c.workspace_id,
    id: newId(),
    case_id: c.id,
    kind: "first_response",
    details: JSON.stringify(details),
    actor,
    created_at: at,
  });
  return updated;
}

export type SlaTransition = { workspace_id: string; case_id: string; kind: "first_response" | "resolution"; state: "warning" | "breached" };

/**
 * Records SLA warnings and breaches that are due and publishes each as sla.warning / sla.breached
 * in the same transaction (rules fire on them there); each transition is returned exactly once.
 */
export async function scanSla(db: Db, now: Date): Promise<SlaTransition[]> {
  return db.transaction().execute(async (tx) => {
    const candidates = await store.slaCandidates(tx, now);
    const out: SlaTransition[] = [];
    for (const c of candidates) {
      const kinds = [
        {
          kind: "first_response" as const,
          met: c.first_responded_at,
          due: c.first_response_due_at,
          warnAt: c.first_response_warn_at,
          warned: c.first_response_warning_sent,
          breached: c.first_response_breached,
        },
        {
          kind: "resolution" as const,
          met: c.resolved_at,
          due: c.resolution_due_at,
          warnAt: c.resolution_warn_at,
          warned: c.resolution_warning_sent,
          breached: c.resolution_breached,
        },
      ];
      for (const k of kinds) {
        if (k.met || k.breached || !k.due) continue;
        let state: "warning" | "breached" | null = null;
        if (new Date(k.due).getTime() <= now.getTime()) state = "breached";
        else if (!k.warned && k.warnAt && new Date(k.warnAt).getTime() <= now.getTime()) state = "warning";
        if (!state) continue;
        const flag = `${k.kind}_${state === "breached" ? "breached" : "warning_sent"}` as const;
        if (!(await store.setSlaFlag(tx, c.workspace_id, c.id, flag))) continue;
        await store.insertCaseEvent(tx, {
          workspace_id: c.workspace_id,
          id: newId(),
          case_id: c.id,
          kind: `sla_${state}`,
          details: JSON.stringify({ kind: k.kind, due_at: iso(k.due) }),
          actor: null,
          created_at: now,
        });
        const type = state === "warning" ? "sla.warning" : "sla.breached";
        await publish(tx, c.workspace_id, { type, caseId: c.id, kind: k.kind, at: now });
        out.push({ workspace_id: c.workspace_id, case_id: c.id, kind: k.kind, state });
      }
    }
    return out;
  });
}

// ---------- API-facing operations

export function presentCase(c: CaseRow, policy: SlaPolicyRow | undefined, now: Date, names?: Awaited<ReturnType<typeof nameMap>>) {
  return {
    id: c.id,
    number: Number(c.number),
    subject: c.subject,
    description: c.description,
    status: c.status,
    priority: c.priority,
    team_id: c.team_id,
    team_name: nameIn(names?.teams, c.team_id),
    assignee_id: c.assignee_id,
    assignee_name: nameIn(names?.users, c.assignee_id),
    contact_id: c.contact_id,
    contact_name: nameIn(names?.contacts, c.contact_id),
    organization_id: c.organization_id,
    source: c.source,
    rule_id: c.rule_id,
    tags: c.tags,
    sla: slaOf(c, policy, now),
    paused_at: iso(c.paused_at),
    resolved_at: iso(c.resolved_at),
    closed_at: iso(c.closed_at),
    first_responded_at: iso(c.first_responded_at),
    satisfaction: c.satisfaction_rating
      ? { rating: c.satisfaction_rating, comment: c.satisfaction_comment, at: iso(c.satisfaction_at) }
      : null,
    created_by: c.created_by,
    created_at: iso(c.created_at),
    updated_at: iso(c.updated_at),
  };
}
export type CaseView = ReturnType<typeof presentCase>;

async function presentMany(tx: DbOrTx, workspaceId: string, rows: CaseRow[], now = new Date()) {
  const policyIds = [...new Set(rows.map((r) => r.sla_policy_id).filter((x): x is string => !!x))];
  const policies = new Map((await store.findSlaPoliciesByIds(tx, [workspaceId], policyIds)).map((p) => [p.id, p]));
  const names = await nameMap(tx, workspaceId, {
    contacts: rows.map((r) => r.contact_id ?? ""),
    teams: rows.map((r) => r.team_id ?? ""),
    users: rows.map((r) => r.assignee_id ?? ""),
  });
  return rows.map((r) => presentCase(r, r.sla_policy_id ? policies.get(r.sla_policy_id) : undefined, now, names));
}

export type CaseListParams = z.output<typeof caseListQuerySchema>;

/** The assignee filter: "me" is the signed-in user, "none" the unassigned cases. */
function assigneeFilter(actor: Actor, assignee: string | undefined): string | null | undefined {
  if (assignee === "me") {
    if (!actor.userId) throw invalid("assignee_id", "'me' needs a signed-in user");
    return actor.userId;
  }
  return assignee === "none" ? null : assignee;
}

export async function listCases(db: Db, actor: Actor, params: CaseListParams) {
  requirePermission(actor, "crm:read");
  return listPage(
    "cases",
    params,
    (after: [string, string] | undefined, limit) =>
      store.listCases(
        db,
        actor.workspaceId,
        {
          status: params.status?.split(",").filter(Boolean),
          priority: params.priority?.split(",").filter(Boolean),
          team_id: params.team_id,
          assignee_id: assigneeFilter(actor, params.assignee_id),
          contact_id: params.contact_id,
          breached: params.breached,
          q: params.q,
        },
        after,
        limit,
      ),
    (page) => presentMany(db, actor.workspaceId, page),
    (last) => iso(last.created_at),
  );
}

async function loadCase(tx: DbOrTx, workspaceId: string, id: string, forUpdate = false) {
  return orThrow(forUpdate ? store.findCaseForUpdate(tx, workspaceId, id) : store.findCase(tx, workspaceId, id), "Case");
}

export async function getCase(db: Db, actor: Actor, id: string) {
  requirePermission(actor, "crm:read");
  const ws = actor.workspaceId;
  const c = await loadCase(db, ws, id);
  const [view] = await presentMany(db, ws, [c]);
  const conversations = await store.caseConversations(db, ws, [c.id]);
  const messages = await store.conversationMessages(
    db,
    ws,
    conversations.map((x) => x.conversation_id),
  );
  const events = await store.listCaseEvents(db, ws, c.id);
  const userIds = events.map((e) => (e.actor?.startsWith("user:") ? e.actor.slice(5) : "")).filter(Boolean);
  const names = await nameMap(db, ws, { users: userIds });
  return {
    ...view,
    conversations: conversations.map((x) => ({
      id: x.conversation_id,
      subject: x.subject,
      network: x.network,
      status: x.status,
      last_message_at: iso(x.last_message_at),
    })),
    messages: messages.map((m) => ({
      id: m.id,
      conversation_id: m.conversation_id,
      network: m.network,
      url: m.url,
      author: m.author_name ?? m.author_handle,
      text: m.text,
      direction: m.direction,
      sentiment: m.sentiment,
      posted_at: iso(m.posted_at),
    })),
    events: events.map((e) => ({
      id: e.id,
      kind: e.kind,
      body: e.body,
      public: e.public,
      details: e.details,
      actor: e.actor,
      actor_name: e.actor?.startsWith("user:") ? (names.users.get(e.actor.slice(5)) ?? null) : null,
      created_at: iso(e.created_at),
    })),
  };
}

export async function createCaseFor(db: Db, actor: Actor, body: CaseCreateBody) {
  requirePermission(actor, "crm:write");
  const ws = actor.workspaceId;
  const id = await db.transaction().execute(async (tx) => {
    await checkRefs(tx, ws, {
      contact_id: body.contact_id,
      team_id: body.team_id,
      conversation_id: body.conversation_id,
      user_ids: { assignee_id: body.assignee_id },
    });
    const row = await createCase(tx, ws, {
      ...body,
      source: actor.kind === "api_key" ? "api" : "manual",
      created_by: actorLabel(actor),
    });
    await audit(tx, ws, actorLabel(actor), "case.created", "case", row.id, { number: Number(row.number) });
    return row.id;
  });
  return getCase(db, actor, id);
}

export type CasePatch = {
  subject?: string;
  description?: string | null;
  status?: CaseStatus;
  priority?: CasePriority;
  team_id?: string | null;
  assignee_id?: string | null;
  contact_id?: string | null;
  tags?: string[];
};

/** Applies a change to a case: pauses/resumes SLA timers, recomputes due dates, writes the timeline. */
export async function changeCase(tx: DbOrTx, workspaceId: string, id: string, patch: CasePatch, actor: string | null, now = new Date()) {
  const c = await loadCase(tx, workspaceId, id, true);
  const changes: Record<string, [unknown, unknown]> = {};
  const set: Parameters<typeof store.updateCase>[3] = {};
  for (const key of ["subject", "description", "team_id", "assignee_id", "contact_id"] as const) {
    if (patch[key] !== undefined && patch[key] !== c[key]) {
      changes[key] = [c[key], patch[key]];
      (set as Record<string, unknown>)[key] = patch[key];
    }
  }
  if (patch.tags !== undefined) {
    const tags = [...new Set(patch.tags)];
    if (tags.join("\u0000") !== c.tags.join("\u0000")) {
      changes.tags = [c.tags, tags];
      set.tags = tags;
    }
  }
  if (patch.priority !== undefined && patch.priority !== c.priority) {
    changes.priority = [c.priority, patch.priority];
    set.priority = patch.priority;
  }
  let pausedSeconds = c.paused_seconds;
  let pausedAt = c.paused_at;
  const status = patch.status ?? c.status;
  let policy = await (c.sla_policy_id ? store.findSlaPolicy(tx, workspaceId, c.sla_policy_id) : undefined);
  if (patch.status !== undefined && patch.status !== c.status) {
    changes.status = [c.status, patch.status];
    set.status = patch.status;
    if (pausedAt && status !== "pending_customer") {
      pausedSeconds += pausedSecondsBetween(new Date(pausedAt), now, policy);
      pausedAt = null;
      set.paused_at = null;
      set.paused_seconds = pausedSeconds;
    }
    if (status === "pending_customer" && !pausedAt) {
      pausedAt = now;
      set.paused_at = now;
    }
    if (CLOSED.includes(status)) {
      if (!c.resolved_at) set.resolved_at = now;
      if (status === "closed" && !c.closed_at) set.closed_at = now;
    } else {
      if (c.resolved_at) set.resolved_at = null;
      if (c.closed_at) set.closed_at = null;
    }
  }
  // Due dates follow the priority, the team's policy and the paused time.
  const priority = set.priority ?? c.priority;
  const policyChanges = set.priority !== undefined || set.team_id !== undefined;
  if (policyChanges) {
    policy = await policyFor(tx, workspaceId, priority, set.team_id !== undefined ? (set.team_id ?? null) : c.team_id);
    set.sla_policy_id = policy?.id ?? null;
  }
  if (policyChanges || set.paused_seconds !== undefined) {
    const due = computeDue({ created_at: c.created_at, priority, paused_seconds: pausedSeconds }, policy);
    Object.assign(set, due);
    if (policyChanges) {
      const past = (d: Date | null) => !!d && d.getTime() <= now.getTime();
      set.first_response_warning_sent = c.first_response_warning_sent && past(due.first_response_warn_at);
      set.first_response_breached = c.first_response_breached && past(due.first_response_due_at);
      set.resolution_warning_sent = c.resolution_warning_sent && past(due.resolution_warn_at);
      set.resolution_breached = c.resolution_breached && past(due.resolution_due_at);
    }
  }
  if (Object.keys(changes).length === 0) return { row: c, changes };
  const row = await store.updateCase(tx, workspaceId, id, set);
  for (const [field, [from, to]] of Object.entries(changes)) {
    if (field === "description") continue;
    await store.insertCaseEvent(tx, {
      workspace_id: workspaceId,
      id: newId(),
      case_id: id,
      kind: field === "status" ? "status" : field === "assignee_id" ? "assignee" : field === "team_id" ? "team" : field,
      details: JSON.stringify({ from, to }),
      actor,
      created_at: now,
    });
  }
  if (changes.status) {
    await audit(tx, workspaceId, actor, "case.status_changed", "case", id, { from: changes.status[0], to: changes.status[1] });
  }
  await publish(tx, workspaceId, { type: "record.changed", entity: "case", id, changes });
  return { row, changes };
}

export async function updateCaseFor(db: Db, actor: Actor, id: string, patch: CasePatch) {
  requirePermission(actor, "crm:write");
  const ws = actor.workspaceId;
  await db.transaction().execute(async (tx) => {
    await checkRefs(tx, ws, { contact_id: patch.contact_id, team_id: patch.team_id, user_ids: { assignee_id: patch.assignee_id } });
    await changeCase(tx, ws, id, patch, actorLabel(actor));
  });
  return getCase(db, actor, id);
}

/**
 * A note, or the record of a public reply. The reply itself is sent by engage on the case's
 * conversation (`sent` names it); it is a response once delivered, when reply.delivered stops
 * the first-response timer, not when it is written here.
 */
export async function addCaseComment(
  db: Db,
  actor: Actor,
  id: string,
  body: { body: string; public?: boolean },
  sent?: { reply_id: string; conversation_id: string },
) {
  requirePermission(actor, "crm:write");
  const ws = actor.workspaceId;
  await db.transaction().execute(async (tx) => {
    await loadCase(tx, ws, id, true);
    const now = new Date();
    await store.insertCaseEvent(tx, {
      workspace_id: ws,
      id: newId(),
      case_id: id,
      kind: body.public ? "reply" : "note",
      body: body.body,
      public: !!body.public,
      details: JSON.stringify(sent ?? {}),
      actor: actorLabel(actor),
      created_at: now,
    });
    await store.updateCase(tx, ws, id, {});
  });
  return getCase(db, actor, id);
}

export async function rateCase(db: Db, actor: Actor, id: string, body: { rating: number; comment?: string | null }) {
  requirePermission(actor, "crm:write");
  const ws = actor.workspaceId;
  await db.transaction().execute(async (tx) => {
    const c = await loadCase(tx, ws, id, true);
    if (!CLOSED.includes(c.status)) {
      throw new AppError("conflict", "Satisfaction is asked after the case is solved or closed", [
        { field: "status", message: `is ${c.status}` },
      ]);
    }
    const now = new Date();
    await store.updateCase(tx, ws, id, {
      satisfaction_rating: body.rating,
      satisfaction_comment: body.comment ?? null,
      satisfaction_at: now,
    });
    await store.insertCaseEvent(tx, {
      workspace_id: ws,
      id: newId(),
      case_id: id,
      kind: "satisfaction",
      body: body.comment ?? null,
      details: JSON.stringify({ rating: body.rating }),
      actor: actorLabel(actor),
      created_at: now,
    });
    await publish(tx, ws, {
      type: "record.changed",
      entity: "case",
      id,
      changes: { satisfaction_rating: [c.satisfaction_rating, body.rating] },
    });
  });
  return getCase(db, actor, id);
}

export async function linkCaseConversationFor(db: Db, actor: Actor, id: string, body: { conversation_id: string }) {
  requirePermission(actor, "crm:write");
  const ws = actor.workspaceId;
  await db.transaction().execute(async (tx) => {
    await loadCase(tx, ws, id, true);
    await checkRefs(tx, ws, { conversation_id: body.conversation_id });
    const other = await store.findOpenCaseOfConversation(tx, ws, body.conversation_id);
    if (other && other.id !== id) {
      throw new AppError("conflict", `The conversation already belongs to case #${other.number}`, [
        { field: "conversation_id", message: "already linked to an open case" },
      ]);
    }
    if (await store.linkCaseConversation(tx, ws, id, body.conversation_id, actorLabel(actor))) {
      await store.insertCaseEvent(tx, {
        workspace_id: ws,
        id: newId(),
        case_id: id,
        kind: "conversation_linked",
        details: JSON.stringify({ conversation_id: body.conversation_id }),
        actor: actorLabel(actor),
      });
    }
  });
  return getCase(db, actor, id);
}
