import type { z } from "zod";
import type { Actor } from "../accounts";
import { requirePermission } from "../accounts";
import type { ideaListQuerySchema } from "../contracts/work";
import { publish } from "../events";
import { AppError, invalid } from "../shared/errors";
import { newId } from "../shared/ids";
import type { Db, DbOrTx } from "../store/db";
import { orThrow } from "../store/errors";
import * as issueStore from "../store/issues";
import type { IdeaRow, IdeaStatus } from "../store/schema-work";
import * as store from "../store/work";
import { summarizeRequest, textSimilarity } from "../understand";
import { actorLabel, audit, checkRefs, iso, listPage } from "./common";

// Ideas with votes, like Fider: a message expressing an idea counts as a vote from
// its author (once per person, a contact counting once across its profiles);
// duplicates merge without double-counting; status changes notify every voter.

export type IdeaInput = {
  title: string;
  description?: string | null;
  message_id?: string | null;
  profile_id?: string | null;
  contact_id?: string | null;
  idea_id?: string | null;
  match_similar?: boolean;
  rule_id?: string | null;
  created_by?: string | null;
  /** The id of the idea should one be created (a rule batch writing one idea at a time chose it already). */
  new_id?: string;
};

const STOP = new Set([
  "a",
  "an",
  "the",
  "to",
  "of",
  "for",
  "and",
  "or",
  "in",
  "on",
  "with",
  "please",
  "add",
  "support",
  "would",
  "be",
  "it",
  "is",
]);
function titleTokens(title: string): Set<string> {
  return new Set(
    title
      .toLowerCase()
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .split(/[^\p{L}\p{N}]+/u)
      .filter((t) => t.length > 1 && !STOP.has(t))
      .map((t) => (t.length > 4 && t.endsWith("s") ? t.slice(0, -1) : t)),
  );
}
/** Jaccard similarity of two titles' significant words. */
export function titleSimilarity(a: string, b: string): number {
  const x = titleTokens(a);
  const y = titleTokens(b);
  if (x.size === 0 || y.size === 0) return a.trim().toLowerCase() === b.trim().toLowerCase() ? 1 : 0;
  let common = 0;
  for (const t of x) if (y.has(t)) common++;
  return common / (x.size + y.size - common);
}
export const SIMILAR_TITLE = 0.75;
/** Cosine of content terms and pairs (understand's textSimilarity) above which two request titles are one idea. */
export const SIMILAR_TEXT = 0.6;

/** Follows merges to the idea that now stands for this one. */
export async function liveIdea(tx: DbOrTx, workspaceId: string, id: string): Promise<IdeaRow | undefined> {
  let idea = await store.findIdea(tx, workspaceId, id);
  for (let hops = 0; idea?.merged_into_id && hops < 20; hops++) idea = await store.findIdea(tx, workspaceId, idea.merged_into_id);
  return idea;
}

type Voter = { contact_id: string | null; profile_id: string | null };

async function voterOf(tx: DbOrTx, workspaceId: string, v: Voter): Promise<Voter | null> {
  if (v.contact_id) return { contact_id: v.contact_id, profile_id: v.profile_id };
  if (!v.profile_id) return null;
  const profile = await store.findProfile(tx, workspaceId, v.profile_id);
  if (!profile) return null;
  return { contact_id: profile.contact_id, profile_id: profile.id };
}

/** Adds a vote unless this person already voted on the idea. True when added. */
async function addVote(tx: DbOrTx, workspaceId: string, ideaId: string, voter: Voter, messageId: string | null, by: string | null) {
  const same = await store.hasVoted(tx, workspaceId, ideaId, voter);
  if (same) return false;
  return store.insertIdeaVote(tx, {
    workspace_id: workspaceId,
    id: newId(),
    idea_id: ideaId,
    contact_id: voter.contact_id,
    profile_id: voter.profile_id,
    message_id: messageId,
    created_by: by,
  });
}

