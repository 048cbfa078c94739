import { IDEA_STATUSES } from "../contracts/enums";
import { notFound } from "../shared/errors";
import { newId } from "../shared/ids";
import * as store from "../store/community";
import type { IdeaStatus } from "../store/schema-work";
import { updateIdea } from "../store/work";
import { createOrAttachIdea, titleSimilarity } from "../work";
import { ensureProfile, type Member } from "./members";
import type { CommunityDeps, Portal } from "./portal";
import { admitPost, checkBody, checkTitle, externalIdOf, publishPost } from "./publish";
import type { Writer } from "./qa";
import { renderPost } from "./render";
import { trustOf } from "./trust";

// The ideas board over work's ideas: members submit (seeing similar ideas while they type, so
// duplicates are voted on instead), vote once per person — the same count as votes from social
// posts, since a member is a profile and a person counts once across profiles — comment and
// follow. Statuses are staff's; the roadmap shows what is planned, in progress and done.

export const ideaUrl = (portal: Portal, id: string) => `/c/${portal.slug}/ideas/${id}`;

export const ROADMAP_STATUSES: IdeaStatus[] = ["planned", "in_progress", "done"];

export const ideaStatusName = (s: string) => s.replace(/_/g, " ");

export async function submitIdea(deps: CommunityDeps, portal: Portal, w: Writer, input: { title: string; description: string }) {
  const title = checkTitle(input.title);
  const description = input.description.trim() ? checkBody(input.description, "description", 5000) : "";
  await admitPost(deps, w.member, w.ip);
  const post = await store.insertPost(deps.db, {
    workspace_id: portal.workspaceId,
    id: newId(),
    kind: "idea",
    member_id: w.member.id,
    title,
    body: description || title,
    ip: w.ip,
  });
  const published = await publishPost(deps, portal, w.member, post, { url: `/c/${portal.slug}/ideas` });
  return deps.db.transaction().execute(async (tx) => {
    // The rules may already have filed the message (a suggestion becomes an idea, or a vote on a
    // similar one): createOrAttachIdea then returns that idea. One the rule made from this very
    // message takes the member's title and description.
    const { idea, created } = await createOrAttachIdea(tx, portal.workspaceId, {
      title,
      description: description || null,
      message_id: published.message_id,
      created_by: "community",
    });
    let joined = !created;
    if (
      !created &&
      idea.created_by?.startsWith("rule:") &&
      Date.now() - new Date(idea.created_at).getTime() < 60_000 &&
      idea.vote_count <= 1
    ) {
      await updateIdea(tx, portal.workspaceId, idea.id, { title, description: description || null });
      joined = false;
    }
    await store.updatePost(tx, portal.workspaceId, post.id, { idea_id: idea.id });
    await store.setFollow(tx, portal.workspaceId, idea.id, w.member.id, true);
    return { ideaId: idea.id, joined };
  });
}

async function liveIdea(deps: CommunityDeps, portal: Portal, id: string) {
  let idea = /^[0-9a-f-]{36}$/i.test(id) ? await store.findIdea(deps.db, portal.workspaceId, id) : undefined;
  for (let hops = 0; idea?.merged_into_id && hops < 20; hops++)
    idea = await store.findIdea(deps.db, portal.workspaceId, idea.merged_into_id);
  if (!idea) throw notFound("Idea");
  return idea;
}

/** One vote per person: a member who already voted (here, or by a post on a social network) counts once. */
export async function voteForIdea(deps: CommunityDeps, portal: Portal, member: Member, ideaId: string) {
  const idea = await liveIdea(deps, portal, ideaId);
  return deps.db.transaction().execute(async (tx) => {
    const profileId = await ensureProfile(tx, member);
    const r = await createOrAttachIdea(tx, portal.workspaceId, {
      title: "",
      idea_id: idea.id,
      profile_id: profileId,
      created_by: "community",
    });
    await store.setFollow(tx, portal.workspaceId, idea.id, member.id, true);
    return { ideaId: idea.id, voted: r.voted, votes: r.idea.vote_count };
  });
}

