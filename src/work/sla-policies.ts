import type { Actor } from "../accounts";
import { requirePermission } from "../accounts";
import { AppError, invalid } from "../shared/errors";
import { newId } from "../shared/ids";
import type { Db, DbOrTx } from "../store/db";
import { orThrow } from "../store/errors";
import type { BusinessCalendar, SlaPolicyRow, SlaTargets } from "../store/schema-work";
import * as store from "../store/work";
import { isValidHm, isValidTimeZone } from "./business-hours";
import { actorLabel, audit, iso } from "./common";
import { ensureDefaultSlaPolicy, forgetSlaPolicies } from "./sla";

// SLA policies as the API sees them: targets per priority, a business-hours
// calendar (or around the clock), warn-before minutes and what they apply to.

export type SlaPolicyInput = {
  name?: string;
  is_default?: boolean;
  priorities?: string[];
  team_ids?: string[];
  position?: number;
  targets?: SlaTargets;
  calendar?: BusinessCalendar | null;
  warn_before_minutes?: number;
};

export function presentSlaPolicy(p: SlaPolicyRow) {
  return {
    id: p.id,
    name: p.name,
    is_default: p.is_default,
    priorities: p.priorities,
    team_ids: p.team_ids,
    position: p.position,
    targets: p.targets,
    calendar: p.calendar,
    warn_before_minutes: p.warn_before_minutes,
    created_at: iso(p.created_at),
    updated_at: iso(p.updated_at),
  };
}

function checkCalendar(cal: BusinessCalendar | null | undefined) {
  if (!cal) return;
  if (!isValidTimeZone(cal.timezone)) throw invalid("calendar.timezone", "is not an IANA time zone (e.g. Europe/Berlin)");
  if (cal.hours.length === 0) throw invalid("calendar.hours", "needs at least one interval, or use calendar: null for around the clock");
  cal.hours.forEach((h, i) => {
    if (!isValidHm(h.start)) throw invalid(`calendar.hours.${i}.start`, "must be HH:MM");
    if (!isValidHm(h.end)) throw invalid(`calendar.hours.${i}.end`, "must be HH:MM");
  });
}

/** A policy may only name teams of its own workspace. */
async function checkTeams(db: DbOrTx, workspaceId: string, teamIds: string[] | undefined) {
  if (!teamIds?.length) return;
  const known = new Set((await store.namesOf(db, workspaceId, "teams", [...new Set(teamIds)])).map((t) => t.id));
  teamIds.forEach((id, i) => {
    if (!known.has(id)) throw invalid(`team_ids.${i}`, `no team ${id} in this workspace`);
  });
}

export async function listSlaPolicies(db: Db, actor: Actor) {
  requirePermission(actor, "crm:read");
  await db.transaction().execute((tx) => ensureDefaultSlaPolicy(tx, actor.workspaceId));
  return { data: (await store.listSlaPolicies(db, actor.workspaceId)).map(presentSlaPolicy) };
}

export async function createSlaPolicy(db: Db, actor: Actor, body: SlaPolicyInput & { name: string; targets: SlaTargets }) {
  requirePermission(actor, "rules:manage");
  checkCalendar(body.calendar);
  const ws = actor.workspaceId;
  const id = newId();
  await db.transaction().execute(async (tx) => {
    await checkTeams(tx, ws, body.team_ids);
    await ensureDefaultSlaPolicy(tx, ws);
    if (body.is_default) await store.clearDefaultSlaPolicy(tx, ws);
    await store.insertSlaPolicy(tx, {
      workspace_id: ws,
      id,
      name: body.name,
      is_default: body.is_default ?? false,
      priorities: body.priorities ?? [],
      team_ids: body.team_ids ?? [],
      position: body.position ?? 0,
      targets: JSON.stringify(body.targets),
      calendar: body.calendar ? JSON.stringify(body.calendar) : null,
      warn_before_minutes: body.warn_before_minutes ?? 30,
    });
    await audit(tx, ws, actorLabel(actor), "sla_policy.created", "sla_policy", id, { name: body.name });
  });
  forgetSlaPolicies(ws);
  const row = await orThrow(store.findSlaPolicy(db, ws, id), "SLA policy");
  return presentSlaPolicy(row);
}

/** Changes a policy. Cases keep the due dates they were given; new cases use the new targets. */
export async function updateSlaPolicy(db: Db, actor: Actor, id: string, body: SlaPolicyInput) {
  requirePermission(actor, "rules:manage");
  checkCalendar(body.calendar);
  const ws = actor.workspaceId;
  await db.transaction().execute(async (tx) => {
    const p = await orThrow(store.findSlaPolicy(tx, ws, id), "SLA policy");
    await checkTeams(tx, ws, body.team_ids);
    if (body.is_default === false && p.is_default) throw invalid("is_default", "make another policy the default instead");
    if (body.is_default && !p.is_default) await store.clearDefaultSlaPolicy(tx, ws);
    await store.updateSlaPolicy(tx, ws, id, {
      ...(body.name !== undefined ? { name: body.name } : {}),
      ...(body.is_default !== undefined ? { is_default: body.is_default } : {}),
      ...(body.priorities !== undefined ? { priorities: body.priorities } : {}),
      ...(body.team_ids !== undefined ? { team_ids: body.team_ids } : {}),
      ...(body.position !== undefined ? { position: body.position } : {}),
      ...(body.targets !== undefined ? { targets: JSON.stringify(body.targets) } : {}),
      ...(body.calendar !== undefined ? { calendar: body.calendar ? JSON.stringify(body.calendar) : null } : {}),
      ...(body.warn_before_minutes !== undefined ? { warn_before_minutes: body.warn_before_minutes } : {}),
    });
    await audit(tx, ws, actorLabel(actor), "sla_policy.updated", "sla_policy", id, { name: body.name ?? p.name });
  });
  forgetSlaPolicies(ws);
  const row = await orThrow(store.findSlaPolicy(db, ws, id), "SLA policy");
  return presentSlaPolicy(row);
}

export async function deleteSlaPolicy(db: Db, actor: Actor, id: string) {
  requirePermission(actor, "rules:manage");
  const ws = actor.workspaceId;
  await db.transaction().execute(async (tx) => {
    const p = await orThrow(store.findSlaPolicy(tx, ws, id), "SLA policy");
    if (p.is_default) throw new AppError("conflict", "The default policy cannot be deleted; make another one the default first");
    await store.deleteSlaPolicy(tx, ws, id);
    await audit(tx, ws, actorLabel(actor), "sla_policy.deleted", "sla_policy", id, { name: p.name });
  });
  forgetSlaPolicies(ws);
}
