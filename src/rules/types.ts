import type { CompiledGroup } from "./conditions";
import type { Action, Definition, TriggerType } from "./definition";

// Shapes the engine and the actions share (kept apart so neither imports the other's
// module for its types: the engine runs the actions, the actions read compiled rules).

export type CompiledRule = {
  id: string;
  key: string;
  name: string;
  version: number;
  enabled: boolean;
  trigger: TriggerType;
  def: Definition;
  group: CompiledGroup;
  fields: Set<string>;
};

export type { Subject } from "./action-kit";

export type ActionResult = { type: Action["type"]; ok: boolean; detail: string };