export async function followIdea(deps: CommunityDeps, portal: Portal, member: Member, ideaId: string, follow: boolean) {
  const idea = await liveIdea(deps, portal, ideaId);
  await store.setFollow(deps.db, portal.workspaceId, idea.id, member.id, follow);
  return idea.id;
}

export async function commentOnIdea(deps: CommunityDeps, portal: Portal, w: Writer, ideaId: string, input: { body: string }) {
  const idea = await liveIdea(deps, portal, ideaId);
  const body = checkBody(input.body, "body", 2000);
  await admitPost(deps, w.member, w.ip);
  const thread = await store.threadPosts(deps.db, portal.workspaceId, { idea_id: idea.id });
  const root = thread.find((p) => p.kind === "idea") ?? thread[0];
  const post = await store.insertPost(deps.db, {
    workspace_id: portal.workspaceId,
    id: newId(),
    kind: "idea_comment",
    member_id: w.member.id,
    idea_id: idea.id,
    title: root ? null : `Idea: ${idea.title}`.slice(0, 200),
    body,
    ip: w.ip,
  });
  return publishPost(deps, portal, w.member, post, {
    inReplyTo: root ? externalIdOf(root.id) : null,
    url: `${ideaUrl(portal, idea.id)}#p-${post.id}`,
  });
}

/** Open ideas whose titles resemble what the member is typing (the "similar ideas" hint). */
export async function similarIdeas(deps: CommunityDeps, portal: Portal, q: string, limit = 5) {
  const text = q.trim().slice(0, 200);
  if (text.length < 3) return [];
  const open = await store.publicIdeas(deps.db, portal.workspaceId, {
    statuses: ["new", "under_review", "planned", "in_progress"],
    limit: 2000,
  });
  return open
    .map((i) => ({ id: i.id, title: i.title, status: i.status, votes: i.vote_count, score: titleSimilarity(text, i.title) }))
    .filter((i) => i.score >= 0.25)
    .sort((a, b) => b.score - a.score || b.votes - a.votes)
    .slice(0, limit)
    .map(({ score: _score, ...i }) => ({ ...i, url: ideaUrl(portal, i.id) }));
}

export async function ideaBoard(deps: CommunityDeps, portal: Portal, opts: { status?: string }) {
  const statuses = IDEA_STATUSES.includes(opts.status as IdeaStatus) ? [opts.status as IdeaStatus] : undefined;
  return store.publicIdeas(deps.db, portal.workspaceId, { statuses, limit: 100 });
}

export async function roadmap(deps: CommunityDeps, portal: Portal) {
  const ideas = await store.publicIdeas(deps.db, portal.workspaceId, { statuses: ROADMAP_STATUSES, limit: 300 });
  return ROADMAP_STATUSES.map((status) => ({ status, ideas: ideas.filter((i) => i.status === status) }));
}

export async function ideaPage(deps: CommunityDeps, portal: Portal, id: string, viewer: Member | null) {
  const idea = await liveIdea(deps, portal, id);
  const thread = await store.threadPosts(deps.db, portal.workspaceId, { idea_id: idea.id });
  const comments = thread
    .filter((p) => p.kind === "idea_comment")
    .map((p) => ({
      id: p.id,
      author: p.author,
      badge: p.author_trust >= 2 ? trustOf(p.author_trust).name : null,
      html: renderPost(p.body, p.author_trust),
      created_at: p.created_at,
    }));
  const conversationIds = thread.map((p) => p.conversation_id).filter((c): c is string => !!c);
  const staff = await store.staffReplies(deps.db, portal.workspaceId, [...new Set(conversationIds)]);
  const voted = viewer?.profile_id ? await store.hasVoted(deps.db, portal.workspaceId, idea.id, viewer.profile_id) : false;
  const following = viewer ? await store.follows(deps.db, portal.workspaceId, idea.id, viewer.id) : false;
  return {
    idea: { id: idea.id, title: idea.title, description: idea.description, status: idea.status, votes: idea.vote_count },
    comments,
    staff: staff.map((m) => ({ id: m.id, author: m.author_name ?? "Staff", text: m.text, created_at: m.posted_at })),
    voted,
    following,
  };
}
