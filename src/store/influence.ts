import { sql } from "kysely";
import type { DbOrTx } from "./db";
import type { InfluenceRunRow, PersonInfluenceRow, PersonInfluenceTable, Stance } from "./schema-influence";

// SQL of people and influence (issue #16): the interaction graph between inbound authors
// (replies, @mentions, quotes), their sentiment counts, and the stored PageRank figures.
// A node is `c:<contact id>` when the author's profile is linked to a contact (one person
// across networks) and `p:<profile id>` otherwise.

export type InteractionKind = "reply" | "mention" | "quote";
export type Interaction = { source: string; target: string; kind: InteractionKind; count: number };

const NODE = (alias: string) => sql.raw(`coalesce('c:' || ${alias}.contact_id::text, 'p:' || ${alias}.id::text)`);

/**
 * Who engaged with whom since `since`, counted per pair and kind. Only inbound messages
 * count (our own posts and replies are not people), and profiles of the workspace's own
 * accounts are left out at both ends. A mention of the person a message replies to is
 * counted once, as the reply (networks put the replied-to @handle in the text). Messages posted
 * in [since, until) (no end: until null).
 */
export async function interactions(db: DbOrTx, workspaceId: string, since: Date, until: Date | null): Promise<Interaction[]> {
  const { rows } = await sql<Interaction>`
    with own as (
      select p.id from profiles p
      join own_accounts o on o.workspace_id = p.workspace_id and o.network = p.network
        and lower(o.handle) = lower(ltrim(p.handle, '@'))
      where p.workspace_id = ${workspaceId}
    ),
    recent as (
      select m.id, m.network, m.text, m.in_reply_to, m.quote_of, m.profile_id from messages m
      where m.workspace_id = ${workspaceId} and m.direction = 'inbound' and m.erased_at is null
        and m.profile_id is not null and m.posted_at >= ${since}
        and (${until}::timestamptz is null or m.posted_at < ${until})
        and m.profile_id not in (select id from own)
    ),
    parents as (
      select r.id as message_id, 'reply' as kind, p.profile_id as target_profile from recent r
      join messages p on p.workspace_id = ${workspaceId} and p.network = r.network and p.external_id = r.in_reply_to
      where r.in_reply_to is not null and p.direction = 'inbound' and p.profile_id is not null
      union all
      select r.id, 'quote', p.profile_id from recent r
      join messages p on p.workspace_id = ${workspaceId} and p.network = r.network and p.external_id = r.quote_of
      where r.quote_of is not null and p.direction = 'inbound' and p.profile_id is not null
    ),
    mentioned as (
      select distinct r.id as message_id, 'mention' as kind, t.id as target_profile from recent r
      cross join lateral regexp_matches(r.text, '(?:^|[^A-Za-z0-9_.@])@([A-Za-z0-9_](?:[A-Za-z0-9_.@-]*[A-Za-z0-9_])?)', 'g') as h
      join profiles t on t.workspace_id = ${workspaceId} and t.network = r.network and t.handle is not null
        and lower(ltrim(t.handle, '@')) = lower(h[1])
      where r.text like '%@%'
        and not exists (select 1 from parents x where x.message_id = r.id and x.kind = 'reply' and x.target_profile = t.id)
    ),
    edges as (
      select * from parents union all select * from mentioned
    )
    select ${NODE("s")} as source, ${NODE("t")} as target, e.kind, count(*)::int as count
    from edges e
    join recent r on r.id = e.message_id
    join profiles s on s.workspace_id = ${workspaceId} and s.id = r.profile_id
    join profiles t on t.workspace_id = ${workspaceId} and t.id = e.target_profile
    where t.id not in (select id from own)
    group by 1, 2, 3`.execute(db);
  return rows
    .filter((r) => r.source !== r.target)
    .map((r) => ({ source: r.source, target: r.target, kind: r.kind, count: Number(r.count) }));
}

export type NodeSentiment = { node: string; messages: number; positive: number; negative: number };

/** Each author's inbound messages since `since` and how many read positive and negative. */
export async function nodeSentiments(db: DbOrTx, workspaceId: string, since: Date): Promise<NodeSentiment[]> {
  const { rows } = await sql<NodeSentiment>`
    select ${NODE("p")} as node, count(*)::int as messages,
      (count(*) filter (where m.sentiment = 'positive'))::int as positive,
      (count(*) filter (where m.sentiment = 'negative'))::int as negative
    from messages m
    join profiles p on p.workspace_id = m.workspace_id and p.id = m.profile_id
    where m.workspace_id = ${workspaceId} and m.direction = 'inbound' and m.erased_at is null and m.posted_at >= ${since}
    group by 1`.execute(db);
  return rows.map((r) => ({ node: r.node, messages: Number(r.messages), positive: Number(r.positive), negative: Number(r.negative) }));
}

export type PersonInfluenceInput = Omit<PersonInfluenceTable, "workspace_id">;

