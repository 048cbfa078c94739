import { notFound } from "../shared/errors";
import { newId } from "../shared/ids";
import * as store from "../store/community";
import { ensureProfile, type Member } from "./members";
import type { CommunityDeps, Portal } from "./portal";
import { admitPost, checkBody, publishPost } from "./publish";
import type { Writer } from "./qa";

// The customer's case portal: a signed-in member sees the cases on conversations they wrote in
// (or of the contact their profile is linked to), their status and public history, and replies;
// a reply is an inbound community message on the case's conversation, so it reaches the agent.

export const caseUrl = (portal: Portal, id: string) => `/c/${portal.slug}/cases/${id}`;

export async function myCases(deps: CommunityDeps, member: Member) {
  const profileId = await ensureProfile(deps.db, member);
  return store.casesOfProfile(deps.db, member.workspace_id, profileId);
}

/** The case, only when it is one of the member's own (anything else is simply not found). */
async function ownCase(deps: CommunityDeps, member: Member, caseId: string) {
  if (!/^[0-9a-f-]{36}$/i.test(caseId)) throw notFound("Case");
  const mine = await myCases(deps, member);
  const found = mine.find((c) => c.id === caseId);
  if (!found) throw notFound("Case");
  return found;
}

export async function casePage(deps: CommunityDeps, member: Member, caseId: string) {
  const c = await ownCase(deps, member, caseId);
  const conversations = await store.caseConversationIds(deps.db, member.workspace_id, c.id);
  const [messages, events] = await Promise.all([
    store.publicCaseMessages(deps.db, member.workspace_id, conversations),
    store.publicCaseEvents(deps.db, member.workspace_id, c.id),
  ]);
  const timeline = [
    ...messages.map((m) => ({
      id: m.id,
      from:
        m.direction === "outbound"
          ? "Support"
          : m.profile_id === member.profile_id
            ? "You"
            : (m.author_name ?? m.author_handle ?? "Customer"),
      staff: m.direction === "outbound",
      text: m.text,
      at: m.posted_at,
    })),
    ...events.map((e) => ({ id: e.id, from: "Support", staff: true, text: e.body ?? "", at: e.created_at })),
  ].sort((a, b) => a.at.getTime() - b.at.getTime());
  return { case: c, timeline };
}

export async function replyToCase(deps: CommunityDeps, portal: Portal, w: Writer, caseId: string, input: { body: string }) {
  const c = await ownCase(deps, w.member, caseId);
  const body = checkBody(input.body, "body", 10_000);
  await admitPost(deps, w.member, w.ip);
  const conversations = await store.caseConversationIds(deps.db, portal.workspaceId, c.id);
  const messages = await store.publicCaseMessages(deps.db, portal.workspaceId, conversations);
  // Threaded under the case's latest community message; a case that began elsewhere gets a community thread of its own.
  const parent = [...messages].reverse().find((m) => m.network === "community" && !m.external_id.startsWith("pending:"));
  const post = await store.insertPost(deps.db, {
    workspace_id: portal.workspaceId,
    id: newId(),
    kind: "case_reply",
    member_id: w.member.id,
    case_id: c.id,
    title: parent ? null : `Case #${c.number}: ${c.subject}`.slice(0, 200),
    body,
    ip: w.ip,
  });
  const published = await publishPost(deps, portal, w.member, post, { inReplyTo: parent?.external_id ?? null, url: caseUrl(portal, c.id) });
  if (published.conversation_id) await store.linkCaseConversation(deps.db, portal.workspaceId, c.id, published.conversation_id);
  return published;
}
