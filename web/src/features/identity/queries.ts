// Query keys of identity resolution (#5): people, profiles, duplicates, merges.
// The person view's queries live under the contact's timeline key, so adding an
// activity (which invalidates keys.timeline("contacts", id)) refreshes them too.
export const identityKeys = {
  profilesOf: (contactId: string) => ["timeline", "contacts", contactId, "profiles"] as const,
  history: (contactId: string, types: string, network: string) => ["timeline", "contacts", contactId, "history", types, network] as const,
  insights: (contactId: string) => ["timeline", "contacts", contactId, "insights"] as const,
  merges: (contactId: string) => ["timeline", "contacts", contactId, "merges"] as const,
  people: ["identity", "people"] as const,
  profile: (id: string) => ["identity", "people", "one", id] as const,
  duplicates: ["identity", "duplicates"] as const,
  settings: ["identity", "settings"] as const,
};
