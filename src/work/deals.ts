import type { z } from "zod";
import type { Actor } from "../accounts";
import { requirePermission } from "../accounts";
import type { dealListQuerySchema } from "../contracts/work";
import { publish } from "../events";
import { AppError, invalid } from "../shared/errors";
import { newId } from "../shared/ids";
import type { Db, DbOrTx } from "../store/db";
import { orThrow } from "../store/errors";
import type { DealRow, PipelineRow, PipelineStageRow, StageKind } from "../store/schema-work";
import * as store from "../store/work";
import { actorLabel, audit, checkRefs, iso, listPage, nameIn, nameMap } from "./common";

// Pipelines of stages and the deals moving through them. A deal remembers the
// message and conversation it came from; opening or winning one moves the
// contact's lifecycle stage, recorded in the audit trail.

export const DEFAULT_STAGES: Array<{ name: string; probability: number; kind: StageKind }> = [
  { name: "New", probability: 10, kind: "open" },
  { name: "Qualified", probability: 25, kind: "open" },
  { name: "Proposal", probability: 50, kind: "open" },
  { name: "Negotiation", probability: 75, kind: "open" },
  { name: "Won", probability: 100, kind: "won" },
  { name: "Lost", probability: 0, kind: "lost" },
];

/** The workspace's default "Sales" pipeline, created on first use. */
export async function ensureDefaultPipeline(tx: DbOrTx, workspaceId: string): Promise<PipelineRow> {
  const existing = await store.findDefaultPipeline(tx, workspaceId);
  if (existing) return existing;
  const id = newId();
  if (await store.insertPipelineIfNoDefault(tx, { workspace_id: workspaceId, id, name: "Sales", is_default: true })) {
    await store.insertStages(
      tx,
      DEFAULT_STAGES.map((s, i) => ({ workspace_id: workspaceId, id: newId(), pipeline_id: id, position: i, ...s })),
    );
  }
  const row = await store.findDefaultPipeline(tx, workspaceId);
  if (!row) throw new Error("default pipeline missing");
  return row;
}

export type CreateDealInput = {
  title: string;
  contact_id?: string | null;
  organization_id?: string | null;
  conversation_id?: string | null;
  message_id?: string | null;
  value?: number | null;
  currency?: string | null;
  pipeline_id?: string | null;
  stage_id?: string | null;
  owner_id?: string | null;
  expected_close?: string | null;
  source?: "rule" | "manual" | "api";
  rule_id?: string | null;
  created_by?: string | null;
};

async function resolveStage(tx: DbOrTx, workspaceId: string, pipelineId: string | null | undefined, stageId: string | null | undefined) {
  if (stageId) {
    const stage = await store.findStage(tx, workspaceId, stageId);
    if (!stage) throw invalid("stage_id", "not found in this workspace");
    if (pipelineId && stage.pipeline_id !== pipelineId) throw invalid("stage_id", "is not a stage of this pipeline");
    return stage;
  }
  const pipeline = pipelineId ? await store.findPipeline(tx, workspaceId, pipelineId) : await ensureDefaultPipeline(tx, workspaceId);
  if (!pipeline) throw invalid("pipeline_id", "not found in this workspace");
  const stages = await store.listStages(tx, workspaceId, [pipeline.id]);
  const first = stages.find((s) => s.kind === "open") ?? stages[0];
  if (!first) throw invalid("pipeline_id", "has no stages");
  return first;
}

/** Moves a contact's lifecycle stage forward, recording why. */
async function advanceLifecycle(
  tx: DbOrTx,
  workspaceId: string,
  contactId: string,
  to: "opportunity" | "customer",
  dealId: string,
  actor: string | null,
) {
  const contact = await store.findContactBrief(tx, workspaceId, contactId);
  if (!contact) return;
  const from = contact.lifecycle_stage;
  const moves = to === "opportunity" ? ["subscriber", "lead", "prospect"].includes(from) : !["customer", "advocate"].includes(from);
  if (!moves) return;
  await store.setContactLifecycle(tx, workspaceId, contactId, to);
  await audit(tx, workspaceId, actor, "contact.lifecycle_changed", "contact", contactId, { from, to, deal_id: dealId });
  await publish(tx, workspaceId, { type: "record.changed", entity: "contact", id: contactId, changes: { lifecycle_stage: [from, to] } });
}

