import { AppError, invalid } from "../shared/errors";
import * as store from "../store/community";
import type { CommunityPostRow } from "../store/schema-community";
import type { Member } from "./members";
import { refreshTrust } from "./members";
import { type CommunityDeps, communityChannel, type Portal } from "./portal";
import { postText } from "./render";
import { POST_WINDOW_MS, trustOf } from "./trust";

// Every member post is also a message on the community network, handed to the same ingest
// pipeline as any connector's (normalize → … → rules), threaded under its question or idea, so
// staff see it in the inbox, understanding and spam checks label it and rules route it.

export const externalIdOf = (postId: string) => `community:${postId}`;

/** The checks before a member may write: not suspended, under the address's and the account's limits. */
export async function admitPost(deps: CommunityDeps, member: Member, ip: string) {
  if (member.suspended) throw new AppError("forbidden", "This account is suspended by the community's moderators");
  deps.ipLimiter.take(`post:${ip}`, "posts");
  const trust = trustOf(member.trust_level);
  const recent = await store.postsSince(deps.db, member.workspace_id, member.id, new Date(deps.now().getTime() - POST_WINDOW_MS));
  if (recent >= trust.postsPerWindow) {
    const err = new AppError(
      "rate_limited",
      `New members may post ${trust.postsPerWindow} times in ${POST_WINDOW_MS / 60_000} minutes; wait a little (the limit grows as you take part)`,
    );
    err.retryAfterSeconds = 60;
    throw err;
  }
}

export function checkBody(body: string, field = "body", max = 20_000): string {
  const b = body.replace(/\r\n/g, "\n").trim();
  if (b.length === 0) throw invalid(field, "must not be empty");
  if (b.length > max) throw invalid(field, `must be at most ${max} characters`);
  return b;
}

export function checkTitle(title: string): string {
  const t = title.trim().replace(/\s+/g, " ");
  if (t.length < 5) throw invalid("title", "must be at least 5 characters");
  if (t.length > 200) throw invalid("title", "must be at most 200 characters");
  return t;
}

/**
 * Hands the post to the pipeline as a community message and records where it landed. A new
 * member's post the pipeline calls spam is held back until a moderator looks at it.
 */
export async function publishPost(
  deps: CommunityDeps,
  portal: Portal,
  member: Member,
  post: CommunityPostRow,
  opts: { inReplyTo?: string | null; url: string },
): Promise<CommunityPostRow> {
  const channel = await communityChannel(deps.db, portal);
  const [outcome] = await deps.sink.submit(
    portal.workspaceId,
    [
      {
        network: "community",
        external_id: externalIdOf(post.id),
        url: opts.url,
        author: { id: member.id, handle: member.email, display_name: member.display_name, verified: true },
        text: postText(post.title, post.body),
        subject: post.title,
        created_at: new Date(post.created_at).toISOString(),
        in_reply_to: opts.inReplyTo ?? null,
        public: post.kind !== "case_reply",
        direction: "inbound",
      },
    ],
    { channel },
  );
  if (!outcome?.message_id)
    throw new AppError("internal", `The post could not be stored as a message (${outcome?.reason ?? outcome?.status})`);
  const [message] = await store.messageExternalIds(deps.db, portal.workspaceId, [outcome.message_id]);
  const spam = message?.labels.includes("spam") ?? false;
  const updated = await store.updatePost(deps.db, portal.workspaceId, post.id, {
    message_id: outcome.message_id,
    conversation_id: outcome.conversation_id ?? message?.conversation_id ?? null,
    ...(spam && member.trust_level === 0 ? { hidden: true } : {}),
  });
  await refreshTrust(deps.db, portal.workspaceId, member.id);
  return updated;
}
