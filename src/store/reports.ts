import { type RawBuilder, sql } from "kysely";
import { offsetAt } from "../shared/time-zone";
import type { DbOrTx } from "./db";
import type { WhereClause } from "./filter-sql";

// SQL of the insight reports (issue #16): listening volume, sentiment, share of voice and reach;
// service response and resolution times, SLA attainment, CSAT and backlog. Every query is scoped by
// workspace, counts days and weeks in the workspace's time zone, and runs on PGlite and PostgreSQL 15.

export type ReportScope = {
  workspaceId: string;
  from: Date;
  to: Date;
  timeZone: string;
  bucket: "day" | "week";
  channelId?: string;
  network?: string;
  teamId?: string;
  /** Only people in a saved segment: its filter over alias `t`, a contact or (organization segments) their organization. */
  segment?: { entity: "contact" | "organization"; where: WhereClause[] };
};

export const none = sql``;

/**
 * A report query's rows, with PostgreSQL's JIT compilation off: the year-long reads make the planner's
 * cost estimate large enough to trigger JIT, whose compiling took 2-4 s per query at 1M messages, longer
 * than the query itself. `set local` lasts to the end of the (read-only) transaction.
 */
export async function reportRows<R>(db: DbOrTx, query: RawBuilder<R>): Promise<R[]> {
  if (db.isTransaction) {
    await sql`set local jit = off`.execute(db);
    return (await query.execute(db)).rows;
  }
  return db.transaction().execute(async (tx) => {
    await sql`set local jit = off`.execute(tx);
    return (await query.execute(tx)).rows;
  });
}

const segmentMatch = (where: WhereClause[]) => (where.length ? sql`(${sql.join(where, sql` and `)})` : sql`true`);

/** The ids of the segment's contacts, as a subquery (a set the planner can hash once). */
function segmentContacts(s: ReportScope, segment: NonNullable<ReportScope["segment"]>) {
  return segment.entity === "contact"
    ? sql`select t.id from contacts t where t.workspace_id = ${s.workspaceId} and ${segmentMatch(segment.where)}`
    : sql`select sc.id from contacts sc join organizations t on t.workspace_id = sc.workspace_id and t.id = sc.organization_id
        where sc.workspace_id = ${s.workspaceId} and ${segmentMatch(segment.where)}`;
}

/** `and <contact> is in the scope's segment` (nothing without a segment). */
export const contactInSegment = (s: ReportScope, contactId: RawBuilder<unknown>) =>
  s.segment ? sql`and ${contactId} in (${segmentContacts(s, s.segment)})` : none;

/** `and <profile> is linked to a contact in the scope's segment` (nothing without a segment; an unlinked profile is in none). */
export const profileInSegment = (s: ReportScope, profileId: RawBuilder<unknown>) =>
  s.segment
    ? sql`and ${profileId} in (select sp.id from profiles sp where sp.workspace_id = ${s.workspaceId}
        and sp.contact_id in (${segmentContacts(s, s.segment)}))`
    : none;

/**
 * `and the conversation (alias cv) has an inbound message from someone in the scope's segment`: the
 * segment's conversations found once, from its people's messages (a set, not a lookup per conversation).
 */
const conversationInSegment = (s: ReportScope) =>
  s.segment
    ? sql`and cv.id in (select sm.conversation_id from messages sm where sm.workspace_id = ${s.workspaceId}
        and sm.direction = 'inbound' ${profileInSegment(s, sql`sm.profile_id`)})`
    : none;

/** Every bucket of the range (its first local day, YYYY-MM-DD), as a query of one column, bucket. */
export const bucketSeries = (s: ReportScope) => sql`
  select to_char(d, 'YYYY-MM-DD') as bucket
  from generate_series(
    date_trunc(${s.bucket}::text, ${s.from}::timestamptz at time zone ${s.timeZone}::text),
    (${s.to}::timestamptz at time zone ${s.timeZone}::text) - interval '1 microsecond',
    cast('1 ' || ${s.bucket}::text as interval)
  ) as d`;