/** Creates a deal; an open deal from the same conversation is updated instead of duplicated. */
export async function createDeal(tx: DbOrTx, workspaceId: string, input: CreateDealInput): Promise<DealRow> {
  let contactId = input.contact_id ?? null;
  let conversationId = input.conversation_id ?? null;
  if (input.message_id) {
    const m = await store.findMessage(tx, workspaceId, input.message_id);
    if (m) {
      conversationId ??= m.conversation_id;
      if (!contactId && m.profile_id) contactId = (await store.findProfile(tx, workspaceId, m.profile_id))?.contact_id ?? null;
    }
  }
  if (!contactId && conversationId) contactId = await store.conversationContact(tx, workspaceId, conversationId);
  const actor = input.created_by ?? (input.rule_id ? `rule:${input.rule_id}` : null);
  if (conversationId) {
    const open = await store.findOpenDealOfConversation(tx, workspaceId, conversationId);
    if (open) {
      const set: Parameters<typeof store.updateDeal>[3] = {};
      if (input.value !== undefined && input.value !== null) set.value = input.value;
      if (input.currency) set.currency = input.currency.toUpperCase();
      if (!open.owner_id && input.owner_id) set.owner_id = input.owner_id;
      if (!open.contact_id && contactId) set.contact_id = contactId;
      if (!open.organization_id && input.organization_id) set.organization_id = input.organization_id;
      if (!open.message_id && input.message_id) set.message_id = input.message_id;
      if (Object.keys(set).length === 0) return open;
      const updated = await store.updateDeal(tx, workspaceId, open.id, set);
      if (set.contact_id) await advanceLifecycle(tx, workspaceId, set.contact_id, "opportunity", open.id, actor);
      return updated;
    }
  }
  const stage = await resolveStage(tx, workspaceId, input.pipeline_id, input.stage_id);
  const contact = contactId ? await store.findContactBrief(tx, workspaceId, contactId) : undefined;
  const id = newId();
  const row = await store.insertDeal(tx, {
    workspace_id: workspaceId,
    id,
    title: input.title.slice(0, 500) || "(untitled deal)",
    value: input.value ?? null,
    currency: input.currency ? input.currency.toUpperCase() : null,
    pipeline_id: stage.pipeline_id,
    stage_id: stage.id,
    status: stage.kind,
    expected_close: input.expected_close ?? null,
    owner_id: input.owner_id ?? null,
    contact_id: contact ? contactId : null,
    organization_id: input.organization_id ?? contact?.organization_id ?? null,
    conversation_id: conversationId,
    message_id: input.message_id ?? null,
    source: input.source ?? "manual",
    rule_id: input.rule_id ?? null,
    closed_at: stage.kind === "open" ? null : new Date(),
    created_by: actor,
  });
  await store.insertStageHistory(tx, {
    workspace_id: workspaceId,
    id: newId(),
    deal_id: id,
    from_stage_id: null,
    to_stage_id: stage.id,
    actor,
  });
  if (row.contact_id) await advanceLifecycle(tx, workspaceId, row.contact_id, stage.kind === "won" ? "customer" : "opportunity", id, actor);
  return row;
}

// ---------- API-facing operations

function presentStage(s: PipelineStageRow) {
  return { id: s.id, name: s.name, probability: s.probability, kind: s.kind, position: s.position };
}
function presentPipeline(p: PipelineRow, stages: PipelineStageRow[]) {
  return {
    id: p.id,
    name: p.name,
    is_default: p.is_default,
    position: p.position,
    stages: stages.filter((s) => s.pipeline_id === p.id).map(presentStage),
    created_at: iso(p.created_at),
  };
}

export async function listPipelines(db: Db, actor: Actor) {
  requirePermission(actor, "crm:read");
  const ws = actor.workspaceId;
  await db.transaction().execute((tx) => ensureDefaultPipeline(tx, ws));
  const pipelines = await store.listPipelines(db, ws);
  const stages = await store.listStages(db, ws);
  return { data: pipelines.map((p) => presentPipeline(p, stages)) };
}

