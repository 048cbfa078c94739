import { type Actor, requirePermission } from "../accounts";
import type { ContactInfluence, InfluenceKind, InfluenceList, InfluencePerson, InfluenceRun } from "../contracts/influence";
import { getContact } from "../crm";
import { PeriodicJob, type PeriodicOptions } from "../shared/periodic";
import { plural } from "../shared/plural";
import type { Db, DbOrTx } from "../store/db";
import * as store from "../store/influence";
import type { InfluenceRunRow, Stance } from "../store/schema-influence";

// People and influence (issue #16). Who engages with whom — replies to a person's post,
// @mentions of their handle, quotes of their post, between inbound authors and rolled up to
// contacts across networks — forms a weighted directed graph. Influence is engagement
// received, not followers: weighted PageRank over that graph (an engagement from someone
// others engage with counts for more). Stance comes from the sentiment of a person's own
// messages; communities are the groups that talk among themselves (label propagation).
// The figures are derived data, rewritten whole per workspace hourly and on demand.
//
// PageRank and label propagation are written here rather than taken from graphology: both
// are a few dozen lines, run deterministically (tests pin the order), and keep the package
// free of a graph library for two functions.

export const INFLUENCE_WINDOW_DAYS = 90;
export const DAMPING = 0.85;
const TOLERANCE = 1e-10;
const MAX_ITERATIONS = 200;
const READ_SLICES = 6;
const DAY = 86_400_000;

export type WeightedEdge = { source: string; target: string; weight: number };

/**
 * Weighted PageRank by power iteration: each node passes `damping` of its rank to the nodes
 * it engaged with, in proportion to the edge weights; a node that engaged with no one
 * (dangling) spreads its rank evenly over all nodes, so the ranks always sum to 1.
 * Stops when the ranks move less than `tolerance` in total (L1) or after `maxIterations`.
 */
export function pageRank(
  nodes: readonly string[],
  edges: readonly WeightedEdge[],
  options: { damping?: number; tolerance?: number; maxIterations?: number } = {},
): { scores: Map<string, number>; iterations: number; converged: boolean } {
  const d = options.damping ?? DAMPING;
  const tolerance = options.tolerance ?? TOLERANCE;
  const maxIterations = options.maxIterations ?? MAX_ITERATIONS;
  const n = nodes.length;
  if (n === 0) return { scores: new Map(), iterations: 0, converged: true };
  const index = new Map(nodes.map((node, i) => [node, i]));
  const out = new Float64Array(n);
  const links: Array<[number, number, number]> = [];
  for (const e of edges) {
    const s = index.get(e.source);
    const t = index.get(e.target);
    if (s === undefined || t === undefined || s === t || !(e.weight > 0)) continue;
    out[s] = (out[s] ?? 0) + e.weight;
    links.push([s, t, e.weight]);
  }
  let rank: Float64Array = new Float64Array(n).fill(1 / n);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    iterations++;
    let dangling = 0;
    for (let i = 0; i < n; i++) if (out[i] === 0) dangling += rank[i] ?? 0;
    const next = new Float64Array(n).fill((1 - d) / n + (d * dangling) / n);
    for (const [s, t, w] of links) next[t] = (next[t] ?? 0) + (d * (rank[s] ?? 0) * w) / (out[s] ?? 1);
    let delta = 0;
    for (let i = 0; i < n; i++) delta += Math.abs((next[i] ?? 0) - (rank[i] ?? 0));
    rank = next;
    if (delta < tolerance) {
      converged = true;
      break;
    }
  }
  return { scores: new Map(nodes.map((node, i) => [node, rank[i] ?? 0])), iterations, converged };
}

/**
 * Communities by label propagation over the undirected weighted graph: every node starts in
 * its own group and, in a fixed order, repeatedly joins the group its neighbours weigh most
 * (a tie keeps its group if tied, else takes the first label), until no node moves. Groups
 * are numbered from 1 by size, largest first.
 */
