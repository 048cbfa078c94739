import { type RawBuilder, sql } from "kysely";
import type { DbOrTx } from "./db";
import { bucketOf, bucketSeries, contactInSegment, none, profileInSegment, type ReportScope, reportRows } from "./reports";

// SQL of the outcome reports (issue #16): product (ideas and where their votes came from), sales
// (leads and deals from social, won revenue traced to the first post) and engagement (people we
// replied to: their sentiment before and after our first reply). Scoped by workspace, days and weeks
// in the workspace's time zone, set-based (each row's lookups go through an index), PGlite and PostgreSQL 15.

const inRange = (s: ReportScope, column: RawBuilder<unknown>) =>
  sql`${column} >= ${s.from}::timestamptz and ${column} < ${s.to}::timestamptz`;

/** The conversation (alias tc) of a message column belongs to the scope's team. */
const ofTeam = (s: ReportScope, conversation: RawBuilder<unknown>) =>
  s.teamId
    ? sql`and exists (select 1 from conversations tc
        where tc.workspace_id = ${s.workspaceId} and tc.id = ${conversation} and tc.team_id = ${s.teamId})`
    : none;

// ---------- Product

export type IdeaStatusRow = { status: string; ideas: number; votes: number; created: number; votes_in_range: number };

/**
 * A vote's source: a post filed on the idea (social, or the community portal when the post is the
 * portal's), a member's vote on the portal, or staff voting for a contact. Network and channel are the post's.
 */
function rangeVotes(s: ReportScope) {
  return sql`
    select v.idea_id, v.created_at, m.channel_id,
      coalesce(m.network, case when v.created_by = 'community' then 'community' end) as network,
      case when m.id is not null and m.network <> 'community' then 'social'
        when m.network = 'community' or v.created_by = 'community' then 'community'
        else 'staff' end as source
    from idea_votes v
    left join messages m on m.workspace_id = v.workspace_id and m.id = v.message_id
    where v.workspace_id = ${s.workspaceId} and ${inRange(s, sql`v.created_at`)}
      ${s.channelId ? sql`and m.channel_id = ${s.channelId}` : none}
      ${s.network ? sql`and coalesce(m.network, case when v.created_by = 'community' then 'community' end) = ${s.network}` : none}
      ${ofTeam(s, sql`m.conversation_id`)}
      ${s.segment ? sql`and (${voteInSegment(s, "v", "m")})` : none}`;
}

/** A vote (alias `vote`, its post `post`) is by someone in the scope's segment: its contact, else its profile's (or the post author's) contact. */
function voteInSegment(s: ReportScope, vote: string, post: string) {
  const v = sql.raw(vote);
  return sql`(${v}.contact_id is not null ${contactInSegment(s, sql`${v}.contact_id`)})
    or (${v}.contact_id is null ${profileInSegment(s, sql`coalesce(${v}.profile_id, ${sql.raw(post)}.profile_id)`)})`;
}

/** With a segment, only ideas someone in it voted for (at any time); nothing without one. */
const ideaInSegment = (s: ReportScope) =>
  s.segment
    ? sql`and exists (select 1 from idea_votes sv
        left join messages svm on svm.workspace_id = sv.workspace_id and svm.id = sv.message_id
        where sv.workspace_id = i.workspace_id and sv.idea_id = i.id and (${voteInSegment(s, "sv", "svm")}))`
    : none;

/** Ideas now by status (merged ones excluded), with their votes, those created and the votes cast in the range. */
export async function ideasByStatus(db: DbOrTx, s: ReportScope): Promise<IdeaStatusRow[]> {
  const rows = await reportRows(
    db,
    sql<IdeaStatusRow>`
    with rv as (select idea_id, count(*)::int as n from (${rangeVotes(s)}) as v group by idea_id)
    select i.status, count(*)::int as ideas, coalesce(sum(i.vote_count), 0)::int as votes,
      (count(*) filter (where ${inRange(s, sql`i.created_at`)}))::int as created,
      coalesce(sum(rv.n), 0)::int as votes_in_range
    from ideas i left join rv on rv.idea_id = i.id
    where i.workspace_id = ${s.workspaceId} and i.merged_into_id is null ${ideaInSegment(s)}
    group by i.status`,
  );
  return rows;
}