export type StageInput = { id?: string; name: string; probability?: number; kind?: StageKind };
export type PipelineInput = { name?: string; is_default?: boolean; stages?: StageInput[] };

function checkStages(stages: StageInput[]) {
  if (stages.length === 0) throw invalid("stages", "a pipeline needs at least one stage");
  if (!stages.some((s) => (s.kind ?? "open") === "open")) throw invalid("stages", "a pipeline needs at least one open stage");
  const names = new Set<string>();
  stages.forEach((s, i) => {
    const key = s.name.trim().toLowerCase();
    if (!key) throw invalid(`stages.${i}.name`, "is required");
    if (names.has(key)) throw invalid(`stages.${i}.name`, "is used twice");
    names.add(key);
  });
}

async function getPipeline(db: DbOrTx, workspaceId: string, id: string) {
  const p = await orThrow(store.findPipeline(db, workspaceId, id), "Pipeline");
  return presentPipeline(p, await store.listStages(db, workspaceId, [id]));
}

export async function createPipeline(db: Db, actor: Actor, body: PipelineInput & { name: string }) {
  requirePermission(actor, "rules:manage");
  const ws = actor.workspaceId;
  const stages = body.stages ?? DEFAULT_STAGES;
  checkStages(stages);
  const id = newId();
  await db.transaction().execute(async (tx) => {
    await ensureDefaultPipeline(tx, ws);
    const existing = await store.listPipelines(tx, ws);
    await store.insertPipeline(tx, { workspace_id: ws, id, name: body.name, position: existing.length });
    await store.insertStages(
      tx,
      stages.map((s, i) => ({
        workspace_id: ws,
        id: newId(),
        pipeline_id: id,
        name: s.name.trim(),
        probability: s.probability ?? 0,
        kind: s.kind ?? "open",
        position: i,
      })),
    );
    if (body.is_default) await makeDefaultPipeline(tx, ws, id);
    await audit(tx, ws, actorLabel(actor), "pipeline.created", "pipeline", id, { name: body.name });
  });
  return getPipeline(db, ws, id);
}

async function makeDefaultPipeline(tx: DbOrTx, ws: string, id: string) {
  for (const p of await store.listPipelines(tx, ws))
    if (p.is_default && p.id !== id) await store.updatePipeline(tx, ws, p.id, { is_default: false });
  await store.updatePipeline(tx, ws, id, { is_default: true });
}

/** Renames a pipeline and replaces its stages: stages with an id are kept (renamed, reordered), others added, missing ones removed if empty. */
export async function updatePipeline(db: Db, actor: Actor, id: string, body: PipelineInput) {
  requirePermission(actor, "rules:manage");
  const ws = actor.workspaceId;
  await db.transaction().execute(async (tx) => {
    const p = await orThrow(store.findPipeline(tx, ws, id), "Pipeline");
    if (body.name !== undefined) await store.updatePipeline(tx, ws, id, { name: body.name });
    if (body.is_default) await makeDefaultPipeline(tx, ws, id);
    if (body.stages) {
      checkStages(body.stages);
      const current = await store.listStages(tx, ws, [id]);
      const currentIds = new Set(current.map((s) => s.id));
      body.stages.forEach((s, i) => {
        if (s.id && !currentIds.has(s.id)) throw invalid(`stages.${i}.id`, "is not a stage of this pipeline");
      });
      const kept = new Set(body.stages.map((s) => s.id).filter(Boolean));
      const removed = current.filter((s) => !kept.has(s.id)).map((s) => s.id);
      if ((await store.countDealsInStages(tx, ws, removed)) > 0) {
        throw new AppError("conflict", "A removed stage still holds deals; move them first", [
          { field: "stages", message: "stage has deals" },
        ]);
      }
      await store.deleteStages(tx, ws, removed);
      // Park positions first so the new order never collides with the old one.
      for (const [i, s] of body.stages.entries()) if (s.id) await store.updateStage(tx, ws, s.id, { position: 1000 + i });
      const added = [];
      for (const [i, s] of body.stages.entries()) {
        const fields = { name: s.name.trim(), probability: s.probability ?? 0, kind: s.kind ?? "open", position: i };
        if (s.id) await store.updateStage(tx, ws, s.id, fields);
        else added.push({ workspace_id: ws, id: newId(), pipeline_id: id, ...fields });
      }
      await store.insertStages(tx, added);
    }
    await audit(tx, ws, actorLabel(actor), "pipeline.updated", "pipeline", id, { name: body.name ?? p.name });
  });
  return getPipeline(db, ws, id);
}

