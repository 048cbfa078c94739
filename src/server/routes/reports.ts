import * as c from "../../contracts";
import * as reports from "../../reports";
import { actorOf } from "../auth";
import type { App, ServerContext } from "../types";

// Insight reports: GET /reports/listening, service, product, sales and engagement (managers,
// admins, owners); format=csv downloads the report's main table.

export function reportRoutes(app: App, { db }: ServerContext) {
  app.get(
    "/reports/:name",
    {
      config: { access: "reports:read" },
      schema: {
        tags: ["reports"],
        summary:
          "A report (listening, service, product, sales or engagement) over a date range in the workspace's time zone; format=csv downloads its main table",
        description:
          "listening: inbound volume per day or week by network, channel and intent label, sentiment, share of voice over the " +
          "dictionary, top authors by reach. service: first reply (inbox) and case first response and resolution p50/p90 by " +
          "team, agent, channel and priority, SLA attainment, CSAT, and the backlog now by age. product: ideas by status and " +
          "votes, votes over time by source (social posts, community portal, staff), where they came from, top ideas. sales: " +
          "leads and deals from social, their value, won revenue traced to the first post, by network and channel. " +
          "engagement: for people we replied to, sentiment and churn risk in the week before and after our first reply, " +
          "detractors recovered, by agent, team and reply time.",
        params: c.reportParams,
        querystring: c.reportQuerySchema,
        response: {
          200: c.listeningReportSchema
            .or(c.serviceReportSchema)
            .or(c.productReportSchema)
            .or(c.salesReportSchema)
            .or(c.engagementReportSchema)
            .or(
              c.fileBody.describe(
                "CSV of the report's main table (format=csv): listening and product per bucket, service, sales and engagement per row",
              ),
            ),
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