export async function createOrAttachIdea(
  tx: DbOrTx,
  workspaceId: string,
  input: IdeaInput,
): Promise<{ idea: IdeaRow; created: boolean; voted: boolean }> {
  const by = input.created_by ?? (input.rule_id ? `rule:${input.rule_id}` : null);
  let idea: IdeaRow | undefined;
  let created = false;
  if (input.message_id) {
    // The same message attached twice (a rule re-run) lands on the idea it already supports.
    const linked = await store.ideasOfMessage(tx, workspaceId, input.message_id);
    if (!input.idea_id && linked[0]) idea = await liveIdea(tx, workspaceId, linked[0]);
  }
  if (!idea && input.idea_id) {
    idea = await liveIdea(tx, workspaceId, input.idea_id);
    if (!idea) throw invalid("idea_id", "not found in this workspace");
  }
  if (!idea && input.match_similar && input.message_id) {
    // the message's emerging issue (src/insight, grouped before the rules run) already holds a message of an open idea
    const [same] = await issueStore.openIdeasOfMessageIssue(tx, workspaceId, input.message_id);
    if (same) idea = await liveIdea(tx, workspaceId, same.id);
  }
  if (!idea && input.match_similar) {
    let best: { id: string; score: number } | null = null;
    for (const candidate of await store.openIdeaTitles(tx, workspaceId)) {
      const score = Math.max(
        titleSimilarity(input.title, candidate.title) >= SIMILAR_TITLE ? 1 : 0,
        textSimilarity(input.title, candidate.title),
      );
      if (score >= SIMILAR_TEXT && (!best || score > best.score)) best = { id: candidate.id, score };
    }
    if (best) idea = await store.findIdea(tx, workspaceId, best.id);
  }
  if (!idea) {
    idea = await store.insertIdea(tx, {
      workspace_id: workspaceId,
      id: input.new_id ?? newId(),
      title: input.title.slice(0, 300) || "(untitled idea)",
      description: input.description ?? null,
      rule_id: input.rule_id ?? null,
      created_by: by,
    });
    await store.insertIdeaStatusHistory(tx, {
      workspace_id: workspaceId,
      id: newId(),
      idea_id: idea.id,
      from_status: null,
      to_status: idea.status,
      actor: by,
    });
    created = true;
  }
  let voted = false;
  let voter: Voter = { contact_id: input.contact_id ?? null, profile_id: input.profile_id ?? null };
  let messageId: string | null = null;
  if (input.message_id) {
    const m = await store.findMessage(tx, workspaceId, input.message_id);
    if (m) {
      messageId = m.id;
      await store.linkIdeaMessage(tx, workspaceId, idea.id, m.id, by);
      if (!voter.contact_id && !voter.profile_id && m.direction === "inbound") voter = { contact_id: null, profile_id: m.profile_id };
    }
  }
  const resolved = await voterOf(tx, workspaceId, voter);
  if (resolved) voted = await addVote(tx, workspaceId, idea.id, resolved, messageId, by);
  if (voted || created) {
    const count = await store.recountIdeaVotes(tx, workspaceId, idea.id);
    idea = { ...idea, vote_count: count };
  }
  return { idea, created, voted };
}

// ---------- API-facing operations

export function presentIdea(i: IdeaRow) {
  return {
    id: i.id,
    title: i.title,
    description: i.description,
    status: i.status,
    vote_count: i.vote_count,
    merged_into_id: i.merged_into_id,
    rule_id: i.rule_id,
    created_by: i.created_by,
    created_at: iso(i.created_at),
    updated_at: iso(i.updated_at),
  };
}

export type IdeaListParams = z.output<typeof ideaListQuerySchema>;

export async function listIdeas(db: Db, actor: Actor, params: IdeaListParams) {
  requirePermission(actor, "crm:read");
  return listPage(
    "ideas",
    params,
    (after: [number, string] | undefined, limit) =>
      store.listIdeas(
        db,
        actor.workspaceId,
        {
          status: params.status?.split(",").filter(Boolean),
          contact_id: params.contact_id,
          q: params.q,
          include_merged: params.include_merged,
        },
        after,
        limit,
      ),
    (page) => page.map(presentIdea),
    (last) => last.vote_count,
  );
}

