import * as c from "../../contracts";
import * as reports from "../../reports";
import type { App, ServerContext } from "../types";
import { routeGroup } from "./route-group";

// GET /home: the first steps of a new workspace and what needs the signed-in person now.
export function homeRoutes(app: App, { db }: ServerContext) {
  routeGroup(app, ["home"]).get("/home", {
    access: "crm:read",
    summary: "The first steps of a new workspace and what needs the signed-in person now",
    response: c.homeSchema,
    run: (actor) => reports.home(db, actor),
  });
}
