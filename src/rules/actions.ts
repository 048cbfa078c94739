import type { Insertable } from "kysely";
import { newId } from "../shared/ids";
import { encryptSecret } from "../shared/secrets";
import { type DbOrTx, inSavepoint } from "../store/db";
import * as store from "../store/rules";
import type { ActivityTable, ConversationStatus } from "../store/schema";
import type { RuleRunTable } from "../store/schema-rules";
import type { GroupTrace, Values } from "./conditions";
import type { Action } from "./definition";
import type { ActionResult, CompiledRule, Subject } from "./types";
import { workActions } from "./work-actions";

// Actions. Database actions run in the caller's transaction; conversation changes,
// tags, notes, notifications, runs and outbox rows are collected and written once
// per batch. Email and webhooks only enter the outbox here; the outbox worker
// delivers them after commit.

/** Actions that write at once (not in the batched flush), each inside its own savepoint. */
const WRITES_NOW = new Set<Action["type"]>([
  "remove_tags",
  "create_case",
  "create_deal",
  "create_idea",
  "tag_contact",
  "set_lifecycle_stage",
]);

/** {{field}} or {{field:80}} (cut to 80 characters) from the subject's values. */
export function render(template: string, values: Values): string {
  return template.replace(/\{\{\s*([a-z0-9_.]+)(?::(\d+))?\s*\}\}/gi, (_, field: string, max?: string) => {
    const v = values[field];
    let s = v === null || v === undefined ? "" : Array.isArray(v) ? v.join(", ") : String(v);
    s = s.replace(/\s+/g, " ").trim();
    if (max && s.length > Number(max)) s = `${s.slice(0, Number(max) - 1)}…`;
    return s;
  });
}

type Member = { user_id: string; skills: string[]; online: boolean; load: number };
type ConvPatch = { status?: ConversationStatus; team_id?: string | null; assignee_id?: string | null; priority?: number };

export class Executor {
  private teams?: Map<string, { id: string; name: string }>;
  private rosters = new Map<string, Member[]>();
  private patches = new Map<string, ConvPatch>();
  private tags: Array<{ workspace_id: string; conversation_id: string; tag: string }> = [];
  private activities: Insertable<ActivityTable>[] = [];
  private notifications: Parameters<typeof store.insertNotifications>[1] = [];
  private outbox: Parameters<typeof store.insertOutbox>[1] = [];
  private runs: Insertable<RuleRunTable>[] = [];
  private cursorsChanged = false;
  readonly dryRun: boolean;
  private cursors: Record<string, number>;

  constructor(
    private readonly db: DbOrTx,
    private readonly workspaceId: string,
    options: { dryRun: boolean; cursors: Record<string, number> },
  ) {
    this.dryRun = options.dryRun;
    this.cursors = options.cursors;
  }

  async run(rule: CompiledRule, s: Subject): Promise<ActionResult[]> {
    const out: ActionResult[] = [];
    for (const a of rule.def.actions) {
      try {
        out.push(WRITES_NOW.has(a.type) ? await this.guarded(() => this.one(rule, a, s)) : await this.one(rule, a, s));
      } catch (err) {
        out.push({ type: a.type, ok: false, detail: err instanceof Error ? err.message : String(err) });
      }
      if (a.type === "stop_processing") break;
    }
    return out;
  }

  /**
   * Runs a writing action inside a SAVEPOINT of the caller's transaction. PostgreSQL aborts the
   * whole transaction after any error, so without it one failing action (a deleted user, a
   * constraint) would roll back the ingest of the batch; with it only that action is undone.
   */
  private async guarded<T>(fn: () => Promise<T>): Promise<T> {
    if (this.dryRun || !this.db.isTransaction) return fn();
    return inSavepoint(this.db, "rule_action", fn);
  }

  recordRun(rule: CompiledRule, s: Subject, conditions: GroupTrace, actions: ActionResult[]) {
    if (this.dryRun || !s.eventKey) return;
    this.runs.push({
      workspace_id: this.workspaceId,
      rule_id: rule.id,
      event_key: s.eventKey,
      id: newId(),
      version: rule.version,
      trigger: rule.trigger,
      message_id: s.messageId ?? null,
      conversation_id: s.conversationId ?? null,
      conditions: JSON.stringify(conditions),
      actions: JSON.stringify(actions),
    });
  }