export async function getIdea(db: Db, actor: Actor, id: string) {
  requirePermission(actor, "crm:read");
  const ws = actor.workspaceId;
  let idea = await orThrow(store.findIdea(db, ws, id), "Idea");
  const [messages, votes, history, notifications] = await Promise.all([
    store.ideaMessages(db, ws, id),
    store.ideaVotes(db, ws, id),
    store.ideaStatusHistory(db, ws, id),
    store.ideaNotifications(db, ws, id),
  ]);
  // A contact merge (issue #5) can leave two votes of one person; the count heals here.
  const voters = new Set(votes.map((v) => (v.contact_id ? `c:${v.contact_id}` : `p:${v.profile_id}`)));
  if (!idea.merged_into_id && voters.size !== idea.vote_count) idea = { ...idea, vote_count: await store.recountIdeaVotes(db, ws, id) };
  return {
    ...presentIdea(idea),
    messages: messages.map((m) => ({
      id: m.id,
      network: m.network,
      url: m.url,
      author: m.author_name ?? m.author_handle,
      author_handle: m.author_handle,
      text: m.text,
      posted_at: iso(m.posted_at),
      conversation_id: m.conversation_id,
      linked_at: iso(m.linked_at),
    })),
    votes: votes.map((v) => ({
      id: v.id,
      contact_id: v.contact_id,
      profile_id: v.profile_id,
      message_id: v.message_id,
      name: v.contact_name ?? v.display_name ?? v.handle ?? null,
      handle: v.handle,
      network: v.network,
      created_at: iso(v.created_at),
    })),
    status_history: history.map((h) => ({ from: h.from_status, to: h.to_status, actor: h.actor, at: iso(h.created_at) })),
    notifications: notifications.map((n) => ({
      contact_id: n.contact_id,
      profile_id: n.profile_id,
      status: n.status,
      created_at: iso(n.created_at),
      sent_at: iso(n.sent_at),
    })),
  };
}

export async function createIdeaFor(
  db: Db,
  actor: Actor,
  body: { title: string; description?: string | null; message_id?: string | null; contact_id?: string | null },
) {
  requirePermission(actor, "crm:write");
  const ws = actor.workspaceId;
  const id = await db.transaction().execute(async (tx) => {
    await checkRefs(tx, ws, { message_id: body.message_id, contact_id: body.contact_id });
    const { idea } = await createOrAttachIdea(tx, ws, { ...body, created_by: actorLabel(actor) });
    await audit(tx, ws, actorLabel(actor), "idea.created", "idea", idea.id, { title: idea.title });
    return idea.id;
  });
  return getIdea(db, actor, id);
}

/** Changes an idea; a status change is recorded and notifies every voter. */
export async function changeIdea(
  tx: DbOrTx,
  workspaceId: string,
  id: string,
  patch: { title?: string; description?: string | null; status?: IdeaStatus },
  actor: string | null,
) {
  const idea = await orThrow(store.findIdea(tx, workspaceId, id), "Idea");
  const changes: Record<string, [unknown, unknown]> = {};
  for (const key of ["title", "description", "status"] as const) {
    if (patch[key] !== undefined && patch[key] !== idea[key]) changes[key] = [idea[key], patch[key]];
  }
  if (Object.keys(changes).length === 0) return idea;
  const row = await store.updateIdea(tx, workspaceId, id, {
    ...(changes.title ? { title: patch.title } : {}),
    ...(changes.description ? { description: patch.description } : {}),
    ...(changes.status ? { status: patch.status } : {}),
  });
  if (changes.status && patch.status) {
    await store.insertIdeaStatusHistory(tx, {
      workspace_id: workspaceId,
      id: newId(),
      idea_id: id,
      from_status: idea.status,
      to_status: patch.status,
      actor,
    });
    const votes = await store.ideaVoteRows(tx, workspaceId, id);
    const seen = new Set<string>();
    const rows = [];
    for (const v of votes) {
      const key = v.contact_id ? `c:${v.contact_id}` : `p:${v.profile_id}`;
      if (seen.has(key)) continue;
      seen.add(key);
      rows.push({
        workspace_id: workspaceId,
        id: newId(),
        idea_id: id,
        contact_id: v.contact_id,
        profile_id: v.contact_id ? null : v.profile_id,
        status: patch.status,
      });
    }
    await store.insertIdeaNotifications(tx, rows);
    await audit(tx, workspaceId, actor, "idea.status_changed", "idea", id, { from: idea.status, to: patch.status, notified: rows.length });
  }
  await publish(tx, workspaceId, { type: "record.changed", entity: "idea", id, changes });
  return row;
}