/** Replaces the workspace's figures with a new run's (the caller holds the transaction). */
export async function replaceInfluence(
  tx: DbOrTx,
  workspaceId: string,
  people: PersonInfluenceInput[],
  run: Omit<InfluenceRunRow, "workspace_id">,
) {
  await tx.deleteFrom("person_influence").where("workspace_id", "=", workspaceId).execute();
  // One JSON parameter a chunk (thousands of bound parameters are slow on the embedded store);
  // contacts and profiles erased or merged since the graph was read are skipped, not an error.
  for (let i = 0; i < people.length; i += 5000) {
    await sql`
      insert into person_influence (workspace_id, ${sql.join(COLUMNS.map((c) => sql.id(c)))})
      select ${workspaceId}, ${sql.join(COLUMNS.map((c) => sql.ref(`x.${c}`)))}
      from jsonb_to_recordset(${JSON.stringify(people.slice(i, i + 5000))}::jsonb) as x(${sql.raw(RECORD)})
      where (x.contact_id is null or exists (select 1 from contacts c where c.workspace_id = ${workspaceId} and c.id = x.contact_id))
        and (x.profile_id is null or exists (select 1 from profiles p where p.workspace_id = ${workspaceId} and p.id = x.profile_id))`.execute(
      tx,
    );
  }
  await tx
    .insertInto("influence_runs")
    .values({ workspace_id: workspaceId, ...run })
    .onConflict((oc) => oc.column("workspace_id").doUpdateSet(run))
    .execute();
}

const COUNT_COLUMNS = [
  "rank",
  "community",
  "community_size",
  "replies_received",
  "repliers",
  "mentions_received",
  "mentioners",
  "quotes_received",
  "quoters",
  "engaged_with",
  "messages",
  "positive",
  "negative",
] as const;
const COLUMNS = ["node", "contact_id", "profile_id", "score", ...COUNT_COLUMNS, "stance"] as const;
const RECORD = [
  "node text",
  "contact_id uuid",
  "profile_id uuid",
  "score double precision",
  ...COUNT_COLUMNS.map((c) => `${c} integer`),
  "stance text",
].join(", ");

export function influenceRun(db: DbOrTx, workspaceId: string) {
  return db.selectFrom("influence_runs").selectAll().where("workspace_id", "=", workspaceId).executeTakeFirst();
}

/** A stored person with the names to show: the contact's, else the profile's. */
export type PersonInfluenceView = PersonInfluenceRow & {
  name: string | null;
  handle: string | null;
  network: string | null;
  lifecycle_stage: string | null;
};

function people(db: DbOrTx, workspaceId: string) {
  return db
    .selectFrom("person_influence as i")
    .leftJoin("contacts as c", (j) => j.onRef("c.workspace_id", "=", "i.workspace_id").onRef("c.id", "=", "i.contact_id"))
    .leftJoin("profiles as p", (j) => j.onRef("p.workspace_id", "=", "i.workspace_id").onRef("p.id", "=", "i.profile_id"))
    .selectAll("i")
    .select([
      sql<string | null>`coalesce(c.name, p.display_name, p.handle)`.as("name"),
      "p.handle as handle",
      "p.network as network",
      "c.lifecycle_stage as lifecycle_stage",
    ])
    .where("i.workspace_id", "=", workspaceId);
}

/** People by rank (most influential first), optionally of one stance and at least `minScore`. */
export async function listPeople(
  db: DbOrTx,
  workspaceId: string,
  filter: { stance?: Stance; minScore?: number },
  limit: number,
): Promise<PersonInfluenceView[]> {
  let q = people(db, workspaceId);
  if (filter.stance) q = q.where("i.stance", "=", filter.stance);
  if (filter.minScore !== undefined) q = q.where("i.score", ">=", filter.minScore);
  return (await q.orderBy("i.rank").limit(limit).execute()) as PersonInfluenceView[];
}

/** A contact's figures (after a merge two nodes may name the kept contact until the next run: the higher counts). */
export async function personOfContact(db: DbOrTx, workspaceId: string, contactId: string) {
  return (await people(db, workspaceId).where("i.contact_id", "=", contactId).orderBy("i.rank").limit(1).executeTakeFirst()) as
    | PersonInfluenceView
    | undefined;
}

/** The most influential others of a community. */
export async function communityMembers(db: DbOrTx, workspaceId: string, community: number, exceptNode: string, limit: number) {
  return (await people(db, workspaceId)
    .where("i.community", "=", community)
    .where("i.node", "<>", exceptNode)
    .orderBy("i.rank")
    .limit(limit)
    .execute()) as PersonInfluenceView[];
}

/**
 * The scheduler's round: workspaces never scored that have inbound messages since `since`, and
 * scored ones with a message received after their run or whose run is older than `staleBefore`
 * (links, merges and the sliding window change the graph too).
 */
export async function workspacesToScore(db: DbOrTx, since: Date, staleBefore: Date): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    select w.id from workspaces w
    left join influence_runs r on r.workspace_id = w.id
    where case when r.workspace_id is null
      then exists (select 1 from messages m where m.workspace_id = w.id and m.direction = 'inbound' and m.posted_at >= ${since})
      else r.computed_at < ${staleBefore}
        or exists (select 1 from messages m where m.workspace_id = w.id and m.direction = 'inbound' and m.received_at > r.computed_at)
      end`.execute(db);
  return rows.map((r) => r.id);
}