  async flush() {
    if (this.dryRun) return;
    try {
      await this.guarded(() => this.writeEffects());
    } catch (err) {
      // The batched effects could not be written (checked before, so this should not happen):
      // the ingest still commits, and each run says its effects were lost.
      const detail = `effects not saved: ${err instanceof Error ? err.message : String(err)}`;
      for (const r of this.runs) {
        const actions = JSON.parse(String(r.actions)) as ActionResult[];
        r.actions = JSON.stringify(actions.map((a) => (a.ok ? { ...a, ok: false, detail: `${a.detail} (${detail})` } : a)));
      }
      await this.guarded(() => store.insertRuns(this.db, this.runs));
    }
  }

  private async writeEffects() {
    const ws = this.workspaceId;
    // conversations with the same change are updated together
    const groups = new Map<string, { patch: ConvPatch; ids: string[] }>();
    for (const [id, patch] of this.patches) {
      const k = JSON.stringify(patch);
      const g = groups.get(k) ?? { patch, ids: [] };
      g.ids.push(id);
      groups.set(k, g);
    }
    for (const g of groups.values()) await store.patchConversations(this.db, ws, g.ids, g.patch);
    await store.addConversationTags(this.db, this.tags);
    await store.insertActivities(this.db, this.activities);
    await store.insertNotifications(this.db, this.notifications);
    await store.insertOutbox(this.db, this.outbox);
    await store.insertRuns(this.db, this.runs);
    if (this.cursorsChanged) await store.saveCursors(this.db, ws, this.cursors);
  }

  private patch(s: Subject, p: ConvPatch) {
    if (!s.conversationId) throw new Error("no conversation to change");
    this.patches.set(s.conversationId, { ...this.patches.get(s.conversationId), ...p });
    for (const [k, v] of Object.entries(p)) s.values[`conversation.${k}`] = v;
  }

  private async team(ref: string) {
    if (!this.teams) {
      this.teams = new Map();
      for (const t of await store.teamsOf(this.db, this.workspaceId)) {
        this.teams.set(t.id, t);
        this.teams.set(t.name.toLowerCase(), t);
      }
    }
    const t = this.teams.get(ref) ?? this.teams.get(ref.toLowerCase());
    if (!t) throw new Error(`no team "${ref}"`);
    return t;
  }

  private memberCache = new Map<string, Awaited<ReturnType<typeof store.membersByIds>>>();
  /** Members by id, looked up once per batch for each set of recipients. */
  private async members(ids: string[]) {
    const key = [...ids].sort().join(",");
    let m = this.memberCache.get(key);
    if (!m) {
      m = await store.membersByIds(this.db, this.workspaceId, ids);
      this.memberCache.set(key, m);
    }
    return m;
  }

  private async roster(teamId: string) {
    let r = this.rosters.get(teamId);
    if (!r) {
      r = (await store.teamRoster(this.db, this.workspaceId, teamId)).map((m) => ({ ...m, load: Number(m.load) }));
      this.rosters.set(teamId, r);
    }
    return r;
  }

  /** A member of the team: by round robin or least loaded among online members, preferring those with the skill. */
  async pick(teamId: string, strategy: string, skill?: string): Promise<{ userId: string | null; why: string }> {
    if (strategy === "team_only") return { userId: null, why: "team only" };
    let members = await this.roster(teamId);
    if (members.length === 0) return { userId: null, why: "the team has no members" };
    let why = "";
    if (skill) {
      const skilled = members.filter((m) => m.skills.some((x) => x.toLowerCase() === skill.toLowerCase()));
      if (skilled.length) {
        members = skilled;
        why = `with skill ${skill}, `;
      } else why = `nobody has skill ${skill}, `;
    }
    if (strategy === "least_loaded") {
      const online = members.filter((m) => m.online);
      const pool = online.length ? online : members;
      const best = [...pool].sort((a, b) => a.load - b.load || a.user_id.localeCompare(b.user_id))[0] as Member;
      best.load++;
      return {
        userId: best.user_id,
        why: `${why}least loaded${online.length ? " online" : " (nobody online)"} member (${best.load - 1} open)`,
      };
    }
    const key = skill ? `${teamId}:${skill.toLowerCase()}` : teamId;
    const n = this.cursors[key] ?? 0;
    const chosen = members[n % members.length] as Member;
    this.cursors[key] = n + 1;
    this.cursorsChanged = true;
    chosen.load++;
    return { userId: chosen.user_id, why: `${why}round robin` };
  }