export async function updateIdeaFor(
  db: Db,
  actor: Actor,
  id: string,
  patch: { title?: string; description?: string | null; status?: IdeaStatus },
) {
  requirePermission(actor, "crm:write");
  await db.transaction().execute((tx) => changeIdea(tx, actor.workspaceId, id, patch, actorLabel(actor)));
  return getIdea(db, actor, id);
}

async function openIdea(tx: DbOrTx, ws: string, id: string) {
  const idea = await orThrow(store.findIdea(tx, ws, id), "Idea");
  if (idea.merged_into_id) {
    throw new AppError("conflict", "This idea was merged into another; vote on that one", [
      { field: "id", message: `merged into ${idea.merged_into_id}` },
    ]);
  }
  return idea;
}

export async function voteIdea(db: Db, actor: Actor, id: string, body: { contact_id?: string | null; profile_id?: string | null }) {
  requirePermission(actor, "crm:write");
  const ws = actor.workspaceId;
  const voted = await db.transaction().execute(async (tx) => {
    await openIdea(tx, ws, id);
    if (!body.contact_id && !body.profile_id) throw invalid("contact_id", "a vote needs a contact_id or a profile_id");
    await checkRefs(tx, ws, { contact_id: body.contact_id, profile_id: body.profile_id });
    const voter = await voterOf(tx, ws, { contact_id: body.contact_id ?? null, profile_id: body.profile_id ?? null });
    if (!voter) return false;
    const added = await addVote(tx, ws, id, voter, null, actorLabel(actor));
    if (added) await store.recountIdeaVotes(tx, ws, id);
    return added;
  });
  return { voted, idea: await getIdea(db, actor, id) };
}

export async function unvoteIdea(db: Db, actor: Actor, id: string, voter: { contact_id?: string; profile_id?: string }) {
  requirePermission(actor, "crm:write");
  const ws = actor.workspaceId;
  await db.transaction().execute(async (tx) => {
    await openIdea(tx, ws, id);
    if (!voter.contact_id && !voter.profile_id) throw invalid("contact_id", "name the voter: contact_id or profile_id");
    const votes = await store.ideaVoteRows(tx, ws, id);
    const gone = votes.filter(
      (v) => (voter.contact_id && v.contact_id === voter.contact_id) || (voter.profile_id && v.profile_id === voter.profile_id),
    );
    await store.deleteIdeaVotes(
      tx,
      ws,
      gone.map((v) => v.id),
    );
    await store.recountIdeaVotes(tx, ws, id);
  });
  return getIdea(db, actor, id);
}

export async function linkIdeaMessageFor(db: Db, actor: Actor, id: string, body: { message_id: string }) {
  requirePermission(actor, "crm:write");
  const ws = actor.workspaceId;
  const result = await db.transaction().execute(async (tx) => {
    await openIdea(tx, ws, id);
    await checkRefs(tx, ws, { message_id: body.message_id });
    const r = await createOrAttachIdea(tx, ws, { title: "", idea_id: id, message_id: body.message_id, created_by: actorLabel(actor) });
    return { voted: r.voted };
  });
  return { ...result, idea: await getIdea(db, actor, id) };
}