/** Inbound messages (alias m) posted in the range, within the scope's channel, network and team. */
function inboundIn(s: ReportScope): RawBuilder<unknown> {
  return sql`m.workspace_id = ${s.workspaceId} and m.direction = 'inbound'
    and m.posted_at >= ${s.from}::timestamptz and m.posted_at < ${s.to}::timestamptz
    ${s.channelId ? sql`and m.channel_id = ${s.channelId}` : none}
    ${s.network ? sql`and m.network = ${s.network}` : none}
    ${
      s.teamId
        ? sql`and exists (select 1 from conversations tc
            where tc.workspace_id = m.workspace_id and tc.id = m.conversation_id and tc.team_id = ${s.teamId})`
        : none
    }
    ${profileInSegment(s, sql`m.profile_id`)}`;
}

/** The bucket (its first local day, YYYY-MM-DD) of a time column. */
export const bucketOf = (s: ReportScope, column: RawBuilder<unknown>) =>
  sql`to_char(date_trunc(${s.bucket}::text, ${column} at time zone ${s.timeZone}::text), 'YYYY-MM-DD')`;

// ---------- Listening

export type VolumeRow = {
  bucket: string;
  messages: number;
  positive: number;
  neutral: number;
  negative: number;
  unanalyzed: number;
  mean_sentiment: number | null;
};

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * Whether the hourly rollups (migration 031) answer this scope exactly: no team or segment filter (the
 * rollups carry channel and network only), a range from and to whole UTC hours, and a zone a whole number
 * of hours off UTC throughout it (checked daily and at both ends), so that each UTC hour lies in one local day.
 */
export function hourlyRollupFits(s: ReportScope): boolean {
  if (s.teamId || s.segment) return false;
  const from = s.from.getTime();
  const to = s.to.getTime();
  if (from % HOUR !== 0 || to % HOUR !== 0) return false;
  for (let t = from; t < to; t += DAY) if (offsetAt(t, s.timeZone) % HOUR !== 0) return false;
  return offsetAt(to - 1000, s.timeZone) % HOUR === 0;
}

/** Rollup rows (alias r) of the range, within the scope's channel and network. */
const hoursIn = (s: ReportScope) => sql`r.workspace_id = ${s.workspaceId}
  and r.hour >= ${s.from}::timestamptz and r.hour < ${s.to}::timestamptz
  ${s.channelId ? sql`and r.channel_id = ${s.channelId}` : none}
  ${s.network ? sql`and r.network = ${s.network}` : none}`;

/** Volume and sentiment per bucket, every bucket of the range (zeros included). */
/** `rollup` false reads the messages themselves (tests compare the two). */
export async function listeningVolume(db: DbOrTx, s: ReportScope, rollup = hourlyRollupFits(s)): Promise<VolumeRow[]> {
  const agg = rollup
    ? sql`select ${bucketOf(s, sql`r.hour`)} as bucket,
        sum(r.messages)::int as messages, sum(r.positive)::int as positive, sum(r.neutral)::int as neutral,
        sum(r.negative)::int as negative, sum(r.unanalyzed)::int as unanalyzed,
        (sum(r.score_sum) / nullif(sum(r.scored), 0))::float8 as mean_sentiment
      from report_message_hours r
      where ${hoursIn(s)}
      group by 1`
    : sql`select ${bucketOf(s, sql`m.posted_at`)} as bucket,
        count(*)::int as messages,
        (count(*) filter (where m.sentiment = 'positive'))::int as positive,
        (count(*) filter (where m.sentiment = 'neutral'))::int as neutral,
        (count(*) filter (where m.sentiment = 'negative'))::int as negative,
        (count(*) filter (where m.sentiment is null))::int as unanalyzed,
        avg(m.sentiment_score)::float8 as mean_sentiment
      from messages m
      where ${inboundIn(s)}
      group by 1`;
  return reportRows(
    db,
    sql<VolumeRow>`
    with buckets as (${bucketSeries(s)}),
    agg as (${agg})
    select b.bucket, coalesce(a.messages, 0) as messages, coalesce(a.positive, 0) as positive,
      coalesce(a.neutral, 0) as neutral, coalesce(a.negative, 0) as negative,
      coalesce(a.unanalyzed, 0) as unanalyzed, a.mean_sentiment
    from buckets b left join agg a on a.bucket = b.bucket
    order by b.bucket`,
  );
}

export type VolumeSplitRow = { bucket: string; dimension: "network" | "channel" | "label"; key: string; name: string; messages: number };

/**
 * Volume per bucket by network, channel and intent label (a message counts once under each of its labels):
 * the range's messages (or their hourly rollups) are read and bucketed once, then counted three ways.
 */