  private async one(rule: CompiledRule, a: Action, s: Subject): Promise<ActionResult> {
    const ws = this.workspaceId;
    const v = s.values;
    const ok = (detail: string): ActionResult => ({ type: a.type, ok: true, detail });
    const skip = (detail: string): ActionResult => ({ type: a.type, ok: false, detail });
    switch (a.type) {
      case "assign": {
        const team = a.team ? await this.team(a.team) : null;
        let userId = a.user_id ?? null;
        // checked on save, but the user may have been deleted or removed from the workspace since
        if (userId && (await this.members([userId])).length === 0) throw new Error(`user ${userId} is not a member of this workspace`);
        let why = userId ? "named user" : "";
        if (!userId && team) ({ userId, why } = await this.pick(team.id, a.strategy, a.skill));
        this.patch(s, { ...(team ? { team_id: team.id } : {}), ...(userId ? { assignee_id: userId } : {}) });
        return ok(`${team ? `team ${team.name}` : ""}${userId ? `${team ? ", " : ""}user ${userId}` : ""} (${why})`);
      }
      case "set_status":
        this.patch(s, { status: a.status });
        return ok(`status ${a.status}`);
      case "set_priority":
        this.patch(s, { priority: a.priority });
        return ok(`priority ${a.priority}`);
      case "add_tags": {
        if (!s.conversationId) return skip("no conversation");
        const conv = s.conversationId;
        for (const tag of a.tags) this.tags.push({ workspace_id: ws, conversation_id: conv, tag });
        v["conversation.tags"] = [...new Set([...((v["conversation.tags"] as string[]) ?? []), ...a.tags])];
        return ok(`tags ${a.tags.join(", ")}`);
      }
      case "remove_tags": {
        if (!s.conversationId) return skip("no conversation");
        const conv = s.conversationId;
        this.tags = this.tags.filter((t) => !(t.conversation_id === conv && a.tags.includes(t.tag)));
        if (!this.dryRun) await store.removeConversationTags(this.db, ws, conv, a.tags);
        v["conversation.tags"] = ((v["conversation.tags"] as string[]) ?? []).filter((t) => !a.tags.includes(t));
        return ok(`removed tags ${a.tags.join(", ")}`);
      }
      case "create_case": {
        const work = workActions();
        const team = a.team ? await this.team(a.team) : null;
        let assignee = (v["conversation.assignee_id"] as string | null) ?? undefined;
        if (team && a.strategy) assignee = (await this.pick(team.id, a.strategy)).userId ?? assignee;
        const subject = render(a.subject ?? "{{message.text:80}}", v) || "Case from a rule";
        if (this.dryRun) return ok(`would create a case "${subject}"${team ? ` for ${team.name}` : ""}`);
        const row = await work.createCase(this.db, ws, {
          subject,
          description: String(v["message.text"] ?? "") || undefined,
          priority: a.priority,
          team_id: team?.id ?? (v["conversation.team_id"] as string | null) ?? undefined,
          assignee_id: assignee,
          contact_id: s.contactId ?? undefined,
          conversation_id: s.conversationId ?? undefined,
          source: "rule",
          rule_id: rule.id,
          tags: a.tags,
          at: s.postedAt,
        });
        v["case.id"] = row.id;
        return ok(`case ${row.number ?? row.id}${team ? ` for ${team.name}` : ""}`);
      }
      case "create_deal": {
        const work = workActions();
        const title = render(a.title ?? "Lead: {{message.text:60}}", v);
        if (a.lifecycle_stage && s.contactId && !this.dryRun) await store.setContactStage(this.db, ws, s.contactId, a.lifecycle_stage);
        if (this.dryRun) return ok(`would create a deal "${title}"`);
        const deal = await work.createDeal(this.db, ws, {
          title,
          contact_id: s.contactId ?? undefined,
          conversation_id: s.conversationId ?? undefined,
          message_id: s.messageId ?? undefined,
          value: a.value,
          currency: a.currency,
          pipeline_id: a.pipeline_id,
          stage_id: a.stage_id,
          owner_id: (v["conversation.assignee_id"] as string | null) ?? undefined,
          source: "rule",
          rule_id: rule.id,
        });
        return ok(`deal ${deal.id}${a.lifecycle_stage && s.contactId ? `, contact is now ${a.lifecycle_stage}` : ""}`);
      }
      case "create_idea": {
        const work = workActions();
        const title = render(a.title ?? "{{message.text:80}}", v);
        if (this.dryRun) return ok(`would create or vote for an idea "${title}"`);
        const r = await work.createOrAttachIdea(this.db, ws, {
          title,
          description: String(v["message.text"] ?? ""),
          message_id: s.messageId ?? undefined,
          profile_id: s.profileId ?? undefined,
          contact_id: s.contactId ?? undefined,
          match_similar: a.match_similar,
          rule_id: rule.id,
        });
        return ok(`${r.created ? "new idea" : "attached to idea"} ${r.idea.id}${r.voted ? " (+1 vote)" : ""}`);
      }
      case "tag_contact": {
        if (!s.contactId) return skip("the author is not a known contact");
        if (!this.dryRun) await store.addContactTags(this.db, ws, s.contactId, a.tags);
        return ok(`contact tagged ${a.tags.join(", ")}`);
      }
      case "set_lifecycle_stage": {
        if (!s.contactId) return skip("the author is not a known contact");
        if (!this.dryRun) await store.setContactStage(this.db, ws, s.contactId, a.stage);
        return ok(`contact is now ${a.stage}`);
      }
      case "add_note":
      case "add_task": {
        if (!s.contactId) return skip("the author is not a known contact");
        const task = a.type === "add_task";
        this.activities.push({
          workspace_id: ws,
          id: newId(),
          contact_id: s.contactId,
          organization_id: null,
          type: task ? "task" : "note",
          subject: task ? render(a.subject, v) : `Rule: ${rule.name}`,
          body: task ? render(`{{message.text}}`, v) : render(a.body, v),
          occurred_at: new Date(),
          due_at: task && a.due_in_hours !== undefined ? new Date(Date.now() + a.due_in_hours * 3_600_000) : null,
          assignee_id: task ? ((v["conversation.assignee_id"] as string | null) ?? null) : null,
          created_by: null,
        });
        return ok(task ? "task added to the contact" : "note added to the contact");
      }
      case "notify": {
        const ids = new Set<string>(a.user_ids ?? []);
        if (a.team) for (const m of await this.roster((await this.team(a.team)).id)) ids.add(m.user_id);
        if (a.roles?.length) {
          const key = `roles:${[...a.roles].sort().join(",")}`;
          let byRole = this.memberCache.get(key);
          if (!byRole) {
            byRole = await store.membersWithRoles(this.db, ws, a.roles);
            this.memberCache.set(key, byRole);
          }
          for (const m of byRole) ids.add(m.id);
        }
        const assignee = v["conversation.assignee_id"] as string | null;
        if (a.assignee && assignee) ids.add(assignee);
        const members = await this.members([...ids]);
        if (members.length === 0) return skip("nobody to notify");
        const title = render(a.title, v);
        const body = a.body ? render(a.body, v) : null;
        const link = s.conversationId ? `/conversations/${s.conversationId}` : null;
        for (const m of members) {
          this.notifications.push({ workspace_id: ws, id: newId(), user_id: m.id, title, body, link, rule_id: rule.id });
        }
        const emailed = a.email && process.env.PARLEY_SMTP_URL;
        if (emailed) {
          this.outbox.push({
            workspace_id: ws,
            id: newId(),
            kind: "email",
            rule_id: rule.id,
            payload: JSON.stringify({ to: members.map((m) => m.email), subject: title, text: `${body ?? ""}${link ? `\n\n${link}` : ""}` }),
          });
        }
        return ok(`${members.length} notified${emailed ? " (and emailed)" : ""}`);
      }
      case "webhook": {
        const body = {
          event: s.eventKey ?? null,
          rule: { id: rule.id, key: rule.key, name: rule.name, version: rule.version },
          message_id: s.messageId ?? null,
          conversation_id: s.conversationId ?? null,
          contact_id: s.contactId ?? null,
          values: Object.fromEntries(Object.entries(v).filter(([k]) => !k.startsWith("contact.custom."))),
        };
        this.outbox.push({
          workspace_id: ws,
          id: newId(),
          kind: "webhook",
          rule_id: rule.id,
          // the secret stays sealed in the outbox too; the worker opens it to sign
          payload: JSON.stringify({ url: a.url, secret_sealed: a.secret_sealed ?? (a.secret ? encryptSecret(a.secret) : null), body }),
        });
        return ok(`queued POST ${new URL(a.url).host}`);
      }
      case "stop_processing":
        return ok("later rules skipped");
    }
  }
}
