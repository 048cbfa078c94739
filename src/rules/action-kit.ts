import type { Insertable } from "kysely";
import { z } from "zod";
import type { Role } from "../contracts/enums";
import type { DbOrTx } from "../store/db";
import type * as store from "../store/rules";
import type { ActivityTable, ConversationStatus } from "../store/schema";
import type { RuleWorkBatch } from "./work-actions";

// What a rule action is made of: its schema, how it runs, and what it may use while it
// runs (the ActionContext the executor gives it). Each action is one defineAction entry
// in src/rules/actions/ and one line in the list of src/rules/actions/index.ts. This file
// imports nothing of the rules' own, so the definitions can build the rule schema from it.

/** What a rule runs on: the values its conditions read and the records its actions change. */
export type Subject = {
  values: Record<string, unknown>;
  messageId?: string | null;
  conversationId?: string | null;
  contactId?: string | null;
  profileId?: string | null;
  caseId?: string | null;
  postedAt?: Date;
  eventKey?: string;
  /** Where in the app the event's figures are (an alert's report), when it is about no conversation. */
  link?: string | null;
  /** What happened, in a sentence (an alert's metric, value, threshold and window): a notification's body unless the rule gives one. */
  detail?: string | null;
};

/** The rule an action belongs to, as actions name it. */
export type RuleRef = { id: string; key: string; name: string; version: number };

export type ConversationPatch = { status?: ConversationStatus; team_id?: string | null; assignee_id?: string | null; priority?: number };
export type RosterMember = { user_id: string; skills: string[]; online: boolean; load: number };

/**
 * What an action may do besides writing at once through `db`: look teams and members up (once
 * per batch), pick an assignee, and collect the writes the executor makes once per batch.
 */
export interface ActionContext {
  readonly db: DbOrTx;
  readonly workspaceId: string;
  /** Nothing may be written: the action says what it would do. */
  readonly dryRun: boolean;
  /** A team by id or name (any case); an error when there is none. */
  team(ref: string): Promise<{ id: string; name: string }>;
  members(ids: string[]): Promise<Awaited<ReturnType<typeof store.membersByIds>>>;
  membersWithRoles(roles: Role[]): Promise<Awaited<ReturnType<typeof store.membersWithRoles>>>;
  roster(teamId: string): Promise<RosterMember[]>;
  /** A member of the team: by round robin or least loaded among online members, preferring those with the skill. */
  pick(teamId: string, strategy: string, skill?: string): Promise<{ userId: string | null; why: string }>;
  patchConversation(s: Subject, patch: ConversationPatch): void;
  addConversationTags(conversationId: string, tags: string[]): void;
  /** Forgets tags added earlier in the batch (removing stored ones is the action's own write). */
  dropPendingTags(conversationId: string, tags: string[]): void;
  addActivity(row: Insertable<ActivityTable>): void;
  notify(row: Parameters<typeof store.insertNotifications>[1][number]): void;
  enqueue(row: Parameters<typeof store.insertOutbox>[1][number]): void;
  /** The cases and ideas of this batch of runs, written together when the executor flushes. */
  work(): RuleWorkBatch;
}

/**
 * What an action did, in words (or why it did nothing). `settle` gives the final outcome once the
 * batch's work is written (a case's number is only known then); the executor applies it before
 * the run is saved.
 */
export type ActionOutcome = { ok: boolean; detail: string; settle?: () => ActionOutcome };
export const done = (detail: string): ActionOutcome => ({ ok: true, detail });
export const skipped = (detail: string): ActionOutcome => ({ ok: false, detail });

type ActionShape = z.ZodObject<{ type: z.ZodLiteral<string> }>;

export type ActionDefinition<S extends ActionShape = ActionShape> = {
  schema: S;
  /** Writes at once inside its own savepoint, rather than in the executor's batched flush. */
  writesNow?: boolean;
  /** Later rules are skipped once it ran. */
  endsRule?: boolean;
  run(ctx: ActionContext, action: z.output<S>, s: Subject, rule: RuleRef): Promise<ActionOutcome> | ActionOutcome;
};

/** One rule action: the `type` literal of its schema names it. */
export function defineAction<S extends ActionShape>(definition: ActionDefinition<S>): ActionDefinition<S> {
  return definition;
}

// Setting shapes several actions share
export const template = z.string().max(2000);
export const teamRef = z.string().min(1).max(120).describe("Team name or id");
export const tagList = z.array(z.string().min(1).max(60)).min(1).max(20);

/** {{field}} or {{field:80}} (cut to 80 characters) from the subject's values. */
export function render(text: string, values: Record<string, unknown>): string {
  return text.replace(/\{\{\s*([a-z0-9_.]+)(?::(\d+))?\s*\}\}/gi, (_, field: string, max?: string) => {
    const v = values[field];
    let s = v === null || v === undefined ? "" : Array.isArray(v) ? v.join(", ") : String(v);
    s = s.replace(/\s+/g, " ").trim();
    if (max && s.length > Number(max)) s = `${s.slice(0, Number(max) - 1)}…`;
    return s;
  });
}

/** The conversation's assignee in the subject's values, if any. */
export const assigneeOf = (s: Subject) => (s.values["conversation.assignee_id"] as string | null) ?? null;
