import { type Actor, requirePermission } from "../accounts";
import { promoteAnswerToArticle, withdrawDeflections } from "../knowledge";
import { AppError, invalid, notFound } from "../shared/errors";
import { newId } from "../shared/ids";
import * as store from "../store/community";
import type { CommunityPostRow } from "../store/schema-community";
import { type Member, refreshTrust } from "./members";
import type { CommunityDeps, Portal } from "./portal";
import { admitPost, checkBody, checkTitle, externalIdOf, publishPost } from "./publish";
import { renderPost } from "./render";
import { trustOf } from "./trust";

// Questions and answers where customers help each other: ask, answer, comment, upvote, and the
// asker (or staff) accepts the answer that solved it. Staff answers written in the inbox are
// replies on the question's conversation and show in the thread with a Staff badge.

export type Writer = { member: Member; ip: string };

export const questionUrl = (portal: Portal, id: string) => `/c/${portal.slug}/q/${id}`;

/**
 * Asks a question. `visitorKeys` name the asker as the help centre counted them: articles they
 * opened from the ask form's suggestions just before did not deflect this question, so those
 * deflections are withdrawn.
 */
export async function askQuestion(
  deps: CommunityDeps,
  portal: Portal,
  w: Writer,
  input: { title: string; body: string; visitorKeys?: string[] },
) {
  const title = checkTitle(input.title);
  const body = checkBody(input.body);
  await admitPost(deps, w.member, w.ip);
  const post = await store.insertPost(deps.db, {
    workspace_id: portal.workspaceId,
    id: newId(),
    kind: "question",
    member_id: w.member.id,
    title,
    body,
    ip: w.ip,
  });
  const published = await publishPost(deps, portal, w.member, post, { url: questionUrl(portal, post.id) });
  await withdrawDeflections(deps.db, portal.workspaceId, [w.member.id, ...(input.visitorKeys ?? [])]);
  return published;
}

async function visiblePost(deps: CommunityDeps, portal: Portal, id: string): Promise<CommunityPostRow> {
  const post = /^[0-9a-f-]{36}$/i.test(id) ? await store.findPost(deps.db, portal.workspaceId, id) : undefined;
  if (!post || post.hidden) throw notFound("Post");
  return post;
}

export async function answerQuestion(deps: CommunityDeps, portal: Portal, w: Writer, questionId: string, input: { body: string }) {
  const question = await visiblePost(deps, portal, questionId);
  if (question.kind !== "question") throw notFound("Question");
  const body = checkBody(input.body);
  await admitPost(deps, w.member, w.ip);
  const post = await store.insertPost(deps.db, {
    workspace_id: portal.workspaceId,
    id: newId(),
    kind: "answer",
    member_id: w.member.id,
    question_id: question.id,
    parent_id: question.id,
    body,
    ip: w.ip,
  });
  const published = await publishPost(deps, portal, w.member, post, {
    inReplyTo: externalIdOf(question.id),
    url: `${questionUrl(portal, question.id)}#p-${post.id}`,
  });
  await store.recountAnswers(deps.db, portal.workspaceId, question.id);
  return published;
}

/** A comment on a question or an answer (ideas take theirs in ideas.ts). */
export async function commentOnPost(deps: CommunityDeps, portal: Portal, w: Writer, postId: string, input: { body: string }) {
  const parent = await visiblePost(deps, portal, postId);
  if (parent.kind !== "question" && parent.kind !== "answer") throw invalid("post", "only questions and answers take comments here");
  const body = checkBody(input.body, "body", 2000);
  await admitPost(deps, w.member, w.ip);
  const questionId = parent.kind === "question" ? parent.id : (parent.question_id as string);
  const post = await store.insertPost(deps.db, {
    workspace_id: portal.workspaceId,
    id: newId(),
    kind: "comment",
    member_id: w.member.id,
    question_id: questionId,
    parent_id: parent.id,
    body,
    ip: w.ip,
  });
  return publishPost(deps, portal, w.member, post, {
    inReplyTo: externalIdOf(parent.id),
    url: `${questionUrl(portal, questionId)}#p-${post.id}`,
  });
}

export async function upvotePost(deps: CommunityDeps, portal: Portal, member: Member, postId: string) {
  const post = await visiblePost(deps, portal, postId);
  if (post.member_id === member.id) throw invalid("post", "you cannot upvote your own post");
  const added = await deps.db.transaction().execute(async (tx) => {
    const added = await store.addUpvote(tx, portal.workspaceId, post.id, member.id);
    if (added) await refreshTrust(tx, portal.workspaceId, post.member_id);
    return added;
  });
  return { post, added };
}

async function markAccepted(deps: CommunityDeps, workspaceId: string, answer: CommunityPostRow) {
  await deps.db.transaction().execute(async (tx) => {
    for (const p of await store.threadPosts(tx, workspaceId, { question_id: answer.question_id as string }))
      if (p.accepted && p.id !== answer.id) await store.updatePost(tx, workspaceId, p.id, { accepted: false });
    await store.updatePost(tx, workspaceId, answer.id, { accepted: true });
    await refreshTrust(tx, workspaceId, answer.member_id);
  });
}

/** The asker marks the answer that solved their question (one per question). */
export async function acceptAnswer(deps: CommunityDeps, portal: Portal, member: Member, answerId: string) {
  const answer = await visiblePost(deps, portal, answerId);
  if (answer.kind !== "answer" || !answer.question_id) throw invalid("answer", "only an answer can be accepted");
  const question = await store.findPost(deps.db, portal.workspaceId, answer.question_id);
  if (!question || question.member_id !== member.id)
    throw new AppError("forbidden", "Only the person who asked (or staff) can accept an answer");
  await markAccepted(deps, portal.workspaceId, answer);
  return answer;
}

