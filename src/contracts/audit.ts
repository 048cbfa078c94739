import { z } from "zod";
import { pageOf, pageQuery, type Response, timestamp } from "./common";

// The audit log: who did what to which record, when and from where (issue 13).

const isoTime = (field: string) =>
  z
    .string()
    .max(40)
    .refine((v) => !Number.isNaN(Date.parse(v)), { message: `${field} must be a date or time (ISO 8601, e.g. 2026-01-31)` });

export const auditQuerySchema = z
  .object({
    actor: z.string().trim().min(1).max(200).optional().describe("Who: user:<id>, api_key:<id> or cli"),
    action: z.string().trim().min(1).max(100).optional().describe("An action (contact.merged) or a prefix ending in a dot (contact.)"),
    target_type: z.string().trim().min(1).max(60).optional().describe("What kind of record: contact, rule, user, api_key…"),
    target_id: z.string().trim().min(1).max(200).optional().describe("Which record"),
    from: isoTime("from").optional().describe("Entries at or after this time"),
    to: isoTime("to").optional().describe("Entries before this time (a date alone means up to the end of that day)"),
    format: z.enum(["json", "csv"]).default("json").describe("csv downloads every matching entry as a file"),
    ...pageQuery,
  })
  .strict();

export const auditEventSchema = z.object({
  id: z.string(),
  at: timestamp,
  actor: z.string().describe("user:<id>, api_key:<id>, cli or rule:<id>"),
  actor_name: z.string().nullable().describe("The actor's name when it acted"),
  action: z.string(),
  target_type: z.string(),
  target_id: z.string().nullable(),
  summary: z.string(),
  details: z.record(z.string(), z.unknown()).describe("The facts of the action: what changed from what to what, counts, related ids"),
  ip: z.string().nullable(),
  user_agent: z.string().nullable(),
});
export const auditListSchema = pageOf(auditEventSchema);

export type AuditQuery = z.output<typeof auditQuerySchema>;
export type AuditEvent = Response<typeof auditEventSchema>;
export type AuditList = Response<typeof auditListSchema>;
