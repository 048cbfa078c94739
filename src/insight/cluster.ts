import { newId } from "../shared/ids";
import type { DbOrTx } from "../store/db";
import * as store from "../store/issues";
import type { IssueTopTerm } from "../store/schema-issues";
import { type TermVector, termVector } from "../understand";

// Incremental grouping of inbound complaints, questions and suggestions into issues.
// Each message becomes a vector of its content terms and term pairs, weighted by
// sublinear tf × the workspace's IDF; it joins the most similar recent issue when the
// cosine with that issue's centroid reaches JOIN_SIMILARITY, and starts a new issue
// otherwise. An issue's id never changes once made: later messages only move its
// centroid (the summed, length-normalized term weights, top CENTROID_TERMS kept).

/** The labels whose messages are grouped into issues. */
export const ISSUE_LABELS = ["complaint", "question", "suggestion"] as const;
/** Cosine with an issue's centroid needed to join it (tuned on a split of BANKING77: scripts/eval-issues.ts). */
export const JOIN_SIMILARITY = 0.2;
/** Pseudo-documents added to the IDF's numerator (see IssueSpace.idf). */
export const IDF_PRIOR = 20;
/** Terms kept per centroid. */
export const CENTROID_TERMS = 60;
/** Fewer distinct content words than this and a message is too short to say what it is about. */
export const MIN_CONTENT_TERMS = 2;
/** Issues quiet for longer than this are not joined again; a new one starts. */
export const ISSUE_WINDOW_DAYS = 90;

export type ClusterInput = { id: string; text: string; labels: string[]; direction: string; posted_at: Date };

/** Whether a message takes part in issues: inbound, labelled complaint, question or suggestion, not spam. */
export function clusterable(m: Pick<ClusterInput, "labels" | "direction">): boolean {
  if (m.direction !== "inbound" || m.labels.includes("spam")) return false;
  return m.labels.some((l) => (ISSUE_LABELS as readonly string[]).includes(l));
}

type Centroid = {
  id: string;
  mass: Map<string, number>;
  words: Map<string, string>;
  isNew: boolean;
  touched: boolean;
};

/** The clusterer's working state: document frequencies and the candidate issues, in memory for one batch. */
export class IssueSpace {
  readonly issues = new Map<string, Centroid>();
  private readonly byTerm = new Map<string, Set<string>>();
  constructor(
    readonly df: Map<string, number>,
    private docs: number,
    private readonly threshold = JOIN_SIMILARITY,
  ) {}

  /** Smoothed IDF: IDF_PRIOR pseudo-documents keep a young workspace's few documents from punishing the very terms they share. */
  idf(term: string): number {
    return Math.log((this.docs + IDF_PRIOR) / ((this.df.get(term) ?? 0) + 1)) + 1;
  }

  addIssue(c: Omit<Centroid, "touched">, touched = false) {
    this.issues.set(c.id, { ...c, touched });
    for (const t of c.mass.keys()) this.index(t, c.id);
  }

  private index(term: string, id: string) {
    const s = this.byTerm.get(term);
    if (s) s.add(id);
    else this.byTerm.set(term, new Set([id]));
  }

  /** Counts a document in the frequencies, then finds its issue (or makes one); returns the issue id and similarity. */
  assign(v: TermVector): { issueId: string; similarity: number; created: boolean } {
    this.docs += 1;
    for (const t of v.weights.keys()) this.df.set(t, (this.df.get(t) ?? 0) + 1);
    const best = this.nearest(v);
    let created = false;
    let target: Centroid;
    if (best && best.score >= this.threshold) target = this.issues.get(best.id) as Centroid;
    else {
      target = { id: newId(), mass: new Map(), words: new Map(), isNew: true, touched: true };
      this.issues.set(target.id, target);
      created = true;
    }
    this.add(target, v);
    return { issueId: target.id, similarity: created ? 1 : (best?.score ?? 1), created };
  }

  /** The issue most similar to this vector (cosine over IDF-weighted terms), ties to the smaller id; `except` is left out. */
  nearest(v: TermVector, except?: string): { id: string; score: number } | null {
    const weighted = new Map<string, number>();
    let norm = 0;
    for (const [t, w] of v.weights) {
      const x = w * this.idf(t);
      weighted.set(t, x);
      norm += x * x;
    }
    norm = Math.sqrt(norm);
    const candidates = new Set<string>();
    for (const t of v.weights.keys()) for (const id of this.byTerm.get(t) ?? []) if (id !== except) candidates.add(id);
    let best: { id: string; score: number } | null = null;
    for (const id of candidates) {
      const c = this.issues.get(id);
      if (!c) continue;
      let dot = 0;
      let cn = 0;
      for (const [t, mass] of c.mass) {
        const x = mass * this.idf(t);
        cn += x * x;
        const y = weighted.get(t);
        if (y !== undefined) dot += x * y;
      }
      const score = norm > 0 && cn > 0 ? dot / (norm * Math.sqrt(cn)) : 0;
      if (!best || score > best.score || (score === best.score && id < best.id)) best = { id, score };
    }
    return best;
  }

