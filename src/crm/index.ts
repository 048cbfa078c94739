// The CRM core: contacts, organizations, their custom fields, the activity
// timeline and saved segments. Every function takes the acting user or key and
// checks its permission; every query is scoped to the actor's workspace.
export * from "./activities";
export * from "./contacts";
export { CUSTOM_KEY_RE, inferFieldType } from "./custom-fields";
export * from "./fields";
export { type FilterGroup, resolveFilterField, validateFilter } from "./filter";
export * from "./organizations";
export * as schemas from "./schemas";
export * from "./segments";
