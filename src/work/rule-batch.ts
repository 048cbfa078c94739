import type { Insertable } from "kysely";
import { newId } from "../shared/ids";
import { type DbOrTx, inSavepoint } from "../store/db";
import type { CaseEventTable, CaseTable, IdeaTable, IdeaVoteTable } from "../store/schema-work";
import * as store from "../store/work";
import { textSimilarity } from "../understand";
import { type CreateCaseInput, createCase, newCaseRecords } from "./cases";
import { createOrAttachIdea, type IdeaInput, liveIdea, SIMILAR_TEXT, SIMILAR_TITLE, titleSimilarity } from "./ideas";
import { policyFor } from "./sla";

// The cases and ideas the rules of one ingest batch create, written set-based. Each action
// decides at once what createCase / createOrAttachIdea would (reuse the conversation's open
// case, attach to a similar idea, vote once per person), from lookups made once per batch and
// what the batch itself created before; flush() then writes each table in one statement and
// allocates the case numbers in one. Should that fail, every record is written the old way in
// its own savepoint, so one bad record is undone alone, as before.

// The shapes of rules' RuleWorkBatch (src/rules/work-actions.ts), which src/wiring.ts checks
// this class against: work does not import rules.
type RuleCaseInput = CreateCaseInput & { source: "rule"; rule_id: string };
type RuleIdeaInput = Omit<IdeaInput, "idea_id" | "new_id"> & { rule_id: string };
type Settled<T> = { ok: true; value: T } | { ok: false; error: string };
type PendingWork<T> = { id: string; settled(): Settled<T> };
export type WorkBatchScope = { conversationIds: string[]; messageIds: string[] };

type CaseIntent = { kind: "case"; id: string; input: RuleCaseInput; result?: Settled<{ number: number; reused: boolean }> };
type IdeaIntent = {
  kind: "idea";
  input: RuleIdeaInput;
  ideaId: string;
  created: boolean;
  messageId: string | null;
  vote: Insertable<IdeaVoteTable> | null;
  result?: Settled<{ created: boolean; voted: boolean }>;
};

type Voter = { contact_id: string | null; profile_id: string | null };
type KnownVote = { contact_id: string | null; profile_contact_id: string | null; profile_id: string | null };
type OpenIdea = { id: string; title: string; vote_count: number };

const NOT_WRITTEN: Settled<never> = { ok: false, error: "not written: the batch was not flushed" };

export class WorkBatch {
  private intents: Array<CaseIntent | IdeaIntent> = [];
  // cases
  private openCases?: Map<string, { id: string; number: number | null; intent?: CaseIntent }>;
  // ideas
  private ideaLookups?: {
    linked: Map<string, string[]>;
    issuesOf: Map<string, string[]>;
    issueIdeas: Map<string, Set<string>>;
    messages: Map<string, { id: string; direction: string; profile_id: string | null }>;
    profiles: Map<string, string | null>;
  };
  private ideas = new Map<string, OpenIdea>();
  private titles?: OpenIdea[];
  /** Ideas the batch created, newest first. */
  private createdIdeas: OpenIdea[] = [];
  private voters = new Map<string, KnownVote[]>();

  constructor(
    private readonly tx: DbOrTx,
    private readonly workspaceId: string,
    private readonly scope: WorkBatchScope,
  ) {}

  // ---------- Cases

  async createCase(input: RuleCaseInput): Promise<PendingWork<{ number: number; reused: boolean }>> {
    if (!this.openCases) {
      this.openCases = new Map();
      const rows = await store.openCasesOfConversations(this.tx, this.workspaceId, unique(this.scope.conversationIds));
      // newest first: the first row of a conversation is the one createCase would reuse
      for (const r of rows)
        if (!this.openCases.has(r.conversation_id)) this.openCases.set(r.conversation_id, { id: r.id, number: Number(r.number) });
    }
    const convId = input.conversation_id;
    if (convId && !this.scope.conversationIds.includes(convId) && !this.openCases.has(convId)) {
      const [r] = await store.openCasesOfConversations(this.tx, this.workspaceId, [convId]);
      if (r) this.openCases.set(convId, { id: r.id, number: Number(r.number) });
    }
    const open = convId ? this.openCases.get(convId) : undefined;
    if (open) {
      const { intent } = open;
      return {
        id: open.id,
        settled: () => {
          if (!intent) return { ok: true, value: { number: open.number as number, reused: true } };
          const r = intent.result ?? NOT_WRITTEN;
          return r.ok ? { ok: true, value: { number: r.value.number, reused: true } } : r;
        },
      };
    }
    const intent: CaseIntent = { kind: "case", id: newId(), input };
    this.intents.push(intent);
    if (convId) this.openCases.set(convId, { id: intent.id, number: null, intent });
    return { id: intent.id, settled: () => intent.result ?? NOT_WRITTEN };
  }

