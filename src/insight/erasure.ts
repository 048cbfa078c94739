import type { EventOf } from "../events";
import type { DbOrTx } from "../store/db";
import * as store from "../store/issues";
import { termVector } from "../understand";
import { IssueSpace, issueLabel } from "./cluster";

// An erased person's words do not live on in emerging issues (issue 13). Their messages stay in
// their issues as counted tombstones, but the issue's centroid, top terms and name are made again
// from the messages that remain, and the document frequencies no longer count theirs, so a word
// only they wrote is gone from every table. An issue left with no words is named ERASED_ISSUE_LABEL.

export const ERASED_ISSUE_LABEL = "(erased)";

/** Subscriber of messages.erased (src/wiring.ts), in the erasure's transaction. */
export async function forgetErasedMessages(tx: DbOrTx, workspaceId: string, event: EventOf<"messages.erased">) {
  const issueOf = await store.issuesOfMessages(
    tx,
    workspaceId,
    event.messages.map((m) => m.message_id),
  );
  if (issueOf.size === 0) return;
  // only clustered messages were counted in the frequencies (the empty term counts documents)
  const counted = new Map<string, number>([["", 0]]);
  for (const m of event.messages) {
    if (!issueOf.has(m.message_id)) continue;
    counted.set("", (counted.get("") ?? 0) + 1);
    for (const t of termVector(m.text).weights.keys()) counted.set(t, (counted.get(t) ?? 0) + 1);
  }
  await store.subtractDocumentFrequencies(tx, workspaceId, counted);
  for (const issueId of new Set(issueOf.values())) await rebuildIssue(tx, workspaceId, issueId);
}

async function rebuildIssue(tx: DbOrTx, workspaceId: string, issueId: string) {
  const vectors = (await store.issueMemberTexts(tx, workspaceId, issueId))
    .map((m) => termVector(m.subject ? `${m.subject}\n${m.text}` : m.text))
    .filter((v) => v.terms > 0);
  if (vectors.length === 0) {
    await store.replaceIssueTerms(tx, workspaceId, issueId, []);
    await store.refreshIssue(tx, workspaceId, issueId, { label: ERASED_ISSUE_LABEL, top_terms: [] });
    return;
  }
  const df = await store.documentFrequencies(tx, workspaceId, [...new Set(vectors.flatMap((v) => [...v.weights.keys()]))]);
  const space = new IssueSpace(new Map([...df].filter(([t]) => t !== "")), df.get("") ?? 0);
  const c = space.rebuild(issueId, vectors);
  await store.replaceIssueTerms(
    tx,
    workspaceId,
    issueId,
    [...c.mass].map(([term, mass]) => ({ term, word: (c.words.get(term) ?? term).slice(0, 200), mass })),
  );
  const top = space.topTerms(issueId);
  await store.refreshIssue(tx, workspaceId, issueId, { label: issueLabel(top), top_terms: top });
}
