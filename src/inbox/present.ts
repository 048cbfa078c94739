import type { ConversationListRow } from "../store/listening";
import type { ConversationRow, MessageRow, ProfileRow } from "../store/schema";

// Rows leave the inbox only through these presenters.

export function presentMessage(row: MessageRow) {
  return {
    id: row.id,
    conversation_id: row.conversation_id,
    channel_id: row.channel_id,
    network: row.network,
    external_id: row.external_id,
    url: row.url,
    profile_id: row.profile_id,
    author: { handle: row.author_handle, name: row.author_name },
    text: row.text,
    html: row.html,
    subject: row.subject,
    language: row.language,
    posted_at: row.posted_at,
    received_at: row.received_at,
    in_reply_to: row.in_reply_to,
    quote_of: row.quote_of,
    public: row.is_public,
    direction: row.direction,
    repost_count: row.repost_count,
    duplicate_count: row.duplicate_count,
    /** A reply written in Parley: how its delivery stands (null on received messages). */
    delivery: row.delivery_status
      ? { status: row.delivery_status, error: row.delivery_error, delivered_at: row.delivered_at, sent_by: row.sent_by }
      : null,
    analysis: row.analyzed_at
      ? {
          sentiment: { label: row.sentiment, score: row.sentiment_score },
          intents: row.intents,
          signals: row.signals,
          labels: row.labels,
          priority: row.priority,
          reasons: row.reasons,
          topics: row.topics,
          products: row.products,
          model_version: row.model_version,
          analyzed_at: row.analyzed_at,
        }
      : null,
  };
}

export function presentProfile(row: ProfileRow) {
  return {
    id: row.id,
    network: row.network,
    network_id: row.network_id,
    handle: row.handle,
    display_name: row.display_name,
    profile_url: row.profile_url,
    followers: row.followers,
    bio: row.bio,
    verified: row.verified,
    contact_id: row.contact_id,
    first_seen_at: row.first_seen_at,
    last_seen_at: row.last_seen_at,
  };
}

export function presentConversation(row: ConversationRow | ConversationListRow) {
  return {
    id: row.id,
    channel_id: row.channel_id,
    network: row.network,
    subject: row.subject,
    status: row.status,
    assignee_id: row.assignee_id,
    team_id: row.team_id,
    priority: row.priority,
    message_count: row.message_count,
    first_message_at: row.first_message_at,
    last_message_at: row.last_message_at,
    last_inbound_at: row.last_inbound_at,
    snoozed_until: row.snoozed_until,
    ...("snippet" in row
      ? {
          snippet: row.snippet,
          author: { name: row.author_name, handle: row.author_handle, profile_id: row.profile_id },
          tags: row.tags,
          unread: row.unread,
        }
      : {}),
  };
}