export type VotePointRow = { bucket: string; votes: number; social: number; community: number; staff: number };

/** Votes per bucket by source, every bucket of the range. */
export async function votesOverTime(db: DbOrTx, s: ReportScope): Promise<VotePointRow[]> {
  const rows = await reportRows(
    db,
    sql<VotePointRow>`
    with buckets as (${bucketSeries(s)}),
    agg as (
      select ${bucketOf(s, sql`v.created_at`)} as bucket, count(*)::int as votes,
        (count(*) filter (where v.source = 'social'))::int as social,
        (count(*) filter (where v.source = 'community'))::int as community,
        (count(*) filter (where v.source = 'staff'))::int as staff
      from (${rangeVotes(s)}) as v group by 1
    )
    select b.bucket, coalesce(a.votes, 0) as votes, coalesce(a.social, 0) as social,
      coalesce(a.community, 0) as community, coalesce(a.staff, 0) as staff
    from buckets b left join agg a on a.bucket = b.bucket order by b.bucket`,
  );
  return rows;
}

export type VoteOriginRow = { dimension: "source" | "network" | "channel"; key: string; name: string; votes: number };

/** Where the range's votes came from, three ways: source, network and channel of the post. */
export async function voteOrigins(db: DbOrTx, s: ReportScope): Promise<VoteOriginRow[]> {
  const rows = await reportRows(
    db,
    sql<VoteOriginRow>`
    with v as materialized (${rangeVotes(s)})
    select * from (
      select 'source' as dimension, source as key, source as name, count(*)::int as votes from v group by source
      union all
      select 'network', coalesce(network, 'none'), coalesce(network, 'No post'), count(*)::int from v group by network
      union all
      select 'channel', coalesce(c.channel_id::text, 'none'), coalesce(ch.name, 'No channel'), c.votes
      from (select channel_id, count(*)::int as votes from v group by channel_id) as c
      left join channels ch on ch.workspace_id = ${s.workspaceId} and ch.id = c.channel_id
    ) as o
    order by dimension, votes desc, key`,
  );
  return rows;
}

export type TopIdeaRow = { idea_id: string; title: string; status: string; votes_in_range: number; votes: number };

/** The ideas with the most votes cast in the range (a merged idea's votes count on the idea it was merged into). */
export async function topIdeas(db: DbOrTx, s: ReportScope, limit: number): Promise<TopIdeaRow[]> {
  const rows = await reportRows(
    db,
    sql<TopIdeaRow>`
    select i.id::text as idea_id, i.title, i.status, count(*)::int as votes_in_range, i.vote_count as votes
    from (${rangeVotes(s)}) as v
    join ideas i on i.workspace_id = ${s.workspaceId} and i.id = v.idea_id
    where i.merged_into_id is null
    group by i.id, i.title, i.status, i.vote_count
    order by votes_in_range desc, i.vote_count desc, i.id
    limit ${limit}`,
  );
  return rows;
}

export async function ideaTotals(db: DbOrTx, s: ReportScope): Promise<{ ideas: number; ideas_created: number; votes_in_range: number }> {
  const rows = await reportRows(
    db,
    sql<{ ideas: number; ideas_created: number; votes_in_range: number }>`
    select (select count(*)::int from ideas i where i.workspace_id = ${s.workspaceId} and i.merged_into_id is null
        ${ideaInSegment(s)}) as ideas,
      (select count(*)::int from ideas i where i.workspace_id = ${s.workspaceId} and i.merged_into_id is null
        and ${inRange(s, sql`i.created_at`)} ${ideaInSegment(s)}) as ideas_created,
      (select count(*)::int from (${rangeVotes(s)}) as v) as votes_in_range`,
  );
  return rows[0] ?? { ideas: 0, ideas_created: 0, votes_in_range: 0 };
}