  /**
   * Second look at an issue this batch started with one message: single-pass grouping depends on arrival
   * order (a message compared before its neighbours had moved the centroid can fall just short), so once the
   * batch's centroids are final the message joins the nearest other issue if it now reaches the threshold,
   * and its own one-message issue is dropped. Returns where it went, or null when it stays.
   */
  reconsider(id: string, v: TermVector): { issueId: string; similarity: number } | null {
    const own = this.issues.get(id);
    if (!own?.isNew) return null;
    const best = this.nearest(v, id);
    if (!best || best.score < this.threshold) return null;
    this.issues.delete(id);
    for (const t of own.mass.keys()) this.byTerm.get(t)?.delete(id);
    this.add(this.issues.get(best.id) as Centroid, v);
    return { issueId: best.id, similarity: best.score };
  }

  /** Ends a batch: the issues it started count as stored from now on (reconsider leaves them alone). */
  endBatch() {
    for (const c of this.issues.values()) c.isNew = false;
  }

  /** Adds a message's length-normalized raw weights to a centroid (IDF is applied when comparing). */
  private add(target: Centroid, v: TermVector) {
    let raw = 0;
    for (const w of v.weights.values()) raw += w * w;
    raw = Math.sqrt(raw) || 1;
    for (const [t, w] of v.weights) {
      target.mass.set(t, (target.mass.get(t) ?? 0) + w / raw);
      if (!target.words.has(t)) target.words.set(t, v.words.get(t) ?? t);
    }
    this.trim(target);
    target.touched = true;
  }

  /** Makes an issue's centroid again from these messages' vectors alone (after some of its messages were erased). */
  rebuild(id: string, vectors: TermVector[]) {
    const c: Centroid = { id, mass: new Map(), words: new Map(), isNew: false, touched: true };
    for (const v of vectors) {
      let raw = 0;
      for (const w of v.weights.values()) raw += w * w;
      raw = Math.sqrt(raw) || 1;
      for (const [t, w] of v.weights) {
        c.mass.set(t, (c.mass.get(t) ?? 0) + w / raw);
        if (!c.words.has(t)) c.words.set(t, v.words.get(t) ?? t);
      }
    }
    this.issues.set(id, c);
    this.trim(c);
    return c;
  }

  private trim(c: Centroid) {
    if (c.mass.size > CENTROID_TERMS) {
      const keep = [...c.mass].sort((a, b) => b[1] * this.idf(b[0]) - a[1] * this.idf(a[0])).slice(0, CENTROID_TERMS);
      c.mass = new Map(keep);
      for (const t of [...c.words.keys()]) if (!c.mass.has(t)) c.words.delete(t);
    }
    for (const t of c.mass.keys()) this.index(t, c.id);
  }

  /** The issue's top terms by weight (mass × IDF). */
  topTerms(id: string, n = 8): IssueTopTerm[] {
    const c = this.issues.get(id) as Centroid;
    return [...c.mass]
      .map(([term, mass]) => ({ term, word: c.words.get(term) ?? term, weight: Math.round(mass * this.idf(term) * 1000) / 1000 }))
      .sort((a, b) => b.weight - a.weight || a.term.localeCompare(b.term))
      .slice(0, n);
  }
}

/** A name for people from an issue's top terms: its strongest phrase, then words it does not already hold. */
export function issueLabel(top: IssueTopTerm[]): string {
  const parts: string[] = [];
  const used = new Set<string>();
  const firstWord = top.find((t) => !t.term.includes(" "));
  const phrase = top.find((t) => t.term.includes(" "));
  if (phrase && (!firstWord || phrase.weight >= firstWord.weight * 0.5)) {
    parts.push(phrase.word);
    for (const t of phrase.term.split(" ")) used.add(t);
  }
  for (const t of top) {
    if (parts.length >= 3) break;
    if (t.term.includes(" ") || used.has(t.term)) continue;
    parts.push(t.word);
    used.add(t.term);
  }
  return parts.join(" · ").slice(0, 120) || "(untitled issue)";
}

/**
 * The batch's second look (IssueSpace.reconsider) for each issue it started that still holds one message;
 * returns the positions of the messages that moved and where they went.
 */
export function secondLook(space: IssueSpace, batch: Array<{ issueId: string; vector: TermVector }>) {
  const sizes = new Map<string, number>();
  for (const b of batch) sizes.set(b.issueId, (sizes.get(b.issueId) ?? 0) + 1);
  const moved = new Map<number, { issueId: string; similarity: number }>();
  for (const [i, b] of batch.entries()) {
    if (sizes.get(b.issueId) !== 1) continue;
    const to = space.reconsider(b.issueId, b.vector);
    if (!to) continue;
    sizes.delete(b.issueId);
    sizes.set(to.issueId, (sizes.get(to.issueId) ?? 0) + 1);
    moved.set(i, to);
  }
  return moved;
}

export type ClusterResult = {
  assigned: Array<{ messageId: string; issueId: string; similarity: number; postedAt: Date }>;
  created: string[];
  touched: string[];
};