  private async caseRows(intents: CaseIntent[]) {
    const ws = this.workspaceId;
    const missing = intents.filter((c) => !c.input.contact_id && c.input.conversation_id).map((c) => c.input.conversation_id as string);
    const convContacts = await store.conversationContacts(this.tx, ws, unique(missing));
    const contactOf = (c: CaseIntent) =>
      c.input.contact_id ?? (c.input.conversation_id ? (convContacts.get(c.input.conversation_id) ?? null) : null);
    const contactIds = unique(intents.map(contactOf).filter((x): x is string => Boolean(x)));
    const contacts = new Map((await store.contactBriefs(this.tx, ws, contactIds)).map((c) => [c.id, c]));
    const first = await store.nextCounters(this.tx, ws, "case", intents.length, 1001);
    const cases: Insertable<CaseTable>[] = [];
    const links: Parameters<typeof store.linkCaseConversations>[1] = [];
    const events: Insertable<CaseEventTable>[] = [];
    for (const [i, c] of intents.entries()) {
      const input = c.input;
      const policy = await policyFor(this.tx, ws, input.priority ?? "normal", input.team_id ?? null);
      const contactId = contactOf(c);
      const contact = contactId ? contacts.get(contactId) : undefined;
      const made = newCaseRecords(ws, input, { id: c.id, number: first + i, policy, contactId, contact });
      cases.push(made.row);
      if (input.conversation_id)
        links.push({ workspace_id: ws, case_id: c.id, conversation_id: input.conversation_id, linked_by: made.row.created_by ?? null });
      events.push(made.event);
    }
    return { cases, links, events, first };
  }

  // ---------- Ideas

  private async lookups() {
    if (this.ideaLookups) return this.ideaLookups;
    const ws = this.workspaceId;
    const messageIds = unique(this.scope.messageIds);
    const linked = await store.ideasOfMessages(this.tx, ws, messageIds);
    const issuesOf = await store.issuesOfMessages(this.tx, ws, messageIds);
    const issueIdeas = new Map<string, Set<string>>();
    for (const r of await store.openIdeasOfIssues(this.tx, ws, unique([...issuesOf.values()].flat()))) {
      issueIdeas.set(r.issue_id, (issueIdeas.get(r.issue_id) ?? new Set()).add(r.id));
      if (!this.ideas.has(r.id)) this.ideas.set(r.id, { id: r.id, title: r.title, vote_count: Number(r.vote_count) });
    }
    const messages = new Map((await store.messageBriefs(this.tx, ws, messageIds)).map((m) => [m.id, m]));
    const profileIds = unique([...messages.values()].map((m) => m.profile_id).filter((p): p is string => Boolean(p)));
    const profiles = new Map((await store.profileContacts(this.tx, ws, profileIds)).map((p) => [p.id, p.contact_id]));
    this.ideaLookups = { linked, issuesOf, issueIdeas, messages, profiles };
    return this.ideaLookups;
  }

