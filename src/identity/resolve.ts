import type { DbOrTx } from "../store/db";
import * as store from "../store/identity";
import type { ProfileUpsert } from "../store/listening";
import type { AutoLinkLevel } from "../store/schema-identity";
import { handleSimilarity, nameSimilarity, normalizeEmail } from "./matching";

// Profile → contact, inside the ingest pipeline. Parley links a new author to a
// contact on its own only on strong evidence, and only as far as the workspace
// allows (identity settings, `auto_link`):
//   authenticated — the person signed in with that account (community) → linked unless auto_link is "off"
//   email         — the author's address is the contact's email          → linked when auto_link is "strong"
// Everything weaker becomes a suggestion with its evidence and a score, for a
// person to confirm: an email written in the bio, the same handle as a profile
// already linked on another network, a display name like a contact's name.

export type ResolveProfile = Pick<
  ProfileUpsert,
  "id" | "network" | "network_id" | "handle" | "display_name" | "profile_url" | "bio" | "verified"
>;

export type ResolveOutcome = { linked: number; suggested: number };

const EMAIL_IN_TEXT = /[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}/gi;
const bareHandle = (h: string | null) => (h ?? "").trim().replace(/^@/, "").toLowerCase();

function addressOf(p: ResolveProfile): string | null {
  for (const v of [p.network_id, p.handle]) {
    if (v && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v.trim())) return normalizeEmail(v);
  }
  return null;
}

/** Whether the network vouches that the author owns the account (signed in to our own community). */
const authenticatedBy = (p: ResolveProfile) => p.network === "community" && p.verified;

function strongLinkAllowed(level: AutoLinkLevel, method: "authenticated" | "email") {
  if (level === "off") return false;
  if (level === "authenticated") return method === "authenticated";
  return true;
}

/** Work done by resolveProfiles in this process (for `parley bench identity`). */
export const resolveStats = { calls: 0, profiles: 0, ms: 0 };

export async function resolveProfiles(tx: DbOrTx, workspaceId: string, profiles: ResolveProfile[]): Promise<ResolveOutcome> {
  if (profiles.length === 0) return { linked: 0, suggested: 0 };
  const started = performance.now();
  const outcome = await resolve(tx, workspaceId, profiles);
  resolveStats.calls++;
  resolveStats.profiles += profiles.length;
  resolveStats.ms += performance.now() - started;
  return outcome;
}

