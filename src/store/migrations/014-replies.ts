// Replies (issue 14): an agent's answer is an outbound message on the conversation,
// stored at once with its delivery state, and delivered after commit through the
// outbox (kind "reply"). The delivery columns stay null on messages Parley received.
// An idempotency key, per conversation, makes a repeated request the same reply.
export const sql = `
alter table messages add column delivery_status text check (delivery_status in ('sending', 'sent', 'failed'));
alter table messages add column delivery_error text;
alter table messages add column delivered_at timestamptz;
alter table messages add column sent_by uuid;
alter table messages add column reply_visibility text check (reply_visibility in ('public', 'private'));
alter table messages add column idempotency_key text;
create unique index messages_reply_idempotency on messages (workspace_id, conversation_id, idempotency_key)
  where idempotency_key is not null;

alter table outbox drop constraint outbox_kind_check;
alter table outbox add constraint outbox_kind_check check (kind in ('webhook', 'email', 'reply'));
`;
