import type { DbOrTx } from "../store/db";

// Cases, deals and ideas live in src/work (another part of issue #6). The rules
// call them through this bridge, loaded on first use, so actions that need them
// report "not available" instead of failing when that module is absent.

type Row = { id: string } & Record<string, unknown>;
export type WorkApi = {
  createCase?: (
    tx: DbOrTx,
    workspaceId: string,
    input: {
      subject: string;
      description?: string;
      priority?: "low" | "normal" | "high" | "urgent";
      team_id?: string;
      assignee_id?: string;
      contact_id?: string;
      conversation_id?: string;
      source?: "rule";
      rule_id?: string;
      tags?: string[];
      at?: Date;
    },
  ) => Promise<Row>;
  createDeal?: (tx: DbOrTx, workspaceId: string, input: Record<string, unknown>) => Promise<Row>;
  createOrAttachIdea?: (
    tx: DbOrTx,
    workspaceId: string,
    input: Record<string, unknown>,
  ) => Promise<{ idea: Row; created: boolean; voted: boolean }>;
  noteOutboundReply?: (tx: DbOrTx, workspaceId: string, conversationId: string, at: Date) => Promise<unknown>;
  scanSla?: (
    db: DbOrTx,
    now: Date,
  ) => Promise<Array<{ workspace_id: string; case_id: string; kind: "first_response" | "resolution"; state: "warning" | "breached" }>>;
};

let loaded: WorkApi | undefined;
let loading: Promise<WorkApi> | undefined;

export function workApi(): Promise<WorkApi> {
  if (loaded) return Promise.resolve(loaded);
  const spec: string = "../work/index";
  loading ??= import(spec)
    .then((m) => m as WorkApi)
    .catch(() => ({}) as WorkApi)
    .then((m) => {
      loaded = m;
      return m;
    });
  return loading;
}