export function communities(nodes: readonly string[], edges: readonly WeightedEdge[], maxRounds = 100): Map<string, number> {
  const order = [...nodes].sort();
  const index = new Map(order.map((node, i) => [node, i]));
  const neighbours: Array<Map<number, number>> = order.map(() => new Map());
  for (const e of edges) {
    const s = index.get(e.source);
    const t = index.get(e.target);
    if (s === undefined || t === undefined || s === t) continue;
    const a = neighbours[s] as Map<number, number>;
    const b = neighbours[t] as Map<number, number>;
    a.set(t, (a.get(t) ?? 0) + e.weight);
    b.set(s, (b.get(s) ?? 0) + e.weight);
  }
  const label = order.map((_, i) => i);
  for (let round = 0; round < maxRounds; round++) {
    let moved = false;
    for (let i = 0; i < order.length; i++) {
      const tally = new Map<number, number>();
      for (const [j, w] of neighbours[i] as Map<number, number>) tally.set(label[j] as number, (tally.get(label[j] as number) ?? 0) + w);
      if (tally.size === 0) continue;
      const best = Math.max(...tally.values());
      const tied = [...tally].filter(([, w]) => w === best).map(([l]) => l);
      const current = label[i] as number;
      const chosen = tied.includes(current) ? current : Math.min(...tied);
      if (chosen !== current) {
        label[i] = chosen;
        moved = true;
      }
    }
    if (!moved) break;
  }
  const size = new Map<number, number>();
  for (const l of label) size.set(l, (size.get(l) ?? 0) + 1);
  const numbered = new Map([...size].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([l], i) => [l, i + 1]));
  return new Map(order.map((node, i) => [node, numbered.get(label[i] as number) as number]));
}

/** Mostly positive (at least 2 of 3 messages with a clear sentiment) is an advocate; mostly negative a detractor. */
export function stanceOf(positive: number, negative: number): Stance {
  const polar = positive + negative;
  if (polar === 0) return "neutral";
  if (positive * 3 >= polar * 2) return "advocate";
  if (negative * 3 >= polar * 2) return "detractor";
  return "neutral";
}

export type InfluenceRunSummary = Omit<InfluenceRunRow, "workspace_id">;

