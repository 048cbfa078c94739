// The inbox: conversations and their messages as agents read and work them —
// the list, one conversation with its authors, status/assignee/team changes,
// message search and label corrections (kept as training data). Channels and
// the pipeline that fills the inbox live in listen/ and ingest/.
export { attachmentsByMessage, attachmentUrl, presentAttachment } from "./attachments";
export * from "./conversations";
export * from "./messages";
export { presentConversation, presentMessage, presentProfile } from "./present";