// ---------- Sales

/** The id of a contact's first inbound message across its linked profiles (null when they never wrote). */
const contactFirstPostId = (contactId: RawBuilder<unknown>, ws: string) => sql`(
  select pm.id from profiles p
  cross join lateral (
    select m.id, m.posted_at from messages m
    where m.workspace_id = p.workspace_id and m.profile_id = p.id and m.direction = 'inbound'
    order by m.posted_at limit 1
  ) as pm
  where p.workspace_id = ${ws} and p.contact_id = ${contactId}
  order by pm.posted_at limit 1)`;

/** The id of a conversation's first inbound message. */
const conversationFirstPostId = (conversationId: RawBuilder<unknown>, ws: string) => sql`(
  select m.id from messages m
  where m.workspace_id = ${ws} and m.conversation_id = ${conversationId} and m.direction = 'inbound'
  order by m.posted_at limit 1)`;

/**
 * The range's sales events, each traced to its first post (its network, channel and conversation's team):
 * lead — a contact created in the range whose first post came before it;
 * deal — a deal created in the range from a message or a conversation (the message, else the conversation's first post);
 * won — a deal won in the range (its message, else its conversation's first post, else its contact's first post).
 * coalesce stops at the first id found, so a deal made from a message costs one lookup.
 */
function salesFacts(s: ReportScope) {
  const ws = s.workspaceId;
  return sql`
    select e.kind, e.at, e.value, e.currency, o.network, o.channel_id, cv.team_id
    from (
      select 'lead' as kind, c.created_at as at, null::float8 as value, null::text as currency, c.id as contact_id,
        ${contactFirstPostId(sql`c.id`, ws)} as origin_id
      from contacts c
      where c.workspace_id = ${ws} and ${inRange(s, sql`c.created_at`)}
      union all
      select 'deal', d.created_at, d.value::float8, d.currency, d.contact_id,
        coalesce(d.message_id, ${conversationFirstPostId(sql`d.conversation_id`, ws)})
      from deals d
      where d.workspace_id = ${ws} and ${inRange(s, sql`d.created_at`)} and (d.message_id is not null or d.conversation_id is not null)
      union all
      select 'won', d.closed_at, d.value::float8, d.currency, d.contact_id,
        coalesce(d.message_id, ${conversationFirstPostId(sql`d.conversation_id`, ws)}, ${contactFirstPostId(sql`d.contact_id`, ws)})
      from deals d
      where d.workspace_id = ${ws} and d.status = 'won' and ${inRange(s, sql`d.closed_at`)}
    ) as e
    -- looked up per event, an index probe (limit 1 keeps the planner from hashing all the workspace's messages)
    left join lateral (
      select m.posted_at, m.network, m.channel_id, m.conversation_id, m.profile_id from messages m
      where m.workspace_id = ${ws} and m.id = e.origin_id limit 1
    ) as o on true
    left join lateral (
      select c.team_id from conversations c where c.workspace_id = ${ws} and c.id = o.conversation_id limit 1
    ) as cv on true
    -- a lead is a contact who wrote before it was made
    where (e.kind <> 'lead' or o.posted_at <= e.at)
      ${s.channelId ? sql`and o.channel_id = ${s.channelId}` : none}
      ${s.network ? sql`and o.network = ${s.network}` : none}
      ${s.teamId ? sql`and cv.team_id = ${s.teamId}` : none}
      -- the deal's or lead's contact, else (a deal without one) its first post's author
      ${
        s.segment
          ? sql`and ((e.contact_id is not null ${contactInSegment(s, sql`e.contact_id`)})
              or (e.contact_id is null ${profileInSegment(s, sql`o.profile_id`)}))`
          : none
      }`;
}

export type SalesMeasures = {
  dimension: "all" | "network" | "channel";
  key: string;
  leads: number;
  deals_created: number;
  deals_value: number;
  won_deals: number;
  won_value: number;
};

