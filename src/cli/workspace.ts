import type { Db } from "../store/db";
import { chooseWorkspace } from "../store/workspaces";
import { fail } from "./context";

/** The workspace a CLI command acts on: --workspace, or the only one there is. */
export async function pickWorkspace(db: Db, wanted: string | undefined, json: boolean): Promise<string> {
  try {
    return await chooseWorkspace(db, wanted);
  } catch (err) {
    fail(err instanceof Error ? err.message : String(err), json);
  }
}
