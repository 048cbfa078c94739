import * as c from "../../contracts";
import { channelPollStatus, pollChannelNow, testChannelConnection } from "../../listen";
import type { App, ServerContext } from "../types";
import { routeGroup } from "./route-group";

/** Channels that Parley polls: test the connection, poll now, see how it goes. */
export function connectorRoutes(app: App, { db, ingestor }: ServerContext) {
  const channels = routeGroup(app, ["channels"]);
  channels.post("/channels/:id/test", {
    access: "channels:manage",
    summary: "Test connection: one request to the network with the channel's settings; answers { ok, detail } in words",
    response: c.channelTestSchema,
    run: (actor, { id }) => testChannelConnection({ db, ingestor }, actor, id),
  });
  channels.post("/channels/:id/poll", {
    access: "channels:manage",
    summary: "Poll the channel now; answers once the new messages are stored",
    response: c.pollOutcomeSchema,
    run: (actor, { id }) => pollChannelNow({ db, ingestor }, actor, id),
  });
  channels.get("/channels/:id/status", {
    access: "crm:read",
    summary: "How the channel is doing: status, last poll, last error in words, items in total and in the last hour",
    response: c.channelStatusSchema,
    run: (actor, { id }) => channelPollStatus({ db }, actor, id),
  });
}