export async function listeningVolumeSplit(db: DbOrTx, s: ReportScope, rollup = hourlyRollupFits(s)): Promise<VolumeSplitRow[]> {
  const counted = rollup
    ? sql`
    inbound as materialized (
      select ${bucketOf(s, sql`r.hour`)} as bucket, r.network, r.channel_id, r.messages from report_message_hours r where ${hoursIn(s)}
    ),
    labelled as (
      select ${bucketOf(s, sql`r.hour`)} as bucket, r.label, r.messages from report_label_hours r where ${hoursIn(s)}
    )`
    : sql`
    inbound as materialized (
      select ${bucketOf(s, sql`m.posted_at`)} as bucket, m.network, m.channel_id, m.labels, 1 as messages
      from messages m where ${inboundIn(s)}
    ),
    labelled as (select bucket, l.label, 1 as messages from inbound cross join lateral unnest(inbound.labels) as l(label))`;
  return reportRows(
    db,
    sql<VolumeSplitRow>`
    with ${counted}
    select * from (
      select bucket, 'network' as dimension, network as key, network as name, sum(messages)::int as messages
      from inbound group by bucket, network having sum(messages) > 0
      union all
      select c.bucket, 'channel', coalesce(c.channel_id::text, 'none'), coalesce(ch.name, 'No channel'), c.messages
      from (select bucket, channel_id, sum(messages)::int as messages from inbound group by bucket, channel_id having sum(messages) > 0) as c
      left join channels ch on ch.workspace_id = ${s.workspaceId} and ch.id = c.channel_id
      union all
      select bucket, 'label', label, label, sum(messages)::int from labelled group by bucket, label having sum(messages) > 0
    ) as split
    order by bucket, dimension, messages desc, key`,
  );
}

export type ListeningTotals = { messages: number; authors: number; mean_sentiment: number | null };

/** The range's messages, authors and mean sentiment, in one pass grouped by author (a hash, where count(distinct) sorts). */
export async function listeningTotals(db: DbOrTx, s: ReportScope): Promise<ListeningTotals> {
  const rows = await reportRows(
    db,
    sql<ListeningTotals>`
    select coalesce(sum(a.messages), 0)::int as messages, count(a.profile_id)::int as authors,
      (sum(a.score_sum) / nullif(sum(a.scored), 0))::float8 as mean_sentiment
    from (
      select m.profile_id, count(*) as messages, sum(m.sentiment_score::float8) as score_sum, count(m.sentiment_score) as scored
      from messages m where ${inboundIn(s)}
      group by m.profile_id
    ) as a`,
  );
  return rows[0] ?? { messages: 0, authors: 0, mean_sentiment: null };
}

export type ShareOfVoiceRow = { term_id: string; kind: "brand" | "product"; name: string; mentions: number };

/**
 * Messages naming each dictionary term or one of its aliases (case-insensitive substring), in one pass
 * over the range's messages: each message's text is lowered once (a lateral per message, not per
 * message and term) and looked up for every term, counting a term once per message.
 */
export async function shareOfVoice(db: DbOrTx, s: ReportScope): Promise<ShareOfVoiceRow[]> {
  const rows = await reportRows(
    db,
    sql<ShareOfVoiceRow>`
    with terms as (
      select d.id, lower(btrim(t.term)) as term
      from dictionary_terms d cross join lateral unnest(array_append(d.aliases, d.name)) as t(term)
      where d.workspace_id = ${s.workspaceId} and length(btrim(t.term)) > 0
    ),
    hits as (
      select hit.term_id, count(*)::int as mentions
      from messages m
      cross join lateral (select lower(m.text) as text) as lowered
      cross join lateral (select distinct tm.id as term_id from terms tm where position(tm.term in lowered.text) > 0) as hit
      where ${inboundIn(s)}
      group by hit.term_id
    )
    select d.id::text as term_id, d.kind, d.name, coalesce(h.mentions, 0) as mentions
    from dictionary_terms d left join hits h on h.term_id = d.id
    where d.workspace_id = ${s.workspaceId}
    order by mentions desc, d.kind, d.name`,
  );
  return rows;
}

export type TopAuthorRow = {
  profile_id: string;
  network: string;
  handle: string | null;
  display_name: string | null;
  followers: number | null;
  messages: number;
};

/** How many of the widest-reaching profiles `topAuthors` looks at before it counts every author of the range. */
const TOP_AUTHOR_WINDOW = 200;

