import { Readable } from "node:stream";
import { z } from "zod";
import * as c from "../../contracts";
import { scanDuplicates } from "../../identity";
import { AppError } from "../../shared/errors";
import { exportContentType, exportFile, exportFileName, guessFormat, importFile } from "../../transfer";
import { actorOf } from "../auth";
import type { App, ServerContext } from "../types";

// An export takes the list's filters and sort (not its paging) and the file's format.
const paging = { cursor: true, limit: true, include_total: true } as const;
const fileFormat = { format: c.transferFormat.default("csv") };
const contactExportQuery = z.object({ ...fileFormat, ...c.contactListQuerySchema.omit(paging).shape });
const organizationExportQuery = z.object({ ...fileFormat, ...c.organizationListQuerySchema.omit(paging).shape });

export function transferRoutes(app: App, { db }: ServerContext) {
  for (const entity of ["contacts", "organizations"] as const) {
    app.post(
      `/imports/${entity}`,
      {
        config: { access: "crm:write" },
        schema: {
          tags: ["import & export"],
          summary: `Import ${entity} from a CSV or vCard file (the raw file is the body)`,
          description:
            "Rows failing validation are listed in `rejected` (row as a spreadsheet numbers it, column, reason) and not written; " +
            "a file broken as a whole is a 400 and writes nothing.",
          querystring: c.importQuerySchema,
          response: { 200: c.importSummarySchema },
        },
      },
      async (request) => {
        const query = request.query;
        const chosen = query.format ?? guessFormat({ contentType: request.headers["content-type"] });
        if (!chosen) {
          throw new AppError("validation_error", "format: give format=csv or format=vcard, or send Content-Type text/csv or text/vcard", [
            { field: "format", message: "give csv or vcard" },
          ]);
        }
        if (typeof request.body !== "string") {
          throw new AppError("unsupported_media_type", "Send the file itself as the body, with Content-Type text/csv or text/vcard");
        }
        const actor = actorOf(request);
        const summary = await importFile(db, actor, request.body, {
          entity,
          format: chosen,
          idColumn: query.id_column,
          dryRun: query.dry_run ?? false,
          createFields: query.create_fields ?? false,
          columnMap: query.map,
        });
        // New or changed people may be the same as others: the duplicates queue is refreshed after
        // the answer (a large workspace's scan takes a while; the queue shows it when done).
        if (entity === "contacts" && !query.dry_run && summary.created + summary.updated > 0) {
          void scanDuplicates(db, actor.workspaceId).catch((err) => request.log.warn({ err }, "duplicates scan after an import"));
        }
        return summary;
      },
    );
  }

  const exportRoute = (entity: "contacts" | "organizations", querystring: typeof contactExportQuery | typeof organizationExportQuery) =>
    app.get(
      `/exports/${entity}`,
      {
        config: { access: "crm:read" },
        schema: {
          tags: ["import & export"],
          summary: `Download ${entity} as CSV or vCard 4.0, with the list's filters`,
          querystring,
          response: { 200: c.fileBody.describe("The CSV or vCard file") },
        },
      },
      async (request, reply) => {
        const { format: chosen, ...params } = request.query as z.infer<typeof contactExportQuery>;
        const chunks = await exportFile(db, actorOf(request), { entity, format: chosen, params });
        return reply
          .type(exportContentType(chosen))
          .header("content-disposition", `attachment; filename="${exportFileName(entity, chosen)}"`)
          .send(Readable.from(chunks));
      },
    );
  exportRoute("contacts", contactExportQuery);
  exportRoute("organizations", organizationExportQuery);
}
