import { Readable } from "node:stream";
import * as audit from "../../audit";
import * as c from "../../contracts";
import { actorOf } from "../auth";
import type { App, ServerContext } from "../types";
import { routeGroup } from "./route-group";

// Accountability: the audit log and subject access exports (owners and admins) and backups of the embedded store.

export function privacyRoutes(app: App, { db, dumpStore }: ServerContext) {
  const privacy = routeGroup(app, ["privacy"]);
  privacy.get("/contacts/:id/consent", {
    access: "crm:read",
    summary: "A contact's consent per purpose (the newest ledger entry) and the whole ledger, newest first",
    response: c.consentViewSchema,
    run: (actor, { id }) => audit.getConsent(db, actor, id),
  });
  privacy.post("/contacts/:id/consent", {
    access: "crm:write",
    summary: "Record a grant or withdrawal of consent for one purpose (appended to the ledger, audited)",
    body: c.consentRecordSchema,
    status: 201,
    response: c.consentViewSchema,
    run: (actor, { id, body }) => audit.recordConsent(db, actor, id, body),
  });
  privacy.post("/contacts/:id/privacy-erase", {
    access: "audit:read",
    summary: "Erase a person, irreversibly: contact, profiles, votes, notes, activities and consent go; their messages stay as tombstones",
    description:
      "confirm_name must repeat the contact's name. Later ingest drops posts by the erased identities (suppression). Audited without the name.",
    body: c.eraseBodySchema,
    response: c.erasureResultSchema,
    run: (actor, { id, body }) => audit.eraseContact(db, actor, id, body.confirm_name),
  });

  privacy.get("/privacy/retention", {
    access: "audit:read",
    summary: "Retention policies: per workspace or channel, delete inbound messages (all, or from non-contacts) after N days",
    response: c.retentionPolicyListSchema,
    run: (actor) => audit.listRetention(db, actor),
  });
  privacy.post("/privacy/retention", {
    access: "audit:read",
    summary: "Add a retention policy (one per scope and channel); the scheduler runs it hourly",
    body: c.retentionPolicyInputSchema,
    status: 201,
    response: c.retentionPolicySchema,
    run: (actor, { body }) => audit.createRetention(db, actor, body),
  });
  privacy.patch("/privacy/retention/:id", {
    access: "audit:read",
    summary: "Change a retention policy's scope, days or whether it runs",
    body: c.retentionPolicyPatchSchema,
    response: c.retentionPolicySchema,
    run: (actor, { id, body }) => audit.updateRetention(db, actor, id, body),
  });
  privacy.delete("/privacy/retention/:id", {
    access: "audit:read",
    summary: "Remove a retention policy",
    status: 204,
    run: (actor, { id }) => audit.deleteRetention(db, actor, id),
  });
  privacy.post("/privacy/retention::run", {
    access: "audit:read",
    summary: "Run the enabled retention policies now; dry_run=true (the default) counts what a run would delete and deletes nothing",
    querystring: c.retentionRunQuerySchema,
    response: c.retentionRunSchema,
    run: (actor, { query }) => audit.runRetention(db, actor, query.dry_run === "true"),
  });
  privacy.get("/privacy/settings", {
    access: "audit:read",
    summary: "PII redaction at ingest: emails, phone numbers and card numbers in message text",
    response: c.privacySettingsSchema,
    run: (actor) => audit.getPrivacySettings(db, actor),
  });
  privacy.patch("/privacy/settings", {
    access: "audit:read",
    summary: "Turn PII redaction of new messages on or off, per kind",
    body: c.privacySettingsPatchSchema,
    response: c.privacySettingsSchema,
    run: (actor, { body }) => audit.updatePrivacySettings(db, actor, body),
  });

  app.get(
    "/audit",
    {
      config: { access: "audit:read" },
      schema: {
        tags: ["audit"],
        summary: "The audit log: who did what to which record, when and from where (newest first; format=csv downloads it)",
        querystring: c.auditQuerySchema,
        response: { 200: c.auditListSchema.or(c.fileBody.describe("CSV of every matching entry (format=csv)")) },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      if (request.query.format !== "csv") return audit.listAudit(db, actor, request.query);
      const chunks = await audit.auditCsv(db, actor, request.query);
      return reply
        .type("text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="audit-${new Date().toISOString().slice(0, 10)}.csv"`)
        .send(Readable.from(chunks));
    },
  );

  app.get(
    "/contacts/:id/privacy-export",
    {
      config: { access: "audit:read" },
      schema: {
        tags: ["audit"],
        summary:
          "Subject access export: everything held about a contact (profiles, messages, analysis, cases, deals, votes, notes, audit) as a zip",
        description:
          "subject.json holds every table's rows; one CSV per table beside it. Tables are found from the catalog, so new ones are included.",
        params: c.idParams,
        response: { 200: c.fileBody.describe("A zip: subject.json and one CSV per table") },
      },
    },
    async (request, reply) => {
      const out = await audit.exportSubject(db, actorOf(request), request.params.id);
      return reply.type("application/zip").header("content-disposition", `attachment; filename="${out.fileName}"`).send(out.archive);
    },
  );

  app.post(
    "/admin/backup",
    {
      config: { access: "workspace:manage" },
      schema: {
        tags: ["audit"],
        summary: "Back up the embedded store (every workspace): owner of the server's first workspace, or the CLI on this machine",
        description: "Answers the backup file (`parley restore FILE` restores it). On PostgreSQL this is a 400: use pg_dump.",
        response: { 200: c.fileBody.describe("The backup file (a tar: parley-backup.json and pgdata.tar.gz)") },
      },
    },
    async (request, reply) => {
      const backup = await audit.takeBackup(db, dumpStore, actorOf(request));
      return reply
        .type("application/octet-stream")
        .header("content-length", backup.bytes)
        .header("content-disposition", `attachment; filename="parley-${backup.manifest.created_at.slice(0, 10)}.parley-backup"`)
        .send(Readable.from(backup.parts));
    },
  );
}