/**
 * The authors with the widest reach (followers) who wrote in the range. The profiles are walked by
 * followers (an index) and each one's messages in the range counted, over the first TOP_AUTHOR_WINDOW
 * only: when at least `limit` of them wrote and the last one's followers tie with none past the window,
 * nobody outside can rank higher, and a year's million messages are not grouped by author. Otherwise (few
 * of the widest-reaching wrote, narrow filters) every author of the range is counted, as before.
 */
export async function topAuthors(db: DbOrTx, s: ReportScope, limit: number, windowSize = TOP_AUTHOR_WINDOW): Promise<TopAuthorRow[]> {
  if (windowSize > 0) {
    const top = await widestReaching(db, s, limit, windowSize);
    if (top) return top;
  }
  return reportRows(
    db,
    sql<TopAuthorRow>`
    select p.id::text as profile_id, p.network, p.handle, p.display_name, p.followers, count(*)::int as messages
    from messages m join profiles p on p.workspace_id = m.workspace_id and p.id = m.profile_id
    where ${inboundIn(s)}
    group by p.id, p.network, p.handle, p.display_name, p.followers
    order by p.followers desc nulls last, messages desc, p.id
    limit ${limit}`,
  );
}

/** The top authors among the `windowSize` widest-reaching profiles, or undefined when someone past them could still rank. */
async function widestReaching(db: DbOrTx, s: ReportScope, limit: number, windowSize: number): Promise<TopAuthorRow[] | undefined> {
  const [window, boundary] = await Promise.all([
    reportRows(
      db,
      sql<TopAuthorRow>`
      select w.id::text as profile_id, w.network, w.handle, w.display_name, w.followers, w.messages
      from (
        select p.id, p.network, p.handle, p.display_name, p.followers,
          (select count(*)::int from messages m where ${inboundIn(s)} and m.profile_id = p.id) as messages
        from profiles p where p.workspace_id = ${s.workspaceId}
        order by p.followers desc nulls last, p.id
        limit ${windowSize}
      ) as w
      where w.messages > 0
      order by w.followers desc nulls last, w.messages desc, w.id`,
    ),
    reportRows(
      db,
      sql<{ followers: number | null }>`select p.followers from profiles p where p.workspace_id = ${s.workspaceId}
        order by p.followers desc nulls last, p.id offset ${windowSize - 1} limit 1`,
    ),
  ]);
  const last = window[limit - 1];
  const past = boundary[0];
  // everyone past the window has at most the boundary's followers: decided when that is fewer than the last's
  const decided = !past || (last !== undefined && last.followers !== null && (past.followers === null || past.followers < last.followers));
  return decided ? window.slice(0, limit) : undefined;
}

// ---------- Service

export type ServiceGroup = "all" | "team" | "agent" | "channel" | "priority";

/** The dimension of a grouping-sets row, and its key (a team's, agent's or channel's id, 'none', a priority or 'all'). */
function groupedBy(keys: ServiceGroup[]) {
  const dimension = keys.reduce<RawBuilder<unknown>>(
    (rest, k) => sql`case when grouping(f.${sql.raw(k)}) = 0 then ${k} else ${rest} end`,
    sql`'all'`,
  );
  const key = sql.join([...keys.map((k) => sql`f.${sql.raw(k)}`), sql`'all'`]);
  const sets = sql.join([sql`()`, ...keys.map((k) => sql`(f.${sql.raw(k)})`)]);
  return { dimension, key: sql`coalesce(${key})`, sets };
}