/** Reads the workspace's interactions of the last `days`, scores everyone in them and stores the figures. */
export async function computeInfluence(
  db: Db,
  workspaceId: string,
  now = new Date(),
  days = INFLUENCE_WINDOW_DAYS,
): Promise<InfluenceRunSummary> {
  const since = new Date(now.getTime() - days * DAY);
  // Read in slices of the window so that on the embedded store (one connection) other requests
  // get their turn between them; the counts of a pair add up across slices.
  const counts = new Map<string, store.Interaction>();
  const slice = Math.max(DAY, Math.ceil((days * DAY) / READ_SLICES));
  for (let from = since.getTime(); from <= now.getTime(); from += slice) {
    const until = from + slice > now.getTime() ? null : new Date(from + slice);
    for (const e of await store.interactions(db, workspaceId, new Date(from), until)) {
      const key = `${e.source}\u0000${e.target}\u0000${e.kind}`;
      const seen = counts.get(key);
      if (seen) seen.count += e.count;
      else counts.set(key, { ...e });
    }
  }
  const found = [...counts.values()];
  const sentiments = new Map((await store.nodeSentiments(db, workspaceId, since)).map((s) => [s.node, s]));

  const weights = new Map<string, WeightedEdge>();
  type Received = { replies: number; repliers: number; mentions: number; mentioners: number; quotes: number; quoters: number };
  const received = new Map<string, Received>();
  const engagedWith = new Map<string, Set<string>>();
  const nodeSet = new Set<string>();
  for (const e of found) {
    nodeSet.add(e.source);
    nodeSet.add(e.target);
    const key = `${e.source}\u0000${e.target}`;
    const w = weights.get(key) ?? { source: e.source, target: e.target, weight: 0 };
    w.weight += e.count;
    weights.set(key, w);
    const r = received.get(e.target) ?? { replies: 0, repliers: 0, mentions: 0, mentioners: 0, quotes: 0, quoters: 0 };
    if (e.kind === "reply") {
      r.replies += e.count;
      r.repliers++;
    } else if (e.kind === "mention") {
      r.mentions += e.count;
      r.mentioners++;
    } else {
      r.quotes += e.count;
      r.quoters++;
    }
    received.set(e.target, r);
    const given = engagedWith.get(e.source) ?? new Set();
    given.add(e.target);
    engagedWith.set(e.source, given);
  }
  const nodes = [...nodeSet].sort();
  const edges = [...weights.values()];
  const pr = pageRank(nodes, edges);
  const groups = communities(nodes, edges);
  const groupSize = new Map<number, number>();
  for (const g of groups.values()) groupSize.set(g, (groupSize.get(g) ?? 0) + 1);

  const ranked = nodes
    .map((node) => ({ node, score: pr.scores.get(node) ?? 0 }))
    .sort((a, b) => b.score - a.score || a.node.localeCompare(b.node));
  const people = ranked.map(({ node, score }, i) => {
    const r = received.get(node);
    const s = sentiments.get(node);
    const community = groups.get(node) ?? 0;
    return {
      node,
      contact_id: node.startsWith("c:") ? node.slice(2) : null,
      profile_id: node.startsWith("p:") ? node.slice(2) : null,
      score,
      rank: i + 1,
      community,
      community_size: groupSize.get(community) ?? 1,
      replies_received: r?.replies ?? 0,
      repliers: r?.repliers ?? 0,
      mentions_received: r?.mentions ?? 0,
      mentioners: r?.mentioners ?? 0,
      quotes_received: r?.quotes ?? 0,
      quoters: r?.quoters ?? 0,
      engaged_with: engagedWith.get(node)?.size ?? 0,
      messages: s?.messages ?? 0,
      positive: s?.positive ?? 0,
      negative: s?.negative ?? 0,
      stance: stanceOf(s?.positive ?? 0, s?.negative ?? 0),
    };
  });
  const run: InfluenceRunSummary = {
    computed_at: now,
    window_days: days,
    people: people.length,
    links: edges.length,
    interactions: found.reduce((n, e) => n + e.count, 0),
    communities: groupSize.size,
    iterations: pr.iterations,
    converged: pr.converged,
  };
  await db.transaction().execute((tx) => store.replaceInfluence(tx, workspaceId, people, run));
  return run;
}

/** Why a person ranks where they do, in words. */
export function explainInfluence(p: store.PersonInfluenceView, people: number): string[] {
  const why: string[] = [];
  const by = (n: number) => plural(n, "person", "people");
  if (p.replies_received) why.push(`replied to ${plural(p.replies_received, "time")} by ${by(p.repliers)}`);
  if (p.mentions_received) why.push(`mentioned ${plural(p.mentions_received, "time")} by ${by(p.mentioners)}`);
  if (p.quotes_received) why.push(`quoted ${plural(p.quotes_received, "time")} by ${by(p.quoters)}`);
  if (why.length === 0) why.push("no one has replied to, mentioned or quoted them yet");
  if (p.engaged_with) why.push(`engaged with ${by(p.engaged_with)}`);
  const index = p.score * people;
  why.push(`ranks ${p.rank} of ${people} (${index.toFixed(1)}× the average influence)`);
  const polar = p.positive + p.negative;
  if (p.stance === "advocate") why.push(`mostly positive: ${p.positive} of ${plural(polar, "message")} with a clear sentiment`);
  else if (p.stance === "detractor") why.push(`mostly negative: ${p.negative} of ${plural(polar, "message")} with a clear sentiment`);
  return why;
}

function presentRun(run: InfluenceRunRow | undefined): InfluenceRun | null {
  if (!run) return null;
  return {
    computed_at: new Date(run.computed_at).toISOString(),
    window_days: run.window_days,
    people: run.people,
    links: run.links,
    interactions: run.interactions,
    communities: run.communities,
    iterations: run.iterations,
    converged: run.converged,
  };
}

