// Emerging issues (issue 16): inbound complaints, questions and suggestions grouped by
// content as they arrive. An issue keeps its centroid as its top terms (issue_terms:
// the summed sublinear term weights of its messages, IDF applied at comparison time
// from the workspace's document frequencies in issue_term_df, where the empty term
// counts the documents), its messages, and hourly counts for burst detection.
export const sql = `
create table issues (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  id uuid not null,
  label text not null,
  top_terms jsonb not null default '[]',
  message_count integer not null default 0,
  first_message_at timestamptz not null,
  last_message_at timestamptz not null,
  burst_started_at timestamptz,
  burst_ended_at timestamptz,
  burst_count integer not null default 0,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  primary key (workspace_id, id)
);
create index issues_recent on issues (workspace_id, last_message_at desc, id desc);

create table issue_terms (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  issue_id uuid not null,
  term text not null,
  word text not null,
  mass real not null,
  primary key (workspace_id, issue_id, term),
  foreign key (workspace_id, issue_id) references issues(workspace_id, id) on delete cascade
);
create index issue_terms_term on issue_terms (workspace_id, term);

create table issue_term_df (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  term text not null,
  df integer not null,
  primary key (workspace_id, term)
);

create table issue_messages (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  message_id uuid not null,
  issue_id uuid not null,
  similarity real not null,
  posted_at timestamptz not null,
  created_at timestamptz not null default now(),
  primary key (workspace_id, message_id),
  foreign key (workspace_id, message_id) references messages(workspace_id, id) on delete cascade,
  foreign key (workspace_id, issue_id) references issues(workspace_id, id) on delete cascade
);
create index issue_messages_issue on issue_messages (workspace_id, issue_id, posted_at desc);

create table issue_hourly (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  issue_id uuid not null,
  hour timestamptz not null,
  count integer not null,
  primary key (workspace_id, issue_id, hour),
  foreign key (workspace_id, issue_id) references issues(workspace_id, id) on delete cascade
);
`;