/** Cases opened in the range with their measures (minutes), each case's channel being its first linked conversation's. */
function caseFacts(s: ReportScope, now: Date) {
  return sql`
    select coalesce(k.team_id::text, 'none') as team, coalesce(k.assignee_id::text, 'none') as agent,
      coalesce(ch.channel_id::text, 'none') as channel, k.priority::text as priority,
      (extract(epoch from (k.first_responded_at - k.created_at)) / 60.0)::float8 as first_response,
      case when k.resolved_at is not null
        then (greatest(0, extract(epoch from (k.resolved_at - k.created_at)) - k.paused_seconds) / 60.0)::float8 end as resolution,
      case when k.first_response_due_at is null then null
        when k.first_response_breached or k.first_responded_at > k.first_response_due_at
          or (k.first_responded_at is null and k.first_response_due_at < ${now}::timestamptz) then 'breached'
        when k.first_responded_at is not null then 'met' end as first_response_sla,
      case when k.resolution_due_at is null then null
        when k.resolution_breached or k.resolved_at > k.resolution_due_at
          or (k.resolved_at is null and k.resolution_due_at < ${now}::timestamptz) then 'breached'
        when k.resolved_at is not null then 'met' end as resolution_sla,
      k.satisfaction_rating as rating
    from cases k
    left join lateral (
      select cv.channel_id, cv.network from case_conversations cc
      join conversations cv on cv.workspace_id = cc.workspace_id and cv.id = cc.conversation_id
      where cc.workspace_id = k.workspace_id and cc.case_id = k.id
      order by cc.created_at, cv.id limit 1
    ) as ch on true
    where k.workspace_id = ${s.workspaceId} and k.created_at >= ${s.from}::timestamptz and k.created_at < ${s.to}::timestamptz
      ${s.teamId ? sql`and k.team_id = ${s.teamId}` : none}
      ${s.channelId ? sql`and ch.channel_id = ${s.channelId}` : none}
      ${s.network ? sql`and ch.network = ${s.network}` : none}
      ${contactInSegment(s, sql`k.contact_id`)}`;
}

export type CaseMeasures = {
  dimension: ServiceGroup;
  key: string;
  cases: number;
  first_response_p50: number | null;
  first_response_p90: number | null;
  resolution_p50: number | null;
  resolution_p90: number | null;
  first_response_met: number;
  first_response_breached: number;
  resolution_met: number;
  resolution_breached: number;
  csat_responses: number;
  csat_mean: number | null;
  csat_satisfied: number;
};

/** Case measures in all and by team, agent, channel and priority, in one pass (percentiles interpolate, as percentile_cont does). */
export async function caseMeasures(db: DbOrTx, s: ReportScope, now: Date): Promise<CaseMeasures[]> {
  const g = groupedBy(["team", "agent", "channel", "priority"]);
  const rows = await reportRows(
    db,
    sql<CaseMeasures>`
    with f as (${caseFacts(s, now)})
    select ${g.dimension} as dimension, ${g.key} as key, count(*)::int as cases,
      percentile_cont(0.5) within group (order by f.first_response) as first_response_p50,
      percentile_cont(0.9) within group (order by f.first_response) as first_response_p90,
      percentile_cont(0.5) within group (order by f.resolution) as resolution_p50,
      percentile_cont(0.9) within group (order by f.resolution) as resolution_p90,
      (count(*) filter (where f.first_response_sla = 'met'))::int as first_response_met,
      (count(*) filter (where f.first_response_sla = 'breached'))::int as first_response_breached,
      (count(*) filter (where f.resolution_sla = 'met'))::int as resolution_met,
      (count(*) filter (where f.resolution_sla = 'breached'))::int as resolution_breached,
      count(f.rating)::int as csat_responses,
      avg(f.rating)::float8 as csat_mean,
      (count(*) filter (where f.rating >= 4))::int as csat_satisfied
    from f
    group by grouping sets (${g.sets})`,
  );
  return rows;
}

export type ConversationMeasures = {
  dimension: "all" | "team" | "agent" | "channel";
  key: string;
  conversations: number;
  first_reply_p50: number | null;
  first_reply_p90: number | null;
};

/**
 * First reply in the inbox: conversations whose first inbound message is in the range, and the time
 * from it to the first outbound message at or after it (a failed delivery is no reply).
 */
