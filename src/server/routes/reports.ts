import * as c from "../../contracts";
import * as reports from "../../reports";
import { actorOf } from "../auth";
import type { App, ServerContext } from "../types";

// Insight reports: GET /reports/listening and /reports/service (managers, admins, owners);
// format=csv downloads the report's main table.

export function reportRoutes(app: App, { db }: ServerContext) {
  app.get(
    "/reports/:name",
    {
      config: { access: "reports:read" },
      schema: {
        tags: ["reports"],
        summary: "A report (listening or service) over a date range in the workspace's time zone; format=csv downloads its main table",
        description:
          "listening: inbound volume per day or week by network, channel and intent label, sentiment, share of voice over the " +
          "dictionary, top authors by reach. service: first reply (inbox) and case first response and resolution p50/p90 by " +
          "team, agent, channel and priority, SLA attainment, CSAT, and the backlog now by age.",
        params: c.reportParams,
        querystring: c.reportQuerySchema,
        response: {
          200: c.listeningReportSchema
            .or(c.serviceReportSchema)
            .or(c.fileBody.describe("CSV of the report's main table (format=csv): listening per bucket, service per row")),
        },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const { name } = request.params;
      if (request.query.format !== "csv") return reports.runReport(db, actor, name, request.query);
      const csv = await reports.reportCsv(db, actor, name, request.query);
      return reply
        .type("text/csv; charset=utf-8")
        .header("content-disposition", `attachment; filename="${name}-report-${new Date().toISOString().slice(0, 10)}.csv"`)
        .send(csv);
    },
  );
}
