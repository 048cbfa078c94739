// Account safety (issue 12 items 5 and 9): failed sign-ins counted per account
// and per client address, kept in the database so throttling survives a restart
// and holds across processes; and whether strangers may sign up once the first
// workspace exists (off unless its owner turns it on).
export const sql = `
create table login_throttles (
  key text primary key,
  failures integer not null default 0,
  last_failure_at timestamptz not null,
  locked_until timestamptz
);

alter table workspaces add column open_signup boolean not null default false;
`;