/** Staff accept an answer from Parley (the inbox or the API). */
export async function acceptAnswerAsStaff(deps: CommunityDeps, actor: Actor, answerId: string) {
  requirePermission(actor, "crm:write");
  const answer = await store.findPost(deps.db, actor.workspaceId, answerId);
  if (answer?.kind !== "answer") throw invalid("answer_id", "is not an answer in this workspace's community");
  await markAccepted(deps, actor.workspaceId, answer);
  return { id: answer.id, question_id: answer.question_id as string, accepted: true };
}

/** Staff turn an answer into a draft help-centre article (the question's title, the answer's text, a link back). */
export async function promoteAnswer(deps: CommunityDeps, actor: Actor, answerId: string) {
  requirePermission(actor, "crm:write");
  const answer = await store.findPost(deps.db, actor.workspaceId, answerId);
  if (answer?.kind !== "answer" || !answer.question_id) throw invalid("answer_id", "is not an answer in this workspace's community");
  const question = await store.findPost(deps.db, actor.workspaceId, answer.question_id);
  const portal = await store.portalOfWorkspace(deps.db, actor.workspaceId);
  if (!question || !portal) throw invalid("answer_id", "is not an answer in this workspace's community");
  const article = await promoteAnswerToArticle(deps.db, actor.workspaceId, actor, {
    title: question.title ?? "Answer",
    body: answer.body,
    sourceUrl: `/c/${portal.slug}/q/${question.id}#p-${answer.id}`,
  });
  return { article_id: article.id, title: article.title, status: article.status };
}

export async function reportPost(deps: CommunityDeps, portal: Portal, member: Member, postId: string, input: { reason: string }) {
  const post = await visiblePost(deps, portal, postId);
  const reason = checkBody(input.reason, "reason", 500);
  deps.ipLimiter.take(`report:${member.id}`, "reports");
  await store.insertReport(deps.db, { workspace_id: portal.workspaceId, id: newId(), post_id: post.id, member_id: member.id, reason });
  return post;
}

// ---------- what the pages show

export type PostView = {
  id: string;
  kind: string;
  author: string;
  badge: string | null;
  html: string;
  score: number;
  accepted: boolean;
  upvoted: boolean;
  mine: boolean;
  created_at: Date;
  comments: PostView[];
};

export type StaffReplyView = { id: string; author: string; text: string; created_at: Date };

const badgeOf = (trust: number) => (trust >= 2 ? trustOf(trust).name : null);

function postView(p: store.ThreadPostRow, viewer: Member | null, upvoted: Set<string>): PostView {
  return {
    id: p.id,
    kind: p.kind,
    author: p.author,
    badge: badgeOf(p.author_trust),
    // rendered at the author's trust level now: a member who earns trust gets their links back
    html: renderPost(p.body, p.author_trust),
    score: p.score,
    accepted: p.accepted,
    upvoted: upvoted.has(p.id),
    mine: viewer?.id === p.member_id,
    created_at: p.created_at,
    comments: [],
  };
}

export async function questionPage(deps: CommunityDeps, portal: Portal, id: string, viewer: Member | null) {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw notFound("Question");
  const question = await store.postWithAuthor(deps.db, portal.workspaceId, id, "question");
  if (!question || (question.hidden && question.member_id !== viewer?.id)) throw notFound("Question");
  const posts = await store.threadPosts(deps.db, portal.workspaceId, { question_id: id });
  const upvoted = viewer
    ? await store.upvotedBy(
        deps.db,
        portal.workspaceId,
        viewer.id,
        [question, ...posts].map((p) => p.id),
      )
    : new Set<string>();
  const q = postView(question, viewer, upvoted);
  const byId = new Map<string, PostView>([[q.id, q]]);
  const answers: PostView[] = [];
  for (const p of posts) {
    const v = postView(p, viewer, upvoted);
    byId.set(v.id, v);
    if (p.kind === "answer") answers.push(v);
    else if (p.kind === "comment") byId.get(p.parent_id ?? "")?.comments.push(v);
  }
  // accepted first, then by votes, then oldest first
  answers.sort((a, b) => Number(b.accepted) - Number(a.accepted) || b.score - a.score || a.created_at.getTime() - b.created_at.getTime());
  const staff: StaffReplyView[] = (
    await store.staffReplies(deps.db, portal.workspaceId, question.conversation_id ? [question.conversation_id] : [])
  ).map((m) => ({ id: m.id, author: m.author_name ?? "Staff", text: m.text, created_at: m.posted_at }));
  return {
    question: { ...q, title: question.title ?? "", answer_count: question.answer_count, hidden: question.hidden },
    answers,
    staff,
    canAccept: viewer?.id === question.member_id,
  };
}

export async function questionList(deps: CommunityDeps, portal: Portal, opts: { q?: string; limit?: number }) {
  const rows = await store.listQuestions(deps.db, portal.workspaceId, { q: opts.q, limit: opts.limit ?? 30 });
  return rows.map((r) => ({
    id: r.id,
    title: r.title ?? "",
    author: r.author,
    badge: badgeOf(r.author_trust),
    answers: r.answer_count,
    score: r.score,
    created_at: r.created_at,
  }));
}
