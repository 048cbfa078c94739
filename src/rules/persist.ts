import { newId } from "../shared/ids";
import type { DbOrTx } from "../store/db";
import * as store from "../store/rules";
import type { RuleRow } from "../store/schema-rules";
import type { Definition, RuleInput } from "./definition";

// Writing rules: every save is a new immutable version, and bumps the rule set's
// revision so the compiled rules of that workspace are rebuilt.

export function definitionOf(input: Pick<RuleInput, "trigger" | "conditions" | "actions" | "stop_processing">): Definition {
  return { trigger: input.trigger, conditions: input.conditions, actions: input.actions, stop_processing: input.stop_processing };
}

export function slug(name: string): string {
  return (
    name
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60) || "rule"
  );
}

export async function uniqueKey(db: DbOrTx, workspaceId: string, base: string): Promise<string> {
  let key = base;
  for (let i = 2; await store.findRuleByKey(db, workspaceId, key); i++) key = `${base}-${i}`;
  return key;
}

export async function insertNewRule(db: DbOrTx, workspaceId: string, input: RuleInput, createdBy: string | null): Promise<string> {
  const id = newId();
  const key = input.key ?? (await uniqueKey(db, workspaceId, slug(input.name)));
  const position = input.position ?? (await store.nextPosition(db, workspaceId));
  const def = definitionOf(input);
  await store.insertRule(db, {
    workspace_id: workspaceId,
    id,
    key,
    name: input.name,
    description: input.description ?? null,
    enabled: input.enabled,
    position,
    trigger: def.trigger.type,
    definition: JSON.stringify(def),
    version: 1,
  });
  await store.insertVersion(db, {
    workspace_id: workspaceId,
    rule_id: id,
    version: 1,
    name: input.name,
    description: input.description ?? null,
    enabled: input.enabled,
    definition: JSON.stringify(def),
    created_by: createdBy,
  });
  await store.bumpRevision(db, workspaceId);
  return id;
}

export async function saveNewVersion(
  db: DbOrTx,
  rule: RuleRow,
  next: { name: string; description: string | null; enabled: boolean; definition: Definition },
  createdBy: string | null,
): Promise<number> {
  const version = rule.version + 1;
  await store.updateRule(db, rule.workspace_id, rule.id, {
    name: next.name,
    description: next.description,
    enabled: next.enabled,
    trigger: next.definition.trigger.type,
    definition: JSON.stringify(next.definition),
    version,
  });
  await store.insertVersion(db, {
    workspace_id: rule.workspace_id,
    rule_id: rule.id,
    version,
    name: next.name,
    description: next.description,
    enabled: next.enabled,
    definition: JSON.stringify(next.definition),
    created_by: createdBy,
  });
  await store.bumpRevision(db, rule.workspace_id);
  return version;
}
