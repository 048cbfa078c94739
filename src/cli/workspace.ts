import type { Db } from "../store/db";
import { fail } from "./context";

/** The workspace a CLI command acts on: --workspace, or the only one there is. */
export async function pickWorkspace(db: Db, wanted: string | undefined, json: boolean): Promise<string> {
  const rows = await db.selectFrom("workspaces").select(["id", "name"]).orderBy("created_at").execute();
  if (wanted) {
    const match = rows.find((w) => w.id === wanted || w.name.toLowerCase() === wanted.toLowerCase());
    if (!match) fail(`no workspace "${wanted}"`, json);
    return match.id;
  }
  if (rows.length === 1 && rows[0]) return rows[0].id;
  if (rows.length === 0)
    fail("there is no workspace yet: run `parley start` and sign up, or `parley user create --workspace-name NAME`", json);
  fail(`there are ${rows.length} workspaces; choose one with --workspace ID`, json);
}