export async function conversationMeasures(db: DbOrTx, s: ReportScope): Promise<ConversationMeasures[]> {
  const g = groupedBy(["team", "agent", "channel"]);
  const rows = await reportRows(
    db,
    sql<ConversationMeasures>`
    with f as (
      select coalesce(cv.team_id::text, 'none') as team, coalesce(cv.assignee_id::text, 'none') as agent,
        coalesce(cv.channel_id::text, 'none') as channel,
        (extract(epoch from (
          (select min(o.posted_at) from messages o
            where o.workspace_id = cv.workspace_id and o.conversation_id = cv.id and o.direction = 'outbound'
              and o.posted_at >= fi.at and coalesce(o.delivery_status, 'sent') <> 'failed')
          - fi.at)) / 60.0)::float8 as first_reply
      from conversations cv
      cross join lateral (
        select min(i.posted_at) as at from messages i
        where i.workspace_id = cv.workspace_id and i.conversation_id = cv.id and i.direction = 'inbound'
      ) as fi
      where cv.workspace_id = ${s.workspaceId} and fi.at >= ${s.from}::timestamptz and fi.at < ${s.to}::timestamptz
        -- a conversation whose first inbound message is in the range was last active after its start and began before its end
        and cv.last_message_at >= ${s.from}::timestamptz and cv.first_message_at < ${s.to}::timestamptz
        ${s.teamId ? sql`and cv.team_id = ${s.teamId}` : none}
        ${s.channelId ? sql`and cv.channel_id = ${s.channelId}` : none}
        ${s.network ? sql`and cv.network = ${s.network}` : none}
        ${conversationInSegment(s)}
    )
    select ${g.dimension} as dimension, ${g.key} as key, count(*)::int as conversations,
      percentile_cont(0.5) within group (order by f.first_reply) as first_reply_p50,
      percentile_cont(0.9) within group (order by f.first_reply) as first_reply_p90
    from f
    group by grouping sets (${g.sets})`,
  );
  return rows;
}

export type BacklogRow = { age: "under_1d" | "1d_3d" | "3d_7d" | "over_7d"; conversations: number; cases: number };

const ageBucket = (since: RawBuilder<unknown>, now: Date) => sql`case
  when ${now}::timestamptz - ${since} < interval '1 day' then 'under_1d'
  when ${now}::timestamptz - ${since} < interval '3 days' then '1d_3d'
  when ${now}::timestamptz - ${since} < interval '7 days' then '3d_7d'
  else 'over_7d' end`;

/** What is open now, by age: conversations new, open or pending (since their first message), cases not solved or closed. */
export async function backlog(db: DbOrTx, s: ReportScope, now: Date): Promise<BacklogRow[]> {
  const rows = await reportRows(
    db,
    sql<BacklogRow>`
    with conv as (
      select ${ageBucket(sql`cv.first_message_at`, now)} as age, count(*)::int as n
      from conversations cv
      where cv.workspace_id = ${s.workspaceId} and cv.status in ('new', 'open', 'pending')
        ${s.teamId ? sql`and cv.team_id = ${s.teamId}` : none}
        ${s.channelId ? sql`and cv.channel_id = ${s.channelId}` : none}
        ${s.network ? sql`and cv.network = ${s.network}` : none}
        ${conversationInSegment(s)}
      group by 1
    ),
    kase as (
      select ${ageBucket(sql`k.created_at`, now)} as age, count(*)::int as n
      from cases k
      where k.workspace_id = ${s.workspaceId} and k.status not in ('solved', 'closed')
        ${s.teamId ? sql`and k.team_id = ${s.teamId}` : none}
        ${contactInSegment(s, sql`k.contact_id`)}
        ${
          s.channelId || s.network
            ? sql`and exists (select 1 from case_conversations cc
                join conversations cv on cv.workspace_id = cc.workspace_id and cv.id = cc.conversation_id
                where cc.workspace_id = k.workspace_id and cc.case_id = k.id
                  ${s.channelId ? sql`and cv.channel_id = ${s.channelId}` : none}
                  ${s.network ? sql`and cv.network = ${s.network}` : none})`
            : none
        }
      group by 1
    )
    select coalesce(conv.age, kase.age) as age, coalesce(conv.n, 0) as conversations, coalesce(kase.n, 0) as cases
    from conv full join kase on kase.age = conv.age`,
  );
  return rows;
}

/** Names of the workspace's teams, members and channels, for labelling report rows. */
export async function reportNames(db: DbOrTx, workspaceId: string) {
  const [teams, users, channels] = await Promise.all([
    db.selectFrom("teams").select(["id", "name"]).where("workspace_id", "=", workspaceId).execute(),
    db
      .selectFrom("memberships")
      .innerJoin("users", "users.id", "memberships.user_id")
      .select(["users.id", "users.name", "users.email"])
      .where("memberships.workspace_id", "=", workspaceId)
      .execute(),
    db.selectFrom("channels").select(["id", "name"]).where("workspace_id", "=", workspaceId).execute(),
  ]);
  return {
    teams: new Map(teams.map((t) => [t.id, t.name])),
    users: new Map(users.map((u) => [u.id, u.name || u.email])),
    channels: new Map(channels.map((c) => [c.id, c.name])),
  };
}
