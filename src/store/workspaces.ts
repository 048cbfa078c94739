import { AppError } from "../shared/errors";
import type { DbOrTx } from "./db";

/**
 * The workspace a local tool (the CLI, or the CLI's token on the running server)
 * acts on: the one named by id or name, else the only one there is.
 */
export async function chooseWorkspace(db: DbOrTx, wanted: string | undefined): Promise<string> {
  const rows = await db.selectFrom("workspaces").select(["id", "name"]).orderBy("created_at").execute();
  if (wanted) {
    const match = rows.find((w) => w.id === wanted || w.name.toLowerCase() === wanted.toLowerCase());
    if (!match) throw new AppError("not_found", `no workspace "${wanted}"`, [{ field: "workspace", message: "no such workspace" }]);
    return match.id;
  }
  if (rows.length === 1 && rows[0]) return rows[0].id;
  if (rows.length === 0)
    throw new AppError(
      "not_found",
      "there is no workspace yet: run `parley start` and sign up, or `parley user create --workspace-name NAME`",
    );
  throw new AppError("validation_error", `there are ${rows.length} workspaces; choose one with --workspace ID`, [
    { field: "workspace", message: "several workspaces: choose one" },
  ]);
}
