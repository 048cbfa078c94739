import { z } from "zod";
import * as c from "../../contracts";
import { channelPollStatus, pollChannelNow, testChannelConnection } from "../../listen";
import { actorOf } from "../auth";
import type { App, ServerContext } from "../types";

const idParams = z.object({ id: z.uuid({ message: "must be an id (UUID)" }) });

/** Channels that Parley polls: test the connection, poll now, see how it goes. */
export function connectorRoutes(app: App, { db, ingestor }: ServerContext) {
  app.post(
    "/channels/:id/test",
    {
      config: { access: "channels:manage" },
      schema: {
        tags: ["channels"],
        summary: "Test connection: one request to the network with the channel's settings; answers { ok, detail } in words",
        params: idParams,
        response: { 200: c.channelTestSchema },
      },
    },
    async (request) => testChannelConnection({ db, ingestor }, actorOf(request), request.params.id),
  );
  app.post(
    "/channels/:id/poll",
    {
      config: { access: "channels:manage" },
      schema: {
        tags: ["channels"],
        summary: "Poll the channel now; answers once the new messages are stored",
        params: idParams,
        response: { 200: c.pollOutcomeSchema },
      },
    },
    async (request) => pollChannelNow({ db, ingestor }, actorOf(request), request.params.id),
  );
  app.get(
    "/channels/:id/status",
    {
      config: { access: "crm:read" },
      schema: {
        tags: ["channels"],
        summary: "How the channel is doing: status, last poll, last error in words, items in total and in the last hour",
        params: idParams,
        response: { 200: c.channelStatusSchema },
      },
    },
    async (request) => channelPollStatus({ db }, actorOf(request), request.params.id),
  );
}