const salesSums = sql`(count(*) filter (where f.kind = 'lead'))::int as leads,
  (count(*) filter (where f.kind = 'deal'))::int as deals_created,
  coalesce(sum(f.value) filter (where f.kind = 'deal'), 0)::float8 as deals_value,
  (count(*) filter (where f.kind = 'won'))::int as won_deals,
  coalesce(sum(f.value) filter (where f.kind = 'won'), 0)::float8 as won_value`;

/** Sales events in all, by the network and channel of their first post and per bucket, in one pass; and the deals' currencies. */
export async function salesMeasures(db: DbOrTx, s: ReportScope) {
  const rows = await reportRows(
    db,
    sql<Omit<SalesMeasures, "dimension"> & { dimension: SalesMeasures["dimension"] | "bucket"; currencies: string[] }>`
    with f as (select f.*, ${bucketOf(s, sql`f.at`)} as bucket from (${salesFacts(s)}) as f)
    select case when grouping(f.network) = 0 then 'network' when grouping(f.channel_id) = 0 then 'channel'
        when grouping(f.bucket) = 0 then 'bucket' else 'all' end as dimension,
      coalesce(f.network, f.channel_id::text, f.bucket, 'none') as key, ${salesSums},
      array_remove(array_agg(distinct f.currency), null) as currencies
    from f
    group by grouping sets ((), (f.network), (f.channel_id), (f.bucket))`,
  );
  return rows;
}

/** Every bucket of the range (its first local day). */
export async function rangeBuckets(db: DbOrTx, s: ReportScope): Promise<string[]> {
  const rows = await reportRows(db, sql<{ bucket: string }>`${bucketSeries(s)} order by 1`);
  return rows.map((r) => r.bucket);
}

// ---------- Engagement

export type EngagementMeasures = {
  dimension: "all" | "agent" | "team" | "rule" | "reply_time" | "bucket";
  key: string;
  people: number;
  with_before: number;
  with_after: number;
  negative_before: number;
  negative_after: number;
  recovered: number;
  /** Detractors who wrote again in the window after the reply. */
  detractors_answered: number;
  worsened: number;
  churn_risk_before: number;
  churn_risk_after: number;
};

const delivered = (alias: string) => sql.raw(`coalesce(${alias}.delivery_status, 'sent') = 'sent'`);

/**
 * People we replied to: a delivered outbound message in the range answers the author of the latest
 * inbound message before it in its conversation. Each person counts once, at our first reply in the
 * range; the reply time is from the first inbound message since our previous reply in that conversation.
 * Their sentiment before is that of their last analyzed message in the window before the reply, after
 * is their last one in the window after it; churn risk is any message labelled churn_risk in a window.
 */
