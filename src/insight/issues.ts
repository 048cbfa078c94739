import { type Actor, requirePermission } from "../accounts";
import type { IssueCard, IssueListQuery } from "../contracts/issues";
import { decodeCursor, encodeCursor, pageLimit } from "../shared/pagination";
import type { Db, DbOrTx } from "../store/db";
import { orThrow } from "../store/errors";
import * as store from "../store/issues";
import type { IssueRow } from "../store/schema-issues";

// Reading emerging issues: the list (most recently active first, with the last 7 days'
// volume and burst state) and an issue's card.

const DAY = 86_400_000;
const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

export function presentIssue(row: IssueRow, recent: number) {
  return {
    id: row.id,
    label: row.label,
    top_terms: (row.top_terms ?? []).map((t) => ({ word: t.word, weight: t.weight })),
    message_count: row.message_count,
    recent_count: recent,
    first_message_at: iso(row.first_message_at) as string,
    last_message_at: iso(row.last_message_at) as string,
    bursting: row.burst_started_at !== null && row.burst_ended_at === null,
    burst_started_at: iso(row.burst_started_at),
    burst_ended_at: iso(row.burst_ended_at),
    burst_count: row.burst_count,
  };
}

export async function listIssues(db: Db, actor: Actor, query: IssueListQuery, now = new Date()) {
  requirePermission(actor, "crm:read");
  const limit = pageLimit(query.limit);
  const after = decodeCursor(query.cursor, "issues") as [string, string] | undefined;
  const rows = await store.listIssues(
    db,
    actor.workspaceId,
    {
      bursting: query.bursting === true,
      q: query.q,
      since: query.days ? new Date(now.getTime() - query.days * DAY) : undefined,
    },
    after,
    limit + 1,
  );
  const page = rows.slice(0, limit);
  const recent = await store.recentCounts(
    db,
    actor.workspaceId,
    page.map((r) => r.id),
    new Date(now.getTime() - 7 * DAY),
  );
  const last = page[page.length - 1];
  return {
    data: page.map((r) => presentIssue(r, recent.get(r.id) ?? 0)),
    next_cursor: rows.length > limit && last ? encodeCursor("issues", new Date(last.last_message_at).toISOString(), last.id) : null,
  };
}

export async function getIssue(db: DbOrTx, actor: Actor, id: string, now = new Date()): Promise<IssueCard> {
  requirePermission(actor, "crm:read");
  const ws = actor.workspaceId;
  const row = await orThrow(store.findIssue(db, ws, id), "Issue");
  const [messages, reach, ideas, trend, recent] = await Promise.all([
    store.issueMessages(db, ws, id, 50),
    store.issueReach(db, ws, id),
    store.issueIdeas(db, ws, id),
    store.dailyCounts(db, ws, id, new Date(now.getTime() - 14 * DAY)),
    store.recentCounts(db, ws, [id], new Date(now.getTime() - 7 * DAY)),
  ]);
  return {
    ...presentIssue(row, recent.get(id) ?? 0),
    messages: messages.map((m) => ({
      id: m.id,
      text: m.text,
      network: m.network,
      url: m.url,
      labels: m.labels,
      sentiment: m.sentiment,
      author: m.author_name ?? m.author_handle,
      contact_id: m.contact_id,
      conversation_id: m.conversation_id,
      posted_at: iso(m.posted_at) as string,
      similarity: Math.round(Number(m.similarity) * 1000) / 1000,
    })),
    people: reach.people.people,
    contacts: reach.people.contacts,
    lifecycle_stages: reach.stages.map((s) => ({ stage: s.stage, count: Number(s.n) })),
    influencers: reach.influencers.map((p) => ({
      profile_id: p.profile_id,
      contact_id: p.contact_id,
      network: p.network,
      handle: p.handle,
      name: p.display_name,
      followers: Number(p.followers),
    })),
    reach: reach.influencers.reduce((sum, p) => sum + Number(p.followers), 0),
    open_cases: reach.cases.map((c) => ({ ...c, number: Number(c.number) })),
    open_deals: { count: Number(reach.deals.count), value: Number(reach.deals.value ?? 0), currency: reach.deals.currency },
    ideas: ideas.map((i) => ({ id: i.id, title: i.title, status: i.status, vote_count: i.vote_count })),
    trend,
  };
}