  /** The idea createOrAttachIdea would choose: the one the message supports, its issue's, a similar title, or none. */
  private async chooseIdea(input: RuleIdeaInput, look: NonNullable<WorkBatch["ideaLookups"]>): Promise<string | null> {
    const ws = this.workspaceId;
    if (input.message_id) {
      const [first] = look.linked.get(input.message_id) ?? [];
      if (first) {
        // a re-run: the idea the message already supports (rare, so looked up alone)
        const live = await liveIdea(this.tx, ws, first);
        if (live) {
          if (!this.ideas.has(live.id)) this.ideas.set(live.id, { id: live.id, title: live.title, vote_count: live.vote_count });
          return live.id;
        }
      }
    }
    if (!input.match_similar) return null;
    if (input.message_id) {
      const candidates = new Set<string>();
      for (const issue of look.issuesOf.get(input.message_id) ?? []) for (const id of look.issueIdeas.get(issue) ?? []) candidates.add(id);
      const best = [...candidates]
        .map((id) => this.ideas.get(id) as OpenIdea)
        .sort((a, b) => b.vote_count - a.vote_count || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))[0];
      if (best) return best.id;
    }
    this.titles ??= [
      // the ideas of this batch are the newest, first as openIdeaTitles orders them
      ...this.createdIdeas,
      ...(await store.openIdeaTitles(this.tx, ws)).map((t) => {
        // one object per idea, so votes counted in the batch order the issue candidates too
        const known = this.ideas.get(t.id) ?? { id: t.id, title: t.title, vote_count: Number(t.vote_count) };
        this.ideas.set(t.id, known);
        return known;
      }),
    ];
    let best: { id: string; score: number } | null = null;
    for (const candidate of this.titles) {
      const score = Math.max(
        titleSimilarity(input.title, candidate.title) >= SIMILAR_TITLE ? 1 : 0,
        textSimilarity(input.title, candidate.title),
      );
      if (score >= SIMILAR_TEXT && (!best || score > best.score)) best = { id: candidate.id, score };
    }
    return best?.id ?? null;
  }

  private async votersOf(ideaId: string): Promise<KnownVote[]> {
    let known = this.voters.get(ideaId);
    if (!known) {
      known = await store.votersOfIdeas(this.tx, this.workspaceId, [ideaId]);
      this.voters.set(ideaId, known);
    }
    return known;
  }

  async createOrAttachIdea(input: RuleIdeaInput): Promise<PendingWork<{ created: boolean; voted: boolean }>> {
    const look = await this.lookups();
    const by = `rule:${input.rule_id}`;
    let ideaId = await this.chooseIdea(input, look);
    let created = false;
    if (!ideaId) {
      ideaId = newId();
      created = true;
      const idea = { id: ideaId, title: input.title.slice(0, 300) || "(untitled idea)", vote_count: 0 };
      this.ideas.set(ideaId, idea);
      this.voters.set(ideaId, []);
      this.createdIdeas.unshift(idea);
      this.titles?.unshift(idea);
    }
    let voter: Voter = { contact_id: input.contact_id ?? null, profile_id: input.profile_id ?? null };
    let messageId: string | null = null;
    const m = input.message_id ? (look.messages.get(input.message_id) ?? (await this.messageOutsideScope(input.message_id))) : undefined;
    if (m) {
      messageId = m.id;
      // the message now supports the idea: later messages of its issue find it
      for (const issue of look.issuesOf.get(m.id) ?? []) look.issueIdeas.set(issue, (look.issueIdeas.get(issue) ?? new Set()).add(ideaId));
      if (!voter.contact_id && !voter.profile_id && m.direction === "inbound") voter = { contact_id: null, profile_id: m.profile_id };
    }
    const resolved = await this.resolveVoter(voter, look);
    let vote: Insertable<IdeaVoteTable> | null = null;
    if (resolved) {
      const known = await this.votersOf(ideaId);
      const same = known.some(
        (v) =>
          (resolved.contact_id && (v.contact_id === resolved.contact_id || v.profile_contact_id === resolved.contact_id)) ||
          (resolved.profile_id && v.profile_id === resolved.profile_id),
      );
      if (!same) {
        vote = {
          workspace_id: this.workspaceId,
          id: newId(),
          idea_id: ideaId,
          contact_id: resolved.contact_id,
          profile_id: resolved.profile_id,
          message_id: messageId,
          created_by: by,
        };
        known.push({
          contact_id: resolved.contact_id,
          profile_contact_id: resolved.profile_id ? (look.profiles.get(resolved.profile_id) ?? null) : null,
          profile_id: resolved.profile_id,
        });
        const idea = this.ideas.get(ideaId);
        if (idea) idea.vote_count++;
      }
    }
    const intent: IdeaIntent = { kind: "idea", input, ideaId, created, messageId, vote };
    this.intents.push(intent);
    return { id: ideaId, settled: () => intent.result ?? NOT_WRITTEN };
  }

  private async messageOutsideScope(id: string) {
    const [m] = await store.messageBriefs(this.tx, this.workspaceId, [id]);
    if (m && this.ideaLookups) {
      this.ideaLookups.messages.set(m.id, m);
      this.ideaLookups.issuesOf.set(m.id, (await store.issuesOfMessages(this.tx, this.workspaceId, [m.id])).get(m.id) ?? []);
    }
    return m;
  }

  private async resolveVoter(v: Voter, look: NonNullable<WorkBatch["ideaLookups"]>): Promise<Voter | null> {
    if (v.contact_id) return v;
    if (!v.profile_id) return null;
    if (!look.profiles.has(v.profile_id)) {
      const [p] = await store.profileContacts(this.tx, this.workspaceId, [v.profile_id]);
      if (!p) return null;
      look.profiles.set(p.id, p.contact_id);
    }
    return { contact_id: look.profiles.get(v.profile_id) ?? null, profile_id: v.profile_id };
  }

  private ideaRows(intents: IdeaIntent[]) {
    const ws = this.workspaceId;
    const ideas: Insertable<IdeaTable>[] = [];
    const history: Parameters<typeof store.insertIdeaStatusHistories>[1] = [];
    const links: Parameters<typeof store.linkIdeaMessages>[1] = [];
    const votes: Insertable<IdeaVoteTable>[] = [];
    for (const i of intents) {
      const by = `rule:${i.input.rule_id}`;
      if (i.created) {
        ideas.push({
          workspace_id: ws,
          id: i.ideaId,
          title: i.input.title.slice(0, 300) || "(untitled idea)",
          description: i.input.description ?? null,
          rule_id: i.input.rule_id,
          created_by: by,
        });
        history.push({ workspace_id: ws, id: newId(), idea_id: i.ideaId, from_status: null, to_status: "new", actor: by });
      }
      if (i.messageId) links.push({ workspace_id: ws, idea_id: i.ideaId, message_id: i.messageId, added_by: by });
      if (i.vote) votes.push(i.vote);
    }
    return { ideas, history, links, votes };
  }

  // ---------- Writing

  async flush(): Promise<void> {
    if (this.intents.length === 0) return;
    const tx = this.tx;
    try {
      await (tx.isTransaction ? inSavepoint(tx, "rule_work", () => this.writeAll()) : this.writeAll());
    } catch (err) {
      if (!tx.isTransaction) throw err;
      await this.writeOneByOne();
    }
  }

  private async writeAll() {
    const ws = this.workspaceId;
    const caseIntents = this.intents.filter((i): i is CaseIntent => i.kind === "case");
    const ideaIntents = this.intents.filter((i): i is IdeaIntent => i.kind === "idea");
    if (caseIntents.length) {
      const { cases, links, events, first } = await this.caseRows(caseIntents);
      await store.insertCases(this.tx, cases);
      await store.linkCaseConversations(this.tx, links);
      await store.insertCaseEvents(this.tx, events);
      for (const [n, c] of caseIntents.entries()) c.result = { ok: true, value: { number: first + n, reused: false } };
    }
    if (ideaIntents.length) {
      const { ideas, history, links, votes } = this.ideaRows(ideaIntents);
      await store.insertIdeas(this.tx, ideas);
      await store.insertIdeaStatusHistories(this.tx, history);
      await store.linkIdeaMessages(this.tx, links);
      const added = await store.insertIdeaVotes(this.tx, votes);
      await store.recountIdeasVotes(this.tx, ws, unique(votes.filter((v) => added.has(v.id as string)).map((v) => v.idea_id)));
      for (const i of ideaIntents)
        i.result = { ok: true, value: { created: i.created, voted: Boolean(i.vote && added.has(i.vote.id as string)) } };
    }
  }

  /** After a failed batch write: each record the old way, in its own savepoint, so only a bad one is lost. */
  private async writeOneByOne() {
    const ws = this.workspaceId;
    for (const i of this.intents) {
      try {
        if (i.kind === "case") {
          const row = await inSavepoint(this.tx, "rule_action", () => createCase(this.tx, ws, { ...i.input, id: i.id }));
          i.result = { ok: true, value: { number: Number(row.number), reused: row.id !== i.id } };
        } else {
          const r = await inSavepoint(this.tx, "rule_action", () =>
            createOrAttachIdea(this.tx, ws, { ...i.input, new_id: i.created ? i.ideaId : undefined }),
          );
          i.result = { ok: true, value: { created: r.created, voted: r.voted } };
        }
      } catch (err) {
        i.result = { ok: false, error: err instanceof Error ? err.message : String(err) };
      }
    }
  }
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}

export function startRuleWorkBatch(tx: DbOrTx, workspaceId: string, scope: WorkBatchScope): WorkBatch {
  return new WorkBatch(tx, workspaceId, scope);
}