/** Merges a duplicate into another idea: votes and messages move over, one vote per person. */
export async function mergeIdea(db: Db, actor: Actor, id: string, body: { into_id: string }) {
  requirePermission(actor, "crm:write");
  const ws = actor.workspaceId;
  if (body.into_id === id) throw invalid("into_id", "an idea cannot be merged into itself");
  const targetId = await db.transaction().execute(async (tx) => {
    const source = await openIdea(tx, ws, id);
    const target = await liveIdea(tx, ws, body.into_id);
    if (!target) throw invalid("into_id", "not found in this workspace");
    if (target.id === source.id) throw invalid("into_id", "already merged into this idea");
    const label = actorLabel(actor);
    let moved = 0;
    for (const v of await store.ideaVoteRows(tx, ws, source.id)) {
      if (await addVote(tx, ws, target.id, { contact_id: v.contact_id, profile_id: v.profile_id }, v.message_id, v.created_by)) moved++;
    }
    await store.deleteIdeaVotes(
      tx,
      ws,
      (await store.ideaVoteRows(tx, ws, source.id)).map((v) => v.id),
    );
    await store.moveIdeaMessages(tx, ws, source.id, target.id);
    await store.updateIdea(tx, ws, source.id, { merged_into_id: target.id, vote_count: 0 });
    const count = await store.recountIdeaVotes(tx, ws, target.id);
    await audit(tx, ws, label, "idea.merged", "idea", target.id, {
      merged_id: source.id,
      merged_title: source.title,
      votes_moved: moved,
      vote_count: count,
    });
    await publish(tx, ws, { type: "record.changed", entity: "idea", id: source.id, changes: { merged_into_id: [null, target.id] } });
    return target.id;
  });
  return getIdea(db, actor, targetId);
}

/** Splits messages that ask for something else off an idea into a new one; votes cast through them move along. */
export async function splitIdea(db: Db, actor: Actor, id: string, body: { message_ids: string[]; title?: string }) {
  requirePermission(actor, "crm:write");
  const ws = actor.workspaceId;
  const newId_ = await db.transaction().execute(async (tx) => {
    const source = await openIdea(tx, ws, id);
    const linked = new Map((await store.ideaMessages(tx, ws, source.id)).map((m) => [m.id, m]));
    const moving = [...new Set(body.message_ids)];
    const stray = moving.find((m) => !linked.has(m));
    if (stray) throw invalid("message_ids", `${stray} is not a message of this idea`);
    if (moving.length === linked.size) throw invalid("message_ids", "leave at least one message on the idea (or change its title instead)");
    const first = linked.get(moving[0] as string);
    const title = body.title ?? (summarizeRequest(first?.text ?? "") || source.title);
    const label = actorLabel(actor);
    const votes = (await store.ideaVoteRows(tx, ws, source.id)).filter((v) => v.message_id && moving.includes(v.message_id));
    await store.deleteIdeaVotes(
      tx,
      ws,
      votes.map((v) => v.id),
    );
    await store.unlinkIdeaMessages(tx, ws, source.id, moving);
    await store.recountIdeaVotes(tx, ws, source.id);
    let target: IdeaRow | null = null;
    for (const messageId of moving) {
      const r = await createOrAttachIdea(
        tx,
        ws,
        target
          ? { title, idea_id: target.id, message_id: messageId, created_by: label }
          : { title, message_id: messageId, created_by: label },
      );
      target = r.idea;
    }
    const made = target as IdeaRow;
    await audit(tx, ws, label, "idea.split", "idea", made.id, { from_id: source.id, messages: moving.length });
    await publish(tx, ws, { type: "record.changed", entity: "idea", id: source.id, changes: { split_into_id: [null, made.id] } });
    return made.id;
  });
  return getIdea(db, actor, newId_);
}