/** Groups the given stored messages into issues, in the caller's transaction. Messages already grouped are skipped. */
export async function clusterMessages(db: DbOrTx, workspaceId: string, messageIds: string[], now = new Date()): Promise<ClusterResult> {
  const result: ClusterResult = { assigned: [], created: [], touched: [] };
  const inputs = (await store.clusterInputs(db, workspaceId, messageIds)).filter((m) => clusterable(m));
  if (inputs.length === 0) return result;
  const done = await store.messagesAlreadyClustered(
    db,
    workspaceId,
    inputs.map((m) => m.id),
  );
  const todo = inputs
    .filter((m) => !done.has(m.id))
    .map((m) => ({ ...m, vector: termVector(m.subject ? `${m.subject}\n${m.text}` : m.text) }))
    .filter((m) => m.vector.terms >= MIN_CONTENT_TERMS)
    .sort((a, b) => new Date(a.posted_at).getTime() - new Date(b.posted_at).getTime() || a.id.localeCompare(b.id));
  if (todo.length === 0) return result;
  const terms = [...new Set(todo.flatMap((m) => [...m.vector.weights.keys()]))];
  const df = await store.documentFrequencies(db, workspaceId, terms);
  const space = new IssueSpace(new Map([...df].filter(([t]) => t !== "")), df.get("") ?? 0);
  const since = new Date(now.getTime() - ISSUE_WINDOW_DAYS * 86_400_000);
  const candidates = new Map<string, Omit<Centroid, "touched">>();
  for (const row of await store.candidateIssueTerms(db, workspaceId, terms, since)) {
    let c = candidates.get(row.issue_id);
    if (!c) {
      c = { id: row.issue_id, mass: new Map(), words: new Map(), isNew: false };
      candidates.set(row.issue_id, c);
    }
    c.mass.set(row.term, Number(row.mass));
    c.words.set(row.term, row.word);
  }
  for (const c of candidates.values()) space.addIssue(c);

  const dfBatch = new Map<string, number>([["", todo.length]]);
  for (const m of todo) {
    for (const t of m.vector.weights.keys()) dfBatch.set(t, (dfBatch.get(t) ?? 0) + 1);
    const a = space.assign(m.vector);
    if (a.created) result.created.push(a.issueId);
    result.assigned.push({ messageId: m.id, issueId: a.issueId, similarity: a.similarity, postedAt: new Date(m.posted_at) });
  }
  const moved = secondLook(
    space,
    result.assigned.map((a, i) => ({ issueId: a.issueId, vector: (todo[i] as (typeof todo)[number]).vector })),
  );
  for (const [i, m] of moved) result.assigned[i] = { ...(result.assigned[i] as ClusterResult["assigned"][number]), ...m };
  result.created = result.created.filter((id) => space.issues.has(id));
  const touched = [...space.issues.values()].filter((c) => c.touched);
  result.touched = touched.map((c) => c.id);

  const firstAt = new Map<string, Date>();
  const lastAt = new Map<string, Date>();
  for (const a of result.assigned) {
    if (!firstAt.has(a.issueId) || a.postedAt < (firstAt.get(a.issueId) as Date)) firstAt.set(a.issueId, a.postedAt);
    if (!lastAt.has(a.issueId) || a.postedAt > (lastAt.get(a.issueId) as Date)) lastAt.set(a.issueId, a.postedAt);
  }
  await store.insertIssues(
    db,
    touched
      .filter((c) => c.isNew)
      .map((c) => {
        const top = space.topTerms(c.id);
        return {
          workspace_id: workspaceId,
          id: c.id,
          label: issueLabel(top),
          top_terms: JSON.stringify(top),
          first_message_at: firstAt.get(c.id) as Date,
          last_message_at: lastAt.get(c.id) as Date,
        };
      }),
  );
  await store.insertIssueMessages(
    db,
    result.assigned.map((a) => ({
      workspace_id: workspaceId,
      message_id: a.messageId,
      issue_id: a.issueId,
      similarity: a.similarity,
      posted_at: a.postedAt,
    })),
  );
  for (const c of touched) {
    await store.replaceIssueTerms(
      db,
      workspaceId,
      c.id,
      [...c.mass].map(([term, mass]) => ({ term, word: (c.words.get(term) ?? term).slice(0, 200), mass })),
    );
    const top = space.topTerms(c.id);
    await store.refreshIssue(db, workspaceId, c.id, { label: issueLabel(top), top_terms: top });
  }
  await store.addDocumentFrequencies(db, workspaceId, dfBatch);
  const hourly = new Map<string, { issue_id: string; hour: Date; count: number }>();
  for (const a of result.assigned) {
    const hour = hourOf(a.postedAt);
    const key = `${a.issueId}|${hour.toISOString()}`;
    const h = hourly.get(key) ?? { issue_id: a.issueId, hour, count: 0 };
    h.count++;
    hourly.set(key, h);
  }
  await store.addHourlyCounts(db, workspaceId, [...hourly.values()]);
  return result;
}

export const hourOf = (d: Date) => new Date(Math.floor(d.getTime() / 3_600_000) * 3_600_000);