function engagementFacts(s: ReportScope, windowDays: number) {
  const ws = s.workspaceId;
  const window = sql`${windowDays} * interval '1 day'`;
  return sql`
    with replies as (
      select o.id, o.conversation_id, o.posted_at, o.sent_by, o.rule_id, a.profile_id
      from messages o
      cross join lateral (
        select i.profile_id from messages i
        where i.workspace_id = ${ws} and i.conversation_id = o.conversation_id and i.direction = 'inbound'
          and i.posted_at <= o.posted_at
        order by i.posted_at desc limit 1
      ) as a
      where o.workspace_id = ${ws} and o.direction = 'outbound' and ${delivered("o")} and ${inRange(s, sql`o.posted_at`)}
        and a.profile_id is not null
        ${s.channelId ? sql`and o.channel_id = ${s.channelId}` : none}
        ${s.network ? sql`and o.network = ${s.network}` : none}
        ${ofTeam(s, sql`o.conversation_id`)}
        ${profileInSegment(s, sql`a.profile_id`)}
    ),
    firsts as (
      select distinct on (r.profile_id) r.* from replies r order by r.profile_id, r.posted_at, r.id
    )
    select coalesce(f.sent_by::text, 'none') as agent, coalesce(cv.team_id::text, 'none') as team,
      coalesce(f.rule_id::text, 'none') as rule,
      ${bucketOf(s, sql`f.posted_at`)} as bucket,
      case when w.since is null then 'none'
        when f.posted_at - w.since < interval '1 hour' then 'under_1h'
        when f.posted_at - w.since < interval '4 hours' then '1h_4h'
        when f.posted_at - w.since < interval '24 hours' then '4h_24h'
        else 'over_24h' end as band,
      v.before, v.after, coalesce(v.churn_before, false) as churn_before, coalesce(v.churn_after, false) as churn_after
    from firsts f
    join conversations cv on cv.workspace_id = ${ws} and cv.id = f.conversation_id
    cross join lateral (
      select min(i.posted_at) as since from messages i
      where i.workspace_id = ${ws} and i.conversation_id = f.conversation_id and i.direction = 'inbound'
        and i.posted_at <= f.posted_at
        and i.posted_at > coalesce((
          select max(p.posted_at) from messages p
          where p.workspace_id = ${ws} and p.conversation_id = f.conversation_id and p.direction = 'outbound'
            and coalesce(p.delivery_status, 'sent') <> 'failed' and p.posted_at < f.posted_at
        ), '-infinity'::timestamptz)
    ) as w
    -- the person's messages in both windows, read once
    cross join lateral (
      select (array_agg(i.sentiment order by i.posted_at desc) filter (where i.posted_at < f.posted_at and i.sentiment is not null))[1] as before,
        (array_agg(i.sentiment order by i.posted_at desc) filter (where i.posted_at > f.posted_at and i.sentiment is not null))[1] as after,
        bool_or('churn_risk' = any(i.labels)) filter (where i.posted_at < f.posted_at) as churn_before,
        bool_or('churn_risk' = any(i.labels)) filter (where i.posted_at > f.posted_at) as churn_after
      from messages i
      where i.workspace_id = ${ws} and i.profile_id = f.profile_id and i.direction = 'inbound'
        and i.posted_at >= f.posted_at - ${window} and i.posted_at <= f.posted_at + ${window}
    ) as v`;
}

/** Engagement measures in all, by agent, team, rule and reply-time band, and per bucket of the first reply, in one pass. */
export async function engagementMeasures(db: DbOrTx, s: ReportScope, windowDays: number): Promise<EngagementMeasures[]> {
  const rows = await reportRows(
    db,
    sql<EngagementMeasures>`
    with f as (${engagementFacts(s, windowDays)})
    select case when grouping(f.agent) = 0 then 'agent' when grouping(f.team) = 0 then 'team' when grouping(f.rule) = 0 then 'rule'
        when grouping(f.band) = 0 then 'reply_time' when grouping(f.bucket) = 0 then 'bucket' else 'all' end as dimension,
      coalesce(f.agent, f.team, f.rule, f.band, f.bucket, 'all') as key,
      count(*)::int as people,
      count(f.before)::int as with_before,
      count(f.after)::int as with_after,
      (count(*) filter (where f.before = 'negative'))::int as negative_before,
      (count(*) filter (where f.after = 'negative'))::int as negative_after,
      (count(*) filter (where f.before = 'negative' and f.after is not null and f.after <> 'negative'))::int as recovered,
      (count(*) filter (where f.before = 'negative' and f.after is not null))::int as detractors_answered,
      (count(*) filter (where f.after = 'negative' and f.before is distinct from 'negative'))::int as worsened,
      (count(*) filter (where f.churn_before))::int as churn_risk_before,
      (count(*) filter (where f.churn_after))::int as churn_risk_after
    from f
    group by grouping sets ((), (f.agent), (f.team), (f.rule), (f.band), (f.bucket))`,
  );
  return rows;
}

/** Names of the workspace's rules (deleted ones included while their row lasts), for the engagement report's rule rows. */
export async function ruleNames(db: DbOrTx, workspaceId: string): Promise<Map<string, string>> {
  const rows = await db.selectFrom("rules").select(["id", "name"]).where("workspace_id", "=", workspaceId).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}