export function presentDeal(d: DealRow, names?: Awaited<ReturnType<typeof nameMap>>) {
  return {
    id: d.id,
    title: d.title,
    value: d.value === null ? null : Number(d.value),
    currency: d.currency,
    pipeline_id: d.pipeline_id,
    stage_id: d.stage_id,
    status: d.status,
    expected_close: d.expected_close
      ? d.expected_close instanceof Date
        ? d.expected_close.toISOString().slice(0, 10)
        : String(d.expected_close).slice(0, 10)
      : null,
    owner_id: d.owner_id,
    owner_name: nameIn(names?.users, d.owner_id),
    contact_id: d.contact_id,
    contact_name: nameIn(names?.contacts, d.contact_id),
    organization_id: d.organization_id,
    organization_name: nameIn(names?.organizations, d.organization_id),
    conversation_id: d.conversation_id,
    message_id: d.message_id,
    source: d.source,
    rule_id: d.rule_id,
    closed_at: iso(d.closed_at),
    created_by: d.created_by,
    created_at: iso(d.created_at),
    updated_at: iso(d.updated_at),
  };
}

async function presentDeals(tx: DbOrTx, ws: string, rows: DealRow[]) {
  const names = await nameMap(tx, ws, {
    contacts: rows.map((r) => r.contact_id ?? ""),
    organizations: rows.map((r) => r.organization_id ?? ""),
    users: rows.map((r) => r.owner_id ?? ""),
  });
  return rows.map((r) => presentDeal(r, names));
}

export type DealListParams = z.output<typeof dealListQuerySchema>;

export async function listDeals(db: Db, actor: Actor, params: DealListParams) {
  requirePermission(actor, "crm:read");
  const owner = params.owner_id === "me" ? (actor.userId ?? undefined) : params.owner_id;
  return listPage(
    "deals",
    params,
    (after: [string, string] | undefined, limit) => store.listDeals(db, actor.workspaceId, { ...params, owner_id: owner }, after, limit),
    (page) => presentDeals(db, actor.workspaceId, page),
    (last) => iso(last.created_at),
  );
}

export async function getDeal(db: Db, actor: Actor, id: string) {
  requirePermission(actor, "crm:read");
  const ws = actor.workspaceId;
  const d = await orThrow(store.findDeal(db, ws, id), "Deal");
  const [view] = await presentDeals(db, ws, [d]);
  const message = d.message_id ? await store.findMessage(db, ws, d.message_id) : undefined;
  const history = await store.listStageHistory(db, ws, id);
  const stages = await store.listStages(db, ws, [d.pipeline_id]);
  const pipeline = await store.findPipeline(db, ws, d.pipeline_id);
  return {
    ...view,
    pipeline: pipeline ? presentPipeline(pipeline, stages) : null,
    source_message: message
      ? {
          id: message.id,
          network: message.network,
          url: message.url,
          author: message.author_name ?? message.author_handle,
          author_handle: message.author_handle,
          text: message.text,
          posted_at: iso(message.posted_at),
          conversation_id: message.conversation_id,
        }
      : null,
    stage_history: history.map((h) => ({
      from_stage_id: h.from_stage_id,
      to_stage_id: h.to_stage_id,
      actor: h.actor,
      at: iso(h.created_at),
    })),
  };
}

export type DealBody = {
  title?: string;
  value?: number | null;
  currency?: string | null;
  pipeline_id?: string | null;
  stage_id?: string | null;
  status?: StageKind;
  expected_close?: string | null;
  owner_id?: string | null;
  contact_id?: string | null;
  organization_id?: string | null;
  conversation_id?: string | null;
  message_id?: string | null;
};

