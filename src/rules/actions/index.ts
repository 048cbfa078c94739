import { z } from "zod";
import {
  type ActionContext,
  type ActionDefinition,
  type ActionOutcome,
  defineAction,
  done,
  type RuleRef,
  type Subject,
} from "../action-kit";
import { addNote, addTask, setLifecycleStage, tagContact } from "./contact";
import { addTags, assign, removeTags, setPriority, setStatus } from "./conversation";
import { sendMarketingEmail } from "./marketing";
import { notify, webhook } from "./outbound";
import { sendReply } from "./reply";
import { createCase, createDeal, createIdea } from "./work";

// The rule actions, in the order the catalog lists them. A new action is a defineAction
// entry in one of this folder's files (or a new file) and one line in ACTIONS below; the
// rule schema, validation, the catalog and the executor all read this list.

export const stopProcessing = defineAction({
  schema: z.object({ type: z.literal("stop_processing") }).strict(),
  endsRule: true,
  run: () => done("later rules skipped"),
});

const ACTIONS = [
  assign,
  setStatus,
  setPriority,
  addTags,
  removeTags,
  createCase,
  createDeal,
  createIdea,
  tagContact,
  setLifecycleStage,
  addNote,
  addTask,
  notify,
  sendReply,
  sendMarketingEmail,
  webhook,
  stopProcessing,
] as const;

type Schemas<T extends readonly ActionDefinition[]> = { -readonly [K in keyof T]: T[K]["schema"] };

export const actionSchema = z.discriminatedUnion("type", ACTIONS.map((a) => a.schema) as Schemas<typeof ACTIONS>);
export type Action = z.infer<typeof actionSchema>;
export type ActionType = Action["type"];

/** The action type names, as the catalog lists them. */
export const ACTION_TYPES = ACTIONS.map((a) => a.schema.shape.type.value) as ActionType[];

/** An action as the executor runs it: any action's settings, checked by actionSchema. */
export type RegisteredAction = Omit<ActionDefinition, "run"> & {
  run(ctx: ActionContext, action: Action, s: Subject, rule: RuleRef): Promise<ActionOutcome> | ActionOutcome;
};

const BY_TYPE = new Map<string, RegisteredAction>(ACTIONS.map((a) => [a.schema.shape.type.value, a as unknown as RegisteredAction]));

export function registeredAction(type: ActionType): RegisteredAction {
  return BY_TYPE.get(type) as RegisteredAction;
}
