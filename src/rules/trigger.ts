import { createHash } from "node:crypto";
import type { DomainEvent, EventOf } from "../events";
import type { DbOrTx } from "../store/db";
import * as store from "../store/rules";
import type { Values } from "./conditions";
import { compiledRules, messageSubjects, runIngestRules, runRules, timeValues } from "./engine";

// Entry point for every rule trigger (issue #6). Rules subscribe to the domain events
// (src/events, registered by src/wiring.ts): each event runs here inside the writer's
// transaction, after its rows are written, so rules see those rows and their runs
// commit with them.

/** Rules' subscriber: a domain event becomes the rule trigger of the same meaning. */
export async function onDomainEvent(tx: DbOrTx, workspaceId: string, event: DomainEvent): Promise<void> {
  const at = event.at ?? new Date();
  switch (event.type) {
    case "message.stored":
      // an ingest batch is received and analyzed at once: both triggers, in one pass
      return runIngestRules(tx, workspaceId, event.messages);
    case "conversation.changed": {
      const status = event.changes.status;
      if (!status || status[0] === status[1]) return;
      const [from, to] = status.map(String) as [string, string];
      return fireRules(tx, workspaceId, { type: "conversation.status_changed", conversationId: event.conversationId, from, to }, at);
    }
    case "record.changed":
      return fireRules(tx, workspaceId, { type: event.type, entity: event.entity, id: event.id, changes: event.changes }, at);
    case "sla.warning":
    case "sla.breached":
      return fireRules(tx, workspaceId, { type: event.type, caseId: event.caseId, kind: event.kind }, at);
    case "schedule":
      return fireRules(tx, workspaceId, { type: "schedule", ruleId: event.ruleId }, at);
    case "issue.burst":
      return fireRules(tx, workspaceId, { ...event, type: "issue.burst" }, at);
    case "alert.threshold":
      return fireRules(tx, workspaceId, { ...event, type: "alert.threshold" }, at);
  }
}

export type TriggerEvent =
  | { type: "message.received" | "message.analyzed"; messageIds: string[] }
  | { type: "conversation.status_changed"; conversationId: string; from: string; to: string }
  | {
      type: "record.changed";
      entity: "contact" | "case" | "deal" | "idea";
      id: string;
      changes: Record<string, [unknown, unknown]>;
    }
  | { type: "sla.warning" | "sla.breached"; caseId: string; kind: "first_response" | "resolution" }
  | { type: "schedule"; ruleId: string }
  | { type: "issue.burst"; issueId: string; label: string; startedAt: string; count: number; baseline: number }
  | (Omit<EventOf<"alert.threshold">, "at"> & { type: "alert.threshold" });

const digest = (v: unknown) => createHash("sha1").update(JSON.stringify(v)).digest("hex").slice(0, 16);

export async function fireRules(tx: DbOrTx, workspaceId: string, event: TriggerEvent, at = new Date()): Promise<void> {
  const set = await compiledRules(tx, workspaceId);
  if (!set.rules.some((r) => r.enabled && r.trigger === event.type)) return;
  const time = timeValues(at, set.timeZone);
  switch (event.type) {
    case "message.received":
    case "message.analyzed": {
      const subjects = await messageSubjects(tx, workspaceId, event.messageIds, set.fields, set.timeZone);
      await runRules(
        tx,
        workspaceId,
        [event.type],
        subjects.map((s) => ({ ...s, eventKey: `msg:${s.messageId}` })),
      );
      return;
    }
    case "conversation.status_changed": {
      const [conv] = await store.conversationsByIds(tx, workspaceId, [event.conversationId]);
      if (!conv) return;
      const tags = await store.tagsOfConversations(tx, workspaceId, [conv.id]);
      const values: Values = {
        ...time,
        "event.from": event.from,
        "event.to": event.to,
        "conversation.id": conv.id,
        "conversation.status": conv.status,
        "conversation.team_id": conv.team_id,
        "conversation.assignee_id": conv.assignee_id,
        "conversation.message_count": conv.message_count,
        "conversation.tags": tags.get(conv.id) ?? [],
      };
      await runRules(
        tx,
        workspaceId,
        [event.type],
        [{ values, conversationId: conv.id, eventKey: `status:${conv.id}:${event.from}>${event.to}:${at.getTime()}` }],
      );
      return;
    }
    case "record.changed": {
      const values: Values = {
        ...time,
        "record.entity": event.entity,
        "record.id": event.id,
        "record.changed": Object.keys(event.changes),
      };
      for (const [k, [, after]] of Object.entries(event.changes)) values[`record.${k}`] = after;
      let contactId: string | null = null;
      if (event.entity === "contact") {
        contactId = event.id;
        const [c] = await store.contactsByIds(tx, workspaceId, [event.id]);
        if (c) {
          values["contact.id"] = c.id;
          values["contact.name"] = c.name;
          values["contact.lifecycle_stage"] = c.lifecycle_stage;
          values["contact.tags"] = c.tags;
        }
      }
      const conversationId = typeof values["record.conversation_id"] === "string" ? (values["record.conversation_id"] as string) : null;
      await runRules(
        tx,
        workspaceId,
        [event.type],
        [{ values, contactId, conversationId, eventKey: `rec:${event.entity}:${event.id}:${digest(event.changes)}:${at.getTime()}` }],
      );
      return;
    }
    case "sla.warning":
    case "sla.breached": {
      const values: Values = {
        ...time,
        "sla.kind": event.kind,
        "case.id": event.caseId,
        "record.entity": "case",
        "record.id": event.caseId,
      };
      await runRules(
        tx,
        workspaceId,
        [event.type],
        [{ values, caseId: event.caseId, eventKey: `${event.type}:${event.caseId}:${event.kind}` }],
      );
      return;
    }
    case "issue.burst": {
      const values: Values = {
        ...time,
        "issue.id": event.issueId,
        "issue.label": event.label,
        "issue.burst_messages": event.count,
        "issue.baseline": event.baseline,
        "message.text": `Emerging issue in burst: ${event.label}`,
      };
      // once per burst: the issue and the hour it started name the event
      await runRules(tx, workspaceId, [event.type], [{ values, eventKey: `issue.burst:${event.issueId}:${event.startedAt}` }]);
      return;
    }
    case "alert.threshold": {
      // the alert's settings are its own rule's: only that rule runs, once per crossing
      const rule = set.rules.find((r) => r.id === event.ruleId);
      if (!rule) return;
      const values: Values = {
        ...time,
        "alert.metric": event.metric,
        "alert.value": event.value,
        "alert.count": event.count,
        "alert.threshold": event.threshold,
        "alert.comparison": event.comparison,
        "alert.window_minutes": event.windowMinutes,
        "alert.summary": event.summary,
        "alert.link": event.link,
        "message.text": event.summary,
      };
      const subject = { values, link: event.link, detail: event.summary, eventKey: `alert:${rule.id}:${event.crossing}` };
      await runRules(tx, workspaceId, [event.type], [subject], { rules: [rule], cursors: set.cursors, timeZone: set.timeZone });
      return;
    }
    case "schedule": {
      const rule = set.rules.find((r) => r.id === event.ruleId);
      if (!rule) return;
      const values: Values = { ...time, "schedule.at": at.toISOString() };
      await runRules(tx, workspaceId, ["schedule"], [{ values, eventKey: `schedule:${at.toISOString().slice(0, 16)}` }], {
        rules: [rule],
        cursors: set.cursors,
        timeZone: set.timeZone,
      });
      return;
    }
  }
}
