// Shapes of the Parley REST API (/api/v1) as the browser app uses them: the API's own contracts
// (src/contracts), imported as types, so nothing of them enters the bundle. Where a contract is
// looser than a page needs (loose objects, open strings), the type here narrows it.

import type { Me as ApiMe, Workspace } from "../../src/contracts/accounts";
import type { Contact as ApiContact, Organization as ApiOrganization } from "../../src/contracts/crm";
import type { TimelineItemType } from "../../src/contracts/enums";
import type { TimelineItem as ApiTimelineItem } from "../../src/contracts/identity";
import type { ImportSummaryData } from "../../src/contracts/transfer";

export type { ApiKey, Invitation, Member, Team, Workspace } from "../../src/contracts/accounts";
export type { Activity, CustomField, FilterCondition, FilterGroup, Segment } from "../../src/contracts/crm";
export type {
  AutoLinkLevel,
  Entity as CustomFieldEntity,
  FilterOp,
  LinkMethod,
} from "../../src/contracts/enums";
export {
  ACTIVITY_TYPES,
  type ActivityType,
  CONVERSATION_STATUSES,
  type ConversationStatus,
  CUSTOM_FIELD_TYPES,
  type CustomFieldType,
  LIFECYCLE_STAGES,
  type LifecycleStage,
  NETWORKS,
  type Network,
  ROLES,
  type Role,
  TIMELINE_ITEM_TYPES,
  type TimelineItemType,
} from "../../src/contracts/enums";
export type {
  ContactInsights,
  DuplicatePage,
  DuplicatePair,
  IdentityProfile,
  IdentitySettingsData,
  Merge,
  ProfileDetail,
  ProfileLink,
  UnknownProfile,
} from "../../src/contracts/identity";
export type {
  Channel,
  ChannelStatus,
  Conversation,
  ConversationSummary,
  DictionaryTerm,
  Message,
  MessageAnalysisData,
  OwnAccount,
  Profile,
} from "../../src/contracts/inbox";

/** The app runs inside a workspace: a session always has one. */
export type Me = Omit<ApiMe, "workspace"> & { workspace: Workspace };

/** Omit that keeps a loose object's named keys (Omit drops them all when T has an index signature). */
export type Without<T, K extends PropertyKey> = { [P in keyof T as P extends K ? never : P]: T[P] };
/** T with some fields narrowed to what a page reads. */
export type Narrow<T, U> = Without<T, keyof U> & U;

export type Page<T> = { data: T[]; next_cursor: string | null; total?: number | null };
export type List<T> = { data: T[] };

export type CustomValue = string | number | boolean | string[] | null;
export type CustomValues = Record<string, CustomValue>;
/** The contract types custom values as open JSON; the forms and tables read the values a custom field holds. */
export type Contact = ApiContact & { custom: CustomValues };
export type Organization = ApiOrganization & { custom: CustomValues };

/** What an import answers (a dry run answers the same, writing nothing). */
export type ImportResult = ImportSummaryData;

/** The contract names the fields every item has; a timeline reads these too, by type. */
export type TimelineItem = ApiTimelineItem & {
  type: TimelineItemType;
  text?: string | null;
  network?: string | null;
  direction?: "inbound" | "outbound" | null;
  conversation_id?: string | null;
  url?: string | null;
  sentiment?: "positive" | "neutral" | "negative" | null;
  labels?: string[];
  status?: string | null;
  activity_type?: string | null;
};
