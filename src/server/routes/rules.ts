import { z } from "zod";
import * as c from "../../contracts";
import * as rules from "../../rules";
import type { App, ServerContext } from "../types";
import { crudRoutes } from "./crud";
import { routeGroup } from "./route-group";

// Automation rules (issue #6). Bodies are checked by src/rules/definition.ts so
// that errors name the field path inside conditions and actions.

const ruleBody = c.ruleInputSchema;
const tags = ["rules"];

export function ruleRoutes(app: App, { db }: ServerContext) {
  crudRoutes(app, {
    path: "/rules",
    tags,
    write: "rules:manage",
    list: {
      summary: "Rules in evaluation order (the default set is created on first use)",
      response: c.ruleListSchema,
      run: (actor) => rules.listRules(db, actor),
    },
    create: {
      summary: "Create a rule (version 1)",
      body: ruleBody,
      response: c.ruleSchema,
      run: (actor, body) => rules.createRule(db, actor, body),
    },
    get: { summary: "One rule", response: c.ruleSchema, run: (actor, id) => rules.getRule(db, actor, id) },
    patch: {
      summary: "Change a rule: a new version is saved",
      body: ruleBody,
      response: c.ruleSchema,
      run: (actor, id, body) => rules.updateRule(db, actor, id, body),
    },
    remove: { summary: "Delete a rule (its runs stay)", run: (actor, id) => rules.deleteRule(db, actor, id) },
  });
  const route = routeGroup(app, tags);
  route.get("/rules/catalog", {
    access: "crm:read",
    summary: "Triggers, condition fields with their operators, and action types",
    response: c.ruleCatalogSchema,
    run: () => rules.catalog(),
  });
  route.get("/rules/settings", {
    access: "crm:read",
    summary: "The time zone of time conditions and daily schedules",
    response: c.ruleSettingsResponseSchema,
    run: (actor) => rules.getRuleSettings(db, actor),
  });
  route.put("/rules/settings", {
    access: "rules:manage",
    summary: "Set the rules' time zone",
    body: rules.ruleSettingsSchema,
    response: c.ruleSettingsResponseSchema,
    run: (actor, { body }) => rules.updateRuleSettings(db, actor, body),
  });
  route.post("/rules::test", {
    access: "rules:manage",
    summary: "Test an unsaved rule against a sample message (nothing is written)",
    body: ruleBody,
    response: c.ruleTestResultSchema,
    run: (actor, { body }) => rules.testDefinition(db, actor, body),
  });
  route.post("/rules::import", {
    access: "rules:manage",
    summary: "Import a rule set ({rules: […]}, as `parley rules export` writes it); rules are matched by key",
    querystring: z
      .object({ replace: z.enum(["true", "false"]).optional().describe("Delete the rules whose keys are not in the set") })
      .strict(),
    body: ruleBody,
    response: c.ruleImportResultSchema,
    run: (actor, { query, body }) =>
      rules.importRules(db, actor.workspaceId, body, { replace: query.replace === "true", actor: actor.label }),
  });
  route.post("/rules::reorder", {
    access: "rules:manage",
    summary: "Set the evaluation order",
    body: rules.reorderSchema,
    response: c.ruleListSchema,
    run: (actor, { body }) => rules.reorderRules(db, actor, body),
  });
  route.get("/rules/:id/versions", {
    access: "crm:read",
    summary: "A rule's versions, newest first",
    response: c.ruleVersionListSchema,
    run: (actor, { id }) => rules.listVersions(db, actor, id),
  });
  route.post("/rules/:id(^[^:/]+)::restore", {
    access: "rules:manage",
    summary: "Restore an earlier version (saved as a new version)",
    body: z.object({ version: z.number().int().min(1) }).strict(),
    response: c.ruleSchema,
    run: (actor, { id, body }) => rules.restoreVersion(db, actor, id, body.version),
  });
  route.get("/rules/:id/runs", {
    access: "crm:read",
    summary: "The last 100 times the rule fired",
    response: c.ruleRunListSchema,
    run: (actor, { id }) => rules.runsOfRule(db, actor, id),
  });
  route.post("/rules/:id(^[^:/]+)::test", {
    access: "rules:manage",
    summary: "What would happen for a sample message: conditions true/false and the actions (nothing is written)",
    body: ruleBody,
    response: c.ruleTestResultSchema,
    run: (actor, { id, body }) => rules.testRule(db, actor, id, body),
  });
  route.post("/rules/:id(^[^:/]+)::dry-run", {
    access: "rules:manage",
    summary: "Evaluate the rule against the last N stored messages: counts and examples",
    body: ruleBody,
    response: c.ruleDryRunResultSchema,
    run: (actor, { id, body }) => rules.dryRun(db, actor, id, body),
  });
  route.get("/alerts", {
    access: "crm:read",
    summary: "Threshold alerts: each alert.threshold rule with its state (firing, crossings) and its metric now",
    response: c.alertStatusListSchema,
    run: (actor) => rules.listAlerts(db, actor),
  });
  route.post("/alerts::check", {
    access: "rules:manage",
    summary: "Measure the workspace's alert rules now (the alert worker does every minute); crossings fire their rules",
    response: c.alertCheckResultSchema,
    run: (actor) => rules.checkAlertsNow(db, actor),
  });
  route.get("/messages/:id/rule-runs", {
    access: "crm:read",
    summary: "Which rules fired for a message, and why",
    response: c.ruleRunListSchema,
    run: (actor, { id }) => rules.runsOfMessage(db, actor, id),
  });
  route.get("/outbox", {
    access: "rules:manage",
    summary: "Webhook and email deliveries with their attempts",
    response: c.outboxListSchema,
    run: (actor) => rules.listOutbox(db, actor),
  });
  route.get("/skills", {
    access: "crm:read",
    summary: "Members' skills (rules can route to a skill)",
    response: c.skillListSchema,
    run: (actor) => rules.listSkills(db, actor),
  });
  route.put("/skills", {
    access: "teams:manage",
    summary: "Set a member's skills",
    body: rules.skillsSchema,
    response: c.userSkillsSchema,
    run: (actor, { body }) => rules.setSkills(db, actor, body),
  });
}
