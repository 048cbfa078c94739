// Identity: every author is a profile on a network; profiles link to a contact
// only on strong evidence (weaker evidence is a suggestion), duplicate contacts
// are found by blocking and fuzzy matching (./matching), merged with
// field-level survivorship and undone exactly, and the person view gathers one
// timeline and scores across channels. Other modules enter here.
export {
  dismissDuplicate,
  listDuplicates,
  type ScanProgress,
  type ScanResult,
  scanDuplicates,
  scanForActor,
} from "./duplicates";
export { contactInsights, contactTimeline, TIMELINE_TYPES, timelineParamsSchema } from "./insights";
export { listMerges, type MergeInput, mergeContacts, mergeInputSchema, presentMerge, undoMerge } from "./merge";
export {
  contactProfiles,
  type DismissSuggestionInput,
  dismissProfileSuggestion,
  dismissSuggestionSchema,
  getIdentitySettings,
  getProfile,
  type IdentitySettingsPatch,
  identitySettingsSchema,
  type LinkProfileInput,
  linkBodySchema,
  linkProfileTo,
  listProfiles,
  presentProfile,
  profileListSchema,
  unlinkProfile,
  updateIdentitySettings,
} from "./profiles";
export { type ResolveOutcome, type ResolveProfile, resolveProfiles, resolveStats } from "./resolve";
