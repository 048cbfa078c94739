import { z } from "zod";
import * as c from "../../contracts";
import * as rules from "../../rules";
import { actorOf } from "../auth";
import type { App, ServerContext } from "../types";
import { crudRoutes } from "./crud";

// Automation rules (issue #6). Bodies are checked by src/rules/definition.ts so
// that errors name the field path inside conditions and actions.

const idParams = z.object({ id: z.uuid({ message: "must be an id (UUID)" }) });
const ruleBody = c.ruleInputSchema;
const tags = ["rules"];

export function ruleRoutes(app: App, { db }: ServerContext) {
  crudRoutes(app, {
    path: "/rules",
    tags,
    write: "rules:manage",
    params: idParams,
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
  app.get(
    "/rules/catalog",
    {
      config: { access: "crm:read" },
      schema: {
        tags,
        summary: "Triggers, condition fields with their operators, and action types",
        response: { 200: c.ruleCatalogSchema },
      },
    },
    async () => rules.catalog(),
  );
  app.get(
    "/rules/settings",
    {
      config: { access: "crm:read" },
      schema: { tags, summary: "The time zone of time conditions and daily schedules", response: { 200: c.ruleSettingsResponseSchema } },
    },
    async (request) => rules.getRuleSettings(db, actorOf(request)),
  );
  app.put(
    "/rules/settings",
    {
      config: { access: "rules:manage" },
      schema: {
        tags,
        summary: "Set the rules' time zone",
        body: rules.ruleSettingsSchema,
        response: { 200: c.ruleSettingsResponseSchema },
      },
    },
    async (request) => rules.updateRuleSettings(db, actorOf(request), request.body),
  );
  app.post(
    "/rules::test",
    {
      config: { access: "rules:manage" },
      schema: {
        tags,
        summary: "Test an unsaved rule against a sample message (nothing is written)",
        body: ruleBody,
        response: { 200: c.ruleTestResultSchema },
      },
    },
    async (request) => rules.testDefinition(db, actorOf(request), request.body),
  );
  app.post(
    "/rules::import",
    {
      config: { access: "rules:manage" },
      schema: {
        tags,
        summary: "Import a rule set ({rules: […]}, as `parley rules export` writes it); rules are matched by key",
        querystring: z
          .object({ replace: z.enum(["true", "false"]).optional().describe("Delete the rules whose keys are not in the set") })
          .strict(),
        body: ruleBody,
        response: { 200: c.ruleImportResultSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      return rules.importRules(db, actor.workspaceId, request.body, { replace: request.query.replace === "true", actor: actor.label });
    },
  );
  app.post(
    "/rules::reorder",
    {
      config: { access: "rules:manage" },
      schema: { tags, summary: "Set the evaluation order", body: rules.reorderSchema, response: { 200: c.ruleListSchema } },
    },
    async (request) => rules.reorderRules(db, actorOf(request), request.body),
  );
  app.get(
    "/rules/:id/versions",
    {
      config: { access: "crm:read" },
      schema: { tags, summary: "A rule's versions, newest first", params: idParams, response: { 200: c.ruleVersionListSchema } },
    },
    async (request) => rules.listVersions(db, actorOf(request), request.params.id),
  );
  app.post(
    "/rules/:id(^[^:/]+)::restore",
    {
      config: { access: "rules:manage" },
      schema: {
        tags,
        summary: "Restore an earlier version (saved as a new version)",
        params: idParams,
        body: z.object({ version: z.number().int().min(1) }).strict(),
        response: { 200: c.ruleSchema },
      },
    },
    async (request) => rules.restoreVersion(db, actorOf(request), request.params.id, request.body.version),
  );
  app.get(
    "/rules/:id/runs",
    {
      config: { access: "crm:read" },
      schema: { tags, summary: "The last 100 times the rule fired", params: idParams, response: { 200: c.ruleRunListSchema } },
    },
    async (request) => rules.runsOfRule(db, actorOf(request), request.params.id),
  );
  app.post(
    "/rules/:id(^[^:/]+)::test",
    {
      config: { access: "rules:manage" },
      schema: {
        tags,
        summary: "What would happen for a sample message: conditions true/false and the actions (nothing is written)",
        params: idParams,
        body: ruleBody,
        response: { 200: c.ruleTestResultSchema },
      },
    },
    async (request) => rules.testRule(db, actorOf(request), request.params.id, request.body),
  );
  app.post(
    "/rules/:id(^[^:/]+)::dry-run",
    {
      config: { access: "rules:manage" },
      schema: {
        tags,
        summary: "Evaluate the rule against the last N stored messages: counts and examples",
        params: idParams,
        body: ruleBody,
        response: { 200: c.ruleDryRunResultSchema },
      },
    },
    async (request) => rules.dryRun(db, actorOf(request), request.params.id, request.body),
  );
  app.get(
    "/messages/:id/rule-runs",
    {
      config: { access: "crm:read" },
      schema: { tags, summary: "Which rules fired for a message, and why", params: idParams, response: { 200: c.ruleRunListSchema } },
    },
    async (request) => rules.runsOfMessage(db, actorOf(request), request.params.id),
  );
  app.get(
    "/outbox",
    {
      config: { access: "rules:manage" },
      schema: { tags, summary: "Webhook and email deliveries with their attempts", response: { 200: c.outboxListSchema } },
    },
    async (request) => rules.listOutbox(db, actorOf(request)),
  );
  app.get(
    "/skills",
    {
      config: { access: "crm:read" },
      schema: { tags, summary: "Members' skills (rules can route to a skill)", response: { 200: c.skillListSchema } },
    },
    async (request) => rules.listSkills(db, actorOf(request)),
  );
  app.put(
    "/skills",
    {
      config: { access: "teams:manage" },
      schema: { tags, summary: "Set a member's skills", body: rules.skillsSchema, response: { 200: c.userSkillsSchema } },
    },
    async (request) => rules.setSkills(db, actorOf(request), request.body),
  );
  app.get(
    "/notifications",
    {
      config: { access: "crm:read" },
      schema: { tags, summary: "Your in-app notifications, newest first", response: { 200: c.notificationListSchema } },
    },
    async (request) => rules.listNotifications(db, actorOf(request)),
  );
}
