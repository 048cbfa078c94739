// A reply sent by a rule's send_reply action records the rule (issue 16: the engagement outcome by
// rule). No foreign key: a reply outlives the rule that sent it. Replies sent before this migration
// carried the rule only in their idempotency key (rule:<rule id>:<message id>, written with no user).
export const sql = `
alter table messages add column rule_id uuid;
update messages set rule_id = split_part(idempotency_key, ':', 2)::uuid
where direction = 'outbound' and sent_by is null
  and idempotency_key ~ '^rule:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}:';
`;
