import { invalid } from "../shared/errors";
import { newSecret } from "../shared/ids";
import { decryptSecret, encryptSecret } from "../shared/secrets";
import type { DbOrTx } from "../store/db";
import * as store from "../store/rules";
import type { Action, Definition } from "./definition";

// Webhook signing secrets of rule actions are treated like channel secrets: encrypted at
// rest (`secret_sealed`), shown once to whoever sets them, and never returned afterwards —
// every response says `secret_set` instead.

type Webhook = Extract<Action, { type: "webhook" }>;
export type RevealedSecret = { action: number; secret: string };

/** What leaves the server: a webhook action says whether it has a secret, never which. */
export function presentActions(actions: readonly Action[]): Action[] {
  return actions.map((a) => (a.type === "webhook" ? { type: "webhook", url: a.url, secret_set: Boolean(a.secret_sealed || a.secret) } : a));
}

export function presentDefinition(def: Definition): Definition {
  return { ...def, actions: presentActions(def.actions) };
}

/** A stored webhook action in its stored form (a plaintext secret of older versions sealed). */
function storedWebhook(a: Webhook): Webhook {
  const sealed = a.secret_sealed ?? (a.secret ? encryptSecret(a.secret) : undefined);
  return { type: "webhook", url: a.url, ...(sealed ? { secret_sealed: sealed } : {}) };
}

/** A stored definition with every secret sealed (true when something changed). */
export function sealStored(def: Definition): { def: Definition; changed: boolean } {
  let changed = false;
  const actions = def.actions.map((a) => {
    if (a.type !== "webhook" || (a.secret === undefined && a.generate_secret === undefined && a.secret_set === undefined)) return a;
    changed = true;
    return storedWebhook(a);
  });
  return { def: { ...def, actions }, changed };
}

/**
 * The actions of a save in their stored form. A webhook action given a `secret` (or
 * `generate_secret`) gets it sealed, and the plain value is returned once; `secret: null`
 * removes it; without either, the action keeps the secret of the previous version's webhook
 * to the same URL, or else of the webhook action at the same place among the webhooks.
 */
export function sealInputActions(
  actions: readonly Action[],
  previous: readonly Action[],
  prefix = "",
): { actions: Action[]; revealed: RevealedSecret[] } {
  const before = previous.filter((a): a is Webhook => a.type === "webhook").map(storedWebhook);
  const used = new Set<number>();
  const revealed: RevealedSecret[] = [];
  let nth = -1;
  const out = actions.map((a, i) => {
    if (a.type !== "webhook") return a;
    nth++;
    if (a.secret_sealed !== undefined) throw invalid(`${prefix}actions.${i}.secret_sealed`, "is set by the server; give `secret` instead");
    let plain: string | null | undefined = a.secret;
    if (a.generate_secret) {
      if (typeof a.secret === "string") throw invalid(`${prefix}actions.${i}.generate_secret`, "give a secret or generate one, not both");
      plain = newSecret("whsec");
    }
    if (typeof plain === "string") {
      revealed.push({ action: i, secret: plain });
      return { type: "webhook", url: a.url, secret_sealed: encryptSecret(plain) } satisfies Webhook;
    }
    if (plain === null) return { type: "webhook", url: a.url } satisfies Webhook;
    let k = before.findIndex((b, j) => !used.has(j) && b.url === a.url);
    if (k < 0 && nth < before.length && !used.has(nth) && !actions.some((x) => x.type === "webhook" && x.url === before[nth]?.url)) k = nth;
    const kept = k >= 0 ? before[k]?.secret_sealed : undefined;
    if (k >= 0) used.add(k);
    return { type: "webhook", url: a.url, ...(kept ? { secret_sealed: kept } : {}) } satisfies Webhook;
  });
  return { actions: out, revealed };
}

/** The signing secret of a queued delivery (sealed, or plaintext in rows queued before sealing). */
export function deliverySecret(payload: Record<string, unknown>): string | null {
  if (typeof payload.secret_sealed === "string") return decryptSecret(payload.secret_sealed);
  return typeof payload.secret === "string" ? payload.secret : null;
}

/**
 * The on-read upgrade: rules, rule versions and queued deliveries of the workspace stored
 * with a plaintext secret (before secrets were sealed) are rewritten sealed. Cheap when
 * there is nothing to do (one indexed query per table); run when a workspace's rules are
 * compiled, listed or exported.
 */
export async function sealLegacySecrets(db: DbOrTx, workspaceId: string): Promise<number> {
  let n = 0;
  for (const r of await store.rulesWithPlainSecrets(db, workspaceId)) {
    const { def, changed } = sealStored(r.definition as Definition);
    if (changed) n += await store.replaceRuleDefinition(db, workspaceId, r.id, r.version, JSON.stringify(def));
  }
  for (const v of await store.versionsWithPlainSecrets(db, workspaceId)) {
    const { def, changed } = sealStored(v.definition as Definition);
    if (changed) n += await store.replaceVersionDefinition(db, workspaceId, v.rule_id, v.version, JSON.stringify(def));
  }
  for (const o of await store.outboxWithPlainSecrets(db, workspaceId)) {
    const { secret, ...rest } = o.payload as Record<string, unknown>;
    const payload = typeof secret === "string" ? { ...rest, secret_sealed: encryptSecret(secret) } : rest;
    n += await store.replaceOutboxPayload(db, workspaceId, o.id, JSON.stringify(payload));
  }
  return n;
}
