import type { Insertable } from "kysely";
import type { Role } from "../contracts/enums";
import { newId } from "../shared/ids";
import { type DbOrTx, inSavepoint } from "../store/db";
import * as store from "../store/rules";
import type { ActivityTable } from "../store/schema";
import type { RuleRunTable } from "../store/schema-rules";
import type { ActionContext, ConversationPatch, RosterMember } from "./action-kit";
import { registeredAction } from "./actions";
import type { GroupTrace } from "./conditions";
import type { ActionResult, CompiledRule, Subject } from "./types";
import { type RuleWorkBatch, type WorkBatchScope, workActions } from "./work-actions";

// Runs a rule's actions (each one an entry of src/rules/actions/) and is the context they
// run in. Database actions run in the caller's transaction; conversation changes, tags,
// notes, notifications, runs and outbox rows are collected and written once per batch.
// Email and webhooks only enter the outbox here; the outbox worker delivers them after
// commit.

export class Executor implements ActionContext {
  private teams?: Map<string, { id: string; name: string }>;
  private rosters = new Map<string, RosterMember[]>();
  private patches = new Map<string, ConversationPatch>();
  private tags: Array<{ workspace_id: string; conversation_id: string; tag: string }> = [];
  private activities: Insertable<ActivityTable>[] = [];
  private notifications: Parameters<typeof store.insertNotifications>[1] = [];
  private outbox: Parameters<typeof store.insertOutbox>[1] = [];
  private runs: Array<Omit<Insertable<RuleRunTable>, "actions"> & { actions: ActionResult[] }> = [];
  private workBatch?: RuleWorkBatch;
  private settles: Array<() => void> = [];
  private readonly scope: WorkBatchScope;
  private cursorsChanged = false;
  readonly dryRun: boolean;
  private cursors: Record<string, number>;

  constructor(
    readonly db: DbOrTx,
    readonly workspaceId: string,
    options: { dryRun: boolean; cursors: Record<string, number>; scope?: WorkBatchScope },
  ) {
    this.dryRun = options.dryRun;
    this.cursors = options.cursors;
    this.scope = options.scope ?? { conversationIds: [], messageIds: [] };
  }

  work(): RuleWorkBatch {
    this.workBatch ??= workActions().startBatch(this.db, this.workspaceId, this.scope);
    return this.workBatch;
  }

  async run(rule: CompiledRule, s: Subject): Promise<ActionResult[]> {
    const out: ActionResult[] = [];
    for (const a of rule.def.actions) {
      const action = registeredAction(a.type);
      const runIt = async () => action.run(this, a, s, rule);
      try {
        const { settle, ...outcome } = action.writesNow ? await this.guarded(runIt) : await runIt();
        const result: ActionResult = { type: a.type, ...outcome };
        if (settle) this.settles.push(() => Object.assign(result, settle()));
        out.push(result);
      } catch (err) {
        out.push({ type: a.type, ok: false, detail: err instanceof Error ? err.message : String(err) });
      }
      if (action.endsRule) break;
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
      // kept as objects until the flush: a batched action's outcome is settled there
      actions,
    });
  }

  async flush() {
    if (this.dryRun) return;
    // cases and ideas first (one statement per table), then what each action did is known
    await this.workBatch?.flush();
    for (const settle of this.settles) settle();
    try {
      await this.guarded(() => this.writeEffects());
    } catch (err) {
      // The batched effects could not be written (checked before, so this should not happen):
      // the ingest still commits, and each run says its effects were lost.
      const detail = `effects not saved: ${err instanceof Error ? err.message : String(err)}`;
      for (const r of this.runs) r.actions = r.actions.map((a) => (a.ok ? { ...a, ok: false, detail: `${a.detail} (${detail})` } : a));
      await this.guarded(() => store.insertRuns(this.db, this.runRows()));
    }
  }

  private runRows(): Insertable<RuleRunTable>[] {
    return this.runs.map((r) => ({ ...r, actions: JSON.stringify(r.actions) }));
  }

  private async writeEffects() {
    const ws = this.workspaceId;
    // conversations with the same change are updated together
    const groups = new Map<string, { patch: ConversationPatch; ids: string[] }>();
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
    await store.insertRuns(this.db, this.runRows());
    if (this.cursorsChanged) await store.saveCursors(this.db, ws, this.cursors);
  }

  patchConversation(s: Subject, p: ConversationPatch) {
    if (!s.conversationId) throw new Error("no conversation to change");
    this.patches.set(s.conversationId, { ...this.patches.get(s.conversationId), ...p });
    for (const [k, v] of Object.entries(p)) s.values[`conversation.${k}`] = v;
  }

  addConversationTags(conversationId: string, tags: string[]) {
    for (const tag of tags) this.tags.push({ workspace_id: this.workspaceId, conversation_id: conversationId, tag });
  }

  dropPendingTags(conversationId: string, tags: string[]) {
    this.tags = this.tags.filter((t) => !(t.conversation_id === conversationId && tags.includes(t.tag)));
  }

  addActivity(row: Insertable<ActivityTable>) {
    this.activities.push(row);
  }

  notify(row: Executor["notifications"][number]) {
    this.notifications.push(row);
  }

  enqueue(row: Executor["outbox"][number]) {
    this.outbox.push(row);
  }

  async team(ref: string) {
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
  private roleCache = new Map<string, Awaited<ReturnType<typeof store.membersWithRoles>>>();
  /** Looks a value up once per batch for each set of keys (in any order). */
  private async once<T>(cache: Map<string, T>, keys: string[], load: () => Promise<T>): Promise<T> {
    const key = [...keys].sort().join(",");
    let value = cache.get(key);
    if (value === undefined) {
      value = await load();
      cache.set(key, value);
    }
    return value;
  }

  /** Members by id, looked up once per batch for each set of recipients. */
  members(ids: string[]) {
    return this.once(this.memberCache, ids, () => store.membersByIds(this.db, this.workspaceId, ids));
  }

  /** Members with any of the roles, looked up once per batch for each set of roles. */
  membersWithRoles(roles: Role[]) {
    return this.once(this.roleCache, roles, () => store.membersWithRoles(this.db, this.workspaceId, roles));
  }

  async roster(teamId: string) {
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
      const best = [...pool].sort((a, b) => a.load - b.load || a.user_id.localeCompare(b.user_id))[0] as RosterMember;
      best.load++;
      return {
        userId: best.user_id,
        why: `${why}least loaded${online.length ? " online" : " (nobody online)"} member (${best.load - 1} open)`,
      };
    }
    const key = skill ? `${teamId}:${skill.toLowerCase()}` : teamId;
    const n = this.cursors[key] ?? 0;
    const chosen = members[n % members.length] as RosterMember;
    this.cursors[key] = n + 1;
    this.cursorsChanged = true;
    chosen.load++;
    return { userId: chosen.user_id, why: `${why}round robin` };
  }
}
