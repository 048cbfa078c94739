// Shapes of the work-item API (cases, SLA policies, pipelines, deals, ideas): the API's contracts
// (src/contracts/work.ts, imported as types) and its enums.

import type { CasePriority } from "../../../../src/contracts/enums";
import type { SlaPolicy as ApiSlaPolicy, SlaPolicyInput } from "../../../../src/contracts/work";
import type { Narrow } from "../../types";

export {
  CASE_PRIORITIES,
  CASE_STATUSES,
  type CasePriority,
  type CaseStatus,
  IDEA_STATUSES,
  type IdeaStatus,
  type StageKind,
} from "../../../../src/contracts/enums";
export type {
  CaseDetail,
  CaseEvent,
  CaseItem,
  CaseMessage,
  CaseSla,
  Deal,
  DealDetail,
  Idea,
  IdeaDetail,
  Pipeline,
  SlaState,
  SlaTimer,
  Stage,
} from "../../../../src/contracts/work";

/** An SLA policy's business hours and its targets per priority, as the editor sends them. */
export type BusinessCalendar = NonNullable<SlaPolicyInput["calendar"]>;
export type SlaTarget = SlaPolicyInput["targets"]["low"];
/** A policy as the settings page edits it: the priorities and targets the API only answers as strings. */
export type SlaPolicy = Narrow<ApiSlaPolicy, { priorities: CasePriority[]; targets: Record<CasePriority, SlaTarget> }>;