async function resolve(tx: DbOrTx, workspaceId: string, profiles: ResolveProfile[]): Promise<ResolveOutcome> {
  const outcome: ResolveOutcome = { linked: 0, suggested: 0 };
  const settings = await store.identitySettings(tx, workspaceId);

  // 1. strong: the author's own address, or an authenticated community account
  const addresses = new Map<string, string>();
  for (const p of profiles) {
    const a = addressOf(p);
    if (a) addresses.set(p.id, a);
  }
  const bioEmails = new Map<string, string[]>();
  for (const p of profiles) {
    const found = [...`${p.bio ?? ""} ${p.profile_url ?? ""}`.matchAll(EMAIL_IN_TEXT)]
      .map((m) => normalizeEmail(m[0]) ?? "")
      .filter(Boolean);
    if (found.length) bioEmails.set(p.id, found);
  }
  const wanted = [...new Set([...addresses.values(), ...[...bioEmails.values()].flat()])];
  const byEmail = new Map<string, Array<{ id: string; name: string }>>();
  for (const c of await store.contactsByEmails(tx, workspaceId, wanted)) {
    for (const e of c.emails) {
      const k = normalizeEmail(e);
      if (k) byEmail.set(k, [...(byEmail.get(k) ?? []), { id: c.id, name: c.name }]);
    }
  }

  const suggestions: store.SuggestionInput[] = [];
  const unresolved: ResolveProfile[] = [];
  for (const p of profiles) {
    const address = addresses.get(p.id);
    const owners = address ? (byEmail.get(address) ?? []) : [];
    if (owners.length === 1) {
      const contact = owners[0] as { id: string; name: string };
      const method = authenticatedBy(p) ? "authenticated" : "email";
      const evidence = [method === "authenticated" ? `signed in to the community as ${address}` : `same email ${address}`];
      if (strongLinkAllowed(settings.auto_link, method)) {
        await store.linkProfile(tx, workspaceId, p.id, { contact_id: contact.id, method, evidence, confidence: 0.99, by: null });
        outcome.linked++;
      } else {
        suggestions.push({ profile_id: p.id, contact_id: contact.id, score: 0.95, evidence });
      }
      continue;
    }
    if (owners.length > 1) {
      // One address on several contacts: those contacts are probably duplicates; a person decides.
      for (const c of owners)
        suggestions.push({
          profile_id: p.id,
          contact_id: c.id,
          score: 0.8,
          evidence: [`same email ${address} (on ${owners.length} contacts)`],
        });
      continue;
    }
    for (const e of bioEmails.get(p.id) ?? []) {
      for (const c of byEmail.get(e) ?? [])
        suggestions.push({ profile_id: p.id, contact_id: c.id, score: 0.85, evidence: [`profile mentions ${e}`] });
    }
    unresolved.push(p);
  }

  // 2. softer: the same handle as a profile already linked elsewhere; a similar name
  const handles = [...new Set(unresolved.map((p) => bareHandle(p.handle)).filter((h) => h.length >= 3))];
  const urls = [...new Set(unresolved.flatMap((p) => (p.profile_url ? [p.profile_url.toLowerCase()] : [])))];
  const linked = await store.linkedProfilesByHandles(tx, workspaceId, [...handles, ...handles.map((h) => `@${h}`)], urls);
  for (const p of unresolved) {
    const h = bareHandle(p.handle);
    for (const other of linked) {
      if (!other.contact_id || other.network === p.network) continue;
      if (p.profile_url && other.profile_url?.toLowerCase() === p.profile_url.toLowerCase()) {
        suggestions.push({
          profile_id: p.id,
          contact_id: other.contact_id,
          score: 0.9,
          evidence: [`same profile URL as their ${other.network} account`],
        });
      } else if (h && bareHandle(other.handle) === h) {
        const sim = handleSimilarity(h, bareHandle(other.handle));
        suggestions.push({
          profile_id: p.id,
          contact_id: other.contact_id,
          score: Math.min(0.75, 0.55 + 0.2 * sim),
          evidence: [`same handle @${h} as their ${other.network} account`],
        });
      }
    }
  }
  const named = unresolved.filter((p) => (p.display_name ?? "").trim().split(/\s+/).length >= 2);
  const candidates = await store.contactsByNames(tx, workspaceId, [
    ...new Set(named.map((p) => (p.display_name as string).trim().toLowerCase())),
  ]);
  const byQuery = new Map<string, typeof candidates>();
  for (const c of candidates) byQuery.set(c.query, [...(byQuery.get(c.query) ?? []), c]);
  for (const p of named) {
    const name = (p.display_name as string).trim();
    const found = (byQuery.get(name.toLowerCase()) ?? [])
      .map((c) => ({ c, sim: nameSimilarity(name, c.name) }))
      .filter((x) => x.sim >= 0.85);
    for (const { c, sim } of found) {
      // A name shared by several contacts says less about each of them.
      const score = (0.35 + 0.35 * sim) / Math.sqrt(found.length);
      const evidence = [`name "${name}" similar to "${c.name}" (${sim.toFixed(2)})`];
      const h = bareHandle(p.handle);
      const local = c.emails.map((e) => e.split("@")[0] ?? "").find((l) => h && handleSimilarity(h, l) >= 0.85);
      if (local) evidence.push(`handle @${h} like their email ${local}@…`);
      suggestions.push({ profile_id: p.id, contact_id: c.id, score: Math.min(0.8, score + (local ? 0.15 : 0)), evidence });
    }
  }

  // one suggestion per (profile, contact): the strongest, evidence combined
  const merged = new Map<string, store.SuggestionInput>();
  for (const s of suggestions) {
    const k = `${s.profile_id}|${s.contact_id}`;
    const prev = merged.get(k);
    if (!prev) merged.set(k, { ...s });
    else {
      prev.score = Math.min(0.97, Math.max(prev.score, s.score) + 0.05);
      prev.evidence = [...new Set([...prev.evidence, ...s.evidence])];
    }
  }
  const kept = [...merged.values()].filter((s) => s.score >= settings.suggest_threshold);
  await store.saveSuggestions(tx, workspaceId, kept);
  outcome.suggested = new Set(kept.map((s) => s.profile_id)).size;
  return outcome;
}
