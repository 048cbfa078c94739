// Image attachments on replies (issue 14): the bytes an agent attached to an outbound message,
// kept with it (removed with it) and scoped by workspace, so the outbox can send them on every
// attempt and the thread can show them. Only the image types Parley sniffs are stored.
export const sql = `
create table reply_attachments (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  id uuid not null,
  message_id uuid not null,
  position int not null,
  content_type text not null check (content_type in ('image/png', 'image/jpeg', 'image/gif', 'image/webp')),
  filename text,
  alt text,
  byte_size int not null,
  width int,
  height int,
  data bytea not null,
  created_at timestamptz not null default now(),
  primary key (workspace_id, id),
  foreign key (workspace_id, message_id) references messages (workspace_id, id) on delete cascade
);
create index reply_attachments_message on reply_attachments (workspace_id, message_id, position);
`;
