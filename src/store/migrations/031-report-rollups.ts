// Rollups of the listening report (issue 16: every dashboard query p99 ≤ 300 ms at 1M messages): inbound
// messages counted per UTC hour, channel and network (volume, sentiment) and per label. A report reads
// ~9k hour rows for a year instead of 1M messages, and buckets the hours into local days or weeks (exact
// whenever the workspace's zone is a whole number of hours off UTC; src/store/reports.ts falls back to
// the messages otherwise, and for the team and segment filters, which the rollup does not carry).
// Kept current by statement triggers on messages, in the transaction of the write: each insert, update
// (analysis, relabel, move, redaction) or delete (erasure, retention, a workspace removed) adds its rows'
// counts with a sign, so concurrent writers only ever increment. No foreign key: a workspace's rows go to
// zero and are removed with its messages. Backfilled below from the existing messages.

/** The per-hour and per-label counts of a set of message rows `src` with a `sign` column, added to the rollups. */
const apply = (src: string) => `
    insert into report_message_hours as r (workspace_id, hour, channel_id, network, messages, positive, neutral, negative,
      unanalyzed, score_sum, scored)
    select d.workspace_id, date_trunc('hour', d.posted_at, 'UTC'), d.channel_id, d.network, sum(d.sign),
      coalesce(sum(d.sign) filter (where d.sentiment = 'positive'), 0),
      coalesce(sum(d.sign) filter (where d.sentiment = 'neutral'), 0),
      coalesce(sum(d.sign) filter (where d.sentiment = 'negative'), 0),
      coalesce(sum(d.sign) filter (where d.sentiment is null), 0),
      coalesce(sum(d.sign * d.sentiment_score::float8::numeric), 0),
      coalesce(sum(d.sign) filter (where d.sentiment_score is not null), 0)
    from (${src}) as d
    group by 1, 2, 3, 4
    on conflict (workspace_id, hour, channel_id, network) do update set
      messages = r.messages + excluded.messages, positive = r.positive + excluded.positive,
      neutral = r.neutral + excluded.neutral, negative = r.negative + excluded.negative,
      unanalyzed = r.unanalyzed + excluded.unanalyzed, score_sum = r.score_sum + excluded.score_sum,
      scored = r.scored + excluded.scored;
    insert into report_label_hours as r (workspace_id, hour, channel_id, network, label, messages)
    select d.workspace_id, date_trunc('hour', d.posted_at, 'UTC'), d.channel_id, d.network, l.label, sum(d.sign)
    from (${src}) as d cross join lateral unnest(d.labels) as l(label)
    group by 1, 2, 3, 4, 5
    on conflict (workspace_id, hour, channel_id, network, label) do update set messages = r.messages + excluded.messages;
    delete from report_message_hours r using (select distinct workspace_id, date_trunc('hour', posted_at, 'UTC') as hour from (${src}) as d) as k
    where r.workspace_id = k.workspace_id and r.hour = k.hour and r.messages = 0;
    delete from report_label_hours r using (select distinct workspace_id, date_trunc('hour', posted_at, 'UTC') as hour from (${src}) as d) as k
    where r.workspace_id = k.workspace_id and r.hour = k.hour and r.messages = 0;`;

const COLUMNS = "workspace_id, posted_at, channel_id, network, sentiment, sentiment_score, labels";
const counted = (table: string, sign: number) =>
  `select ${COLUMNS.split(", ")
    .map((c) => `${table}.${c}`)
    .join(", ")}, ${sign} as sign from ${table} where ${table}.direction = 'inbound'`;
/** Updated rows whose counted columns changed: the old version taken away, the new one added. */
const changed = `
      select ${COLUMNS.split(", ")
        .map((c) => `o.${c}`)
        .join(", ")}, -1 as sign
      from old_rows o join new_rows n on n.workspace_id = o.workspace_id and n.id = o.id
      where o.direction = 'inbound' and (o.posted_at, o.direction, o.channel_id, o.network, o.sentiment, o.sentiment_score, o.labels)
        is distinct from (n.posted_at, n.direction, n.channel_id, n.network, n.sentiment, n.sentiment_score, n.labels)
      union all
      select ${COLUMNS.split(", ")
        .map((c) => `n.${c}`)
        .join(", ")}, 1
      from old_rows o join new_rows n on n.workspace_id = o.workspace_id and n.id = o.id
      where n.direction = 'inbound' and (o.posted_at, o.direction, o.channel_id, o.network, o.sentiment, o.sentiment_score, o.labels)
        is distinct from (n.posted_at, n.direction, n.channel_id, n.network, n.sentiment, n.sentiment_score, n.labels)`;

export const sql = `
create table report_message_hours (
  workspace_id uuid not null,
  hour timestamptz not null,
  channel_id uuid,
  network text not null,
  messages integer not null,
  positive integer not null,
  neutral integer not null,
  negative integer not null,
  unanalyzed integer not null,
  score_sum numeric not null,
  scored integer not null,
  constraint report_message_hours_key unique nulls not distinct (workspace_id, hour, channel_id, network)
);

create table report_label_hours (
  workspace_id uuid not null,
  hour timestamptz not null,
  channel_id uuid,
  network text not null,
  label text not null,
  messages integer not null,
  constraint report_label_hours_key unique nulls not distinct (workspace_id, hour, channel_id, network, label)
);

create function report_hours_inserted() returns trigger language plpgsql as $$
begin${apply(counted("new_rows", 1))}
  return null;
end $$;

create function report_hours_deleted() returns trigger language plpgsql as $$
begin${apply(counted("old_rows", -1))}
  return null;
end $$;

create function report_hours_updated() returns trigger language plpgsql as $$
begin
  if exists (${changed}) then${apply(changed)}
  end if;
  return null;
end $$;

create trigger messages_report_hours_insert after insert on messages
  referencing new table as new_rows for each statement execute function report_hours_inserted();
create trigger messages_report_hours_delete after delete on messages
  referencing old table as old_rows for each statement execute function report_hours_deleted();
create trigger messages_report_hours_update after update on messages
  referencing old table as old_rows new table as new_rows for each statement execute function report_hours_updated();

insert into report_message_hours (workspace_id, hour, channel_id, network, messages, positive, neutral, negative, unanalyzed,
  score_sum, scored)
select workspace_id, date_trunc('hour', posted_at, 'UTC'), channel_id, network, count(*),
  count(*) filter (where sentiment = 'positive'), count(*) filter (where sentiment = 'neutral'),
  count(*) filter (where sentiment = 'negative'), count(*) filter (where sentiment is null),
  coalesce(sum(sentiment_score::float8::numeric), 0), count(sentiment_score)
from messages where direction = 'inbound'
group by 1, 2, 3, 4;

insert into report_label_hours (workspace_id, hour, channel_id, network, label, messages)
select m.workspace_id, date_trunc('hour', m.posted_at, 'UTC'), m.channel_id, m.network, l.label, count(*)
from messages m cross join lateral unnest(m.labels) as l(label)
where m.direction = 'inbound'
group by 1, 2, 3, 4, 5;
`;
