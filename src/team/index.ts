// Working as a team in the inbox (issue 14): internal notes with @mentions, the notification
// centre (mentions, assignments, SLA warnings and rule notifications; email per preference;
// pushed live over the SSE stream), collision detection (who is viewing or typing on a
// conversation), canned responses with variables, saved views with counts, snooze, bulk changes
// and per-user read marks. It reads the inbox and work through the store; the events it reacts
// to are subscribed in src/wiring.ts.
export { bulkUpdate, markConversationRead, snoozeConversation } from "./bulk";
export { createCanned, deleteCanned, getCanned, listCanned, renderCanned, updateCanned } from "./canned";
export { type TeamEvent, teamHub } from "./live";
export { createNote, listNotes, parseMentions } from "./notes";
export {
  listNotifications,
  markNotificationsRead,
  notificationPrefs,
  notifyUsers,
  onCaseChanged,
  onConversationChanged,
  onSlaWarning,
  setNotificationPrefs,
  unreadCount,
} from "./notifications";
export { notePresence, PRESENCE_TTL_MS, presenceOf, sweepPresence } from "./presence";
export { createView, deleteView, listViews, updateView } from "./views";
