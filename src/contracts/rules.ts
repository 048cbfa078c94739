import { z } from "zod";
import { type Response, timestamp } from "./common";

// Automation rules. A rule's trigger, conditions and actions are validated by rules/definition.ts
// (errors name the field path); here they are documented as objects. Response objects are loose:
// rules/' presenters are the whitelist.

export const ruleInputSchema = z.record(z.string(), z.unknown()).describe("A rule: name, trigger, conditions, actions (docs/rules.md)");

const text = z.string().nullable();
/** An answer whose fields the route's summary describes. */
const object = z.looseObject({});

export const ruleSchema = z.looseObject({
  id: z.string(),
  key: text,
  name: z.string(),
  description: text,
  enabled: z.boolean(),
  position: z.number(),
  version: z.number(),
  trigger: z.unknown(),
  conditions: z.unknown(),
  actions: z.array(z.unknown()),
  stop_processing: z.unknown(),
  created_at: timestamp,
  updated_at: timestamp,
});
export const ruleListSchema = z.looseObject({ data: z.array(ruleSchema) });
export const ruleVersionListSchema = z.looseObject({ data: z.array(object) });
export const ruleRunListSchema = z.looseObject({ data: z.array(object) });
export const ruleCatalogSchema = object;
export const ruleSettingsResponseSchema = object;
export const ruleTestResultSchema = object;
export const ruleImportResultSchema = object;
export const outboxListSchema = z.looseObject({ data: z.array(object) });
export const skillListSchema = z.looseObject({ data: z.array(object) });
export const userSkillsSchema = z.looseObject({ user_id: z.string(), skills: z.array(z.string()) });
export const notificationListSchema = z.looseObject({ data: z.array(object) });

export type Rule = Response<typeof ruleSchema>;
