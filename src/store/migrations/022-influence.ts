// People and influence (issue 16): who engages with whom (replies, mentions, quotes between
// inbound authors, rolled up to contacts where profiles are linked), each person's weighted
// PageRank over that graph with the counts that explain it, their stance from the sentiment
// of their messages, and the community (label propagation) they talk within. Derived data:
// recomputed whole per workspace by the scheduler or on demand; influence_runs says when.
export const sql = `
create table influence_runs (
  workspace_id uuid primary key references workspaces(id) on delete cascade,
  computed_at timestamptz not null,
  window_days integer not null,
  people integer not null,
  links integer not null,
  interactions integer not null,
  communities integer not null,
  iterations integer not null,
  converged boolean not null
);

create table person_influence (
  workspace_id uuid not null references workspaces(id) on delete cascade,
  node text not null,
  contact_id uuid,
  profile_id uuid,
  score double precision not null,
  rank integer not null,
  community integer not null,
  community_size integer not null,
  replies_received integer not null default 0,
  repliers integer not null default 0,
  mentions_received integer not null default 0,
  mentioners integer not null default 0,
  quotes_received integer not null default 0,
  quoters integer not null default 0,
  engaged_with integer not null default 0,
  messages integer not null default 0,
  positive integer not null default 0,
  negative integer not null default 0,
  stance text not null,
  primary key (workspace_id, node),
  foreign key (workspace_id, contact_id) references contacts(workspace_id, id) on delete cascade,
  foreign key (workspace_id, profile_id) references profiles(workspace_id, id) on delete cascade
);
create index person_influence_rank on person_influence (workspace_id, rank);
create index person_influence_contact on person_influence (workspace_id, contact_id) where contact_id is not null;
create index person_influence_community on person_influence (workspace_id, community, rank);
-- @handle mentions in text are matched to the profiles of the same network
create index profiles_handle_lower on profiles (workspace_id, network, lower(ltrim(handle, '@'))) where handle is not null;
`;
