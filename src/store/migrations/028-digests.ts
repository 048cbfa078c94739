// Digests (issue 16): each person chooses a daily or weekly email with their workspace's headline
// figures, new issues and bursts; the period last sent keeps a digest from going out twice.
export const sql = `
alter table notification_preferences add column digest text not null default 'off' check (digest in ('off', 'daily', 'weekly'));
alter table notification_preferences add column digest_sent_for text;
`;