export async function createDealFor(db: Db, actor: Actor, body: DealBody & { title: string }) {
  requirePermission(actor, "crm:write");
  const ws = actor.workspaceId;
  const id = await db.transaction().execute(async (tx) => {
    await checkRefs(tx, ws, {
      contact_id: body.contact_id,
      organization_id: body.organization_id,
      conversation_id: body.conversation_id,
      message_id: body.message_id,
      user_ids: { owner_id: body.owner_id },
    });
    if (body.pipeline_id && !(await store.findPipeline(tx, ws, body.pipeline_id)))
      throw invalid("pipeline_id", "not found in this workspace");
    const row = await createDeal(tx, ws, { ...body, source: actor.kind === "api_key" ? "api" : "manual", created_by: actorLabel(actor) });
    await audit(tx, ws, actorLabel(actor), "deal.created", "deal", row.id, { title: row.title });
    return row.id;
  });
  return getDeal(db, actor, id);
}

export async function updateDealFor(db: Db, actor: Actor, id: string, body: DealBody) {
  requirePermission(actor, "crm:write");
  const ws = actor.workspaceId;
  await db.transaction().execute(async (tx) => {
    const d = await orThrow(store.findDeal(tx, ws, id), "Deal");
    await checkRefs(tx, ws, { contact_id: body.contact_id, organization_id: body.organization_id, user_ids: { owner_id: body.owner_id } });
    const label = actorLabel(actor);
    const set: Parameters<typeof store.updateDeal>[3] = {};
    const changes: Record<string, [unknown, unknown]> = {};
    const plain = ["title", "expected_close", "owner_id", "contact_id", "organization_id"] as const;
    for (const key of plain) {
      if (body[key] !== undefined && body[key] !== d[key]) {
        changes[key] = [d[key], body[key]];
        (set as Record<string, unknown>)[key] = body[key];
      }
    }
    if (body.value !== undefined && (body.value === null ? null : Number(body.value)) !== (d.value === null ? null : Number(d.value))) {
      changes.value = [d.value === null ? null : Number(d.value), body.value];
      set.value = body.value;
    }
    if (body.currency !== undefined && (body.currency?.toUpperCase() ?? null) !== d.currency) {
      changes.currency = [d.currency, body.currency?.toUpperCase() ?? null];
      set.currency = body.currency?.toUpperCase() ?? null;
    }
    // Stage: explicit stage, a pipeline change (first open stage), or a status (first stage of that kind).
    let stage: PipelineStageRow | undefined;
    if (body.stage_id || (body.pipeline_id && body.pipeline_id !== d.pipeline_id)) {
      stage = await resolveStage(tx, ws, body.pipeline_id ?? (body.stage_id ? undefined : d.pipeline_id), body.stage_id);
    } else if (body.status && body.status !== d.status) {
      const stages = await store.listStages(tx, ws, [d.pipeline_id]);
      stage = stages.find((s) => s.kind === body.status);
      if (!stage) throw invalid("status", `the pipeline has no ${body.status} stage`);
    }
    if (stage && stage.id !== d.stage_id) {
      changes.stage_id = [d.stage_id, stage.id];
      set.stage_id = stage.id;
      set.pipeline_id = stage.pipeline_id;
      if (stage.kind !== d.status) {
        changes.status = [d.status, stage.kind];
        set.status = stage.kind;
        set.closed_at = stage.kind === "open" ? null : new Date();
      }
      await store.insertStageHistory(tx, {
        workspace_id: ws,
        id: newId(),
        deal_id: id,
        from_stage_id: d.stage_id,
        to_stage_id: stage.id,
        actor: label,
      });
    }
    if (Object.keys(changes).length === 0) return;
    const row = await store.updateDeal(tx, ws, id, set);
    if (changes.status) await audit(tx, ws, label, "deal.status_changed", "deal", id, { from: changes.status[0], to: changes.status[1] });
    if (changes.stage_id)
      await audit(tx, ws, label, "deal.stage_changed", "deal", id, { from: changes.stage_id[0], to: changes.stage_id[1] });
    if (row.contact_id && row.status === "won" && changes.status) await advanceLifecycle(tx, ws, row.contact_id, "customer", id, label);
    else if (row.contact_id && row.status === "open" && changes.contact_id)
      await advanceLifecycle(tx, ws, row.contact_id, "opportunity", id, label);
    await publish(tx, ws, { type: "record.changed", entity: "deal", id, changes });
  });
  return getDeal(db, actor, id);
}