export function presentPerson(p: store.PersonInfluenceView, people: number): InfluencePerson {
  return {
    node: p.node,
    contact_id: p.contact_id,
    profile_id: p.profile_id,
    name: p.name ?? "Unknown",
    handle: p.handle,
    network: p.contact_id ? null : p.network,
    lifecycle_stage: p.lifecycle_stage,
    rank: p.rank,
    score: p.score,
    index: Math.round(p.score * people * 100) / 100,
    stance: p.stance,
    community: p.community,
    community_size: p.community_size,
    counts: {
      replies_received: p.replies_received,
      repliers: p.repliers,
      mentions_received: p.mentions_received,
      mentioners: p.mentioners,
      quotes_received: p.quotes_received,
      quoters: p.quoters,
      engaged_with: p.engaged_with,
      messages: p.messages,
      positive: p.positive,
      negative: p.negative,
    },
    why: explainInfluence(p, people),
  };
}

/**
 * The people list, most influential first. Advocates and detractors are the people of that
 * stance whose influence is at least the average (score ≥ 1 / people): high reach, clear stance.
 */
export async function listInfluence(db: DbOrTx, actor: Actor, query: { kind?: InfluenceKind; limit?: number }): Promise<InfluenceList> {
  requirePermission(actor, "crm:read");
  const kind = query.kind ?? "all";
  const run = await store.influenceRun(db, actor.workspaceId);
  const people = run?.people ?? 0;
  const filter =
    kind === "all"
      ? {}
      : { stance: kind === "advocates" ? ("advocate" as const) : ("detractor" as const), minScore: people ? 1 / people : 0 };
  const rows = run ? await store.listPeople(db, actor.workspaceId, filter, query.limit ?? 50) : [];
  return { kind, run: presentRun(run), data: rows.map((r) => presentPerson(r, people)) };
}

/** A contact's influence for the person view: their figures and the others of their community. */
export async function contactInfluence(db: DbOrTx, actor: Actor, contactId: string): Promise<ContactInfluence> {
  requirePermission(actor, "crm:read");
  await getContact(db, actor, contactId);
  const run = await store.influenceRun(db, actor.workspaceId);
  const people = run?.people ?? 0;
  const row = run ? await store.personOfContact(db, actor.workspaceId, contactId) : undefined;
  const members = row ? await store.communityMembers(db, actor.workspaceId, row.community, row.node, 10) : [];
  return {
    run: presentRun(run),
    person: row ? presentPerson(row, people) : null,
    community_members: members.map((m) => ({
      contact_id: m.contact_id,
      profile_id: m.profile_id,
      name: m.name ?? "Unknown",
      network: m.contact_id ? null : m.network,
      rank: m.rank,
      stance: m.stance,
    })),
  };
}

/** Recomputes the workspace's figures now (the API's and CLI's on-demand run). */
export async function runInfluence(db: Db, actor: Actor, now = new Date()): Promise<InfluenceRun> {
  requirePermission(actor, "reports:read");
  return presentRun({ workspace_id: actor.workspaceId, ...(await computeInfluence(db, actor.workspaceId, now)) }) as InfluenceRun;
}

/**
 * One scheduler round: workspaces heard from since their last run (or never scored), and any
 * whose run is a day old. Returns the workspaces scored.
 */
export async function runScheduledInfluence(db: Db, now = new Date()): Promise<number> {
  const since = new Date(now.getTime() - INFLUENCE_WINDOW_DAYS * DAY);
  const workspaces = await store.workspacesToScore(db, since, new Date(now.getTime() - DAY));
  for (const ws of workspaces) await computeInfluence(db, ws, now);
  return workspaces.length;
}

/** The loop `parley start` runs beside the retention worker: influence once an hour (and at start). */
export class InfluenceWorker extends PeriodicJob {
  constructor(db: Db, options: PeriodicOptions = {}) {
    super("influence", () => runScheduledInfluence(db), options);
  }
}
