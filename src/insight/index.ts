// Emerging issues (issue #16): inbound complaints, questions and suggestions grouped by what
// they say as they arrive (cluster.ts: TF-IDF cosine against issue centroids, stable ids),
// named by their top terms, with bursts detected over an EWMA baseline of each issue's hourly
// rate (burst.ts, published once per burst as issue.burst for the rules), and read as a list
// and as a card of what each issue touches (issues.ts). src/wiring.ts subscribes
// groupStoredMessages to message.stored, before the rules, so a rule sees its message's issue.
import type { EventOf } from "../events";
import type { DbOrTx } from "../store/db";
import { BURST_DEFAULTS, detectBursts } from "./burst";
import { clusterMessages, hourOf } from "./cluster";

export { BURST_DEFAULTS, type BurstOptions, baseline, burstScore, burstStarts, detectBursts, isBurst } from "./burst";
export { type ClusterInput, clusterable, clusterMessages, IssueSpace, issueLabel, JOIN_SIMILARITY } from "./cluster";
export { ERASED_ISSUE_LABEL, forgetErasedMessages } from "./erasure";
export {
  communities,
  computeInfluence,
  contactInfluence,
  InfluenceWorker,
  listInfluence,
  pageRank,
  runInfluence,
  runScheduledInfluence,
  stanceOf,
} from "./influence";
export { getIssue, listIssues, presentIssue } from "./issues";

/** Subscriber of message.stored: groups the batch's messages into issues and checks the issues it touched for bursts. */
export async function groupStoredMessages(tx: DbOrTx, workspaceId: string, event: EventOf<"message.stored">, now = new Date()) {
  const inbound = event.messages.filter((m) => m.direction === "inbound").map((m) => m.message_id);
  if (inbound.length === 0) return;
  const result = await clusterMessages(tx, workspaceId, inbound, now);
  const latest = new Map<string, Date>();
  for (const a of result.assigned) {
    const h = hourOf(a.postedAt);
    const seen = latest.get(a.issueId);
    if (!seen || h > seen) latest.set(a.issueId, h);
  }
  await detectBursts(
    tx,
    workspaceId,
    [...latest].map(([issueId, hour]) => ({ issueId, hour })),
    now,
    BURST_DEFAULTS,
  );
}
export { buildDigest, DigestWorker, digestPeriod, runDigests } from "./digest";
